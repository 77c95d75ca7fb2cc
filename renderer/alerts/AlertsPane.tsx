import { useState } from 'react'
import { formatElapsed, formatTimeOfDay } from '../../shared/clock'
import { SOURCE_LABELS, type BoardAlert, alertTally, readAlerts } from '../../shared/incident-alerts'
import type { ServiceLink } from '../../shared/services'
import { useBoard } from '../board/BoardContext'
import { PaneState } from '../common/PaneState'
import { useImpact } from '../graph/ImpactProvider'
import { useDocValue, useHostNow } from '../sync/hooks'
import { PageAffectedButton } from './PageButtons'
import './alerts.css'

const STATE_WORDS: Record<BoardAlert['state'], string> = { firing: 'Firing', acknowledged: 'Acknowledged', insufficient: 'No data', resolved: 'Resolved' }

/** "8 min ago" from stored host times: the board's own clock never decides a duration. */
const ago = (now: number, at: number): string => `${formatElapsed(now - at)} ago`

/** Source links from the alert, then the service's runbook and dashboard (already http(s) only in the document). */
const Links = ({ alert, serviceLinks }: { alert: BoardAlert; serviceLinks: readonly ServiceLink[] }) => {
  const links = [...alert.links.map((l) => ({ title: l.text, url: l.href })), ...serviceLinks]
  if (links.length === 0) return null
  return (
    <ul className="alert-links" aria-label="Links">
      {links.map((l) => (
        <li key={`${l.url} ${l.title}`}>
          <a href={l.url} target="_blank" rel="noopener noreferrer">
            {l.title}
          </a>
        </li>
      ))}
    </ul>
  )
}

const AlertRow = ({ alert, now }: { alert: BoardAlert; now: number }) => {
  const impact = useImpact()
  const service = alert.serviceId ? impact.services.get(alert.serviceId) : undefined
  return (
    <li className={`alert-row alert-row--${alert.state}`} aria-label={`${STATE_WORDS[alert.state]} ${alert.severity}: ${alert.summary}`}>
      <div className="alert-row-head">
        <span className={`alert-state alert-state--${alert.state}`}>{STATE_WORDS[alert.state]}</span>
        <span className={`alert-severity alert-severity--${alert.severity}`}>{alert.severity}</span>
        <span className="alert-summary" title={alert.summary}>
          {alert.summary}
        </span>
        {alert.count > 1 && <span className="alert-count" title={`Fired ${alert.count} times`}>×{alert.count}</span>}
      </div>
      <div className="alert-row-meta muted">
        <span>{service ? service.name : 'no service matched'}</span>
        <span>
          {SOURCE_LABELS[alert.source]} · {alert.integrationName}
        </span>
        {alert.unverified && (
          <span className="alert-unverified" title="This integration does not check message signatures: anyone who knows its address could have sent this alert.">
            unverified source
          </span>
        )}
        <span>
          first <time dateTime={new Date(alert.firstAt).toISOString()}>{formatTimeOfDay(alert.firstAt)}</time> ({ago(now, alert.firstAt)})
        </span>
        <span>
          last <time dateTime={new Date(alert.lastAt).toISOString()}>{formatTimeOfDay(alert.lastAt)}</time>
        </span>
        {alert.resolvedAt !== undefined && (
          <span>
            resolved <time dateTime={new Date(alert.resolvedAt).toISOString()}>{formatTimeOfDay(alert.resolvedAt)}</time>
          </span>
        )}
      </div>
      <Links alert={alert} serviceLinks={service?.links ?? []} />
    </li>
  )
}

/**
 * The monitoring alerts routed to this incident, firing first, with where to
 * look (source, runbook, dashboard) and who to call (page the owners).
 */
export const AlertsPane = ({ hidden }: { hidden?: boolean }) => {
  const { connection, canEdit } = useBoard()
  const alerts = useDocValue(connection.doc, readAlerts)
  const now = useHostNow(connection)
  const [showResolved, setShowResolved] = useState(true)
  const tally = alertTally(alerts)
  // readAlerts gives them firing first, worst first, latest first.
  const ordered = alerts.filter((a) => showResolved || a.state !== 'resolved')
  return (
    <section className="pane alerts-pane" aria-labelledby="alerts-heading" hidden={hidden}>
      <div className="pane-header">
        <h2 id="alerts-heading">Alerts</h2>
        <span className={tally.firing > 0 ? 'alert-tally is-bad' : 'alert-tally'} aria-live="polite">
          {tally.summary || 'none'}
        </span>
        <span className="alerts-actions">
          {alerts.some((a) => a.state === 'resolved') && (
            <label>
              <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} /> Show resolved
            </label>
          )}
          {canEdit && <PageAffectedButton />}
        </span>
      </div>
      {alerts.length === 0 ? (
        <PaneState kind="empty" title="No alerts on this incident">
          <p>Alerts from monitoring that are routed to this incident appear here, firing first.</p>
        </PaneState>
      ) : (
        <ul className="alert-list" aria-label="Alerts">
          {ordered.map((a) => (
            <AlertRow key={a.id} alert={a} now={now} />
          ))}
        </ul>
      )}
    </section>
  )
}
