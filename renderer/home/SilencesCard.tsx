import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react'
import { formatLabelMatch, parseLabelPairs } from '../../shared/alert-routing'
import { plural } from '../../shared/plural'
import { type IntegrationView, type Silence, createSilence, endSilence, listIntegrations, listSilences } from '../app/api'
import { ConfirmDialog } from '../common/ConfirmDialog'
import { FormError, errorMessage } from '../common/useAction'
import { SILENCE_CHOICES } from './AlertInbox'
import { Until, When, useHostNow } from './HostTime'
import { HostListState } from './HostListState'
import { useHostList } from './useHostList'
import './silences.css'

/** Silences end on their own: the list asks again now and then, and the clock moves the time left. */
const REFRESH_MS = 30_000
const CLOCK_MS = 15_000
const MAX_MINUTES = 7 * 24 * 60

/** What a silence holds out, in words. */
const heldOut = (silence: Silence): string =>
  [silence.key !== undefined ? `alert key ${silence.key}` : undefined, silence.match ? formatLabelMatch(silence.match) : undefined].filter(Boolean).join(' and ') ||
  'nothing (no key, no labels)'

const integrationName = (silence: Silence, integrations: readonly IntegrationView[] | undefined): string => {
  if (silence.integrationId === undefined) return 'every integration'
  const named = integrations?.find((i) => i.id === silence.integrationId)
  return named ? named.name : integrations ? 'an integration since revoked' : 'one integration'
}

const SilenceItem = ({
  silence,
  now,
  integrations,
  onEnd,
}: {
  silence: Silence
  now: number
  integrations: readonly IntegrationView[] | undefined
  onEnd?: () => void
}) => {
  const what = heldOut(silence)
  return (
    <li className={`silence${onEnd ? '' : ' silence--ended'}`} aria-label={what}>
      <div className="silence-body">
        <p className="silence-what">
          <code>{what}</code>
        </p>
        <p>
          From {integrationName(silence, integrations)} ·{' '}
          {onEnd ? (
            <Until at={silence.endsAt} now={now} />
          ) : (
            <>
              ended <When at={silence.endsAt} now={now} />
            </>
          )}
        </p>
        <p className="muted">
          “{silence.comment}” — set by {silence.createdBy} <When at={silence.createdAt} now={now} />
        </p>
      </div>
      {onEnd && (
        <button type="button" className="danger" onClick={onEnd}>
          End now<span className="visually-hidden"> ({what})</span>
        </button>
      )}
    </li>
  )
}

const EndDialog = ({ silence, token, onClose, onEnded }: { silence: Silence; token: string; onClose: () => void; onEnded: () => void }) => (
  <ConfirmDialog title="End this silence?" confirm="End silence" onConfirm={() => endSilence(token, silence.id).then(onEnded)} onClose={onClose}>
    <p>
      <code>{heldOut(silence)}</code>: alerts it matches that fire from now on go to incidents or to the inbox again. Alerts it already held out stay where they are.
    </p>
  </ConfirmDialog>
)

const SilenceForm = ({ token, integrations, onDone }: { token: string; integrations: readonly IntegrationView[] | undefined; onDone: (notice: string) => void }) => {
  const [labels, setLabels] = useState('')
  const [integrationId, setIntegrationId] = useState('')
  const [length, setLength] = useState<number | 'custom'>(SILENCE_CHOICES[0].minutes)
  const [custom, setCustom] = useState('90')
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const hintId = useId()
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const parsed = parseLabelPairs(labels)
    if ('error' in parsed) return setError(`Labels to silence: ${parsed.error}`)
    const minutes = length === 'custom' ? Number(custom) : length
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) return setError(`Minutes: a whole number from 1 to ${MAX_MINUTES} (a week).`)
    if (!comment.trim()) return setError('Reason: say why; it is shown with the silence.')
    setBusy(true)
    setError(undefined)
    createSilence(token, { match: parsed.match, minutes, comment, ...(integrationId ? { integrationId } : {}) }).then(
      ({ silence, silencedNow }) => {
        setBusy(false)
        setLabels('')
        setComment('')
        onDone(
          `Silenced ${formatLabelMatch(silence.match ?? parsed.match)} for ${plural(minutes, 'minute')}: ${silencedNow === 0 ? 'nothing was waiting in the inbox' : `took ${plural(silencedNow, 'alert')} out of the inbox`}.`,
        )
      },
      (e: unknown) => {
        setBusy(false)
        setError(errorMessage(e))
      },
    )
  }
  return (
    <form className="silence-form" onSubmit={submit} aria-label="Silence by labels" noValidate>
      <h3>Silence by labels</h3>
      <label>
        Labels to silence
        <textarea value={labels} onChange={(e) => setLabels(e.target.value)} rows={2} placeholder={'alertname=DiskFull\nenv=staging'} aria-describedby={hintId} />
      </label>
      <p id={hintId} className="muted">
        name=value, one per line or separated by commas; an alert is held out when every pair matches. A value of * alone matches any value.
      </p>
      <label>
        Integration
        <select value={integrationId} onChange={(e) => setIntegrationId(e.target.value)}>
          <option value="">Every integration</option>
          {integrations?.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="silence-length">
        <legend>For</legend>
        {SILENCE_CHOICES.map((c) => (
          <label key={c.minutes} className="choice">
            <input type="radio" name="silence-by-labels-for" checked={length === c.minutes} onChange={() => setLength(c.minutes)} />
            {c.label}
          </label>
        ))}
        <label className="choice">
          <input type="radio" name="silence-by-labels-for" checked={length === 'custom'} onChange={() => setLength('custom')} />
          Other
        </label>
        {length === 'custom' && (
          <label>
            Minutes
            <input type="number" min={1} max={MAX_MINUTES} step={1} value={custom} onChange={(e) => setCustom(e.target.value)} required />
          </label>
        )}
      </fieldset>
      <label>
        Reason (shown with the silence)
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} required maxLength={500} rows={2} />
      </label>
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Silencing…' : 'Silence matching alerts'}
      </button>
    </form>
  )
}

/**
 * The host's silences on the start page: the running ones (what they hold
 * out, from where, until when on the host clock, why), then those ended in the
 * last 30 days; end one, or silence alerts by their labels.
 */
export const SilencesCard = ({ token, changed, onSilenced }: { token: string; changed?: number; onSilenced: () => void }) => {
  const [ending, setEnding] = useState<Silence>()
  const [notice, setNotice] = useState<ReactNode>()
  const noticeRef = useRef<HTMLParagraphElement>(null)
  const now = useHostNow(CLOCK_MS)
  const { load, refresh } = useHostList(
    useCallback(() => listSilences(token), [token]),
    REFRESH_MS,
    changed,
  )
  // Silences name their integration by id: its name, if it is still there.
  const named = useHostList(
    useCallback(() => listIntegrations(token), [token]),
    REFRESH_MS,
    changed,
  ).load
  const integrations = named.state === 'loading' ? undefined : named.items
  useEffect(() => noticeRef.current?.focus(), [notice])

  const silences = load.state === 'loading' ? undefined : load.items
  const active = silences?.filter((s) => s.endsAt > now) ?? []
  const ended = silences?.filter((s) => s.endsAt <= now) ?? []
  return (
    <section className="card silences" aria-labelledby="silences-heading">
      <h2 id="silences-heading">Silences</h2>
      <p className="muted">A running silence holds the alerts it matches out of incidents and out of the inbox until it ends.</p>
      {notice && (
        <p role="status" className="silences-notice" ref={noticeRef} tabIndex={-1}>
          {notice}
        </p>
      )}
      <div className="silences-layout">
        <div className="silences-lists">
          <HostListState load={load} what="the silences" onRetry={refresh} />
          {silences && (
            <>
              <h3>Running now</h3>
              {active.length === 0 ? (
                <p className="muted">No silence is running: every alert is routed.</p>
              ) : (
                <ul className="silence-list" aria-label="Running silences">
                  {active.map((s) => (
                    <SilenceItem key={s.id} silence={s} now={now} integrations={integrations} onEnd={() => setEnding(s)} />
                  ))}
                </ul>
              )}
              <h3>Ended in the last 30 days</h3>
              {ended.length === 0 ? (
                <p className="muted">None.</p>
              ) : (
                <ul className="silence-list" aria-label="Ended silences">
                  {ended.map((s) => (
                    <SilenceItem key={s.id} silence={s} now={now} integrations={integrations} />
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
        <SilenceForm
          token={token}
          integrations={integrations}
          onDone={(text) => {
            setNotice(text)
            refresh()
            onSilenced()
          }}
        />
      </div>
      {ending && (
        <EndDialog
          silence={ending}
          token={token}
          onClose={() => setEnding(undefined)}
          onEnded={() => {
            setEnding(undefined)
            setNotice(`Ended the silence of ${heldOut(ending)}: matching alerts are routed again.`)
            refresh()
          }}
        />
      )}
    </section>
  )
}
