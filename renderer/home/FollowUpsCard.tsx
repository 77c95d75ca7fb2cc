import { useEffect, useState } from 'react'
import { formatDay } from '../../shared/clock'
import { FOLLOW_UP_STATE_LABELS, type ListedFollowUp, followUpsCsv } from '../../shared/follow-ups'
import { listFollowUps } from '../app/api'
import { PaneState } from '../common/PaneState'
import { saveFile } from '../common/download'
import { TableHead } from '../common/TableHead'

type Load = { state: 'loading' } | { state: 'ready'; followUps: ListedFollowUp[] } | { state: 'error'; message: string }

/**
 * Follow-ups across every incident, overdue first: the postmortems' promises,
 * kept in sight. Exported as CSV or JSON for a tracker to create tickets from.
 */
export const FollowUpsCard = ({ token }: { token: string }) => {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [showClosed, setShowClosed] = useState(false)
  useEffect(() => {
    listFollowUps(token).then(
      (followUps) => setLoad({ state: 'ready', followUps }),
      (error: unknown) => setLoad({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
    )
  }, [token])
  const all = load.state === 'ready' ? load.followUps : []
  const shown = showClosed ? all : all.filter((f) => f.state === 'open')
  const overdue = all.filter((f) => f.overdue).length
  return (
    <section className="card follow-ups-card" aria-labelledby="follow-ups-card-heading">
      <div className="follow-ups-card-head">
        <h2 id="follow-ups-card-heading">Follow-ups</h2>
        {overdue > 0 && <strong className="overdue-text">{overdue} overdue</strong>}
        <label>
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} /> Show done and won’t do
        </label>
        <button type="button" disabled={all.length === 0} onClick={() => saveFile('follow-ups.csv', followUpsCsv(all), 'text/csv')}>
          Export CSV
        </button>
        <button type="button" disabled={all.length === 0} onClick={() => saveFile('follow-ups.json', `${JSON.stringify({ followUps: all }, null, 2)}\n`, 'application/json')}>
          Export JSON
        </button>
      </div>
      {load.state === 'loading' && <PaneState kind="loading" title="Loading the follow-ups…" />}
      {load.state === 'error' && (
        <PaneState kind="error" title="The follow-ups could not be loaded">
          <p>{load.message}</p>
        </PaneState>
      )}
      {load.state === 'ready' && shown.length === 0 && <PaneState kind="empty" title={all.length === 0 ? 'No follow-ups yet: they are set in each postmortem' : 'Every follow-up is closed'} />}
      {shown.length > 0 && (
        <table className="data-table">
          <TableHead columns={['Due', 'Follow-up', 'Owner', 'Priority', 'State', 'Incident']} />
          <tbody>
            {shown.map((f) => (
              <tr key={`${f.incidentId}/${f.id}`}>
                <td>
                  {f.dueAt === undefined ? '—' : formatDay(f.dueAt)}
                  {f.overdue && <strong className="overdue-text"> overdue</strong>}
                </td>
                <th scope="row">{f.title}</th>
                <td>{f.ownerName}</td>
                <td>{f.priority}</td>
                <td>{FOLLOW_UP_STATE_LABELS[f.state]}</td>
                <td>
                  <a href={`/i/${encodeURIComponent(f.incidentId)}`}>{f.incidentTitle}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
