import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react'
import { ALERT_SEVERITIES, ALERT_STATES, type AlertSeverity, type AlertState, clip } from '../../shared/alerts'
import { SOURCE_LABELS } from '../../shared/incident-alerts'
import { MAX_TITLE_LENGTH } from '../../shared/incident'
import { plural } from '../../shared/plural'
import { SEVERITIES, type Severity } from '../../shared/schema'
import { type Alert, type IncidentSummary, attachAlerts, createSilence, declareFromAlerts, listAlerts, listIncidents } from '../app/api'
import { navigate } from '../app/router'
import { Dialog } from '../common/Dialog'
import { PaneState } from '../common/PaneState'
import { FormError, errorMessage } from '../common/useAction'
import { When, useHostNow } from './HostTime'
import { HostListState } from './HostListState'
import { useHostList } from './useHostList'
import './alert-inbox.css'

/** Asked this often while the page is in view: the inbox is where new alerts wait for the IC. */
const POLL_MS = 5000

const STATE_WORDS: Record<AlertState, string> = { firing: 'Firing', acknowledged: 'Acknowledged', insufficient: 'Insufficient data', resolved: 'Resolved' }

/** The incident severity offered for an alert: what routing declares critical and error alerts at, and holds the rest at. */
const SEVERITY_FOR_ALERT: Record<AlertSeverity, Severity> = { critical: 'SEV-2', error: 'SEV-2', warning: 'SEV-3', info: 'SEV-3' }

/** How long a silence lasts, as offered here and on the Silences card. */
export const SILENCE_CHOICES = [
  { minutes: 60, label: '1 hour' },
  { minutes: 240, label: '4 hours' },
  { minutes: 1440, label: '24 hours' },
] as const

/** The service an alert is about: the catalog's, else the one its labels name. */
const serviceOf = (alert: Alert): string | undefined => alert.serviceId ?? alert.labels.service

/** Firing first (ALERT_STATES is in that order), then the worst, then the latest. */
const byUrgency = (a: Alert, b: Alert): number =>
  ALERT_STATES.indexOf(a.state) - ALERT_STATES.indexOf(b.state) || ALERT_SEVERITIES.indexOf(a.severity) - ALERT_SEVERITIES.indexOf(b.severity) || b.lastAt - a.lastAt

interface AlertGroup {
  id: string
  title: string
  why: string
  alerts: Alert[]
}

/** One group per service, else per notification (grouping key), else the alert alone; the most urgent group first. */
const groupAlerts = (alerts: readonly Alert[]): AlertGroup[] => {
  const groups = new Map<string, Alert[]>()
  for (const alert of [...alerts].sort(byUrgency)) {
    const service = serviceOf(alert)
    const id = service !== undefined ? `service:${service}` : alert.groupKey !== undefined ? `group:${alert.integrationId}:${alert.groupKey}` : `alert:${alert.id}`
    groups.set(id, [...(groups.get(id) ?? []), alert])
  }
  return [...groups].map(([id, list]) => {
    const first = list[0]!
    const service = serviceOf(first)
    const count = plural(list.length, 'alert')
    return {
      id,
      title: service ?? first.summary,
      why: service !== undefined ? `${count} about ${service}` : list.length > 1 ? `${count} sent together by ${SOURCE_LABELS[first.source]}` : `${count} from ${SOURCE_LABELS[first.source]}`,
      alerts: list,
    }
  })
}

/** Links come from the alert's payload: only web addresses are followed. */
const isWebLink = (href: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(href).protocol)
  } catch {
    return false
  }
}

const AlertRow = ({ alert, now }: { alert: Alert; now: number }) => {
  const service = serviceOf(alert)
  const links = alert.links.filter((l) => isWebLink(l.href))
  return (
    <li className="inbox-alert">
      <div className="inbox-badges">
        <span className={`inbox-state inbox-state--${alert.state}`}>{STATE_WORDS[alert.state]}</span>
        <span className={`inbox-severity inbox-severity--${alert.severity}`}>{alert.severity}</span>
      </div>
      <div className="inbox-alert-body">
        <p className="inbox-summary">{alert.summary}</p>
        <p className="muted">
          {SOURCE_LABELS[alert.source]} · {service !== undefined ? `service ${service}` : 'no service named'} · {plural(alert.count, 'event')}
        </p>
        <p className="muted">
          First seen <When at={alert.firstAt} now={now} /> · last seen <When at={alert.lastAt} now={now} />
        </p>
      </div>
      {links.length > 0 && (
        <ul className="inbox-links" aria-label={`Links of ${alert.summary}`}>
          {links.map((l) => (
            <li key={l.href}>
              <a href={l.href} target="_blank" rel="noopener noreferrer">
                {l.text || 'Source'}
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}

type Action = { kind: 'declare' | 'attach' | 'silence'; group: AlertGroup }

const DeclareDialog = ({ group, token, onClose, onDone }: { group: AlertGroup; token: string; onClose: () => void; onDone: (notice: ReactNode) => void }) => {
  const first = group.alerts[0]!
  const service = serviceOf(first)
  const [title, setTitle] = useState(() => clip(service !== undefined && !first.summary.includes(service) ? `${service}: ${first.summary}` : first.summary, MAX_TITLE_LENGTH))
  const [severity, setSeverity] = useState<Severity>(SEVERITY_FOR_ALERT[first.severity])
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    setBusy(true)
    const named = title.trim()
    declareFromAlerts(token, { alertIds: group.alerts.map((a) => a.id), severity, ...(named ? { title: named } : {}) }).then(
      (created) =>
        onDone(
          <>
            Declared “{named || first.summary}” ({severity}) from {plural(group.alerts.length, 'alert')}.{' '}
            <a href={`/i/${created.id}`} onClick={(e) => (e.preventDefault(), navigate(`/i/${created.id}`))}>
              Open its board
            </a>
          </>,
        ),
      (e: unknown) => {
        setError(errorMessage(e))
        setBusy(false)
      },
    )
  }
  return (
    <Dialog title="Declare an incident from these alerts" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={MAX_TITLE_LENGTH} placeholder={first.summary} />
        </label>
        <label>
          Severity
          <select value={severity} onChange={(e) => setSeverity(SEVERITIES.find((s) => s === e.target.value) ?? severity)}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <p className="muted">{plural(group.alerts.length, 'alert')} will be attached to it and shown on its board.</p>
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Declaring…' : 'Declare incident'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

const AttachDialog = ({ group, token, onClose, onDone }: { group: AlertGroup; token: string; onClose: () => void; onDone: (notice: ReactNode) => void }) => {
  const [running, setRunning] = useState<IncidentSummary[]>()
  const [incidentId, setIncidentId] = useState('')
  const [error, setError] = useState<string>()
  useEffect(() => {
    listIncidents(token).then(
      (incidents) => {
        const open = incidents.filter((i) => i.status !== 'resolved')
        setRunning(open)
        setIncidentId(open[0]?.id ?? '')
      },
      (e: unknown) => setError(errorMessage(e)),
    )
  }, [token])
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const incident = running?.find((i) => i.id === incidentId)
    if (!incident) return
    attachAlerts(token, { alertIds: group.alerts.map((a) => a.id), incidentId }).then(
      (attached) => onDone(`Attached ${plural(attached, 'alert')} to “${incident.title}”.`),
      (e: unknown) => setError(errorMessage(e)),
    )
  }
  return (
    <Dialog title="Attach these alerts to a running incident" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        {running === undefined && !error && <p role="status">Loading the incidents…</p>}
        {running?.length === 0 && <p>No incident is running: declare one from these alerts instead.</p>}
        {running !== undefined && running.length > 0 && (
          <label>
            Incident
            <select value={incidentId} onChange={(e) => setIncidentId(e.target.value)}>
              {running.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.severity} · {i.title} ({i.status})
                </option>
              ))}
            </select>
          </label>
        )}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!running?.length}>
            Attach {plural(group.alerts.length, 'alert')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

const SilenceDialog = ({ group, token, onClose, onDone }: { group: AlertGroup; token: string; onClose: () => void; onDone: (notice: ReactNode) => void }) => {
  const [choice, setChoice] = useState<(typeof SILENCE_CHOICES)[number]>(SILENCE_CHOICES[0])
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    setBusy(true)
    // One silence per alert key (and its integration): these alerts, not everything with similar labels.
    Promise.all(group.alerts.map((a) => createSilence(token, { integrationId: a.integrationId, key: a.key, minutes: choice.minutes, comment }))).then(
      () => onDone(`Silenced ${plural(group.alerts.length, 'alert')} for ${choice.label}: “${comment.trim()}”.`),
      (e: unknown) => {
        setError(errorMessage(e))
        setBusy(false)
      },
    )
  }
  return (
    <Dialog title="Silence these alerts" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <fieldset className="inbox-silence-length">
          <legend>For</legend>
          {SILENCE_CHOICES.map((c) => (
            <label key={c.minutes} className="choice">
              <input type="radio" name="silence-for" checked={choice === c} onChange={() => setChoice(c)} />
              {c.label}
            </label>
          ))}
        </fieldset>
        <label>
          Reason (shown with the silence)
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} required maxLength={500} rows={2} />
        </label>
        <p className="muted">They leave the inbox now; if they fire again before the silence ends, they stay out of incidents and out of the inbox.</p>
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Silence {plural(group.alerts.length, 'alert')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

/**
 * The alerts routing held for the IC (the triage route: not in an incident,
 * not silenced), grouped; each group gets one action: declare, attach or silence.
 */
export const AlertInbox = ({
  token,
  onIncidentsChanged,
  onSilenced,
  changed,
}: {
  token: string
  onIncidentsChanged: () => void
  /** The inbox made a silence. */
  onSilenced?: () => void
  /** Bumped when another card changed what the inbox holds (a silence by labels): it asks again. */
  changed?: number
}) => {
  const [action, setAction] = useState<Action>()
  const [notice, setNotice] = useState<ReactNode>()
  const noticeRef = useRef<HTMLParagraphElement>(null)
  const now = useHostNow(POLL_MS)
  const { load, refresh } = useHostList(
    useCallback(() => listAlerts(token, { route: 'triage' }), [token]),
    POLL_MS,
    changed,
  )

  // The acted-on group may be gone: focus goes to what happened, not to the page's top.
  useEffect(() => noticeRef.current?.focus(), [notice])

  const done = (text: ReactNode): void => {
    setAction(undefined)
    setNotice(text)
    refresh()
    if (action?.kind === 'declare') onIncidentsChanged()
    if (action?.kind === 'silence') onSilenced?.()
  }

  const alerts = load.state === 'loading' ? undefined : load.items
  const groups = alerts ? groupAlerts(alerts) : []
  return (
    <section className="card alert-inbox" aria-labelledby="inbox-heading">
      <div className="inbox-head">
        <h2 id="inbox-heading">Alert inbox</h2>
        {alerts && alerts.length > 0 && (
          <span className="muted">
            {plural(alerts.length, 'alert')} in {plural(groups.length, 'group')}
          </span>
        )}
      </div>
      <p className="muted">Alerts routing held for you. Declare an incident from a group, attach it to a running one, or silence it.</p>
      {notice && (
        <p role="status" className="inbox-notice" ref={noticeRef} tabIndex={-1}>
          {notice}
        </p>
      )}
      <HostListState load={load} what="the inbox" onRetry={refresh} />
      {alerts?.length === 0 && <PaneState kind="empty" title="Nothing waiting: every alert is in an incident or silenced" />}
      {groups.length > 0 && (
        <ul className="inbox-groups" aria-label="Alert groups">
          {groups.map((group) => (
            <li key={group.id}>
              <article className="inbox-group" aria-labelledby={`alert-group-${group.alerts[0]!.id}`}>
                <div className="inbox-group-head">
                  <h3 id={`alert-group-${group.alerts[0]!.id}`}>{group.title}</h3>
                  <span className="muted">{group.why}</span>
                </div>
                <ul className="inbox-alerts" aria-label={`Alerts of ${group.title}`}>
                  {group.alerts.map((alert) => (
                    <AlertRow key={alert.id} alert={alert} now={now} />
                  ))}
                </ul>
                <div className="inbox-actions">
                  <button type="button" className="primary" onClick={() => setAction({ kind: 'declare', group })}>
                    Declare incident
                  </button>
                  <button type="button" onClick={() => setAction({ kind: 'attach', group })}>
                    Attach to…
                  </button>
                  <button type="button" onClick={() => setAction({ kind: 'silence', group })}>
                    Silence…
                  </button>
                </div>
              </article>
            </li>
          ))}
        </ul>
      )}
      {action?.kind === 'declare' && <DeclareDialog group={action.group} token={token} onClose={() => setAction(undefined)} onDone={done} />}
      {action?.kind === 'attach' && <AttachDialog group={action.group} token={token} onClose={() => setAction(undefined)} onDone={done} />}
      {action?.kind === 'silence' && <SilenceDialog group={action.group} token={token} onClose={() => setAction(undefined)} onDone={done} />}
    </section>
  )
}
