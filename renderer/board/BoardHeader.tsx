import type * as Y from 'yjs'
import { formatElapsed, formatTimeOfDay } from '../../shared/clock'
import { type IncidentMeta, setIncidentStatus, setSeverity } from '../../shared/incident'
import { holderOf, readRoles } from '../../shared/roles'
import { INCIDENT_STATUSES, SEVERITIES, isIncidentStatus, isSeverity } from '../../shared/schema'
import type { AccessLevel } from '../app/api'
import { readPeople } from '../../shared/people'
import { RolesStrip } from '../roles/RolesStrip'
import { CadenceClocks } from '../updates/CadenceClocks'
import type { ConnectionStatus } from '../sync/board-connection'
import { useDocValue, useHostNow } from '../sync/hooks'
import { useBoard } from './BoardContext'
import { useImpact } from '../graph/ImpactProvider'
import { HeaderTitle } from './HeaderTitle'
import { LifecycleStrip } from '../milestones/LifecycleStrip'
import { MeetingPlace } from './Gathering'
import { InviteButton } from './InviteDialog'
import { PresenceList } from './PresenceList'
import { SEVERITY_HINTS, SeverityBadge } from './SeverityBadge'
import './header.css'

const readCommander = (doc: Y.Doc): string | undefined => holderOf(readRoles(doc), 'incidentCommander')

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
      <span className="business-impact-count">{count}</span>{' '}
      <span className="business-impact-words">business service{count === 1 ? '' : 's'} impacted</span>
    </span>
  )
}

const REPLAY_LABEL = { label: 'Replay', detail: 'A recording of the incident: nothing here changes it.' }

const ConnectionBadge = ({ status, replay }: { status: ConnectionStatus; replay: boolean }) => {
  const { label, detail } = replay ? REPLAY_LABEL : LINK_LABELS[status.link]
  return (
    <span className={`link-badge link-badge--${replay ? 'replay' : status.link}`} role="status" aria-label={`Connection: ${label}`} title={detail}>
      <span className="link-dot" aria-hidden="true" />
      {label}
    </span>
  )
}

/**
 * Severity, title, status, impact and elapsed time on the first row; roles,
 * update clocks and who is here on the second, wrapping rather than
 * overlapping. Each part keeps its own room: the title wraps to two lines and
 * is then cut with an ellipsis, presence collapses into "+N".
 */
export const BoardHeader = ({ meta, access, status, replay }: { meta: IncidentMeta; access: AccessLevel; status: ConnectionStatus; replay: boolean }) => {
  const { connection, canEdit, open } = useBoard()
  const now = useHostNow(connection)
  const people = useDocValue(connection.doc, readPeople)
  const commander = useDocValue(connection.doc, readCommander)
  const startedAt = meta.milestones.startedAt ?? now
  const end = meta.milestones.resolvedAt ?? now
  const { doc } = connection
  // Like approving an update: the IC's call, or the host's own board.
  const canEditTitle = canEdit && (access === 'host' || commander === connection.identity.id)

  return (
    <header className="board-header">
      <div className="header-row header-row--main">
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
          <SeverityBadge severity={meta.severity} label />
        )}
        <HeaderTitle title={meta.title} incidentId={meta.id} canEditTitle={canEditTitle} />
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
          <span className={`status-chip status-chip--${meta.status}`}>
            <span className="visually-hidden">Status </span>
            {meta.status}
          </span>
        )}
        <BusinessImpact />
        <div className="header-clock">
          <span className="clock-label">{meta.milestones.resolvedAt ? 'Lasted' : 'Elapsed'}</span>
          <span className="clock-value" aria-label="Elapsed time" role="timer">
            {formatElapsed(end - startedAt)}
          </span>
          <span className="clock-now muted" aria-label={replay ? 'Replay time' : 'Host time'}>
            {formatTimeOfDay(now)}
          </span>
        </div>
      </div>
      <div className="header-row header-row--second">
        <RolesStrip />
        <LifecycleStrip />
        {canEdit && (
          <button type="button" className="postmortem-open" onClick={() => open({ kind: 'postmortem' })}>
            Postmortem
          </button>
        )}
        <CadenceClocks />
        <div className="header-people">
          <PresenceList connection={connection} now={now} />
          <MeetingPlace />
          <ConnectionBadge status={status} replay={replay} />
          <button type="button" onClick={() => open({ kind: 'people' })} title="People (P)">
            People ({people.size})
          </button>
          {access === 'host' && <InviteButton incidentId={meta.id} />}
          <button type="button" className="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => open({ kind: 'help' })}>
            ?
          </button>
        </div>
      </div>
    </header>
  )
}
