import { formatElapsed, formatTimeOfDay } from '../../shared/clock'
import { type IncidentMeta, setIncidentStatus, setSeverity } from '../../shared/incident'
import { isTyping } from '../../shared/presence'
import { INCIDENT_STATUSES, SEVERITIES, isIncidentStatus, isSeverity } from '../../shared/schema'
import type { AccessLevel } from '../app/api'
import { readPeople } from '../../shared/people'
import { RolesStrip } from '../roles/RolesStrip'
import { CadenceClocks } from '../updates/CadenceClocks'
import type { ConnectionStatus, IncidentConnection } from '../sync/connection'
import { useDocValue, useHostNow, usePresence } from '../sync/hooks'
import { useBoard } from './BoardContext'
import { useImpact } from '../graph/ImpactProvider'
import { InviteButton } from './InviteDialog'
import { SEVERITY_HINTS, SeverityBadge } from './SeverityBadge'

const LINK_LABELS: Record<ConnectionStatus['link'], { label: string; detail: string }> = {
  live: { label: 'Live', detail: 'Connected to the host; changes reach everyone at once.' },
  connecting: { label: 'Connecting…', detail: 'Reaching the host.' },
  offline: { label: 'Offline', detail: 'The host cannot be reached. Keep working: changes are kept on this device and merge when it is back.' },
}

/** "N business services impacted", readable from the back of the room. */
const BusinessImpact = () => {
  const { summary, services } = useImpact()
  const count = summary.businessImpacted.length
  if ([...services.values()].every((s) => !s.business)) return null
  return (
    <span className={`business-impact${count > 0 ? ' is-bad' : ''}`} role="status" aria-label={`${count} business services impacted`}>
      <span className="business-impact-count">{count}</span> business service{count === 1 ? '' : 's'} impacted
    </span>
  )
}

const ConnectionBadge = ({ status }: { status: ConnectionStatus }) => {
  const { label, detail } = LINK_LABELS[status.link]
  return (
    <span className={`link-badge link-badge--${status.link}`} role="status" aria-label={`Connection: ${label}`} title={detail}>
      <span className="link-dot" aria-hidden="true" />
      {label}
    </span>
  )
}

const PresenceList = ({ connection, now }: { connection: IncidentConnection; now: number }) => {
  const people = usePresence(connection)
  return (
    <ul className="presence" aria-label="Here now">
      {people.map((p) => (
        <li key={p.user.id} style={{ borderColor: p.user.color }} title={p.user.id === connection.identity.id ? 'You' : undefined}>
          <span className="presence-dot" style={{ background: p.user.color }} aria-hidden="true" />
          {p.user.name}
          {p.user.id === connection.identity.id && <span className="muted"> (you)</span>}
          {isTyping(p, now) && p.user.id !== connection.identity.id && <span className="presence-typing"> typing…</span>}
        </li>
      ))}
    </ul>
  )
}

export const BoardHeader = ({ meta, access, status }: { meta: IncidentMeta; access: AccessLevel; status: ConnectionStatus }) => {
  const { connection, canEdit, open } = useBoard()
  const now = useHostNow(connection)
  const people = useDocValue(connection.doc, readPeople)
  const startedAt = meta.milestones.startedAt ?? now
  const end = meta.milestones.resolvedAt ?? now
  const { doc } = connection

  return (
    <header className="board-header">
      <div className="header-row">
      <div className="header-incident">
        {canEdit ? (
          <select
            className={`severity-select severity--${meta.severity.toLowerCase()}`}
            aria-label="Severity"
            value={meta.severity}
            title={SEVERITY_HINTS[meta.severity]}
            onChange={(e) => isSeverity(e.target.value) && setSeverity(doc, connection.change(), e.target.value)}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        ) : (
          <SeverityBadge severity={meta.severity} />
        )}
        <div className="header-title">
          <h1 title={meta.title}>{meta.title}</h1>
          <span className="muted incident-id">{meta.id}</span>
        </div>
        {canEdit ? (
          <select
            className={`status-select status-chip--${meta.status}`}
            aria-label="Incident status"
            value={meta.status}
            onChange={(e) => isIncidentStatus(e.target.value) && setIncidentStatus(doc, connection.change(), e.target.value)}
          >
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        ) : (
          <span className={`status-chip status-chip--${meta.status}`}>{meta.status}</span>
        )}
      </div>
      <BusinessImpact />
      <div className="header-clock">
        <span className="clock-label">{meta.milestones.resolvedAt ? 'Lasted' : 'Elapsed'}</span>
        <span className="clock-value" aria-label="Elapsed time" role="timer">
          {formatElapsed(end - startedAt)}
        </span>
        <span className="clock-now muted" aria-label="Host time">
          {formatTimeOfDay(now)}
        </span>
      </div>
      <div className="header-people">
        <PresenceList connection={connection} now={now} />
        <ConnectionBadge status={status} />
        <button type="button" onClick={() => open({ kind: 'people' })} title="People (P)">
          People ({people.size})
        </button>
        {access === 'host' && <InviteButton incidentId={meta.id} />}
        <button type="button" className="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => open({ kind: 'help' })}>
          ?
        </button>
      </div>
      </div>
      <div className="header-row header-row--second">
        <RolesStrip />
        <CadenceClocks />
      </div>
    </header>
  )
}
