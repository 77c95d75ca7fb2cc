import { type ReactNode, useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { formatTimeOfDay } from '../../shared/clock'
import { type Delivery, readDeliveries } from '../../shared/deliveries'
import { readMeta } from '../../shared/incident'
import { holderOf, readRoles } from '../../shared/roles'
import { INCIDENT_STATUSES, isIncidentStatus } from '../../shared/schema'
import { renderStatusPage } from '../../shared/status-page'
import { AUDIENCES, AUDIENCE_LABELS, type Audience, PUBLIC_STATUS_LABELS } from '../../shared/templates'
import { markdown, slackMrkdwn } from '../../shared/update-formats'
import {
  type ApprovalState,
  type Draft,
  type PublishedUpdate,
  approvalState,
  approveDraft,
  boardFacts,
  previewUpdate,
  editDraftField,
  fillDraft,
  readDraft,
  readPublishedUpdates,
  returnDraft,
  serviceNames,
  setDraftImpactedServices,
  setDraftStatus,
  submitDraft,
} from '../../shared/updates'
import { ApiError, publishDraft } from '../app/api'
import { useBoard } from '../board/BoardContext'
import { useImpact } from '../graph/ImpactProvider'
import { Dialog } from '../common/Dialog'
import { PaneState } from '../common/PaneState'
import { SharedText } from '../common/SharedText'
import { FormError, useAction } from '../common/useAction'
import { useConnectionStatus, useDocValue, useHostNow } from '../sync/hooks'
import { useUpdateSettings } from './UpdateSettingsProvider'
import './updates.css'

// Stable readers per audience, as useDocValue needs.
const draftReaders = Object.fromEntries(AUDIENCES.map((a) => [a, (doc: Y.Doc) => readDraft(doc, a)])) as Record<Audience, (doc: Y.Doc) => Draft | undefined>
const readCommander = (doc: Y.Doc): string | undefined => holderOf(readRoles(doc), 'incidentCommander')

const APPROVAL_WORDS: Record<ApprovalState, string> = {
  notNeeded: '',
  needed: 'This host needs the IC to approve every update before it is published.',
  submitted: 'Waiting for the IC to approve.',
  approved: 'Approved by the IC: ready to publish.',
  returned: 'Sent back by the IC.',
  changed: 'Changed since the IC approved it: submit it again.',
}

const CopyButton = ({ label, text }: { label: string; text: string }) => {
  const [done, setDone] = useState<string>()
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text)
      setDone('Copied')
    } catch {
      setDone('Copy blocked here: select the preview and press Ctrl+C')
    }
    setTimeout(() => setDone(undefined), 2500)
  }
  return (
    <button type="button" onClick={() => void copy()}>
      {done ?? label}
    </button>
  )
}

/** Slack's *bold* and _italic_ as the channel will show them; everything else as typed. */
const SlackPreview = ({ text }: { text: string }) => (
  <div className="slack-preview" aria-label="Slack preview">
    {text.split('\n').map((line, i) => (
      <p key={i}>
        {line.split(/(\*[^*\n]+\*|_[^_\n]+_)/g).map((part, j) =>
          /^\*[^*]+\*$/.test(part) ? <strong key={j}>{part.slice(1, -1)}</strong> : /^_[^_]+_$/.test(part) ? <em key={j}>{part.slice(1, -1)}</em> : part,
        )}
      </p>
    ))}
  </div>
)

const Preview = ({ update, published }: { update: PublishedUpdate; published: readonly PublishedUpdate[] }) => {
  const [format, setFormat] = useState<'plain' | 'slack' | 'page'>('plain')
  const { doc } = useBoard().connection
  const title = readMeta(doc)?.title ?? update.title
  let body: ReactNode
  if (format === 'plain') body = <pre className="plain-preview" aria-label="Plain text preview">{update.text}</pre>
  else if (format === 'slack') body = <SlackPreview text={slackMrkdwn(update)} />
  else if (update.audience !== 'customer') body = <p className="muted">The status page shows only updates to customers.</p>
  else
    body = (
      <iframe
        className="page-preview"
        title="Status page preview"
        sandbox=""
        srcDoc={renderStatusPage({ title }, [...published.filter((u) => u.audience === 'customer'), update], update.publishedAt, { refresh: false })}
      />
    )
  return (
    <section className="update-composer-preview" aria-label="Preview">
      <div className="preview-head">
        <div role="tablist" aria-label="Preview as">
          {(
            [
              ['plain', 'Plain text'],
              ['slack', 'Slack'],
              ['page', 'Status page'],
            ] as const
          ).map(([key, label]) => (
            <button key={key} type="button" role="tab" aria-selected={format === key} onClick={() => setFormat(key)}>
              {label}
            </button>
          ))}
        </div>
        <span className="preview-copy">
          <CopyButton label="Copy text" text={update.text} />
          <CopyButton label="Copy Markdown" text={markdown(update)} />
          <CopyButton label="Copy for Slack" text={slackMrkdwn(update)} />
        </span>
      </div>
      {body}
    </section>
  )
}

const attemptWords = (delivery: Delivery): string =>
  delivery.attempts.map((a) => `${formatTimeOfDay(a.at)} ${a.status !== undefined ? `HTTP ${a.status}` : (a.error ?? 'failed')} (${Math.round(a.ms)} ms)`).join(' · ')

const DELIVERY_WORDS: Record<Delivery['state'], string> = { sending: 'sending', retrying: 'retrying', delivered: 'delivered', failed: 'failed' }

const History = ({ updates, deliveries }: { updates: readonly PublishedUpdate[]; deliveries: readonly Delivery[] }) => (
  <section className="update-composer-history" aria-labelledby="published-heading">
    <h3 id="published-heading">Published</h3>
    {updates.length === 0 ? (
      <p className="muted">Nothing published to this audience yet.</p>
    ) : (
      <ol aria-label="Published updates">
        {[...updates].reverse().map((u) => (
          <li key={u.id}>
            <details>
              <summary>
                <strong>{formatTimeOfDay(u.publishedAt)}</strong> {PUBLIC_STATUS_LABELS[u.publicStatus]} · by {u.author.name}
                {u.approver && <> · approved by {u.approver.name}</>}
                {u.nextUpdateAt !== undefined && <> · next by {formatTimeOfDay(u.nextUpdateAt)}</>}
              </summary>
              <pre className="plain-preview">{u.text}</pre>
            </details>
            <ul className="delivery-log" aria-label={`Deliveries of the ${formatTimeOfDay(u.publishedAt)} update`}>
              {deliveries
                .filter((d) => d.updateId === u.id)
                .map((d) => (
                  <li key={d.channelId} className={`delivery delivery--${d.state}`}>
                    <strong>{d.channelName}</strong> ({d.destination}): {DELIVERY_WORDS[d.state]}
                    {d.nextAttemptAt !== undefined && d.state === 'retrying' && <> · next try {formatTimeOfDay(d.nextAttemptAt)}</>}
                    <span className="muted"> — {attemptWords(d)}</span>
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ol>
    )}
  </section>
)

/** Only on a board that edits (a read-only board never sees a draft). */
const Approval = ({ audience, draft }: { audience: Audience; draft: Draft }) => {
  const { connection } = useBoard()
  const { requireApproval } = useUpdateSettings()
  const commander = useDocValue(connection.doc, readCommander)
  const [comment, setComment] = useState('')
  const { error, run } = useAction()
  const state = approvalState(draft, requireApproval)
  if (state === 'notNeeded') return null
  const isCommander = commander === connection.identity.id
  const { doc } = connection
  return (
    <div className={`approval approval--${state}`} role="group" aria-label="Approval">
      <p role="status">
        {APPROVAL_WORDS[state]}
        {state === 'returned' && draft.review?.comment && <> “{draft.review.comment}”</>}
      </p>
      {state !== 'submitted' && state !== 'approved' && (
        <button type="button" onClick={() => run(() => submitDraft(doc, connection.change(), audience))}>
          Submit for approval
        </button>
      )}
      {isCommander && state !== 'approved' && (
        <span className="approval-ic">
          <button type="button" className="primary" onClick={() => run(() => approveDraft(doc, connection.change(), audience))}>
            Approve
          </button>
          <input aria-label="What should change" placeholder="What should change" value={comment} onChange={(e) => setComment(e.target.value)} />
          <button type="button" onClick={() => run(() => returnDraft(doc, connection.change(), audience, comment)) && setComment('')}>
            Send back
          </button>
        </span>
      )}
      <FormError message={error} />
    </div>
  )
}

const AudiencePanel = ({ audience }: { audience: Audience }) => {
  const { connection, canEdit } = useBoard()
  const { doc } = connection
  const settings = useUpdateSettings()
  const draft = useDocValue(doc, draftReaders[audience])
  const published = useDocValue(doc, readPublishedUpdates)
  const deliveries = useDocValue(doc, readDeliveries)
  const now = useHostNow(connection)
  const status = useConnectionStatus(connection)
  const [publishing, setPublishing] = useState(false)
  const [notice, setNotice] = useState<string>()
  const noticeRef = useRef<HTMLSpanElement>(null)
  // The publish button went disabled under the keyboard's focus: focus goes to what happened, not to the page.
  useEffect(() => {
    if (notice) noticeRef.current?.focus()
  }, [notice])
  // Refilling replaces what everyone typed: it takes a second press.
  const [confirmRefill, setConfirmRefill] = useState(false)
  const { error, run, setError } = useAction()
  const mine = published.filter((u) => u.audience === audience)
  // The graph moves on while a draft is written: offer its current list.
  const impact = useImpact()
  const graphNames = serviceNames(impact.summary.businessImpacted, impact.services)

  const fill = (): boolean => run(() => fillDraft(doc, connection.change(), audience, settings.templates[audience], boardFacts(doc, connection.clock.now())))

  // A read-only board follows what was said, never what is being drafted.
  if (!canEdit) {
    return (
      <>
        <p className="muted read-only-note">Drafts stay with the responders; this read-only board shows what was published.</p>
        <History updates={mine} deliveries={deliveries} />
      </>
    )
  }

  if (!draft) {
    return (
      <>
        <PaneState kind="empty" title={`No ${AUDIENCE_LABELS[audience].toLowerCase()} draft yet`}>
          <button type="button" className="primary" onClick={fill}>
            Start from the template
          </button>
        </PaneState>
        <FormError message={error} />
        <History updates={mine} deliveries={deliveries} />
      </>
    )
  }

  const approval = approvalState(draft, settings.requireApproval)
  const ready = approval === 'approved' || approval === 'notNeeded'
  // As if published this minute: stakeholders read minutes, and the status-page frame then reloads once a minute, not every second.
  const minute = Math.floor(now / 60_000) * 60_000
  const preview = previewUpdate(doc, { by: connection.identity.id, at: minute }, { id: 'preview', audience, cadence: settings.cadence, requireApproval: settings.requireApproval })
  const publish = async (): Promise<void> => {
    setPublishing(true)
    setError(undefined)
    try {
      const update = await publishDraft(connection.token, connection.incidentId, { audience, personId: connection.identity.id })
      setNotice(`Published at ${formatTimeOfDay(update.publishedAt)}.`)
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err))
    } finally {
      setPublishing(false)
    }
  }
  const offline = status.link !== 'live'

  return (
    <div
      className="update-composer"
      onKeyDown={(e) => {
        // Ctrl+Enter publishes from any field, as chat tools send.
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && ready && !publishing && !offline) {
          e.preventDefault()
          void publish()
        }
      }}
    >
      <div className="update-composer-edit">
        <div className="update-composer-row">
          <label>
            Status to announce
            <select
              value={draft.publicStatus}
              onChange={(e) => {
                const value = e.target.value
                if (isIncidentStatus(value)) run(() => setDraftStatus(doc, audience, value))
              }}
            >
              {INCIDENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {PUBLIC_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            Affected business services
            <input
              key={draft.impactedServices.join('\u0000')}
              defaultValue={draft.impactedServices.join(', ')}
              placeholder="none named"
              onBlur={(e) => run(() => setDraftImpactedServices(doc, audience, e.target.value.split(',')))}
            />
          </label>
          {graphNames.join() !== draft.impactedServices.join() && (
            <button type="button" className="align-end" onClick={() => run(() => setDraftImpactedServices(doc, audience, graphNames))}>
              Use the graph's list ({graphNames.length})
            </button>
          )}
        </div>
        {draft.fields.map((field) => (
          <label key={field.key} className="update-composer-field">
            {field.label}
            <SharedText multiline rows={3} value={field.text} onText={(next) => run(() => editDraftField(doc, audience, field.key, next))} />
          </label>
        ))}
        <Approval audience={audience} draft={draft} />
        <div className="update-composer-actions">
          <button
            type="button"
            className="primary"
            disabled={!ready || publishing || offline}
            aria-keyshortcuts="Control+Enter"
            title="Ctrl+Enter"
            onClick={() => void publish()}
          >
            {publishing ? 'Publishing…' : `Publish to ${AUDIENCE_LABELS[audience].toLowerCase()}`}
          </button>
          {confirmRefill ? (
            <button type="button" className="danger" onClick={() => fill() && setConfirmRefill(false)}>
              Replace every field with the template?
            </button>
          ) : (
            <button type="button" onClick={() => setConfirmRefill(true)}>
              Refill from the board
            </button>
          )}
          {offline && <span className="muted">Publishing needs the host: this board is offline.</span>}
          {notice && !error && (
            <span role="status" className="muted" tabIndex={-1} ref={noticeRef}>
              {notice}
            </span>
          )}
        </div>
        <FormError message={error} />
        <p className="muted">
          {settings.channels.filter((c) => c.audiences.includes(audience)).length > 0
            ? `Also sent to: ${settings.channels
                .filter((c) => c.audiences.includes(audience))
                .map((c) => c.name)
                .join(', ')}.`
            : 'No channel takes this audience; copy the text where it needs to go.'}{' '}
          Host time now {formatTimeOfDay(now)}.
        </p>
      </div>
      <div className="update-composer-side">
        {preview.published && <p className="muted">The draft says what was published at {formatTimeOfDay(preview.update.publishedAt)}: the preview shows that update. Edit the draft to prepare the next one.</p>}
        <Preview update={preview.update} published={published.filter((u) => u.id !== preview.update.id)} />
        <History updates={mine} deliveries={deliveries} />
      </div>
    </div>
  )
}

/** The communications liaison's composer: one draft per audience, edited together. */
export const ComposerDialog = ({ audience: initial, onClose }: { audience?: Audience; onClose: () => void }) => {
  const [audience, setAudience] = useState<Audience>(initial ?? 'customer')
  return (
    <Dialog title="Stakeholder updates" wide onClose={onClose}>
      <div role="tablist" aria-label="Audience" className="update-composer-tabs">
        {AUDIENCES.map((a) => (
          <button key={a} type="button" role="tab" aria-selected={a === audience} onClick={() => setAudience(a)}>
            {AUDIENCE_LABELS[a]}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={AUDIENCE_LABELS[audience]}>
        <AudiencePanel key={audience} audience={audience} />
      </div>
    </Dialog>
  )
}
