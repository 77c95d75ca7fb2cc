import { useEffect, useState } from 'react'
import { formatDuration } from '../../shared/fatigue'
import { type PersonLoad, summariseLoad } from '../../shared/workload'
import type { IncidentWorkload } from '../../shared/workload'
import { type RosterPerson, fetchWorkloads, listRoster } from '../app/api'
import { PaneState } from '../common/PaneState'
import '../people/people.css'

const WINDOWS = [7, 30] as const

interface LoadData {
  workloads: IncidentWorkload[]
  /** For names: person ids are roster ids. */
  roster: RosterPerson[]
}

const fetchLoad = async (token: string): Promise<LoadData> => {
  const [workloads, roster] = await Promise.all([fetchWorkloads(token), listRoster(token)])
  return { workloads, roster }
}
const BAR_HEIGHT = 26

/** Hours per person as bars, the night part (22:00–07:00) darker: is it always the same people? */
const LoadChart = ({ rows, names }: { rows: PersonLoad[]; names: Map<string, string> }) => {
  const max = Math.max(1, ...rows.map((r) => r.onDutyMs))
  const width = 640
  const label = 180
  return (
    <svg
      className="load-chart"
      viewBox={`0 0 ${width} ${rows.length * BAR_HEIGHT + 4}`}
      role="img"
      aria-label={`Hours on incidents per person: ${rows.map((r) => `${names.get(r.personId) ?? r.personId} ${formatDuration(r.onDutyMs)}`).join(', ')}`}
    >
      {rows.map((r, i) => {
        const y = i * BAR_HEIGHT + 2
        const w = ((width - label - 80) * r.onDutyMs) / max
        const night = ((width - label - 80) * r.nightMs) / max
        return (
          <g key={r.personId}>
            <text x={label - 8} y={y + 17} textAnchor="end" className="load-name">
              {names.get(r.personId) ?? r.personId}
            </text>
            <rect x={label} y={y + 3} width={Math.max(2, w)} height={BAR_HEIGHT - 8} className="load-bar" />
            <rect x={label} y={y + 3} width={night} height={BAR_HEIGHT - 8} className="load-bar--night" />
            <text x={label + Math.max(2, w) + 6} y={y + 17} className="load-value">
              {formatDuration(r.onDutyMs)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

/** For the IC or a manager: load per person across every incident on this host. */
export const LoadView = ({ token }: { token: string }) => {
  const [days, setDays] = useState<(typeof WINDOWS)[number]>(7)
  const [data, setData] = useState<LoadData>()
  const [error, setError] = useState<string>()
  useEffect(() => {
    fetchLoad(token).then(setData, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  }, [token])
  if (error) return <PaneState kind="error" title="The load across incidents could not be loaded"><p>{error}</p></PaneState>
  if (!data) return <PaneState kind="loading" title="Loading the load across incidents…" />
  const rows = summariseLoad(data.workloads, Date.now(), days)
  const names = new Map(data.roster.map((p) => [p.id, p.name]))
  return (
    <section className="card load" aria-labelledby="load-heading">
      <div className="load-head">
        <h2 id="load-heading">Load across incidents</h2>
        <div role="group" aria-label="Period">
          {WINDOWS.map((d) => (
            <button key={d} type="button" aria-pressed={days === d} onClick={() => setDays(d)}>
              Last {d} days
            </button>
          ))}
        </div>
      </div>
      {rows.length === 0 ? (
        <PaneState kind="empty" title={`Nobody was on an incident in the last ${days} days`} />
      ) : (
        <>
          <LoadChart rows={rows} names={names} />
          <p className="muted">Bars: hours on incidents; the darker part is at night (22:00–07:00).</p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Incident hours</th>
                <th scope="col">At night</th>
                <th scope="col">Incidents</th>
                <th scope="col">As IC</th>
                <th scope="col">Sent to rest</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.personId}>
                  <th scope="row">{names.get(r.personId) ?? r.personId}</th>
                  <td>{formatDuration(r.onDutyMs)}</td>
                  <td>{formatDuration(r.nightMs)}</td>
                  <td>{r.incidents}</td>
                  <td>{r.incidentsAsCommander}</td>
                  <td>{r.timesSentToRest}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
