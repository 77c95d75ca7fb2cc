import * as Plot from '@observablehq/plot'
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import type { AnalyticsQuery, AnalyticsResponse, IncidentAnalytics, Stat } from '../../shared/analytics'
import { formatDay, formatTimeOfDay, localDayBound } from '../../shared/clock'
import { type CsvCell, toCsv } from '../../shared/csv'
import { formatGap } from '../../shared/milestones'
import { PALETTE } from '../../shared/palette'
import { SEVERITIES, type Severity } from '../../shared/schema'
import { fetchAnalytics } from '../app/api'
import { PaneState } from '../common/PaneState'
import { saveFile } from '../common/download'
import { Chart } from './Chart'
import './analytics.css'
import { TableHead } from '../common/TableHead'

/** The board's palette (tokens.css holds the same), as Plot needs values, not CSS variables. */
const SEVERITY_COLORS: Record<Severity, string> = { 'SEV-1': PALETTE.sev1, 'SEV-2': PALETTE.sev2, 'SEV-3': PALETTE.sev3, 'SEV-4': PALETTE.sev4, 'SEV-5': PALETTE.sev5 }
const ACCENT = PALETTE.accent
const NIGHT = PALETTE['chart-night']
const LATE = PALETTE.danger

const minutes = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.round(ms / 6_000) / 10)
const hours = (ms: number): number => Math.round(ms / 360_000) / 10
const when = (at: number | undefined): string => (at === undefined ? '' : `${formatDay(at)} ${formatTimeOfDay(at)}`)
const gap = (ms: number | undefined): string => (ms === undefined ? '—' : ms === 0 ? '0 min' : formatGap(ms))
const replayHref = (id: string): string => `/replay/${encodeURIComponent(id)}`

/** A table's CSV, saved under the filter's name. */
const CsvButton = ({ name, header, rows }: { name: string; header: string[]; rows: CsvCell[][] }) => (
  <button type="button" onClick={() => saveFile(`${name}.csv`, toCsv(header, rows), 'text/csv')}>
    Export CSV
  </button>
)

/** A chart and its table, side by side where there is room; `wide`: a table of many columns, always under its chart. */
const Figure = ({ title, chart, children, csv, wide }: { title: string; chart: ReactNode; children: ReactNode; csv: ReactNode; wide?: boolean }) => (
  <section className="analytics-figure" aria-label={title}>
    <div className="analytics-figure-head">
      <h3>{title}</h3>
      {csv}
    </div>
    <div className={wide ? 'analytics-figure-body analytics-figure-body--wide' : 'analytics-figure-body'}>
      {chart}
      <div className="analytics-table">{children}</div>
    </div>
  </section>
)

const STAT_ROWS: Array<{ key: 'toAcknowledge' | 'toMitigate' | 'toResolve' | 'toDetect'; label: string }> = [
  { key: 'toAcknowledge', label: 'Time to acknowledge (MTTA)' },
  { key: 'toMitigate', label: 'Time to mitigate (MTTM)' },
  { key: 'toResolve', label: 'Time to resolve (MTTR)' },
  { key: 'toDetect', label: 'Impact to detection' },
]

const statCells = (s: Stat | null): string[] => (s ? [gap(s.median), gap(s.p90), gap(s.mean), String(s.n)] : ['—', '—', '—', '0'])

/** Median and p90 first: a few long incidents pull the mean far from what is usual. */
const Durations = ({ data }: { data: AnalyticsResponse }) => (
  <section className="analytics-figure" aria-label="Durations">
    <div className="analytics-figure-head">
      <h3>Durations, from detection</h3>
      <CsvButton
        name="analytics-durations"
        header={['measure', 'median_min', 'p90_min', 'mean_min', 'incidents']}
        rows={STAT_ROWS.map(({ key, label }) => {
          const s = data.summary[key]
          return [label, minutes(s?.median), minutes(s?.p90), minutes(s?.mean), s?.n ?? 0]
        })}
      />
    </div>
    <table className="data-table">
      <TableHead columns={['Measure', 'Median', 'p90', 'Mean', 'Incidents']} />
      <tbody>
        {STAT_ROWS.map(({ key, label }) => (
          <tr key={key}>
            <th scope="row">{label}</th>
            {statCells(data.summary[key]).map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
    <p className="muted">
      Median: the middle value. p90: nine in ten took this long or less (nearest rank). Mean: the average. Detection is the declaration unless an earlier time was
      given or an alert fired first.
    </p>
  </section>
)

/** Each incident as a dot: when it was declared, how long it took to resolve (or to now), its severity; a click opens its replay. */
const IncidentsFigure = ({ incidents, now }: { incidents: IncidentAnalytics[]; now: number }) => {
  const points = useMemo(
    () =>
      incidents.map((i) => ({
        id: i.id,
        declared: new Date(i.lifecycle.startedAt ?? now),
        minutes: minutes(i.durations.toResolveMs ?? now - (i.lifecycle.detectedAt ?? i.lifecycle.startedAt ?? now)) ?? 0,
        severity: i.peakSeverity ?? 'SEV-3',
        label: `${i.title} (${i.peakSeverity ?? ''}): ${i.durations.toResolveMs === undefined ? 'still open' : `resolved in ${gap(i.durations.toResolveMs)}`}`,
      })),
    [incidents, now],
  )
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      height: 260,
      marginLeft: 56,
      x: { type: 'time', label: 'Declared' },
      y: { label: 'Minutes to resolve', grid: true, zero: true },
      color: { domain: [...SEVERITIES], range: SEVERITIES.map((s) => SEVERITY_COLORS[s]), legend: true },
      marks: [Plot.dot(points, { x: 'declared', y: 'minutes', fill: 'severity', r: 6, stroke: '#0b0f14', title: 'label', href: (d: { id: string }) => replayHref(d.id) })],
    }),
    [points],
  )
  const rows = incidents.map((i) => [
    when(i.lifecycle.startedAt),
    i.title,
    i.peakSeverity,
    minutes(i.durations.toAcknowledgeMs),
    minutes(i.durations.toMitigateMs),
    minutes(i.durations.toResolveMs),
    i.responders,
    i.updates.onCadence,
    i.updates.late,
  ])
  return (
    <Figure
      wide
      title="Incidents"
      chart={<Chart options={options} label="Minutes to resolve for each incident by when it was declared; each dot opens its replay" />}
      csv={<CsvButton name="analytics-incidents" header={['declared', 'title', 'peak_severity', 'to_acknowledge_min', 'to_mitigate_min', 'to_resolve_min', 'responders', 'updates_on_cadence', 'updates_late']} rows={rows} />}
    >
      <table className="data-table">
        <TableHead columns={['Declared', 'Incident', 'Severity', 'Ack', 'Mitigated', 'Resolved', 'Responders']} />
        <tbody>
          {incidents.map((i) => (
            <tr key={i.id}>
              <td>{when(i.lifecycle.startedAt)}</td>
              <th scope="row">
                <a href={replayHref(i.id)}>{i.title}</a>
              </th>
              <td>{i.peakSeverity}</td>
              <td>{gap(i.durations.toAcknowledgeMs)}</td>
              <td>{gap(i.durations.toMitigateMs)}</td>
              <td>{i.durations.toResolveMs === undefined ? 'open' : gap(i.durations.toResolveMs)}</td>
              <td>{i.responders}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Figure>
  )
}

const SeverityFigure = ({ data }: { data: AnalyticsResponse }) => {
  const spent = data.summary.timeInSeverityMs
  const held = useMemo(() => SEVERITIES.filter((s) => spent[s] !== undefined).map((s) => ({ severity: s, hours: hours(spent[s] ?? 0) })), [spent])
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      height: 40 + held.length * 36,
      marginLeft: 64,
      x: { label: 'Hours', grid: true },
      y: { label: null, domain: held.map((h) => h.severity) },
      marks: [Plot.barX(held, { x: 'hours', y: 'severity', fill: (d: { severity: Severity }) => SEVERITY_COLORS[d.severity], title: (d: { severity: string; hours: number }) => `${d.severity}: ${d.hours} h` }), Plot.ruleX([0], { ariaHidden: 'true' })],
    }),
    [held],
  )
  return (
    <Figure
      title="Time in each severity"
      chart={<Chart options={options} label="Hours spent at each severity, all incidents shown" />}
      csv={<CsvButton name="analytics-severity" header={['severity', 'hours']} rows={held.map((h) => [h.severity, h.hours])} />}
    >
      <table className="data-table">
        <TableHead columns={['Severity', 'Time']} />
        <tbody>
          {held.map((h) => (
            <tr key={h.severity}>
              <th scope="row">{h.severity}</th>
              <td>{gap(data.summary.timeInSeverityMs[h.severity])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Figure>
  )
}

const UpdatesFigure = ({ data }: { data: AnalyticsResponse }) => {
  const { onCadence, late } = data.summary.updates
  const total = onCadence + late
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      height: 110,
      marginLeft: 90,
      x: { label: 'Stakeholder updates', grid: true },
      y: { label: null },
      marks: [
        Plot.barX(
          [
            { what: 'On cadence', count: onCadence },
            { what: 'Late', count: late },
          ],
          { x: 'count', y: 'what', fill: (d: { what: string }) => (d.what === 'Late' ? LATE : ACCENT) },
        ),
        Plot.ruleX([0], { ariaHidden: 'true' }),
      ],
    }),
    [onCadence, late],
  )
  return (
    <Figure
      title="Stakeholder updates"
      chart={total === 0 ? <p className="muted">No stakeholder update was published.</p> : <Chart options={options} label={`Updates: ${onCadence} on cadence, ${late} late`} />}
      csv={<CsvButton name="analytics-updates" header={['on_cadence', 'late']} rows={[[onCadence, late]]} />}
    >
      <table className="data-table">
        <tbody>
          <tr>
            <th scope="row">On cadence</th>
            <td>
              {onCadence}
              {total > 0 && ` (${Math.round((100 * onCadence) / total)}%)`}
            </td>
          </tr>
          <tr>
            <th scope="row">Late</th>
            <td>{late}</td>
          </tr>
          <tr>
            <th scope="row">Responders per incident</th>
            <td>{data.summary.responders ? `median ${data.summary.responders.median}, p90 ${data.summary.responders.p90}, mean ${data.summary.responders.mean.toFixed(1)}` : '—'}</td>
          </tr>
        </tbody>
      </table>
    </Figure>
  )
}

/** Is it always the same people? Hours on incidents per person, the night part apart. */
const LoadFigure = ({ data }: { data: AnalyticsResponse }) => {
  const people = data.summary.people
  const options = useMemo<Plot.PlotOptions>(() => {
    const bars = people.flatMap((p) => [
      { name: p.name, part: 'Day', hours: hours(p.onDutyMs - p.nightMs) },
      { name: p.name, part: 'Night (22:00–07:00)', hours: hours(p.nightMs) },
    ])
    return {
      height: 50 + people.length * 30,
      marginLeft: 160,
      x: { label: 'Hours on incidents', grid: true },
      y: { label: null, domain: people.map((p) => p.name) },
      color: { domain: ['Day', 'Night (22:00–07:00)'], range: [ACCENT, NIGHT], legend: true },
      marks: [Plot.barX(bars, { x: 'hours', y: 'name', fill: 'part', title: (d: { name: string; part: string; hours: number }) => `${d.name}, ${d.part}: ${d.hours} h` }), Plot.ruleX([0], { ariaHidden: 'true' })],
    }
  }, [people])
  return (
    <Figure
      title="Load per person"
      chart={<Chart options={options} label="Hours on incidents per person, day and night" />}
      csv={
        <CsvButton
          name="analytics-load"
          header={['person', 'hours', 'night_hours', 'incidents', 'incidents_as_ic', 'times_sent_to_rest']}
          rows={people.map((p) => [p.name, hours(p.onDutyMs), hours(p.nightMs), p.incidents, p.incidentsAsCommander, p.timesSentToRest])}
        />
      }
    >
      <table className="data-table">
        <TableHead columns={['Person', 'Hours', 'At night', 'Incidents', 'As IC', 'Sent to rest']} />
        <tbody>
          {people.map((p) => (
            <tr key={p.personId}>
              <th scope="row">{p.name}</th>
              <td>{gap(p.onDutyMs)}</td>
              <td>{gap(p.nightMs)}</td>
              <td>{p.incidents}</td>
              <td>{p.incidentsAsCommander}</td>
              <td>{p.timesSentToRest}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Figure>
  )
}

interface Filters {
  from: string
  to: string
  severity: string
  service: string
  team: string
}

const toQuery = (f: Filters): AnalyticsQuery => {
  const from = localDayBound(f.from)
  const to = localDayBound(f.to, true)
  const severity = SEVERITIES.find((s) => s === f.severity)
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(severity ? { severity } : {}), ...(f.service ? { service: f.service } : {}), ...(f.team ? { team: f.team } : {}) }
}

type Load = { state: 'loading' } | { state: 'ready'; data: AnalyticsResponse } | { state: 'error'; message: string }

/**
 * The start page's analytics across incidents (drills never count): durations
 * as median, p90 and mean, time at each severity, updates on cadence, and load
 * per person, filtered by dates, severity, service and team. Every chart has
 * its table and a CSV; a point on the incidents chart opens that incident's replay.
 */
export const AnalyticsView = ({ token }: { token: string }) => {
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', severity: '', service: '', team: '' })
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [options, setOptions] = useState<AnalyticsResponse['options']>({ services: [], teams: [] })
  const query = JSON.stringify(toQuery(filters))
  useEffect(() => {
    let current = true
    setLoad((l) => (l.state === 'ready' ? l : { state: 'loading' }))
    fetchAnalytics(token, JSON.parse(query) as AnalyticsQuery).then(
      (data) => {
        if (!current) return
        setLoad({ state: 'ready', data })
        setOptions(data.options)
      },
      (error: unknown) => current && setLoad({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
    )
    return () => {
      current = false
    }
  }, [token, query])
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }))
  return (
    <section className="card analytics" aria-labelledby="analytics-heading">
      <h2 id="analytics-heading">Analytics</h2>
      <form className="analytics-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={filters.from} onChange={set('from')} />
        </label>
        <label>
          To
          <input type="date" value={filters.to} onChange={set('to')} />
        </label>
        <label>
          Severity
          <select value={filters.severity} onChange={set('severity')}>
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Service
          <select value={filters.service} onChange={set('service')}>
            <option value="">Any</option>
            {options.services.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Team
          <select value={filters.team} onChange={set('team')}>
            <option value="">Any</option>
            {options.teams.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
      </form>
      {load.state === 'loading' && <PaneState kind="loading" title="Loading the analytics…" />}
      {load.state === 'error' && (
        <PaneState kind="error" title="The analytics could not be loaded">
          <p>{load.message}</p>
        </PaneState>
      )}
      {load.state === 'ready' &&
        (load.data.summary.count === 0 ? (
          <PaneState kind="empty" title="No incidents match these filters" />
        ) : (
          <>
            <p className="analytics-count" role="status">
              {load.data.summary.count} incident{load.data.summary.count === 1 ? '' : 's'}, {load.data.summary.resolved} resolved
            </p>
            <Durations data={load.data} />
            <IncidentsFigure incidents={load.data.incidents} now={load.data.generatedAt} />
            <SeverityFigure data={load.data} />
            <UpdatesFigure data={load.data} />
            <LoadFigure data={load.data} />
          </>
        ))}
    </section>
  )
}

