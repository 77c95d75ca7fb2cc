import { useSyncExternalStore } from 'react'
import { formatTimeOfDay } from '../../shared/clock'
import { followAlerts, isActive, readAlerts } from '../../shared/incident-alerts'
import { joinedAfter, pageStanding, readPages } from '../../shared/paging'
import { readPeople } from '../../shared/people'
import { plural } from '../../shared/plural'
import { SERVICE_STATUSES, SERVICE_STATUS_LABELS, removeService, setServiceStatus } from '../../shared/services'
import { isOpen, TASK_STATUS_LABELS } from '../../shared/tasks'
import { useBoard } from '../board/BoardContext'
import { FormError, useAction } from '../common/useAction'
import { PageOwnerButton, PagingKeyForm } from '../alerts/PageButtons'
import { useDocValue, useHostNow, useRoster } from '../sync/hooks'
import { useImpact } from './ImpactProvider'
import '../common/dialog.css'
import '../tasks/tasks.css'
import '../alerts/alerts.css'

/** The selected service: who owns it, what it needs, who needs it, what is being done. */
export const ServiceDetail = ({ id, onSelect, onClose }: { id: string; onSelect: (id: string) => void; onClose: () => void }) => {
  const { connection, canEdit, open } = useBoard()
  const { doc } = connection
  const impact = useImpact()
  const entries = useSyncExternalStore(connection.timeline.subscribe, connection.timeline.all)
  const tasks = useSyncExternalStore(connection.tasks.subscribe, connection.tasks.all)
  const { error, run } = useAction()
  const service = impact.services.get(id)!
  const name = (other: string): string => impact.services.get(other)?.name ?? other
  const needs = impact.dependencies.filter((d) => d.from === id).map((d) => d.to)
  const neededBy = impact.dependencies.filter((d) => d.to === id).map((d) => d.from)
  const causes = impact.model.causesOf(id)
  const history = entries.filter((e) => e.event?.type === 'service.status' && e.links.serviceId === id)
  const linked = tasks.filter((t) => t.serviceIds.includes(id))
  const alerts = useDocValue(doc, readAlerts).filter((a) => a.serviceId === id)
  const active = alerts.filter((a) => isActive(a.state)).length
  const page = useDocValue(doc, readPages).filter((p) => p.serviceId === id).at(-1)
  const people = useDocValue(doc, readPeople)
  const roster = useRoster(connection)
  const now = useHostNow(connection)

  const list = (ids: string[], label: string) =>
    ids.length === 0 ? (
      <p className="muted">{label}: none</p>
    ) : (
      <div>
        <h4>{label}</h4>
        <ul className="service-links">
          {ids.map((other) => (
            <li key={other}>
              <button type="button" className="link-button" onClick={() => onSelect(other)}>
                {name(other)}
              </button>
              <span className={`muted state-word state-word--${impact.model.stateOf(other)}`}> {impact.model.stateOf(other)}</span>
            </li>
          ))}
        </ul>
      </div>
    )

  return (
    <aside className="service-detail" aria-label={`Service: ${service.name}`}>
      <div className="dialog-head">
        <h3>{service.name}</h3>
        <button type="button" className="icon-button" aria-label="Close the service details" onClick={onClose}>
          ✕
        </button>
      </div>
      <p className="muted">
        {service.kind}
        {service.owner && ` · owned by ${service.owner}`}
        {service.tier && ` · ${service.tier}`}
      </p>
      {service.links && (
        <ul className="alert-links" aria-label={`Links for ${service.name}`}>
          {service.links.map((l) => (
            <li key={l.url}>
              <a href={l.url} target="_blank" rel="noopener noreferrer">
                {l.title}
              </a>
            </li>
          ))}
        </ul>
      )}
      {alerts.length > 0 && (
        <p className={active > 0 ? 'impact-cause' : 'muted'}>
          {active > 0 ? `${plural(active, 'alert')} firing` : `${plural(alerts.length, 'alert')}, all over`}
          {service.statusPinned ? ': its status was set by hand and stands.' : ': its status follows them.'}
        </p>
      )}
      {canEdit && service.statusPinned && alerts.length > 0 && (
        <button type="button" onClick={() => run(() => followAlerts(doc, connection.change(), id))}>
          Follow alerts
        </button>
      )}
      {canEdit ? (
        <div className="status-buttons" role="radiogroup" aria-label={`Status of ${service.name}`}>
          {SERVICE_STATUSES.map((status, i) => (
            <button
              key={status}
              type="button"
              role="radio"
              aria-checked={service.status === status}
              className={`status-button status--${status}`}
              title={`Key ${i + 1}`}
              onClick={() => run(() => setServiceStatus(doc, connection.change(), id, status))}
            >
              {SERVICE_STATUS_LABELS[status]}
            </button>
          ))}
        </div>
      ) : (
        <p>{SERVICE_STATUS_LABELS[service.status]}</p>
      )}
      {causes.length > 0 && <p className="impact-cause">Impacted by {causes.map(name).join(', ')}</p>}
      {impact.model.isLikelyOrigin(id) && <p className="origin-flag">⚑ Likely origin: everything it depends on is operational.</p>}
      <FormError message={error} />
      {canEdit && <PageOwnerButton serviceId={id} owner={service.owner} />}
      {canEdit && <PagingKeyForm serviceId={id} pageable={service.pageable === true} />}
      {page && (
        <p className="muted">
          Owner {pageStanding(page, joinedAfter(page, people, (personId) => roster.find((r) => r.id === personId)?.team), now)}
        </p>
      )}
      {list(needs, 'Depends on')}
      {list(neededBy, 'Needed by')}
      <h4>Tasks</h4>
      {linked.length === 0 ? <p className="muted">No task is about this service.</p> : (
        <ul className="service-links">
          {linked.map((t) => (
            <li key={t.id} className={isOpen(t.status) ? undefined : 'muted'}>
              {t.title} — {TASK_STATUS_LABELS[t.status]}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <button type="button" onClick={() => open({ kind: 'task', serviceId: id })}>
          New task about {service.name}
        </button>
      )}
      <h4>Status history</h4>
      {history.length === 0 ? <p className="muted">Operational since the incident began.</p> : (
        <ol className="task-history">
          {history.map((e) => (
            <li key={e.id}>
              <time>{formatTimeOfDay(e.at)}</time> {e.text}
            </li>
          ))}
        </ol>
      )}
      {canEdit && (
        <button type="button" className="danger" onClick={() => run(() => (removeService(doc, connection.change(), id), onClose()))}>
          Remove from the graph
        </button>
      )}
    </aside>
  )
}
