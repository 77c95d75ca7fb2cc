// Analytics across incidents: how fast they are acknowledged, mitigated and
// resolved (median and p90 beside the mean), time at each severity, updates on
// cadence or late, responders per incident and load per person. The host keeps
// each incident's facts (`incidentFacts`, mirrored as the incident changes);
// `analyse` turns them into the figures the API answers and the view shows.
import * as v from 'valibot'
import type * as Y from 'yjs'
import { type CadenceSettings, tallyUpdates } from './cadence'
import { computeImpact } from './impact'
import { readMeta } from './incident'
import { type KeyDurations, keyDurations, lifecycle, lifecycleTimes, severityHistory, timeInSeverity } from './milestones'
import { readPeople } from './people'
import { readAssignments } from './roles'
import { MILESTONES, SEVERITIES, type Severity } from './schema'
import { readDependencies, readServices } from './services'
import { readTimeline } from './timeline'
import { readPublishedUpdates } from './updates'
import { type IncidentWorkload, summariseLoadBetween } from './workload'

const time = v.pipe(v.number(), v.finite())
const count = v.pipe(v.number(), v.integer(), v.minValue(0))

/** What the host keeps about one incident for analytics: facts, not figures (an open incident's figures change by the minute). */
export const IncidentFactsSchema = v.object({
  id: v.string(),
  title: v.string(),
  /** Each milestone as the lifecycle reads it (detected defaults to the declaration, and so on). */
  lifecycle: v.partial(v.object(Object.fromEntries(MILESTONES.map((m) => [m, time])) as Record<(typeof MILESTONES)[number], typeof time>)),
  severities: v.array(v.object({ severity: v.picklist(SEVERITIES), from: time, to: v.optional(time) })),
  /** Services that went down during it, or are down or impacted now (names). */
  services: v.array(v.string()),
  /** Their owners. */
  teams: v.array(v.string()),
  updates: v.object({ onCadence: count, late: count }),
  /** Everyone who joined it, id → name. */
  people: v.record(v.string(), v.string()),
})
export type IncidentFacts = v.InferOutput<typeof IncidentFactsSchema>

/** One incident's facts from its document. */
export const incidentFacts = (doc: Y.Doc, cadence: CadenceSettings): IncidentFacts | undefined => {
  const meta = readMeta(doc)
  if (!meta) return undefined
  const entries = readTimeline(doc)
  const services = readServices(doc)
  const impact = computeImpact(services.values(), readDependencies(doc))
  const wentDown = entries.flatMap((e) => (e.event?.type === 'service.status' && e.event.to !== 'operational' && e.links.serviceId ? [e.links.serviceId] : []))
  const involved = [...new Set([...wentDown, ...impact.down, ...impact.impacted])].flatMap((id) => services.get(id) ?? [])
  const changes = entries.filter((e) => e.event?.type === 'status.changed' || e.event?.type === 'severity.changed').map((e) => e.at)
  const startedAt = meta.milestones.startedAt ?? 0
  const published = readPublishedUpdates(doc).sort((a, b) => a.publishedAt - b.publishedAt)
  return {
    id: meta.id,
    title: meta.title,
    lifecycle: lifecycleTimes(lifecycle(meta, readAssignments(doc))),
    severities: severityHistory(entries),
    services: [...new Set(involved.map((s) => s.name))].sort(),
    teams: [...new Set(involved.flatMap((s) => (s.owner ? [s.owner] : [])))].sort(),
    updates: tallyUpdates(cadence, published, changes, startedAt),
    people: Object.fromEntries([...readPeople(doc).values()].map((p) => [p.id, p.name])),
  }
}

/** `from` and `to` (inclusive, host time) bound when incidents were declared; severity is the highest each reached. */
export interface AnalyticsQuery {
  from?: number
  to?: number
  severity?: Severity
  service?: string
  team?: string
}

/** A query string's time: epoch milliseconds, or an ISO date ("2026-11-01", the day's start in UTC) or date-time. */
const TIME_HINT = 'from and to must be epoch milliseconds or an ISO date such as 2026-11-01'
const queryTime = v.pipe(
  v.string(),
  v.transform((s) => (/^\d{1,15}$/.test(s) ? Number(s) : Date.parse(s))),
  v.number(TIME_HINT),
  v.finite(TIME_HINT),
)
const name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))

/** `GET /api/analytics`'s query string. */
export const AnalyticsQuerySchema = v.object({
  from: v.optional(queryTime),
  to: v.optional(queryTime),
  severity: v.optional(v.picklist(SEVERITIES, `severity must be one of ${SEVERITIES.join(', ')}`)),
  service: v.optional(name),
  team: v.optional(name),
})

/** The highest severity it reached (SEV-1 is the highest). */
export const peakSeverity = (facts: IncidentFacts): Severity | undefined =>
  SEVERITIES.find((s) => facts.severities.some((p) => p.severity === s))

export const matches = (facts: IncidentFacts, query: AnalyticsQuery): boolean => {
  const declared = facts.lifecycle.startedAt ?? 0
  return (
    (query.from === undefined || declared >= query.from) &&
    (query.to === undefined || declared <= query.to) &&
    (query.severity === undefined || peakSeverity(facts) === query.severity) &&
    (query.service === undefined || facts.services.includes(query.service)) &&
    (query.team === undefined || facts.teams.includes(query.team))
  )
}

/** Median, 90th percentile and mean of some durations (ms). */
export const StatSchema = v.object({ n: count, median: time, p90: time, mean: time })
export type Stat = v.InferOutput<typeof StatSchema>

/**
 * The median (the middle value, or the mean of the two middle ones), the 90th
 * percentile by nearest rank (the smallest value with at least 90% of values
 * at or below it) and the mean; null for no values.
 */
export const stat = (values: readonly number[]): Stat | null => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  const middle = Math.floor(n / 2)
  const median = n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  const p90 = sorted[Math.ceil(0.9 * n) - 1]!
  return { n, median, p90, mean: sorted.reduce((a, b) => a + b, 0) / n }
}

const durationsSchema = v.object({ toDetectMs: v.optional(time), toAcknowledgeMs: v.optional(time), toMitigateMs: v.optional(time), toResolveMs: v.optional(time) })
const perSeverity = v.partial(v.object(Object.fromEntries(SEVERITIES.map((s) => [s, time])) as Record<Severity, typeof time>))

export const IncidentAnalyticsSchema = v.object({
  ...IncidentFactsSchema.entries,
  peakSeverity: v.optional(v.picklist(SEVERITIES)),
  durations: durationsSchema,
  timeInSeverityMs: perSeverity,
  responders: count,
})
export type IncidentAnalytics = v.InferOutput<typeof IncidentAnalyticsSchema>

const PersonSchema = v.object({
  personId: v.string(),
  name: v.string(),
  onDutyMs: time,
  nightMs: time,
  incidents: count,
  incidentsAsCommander: count,
  timesSentToRest: count,
})

const nullableStat = v.nullable(StatSchema)

export const AnalyticsSummarySchema = v.object({
  count,
  resolved: count,
  toDetect: nullableStat,
  toAcknowledge: nullableStat,
  toMitigate: nullableStat,
  toResolve: nullableStat,
  /** Summed over the incidents. */
  timeInSeverityMs: perSeverity,
  updates: v.object({ onCadence: count, late: count }),
  responders: nullableStat,
  /** Load per person, most hours first. */
  people: v.array(PersonSchema),
})
export type AnalyticsSummary = v.InferOutput<typeof AnalyticsSummarySchema>

/** `GET /api/analytics`'s answer: each incident's durations and the aggregates, the numbers the view shows. */
export const AnalyticsResponseSchema = v.object({
  generatedAt: time,
  incidents: v.array(IncidentAnalyticsSchema),
  summary: AnalyticsSummarySchema,
  /** Values the filters can take, across every incident (not only those shown). */
  options: v.object({ services: v.array(v.string()), teams: v.array(v.string()) }),
})
export type AnalyticsResponse = v.InferOutput<typeof AnalyticsResponseSchema>

/** One incident's figures at `now`: an open incident's severity time runs to now. */
export const analyseIncident = (facts: IncidentFacts, now: number): IncidentAnalytics => {
  const peak = peakSeverity(facts)
  const durations: KeyDurations = keyDurations(facts.lifecycle)
  return {
    ...facts,
    ...(peak ? { peakSeverity: peak } : {}),
    durations,
    timeInSeverityMs: timeInSeverity(facts.severities, facts.lifecycle.resolvedAt ?? now),
    responders: Object.keys(facts.people).length,
  }
}

const statOf = (incidents: readonly IncidentAnalytics[], key: keyof KeyDurations): Stat | null =>
  stat(incidents.flatMap((i) => (i.durations[key] === undefined ? [] : [i.durations[key]])))

/**
 * The analytics for these incidents' facts, as of `now`; load per person from
 * the same incidents' workloads, between the query's bounds (or the first
 * declaration) and `to` or now. Drills are the caller's to leave out.
 */
export const analyse = (
  all: readonly IncidentFacts[],
  workloads: readonly IncidentWorkload[],
  query: AnalyticsQuery,
  now: number,
  names: ReadonlyMap<string, string> = new Map(),
): AnalyticsResponse => {
  const chosen = all.filter((f) => matches(f, query))
  const incidents = chosen.map((f) => analyseIncident(f, now)).sort((a, b) => (a.lifecycle.startedAt ?? 0) - (b.lifecycle.startedAt ?? 0))
  const ids = new Set(chosen.map((f) => f.id))
  const since = query.from ?? Math.min(now, ...incidents.map((i) => i.lifecycle.startedAt ?? now))
  const until = Math.min(now, query.to ?? now)
  const known = new Map([...names, ...chosen.flatMap((f) => Object.entries(f.people))])
  const timeInSeverityMs: Partial<Record<Severity, number>> = {}
  for (const i of incidents) for (const s of SEVERITIES) if (i.timeInSeverityMs[s] !== undefined) timeInSeverityMs[s] = (timeInSeverityMs[s] ?? 0) + i.timeInSeverityMs[s]
  return {
    generatedAt: now,
    incidents,
    summary: {
      count: incidents.length,
      resolved: incidents.filter((i) => i.lifecycle.resolvedAt !== undefined).length,
      toDetect: statOf(incidents, 'toDetectMs'),
      toAcknowledge: statOf(incidents, 'toAcknowledgeMs'),
      toMitigate: statOf(incidents, 'toMitigateMs'),
      toResolve: statOf(incidents, 'toResolveMs'),
      timeInSeverityMs,
      updates: { onCadence: incidents.reduce((n, i) => n + i.updates.onCadence, 0), late: incidents.reduce((n, i) => n + i.updates.late, 0) },
      responders: stat(incidents.map((i) => i.responders)),
      people: summariseLoadBetween(
        workloads.filter((w) => ids.has(w.incidentId)),
        since,
        until,
      ).map((p) => ({ ...p, name: known.get(p.personId) ?? 'Unknown' })),
    },
    options: {
      services: [...new Set(all.flatMap((f) => f.services))].sort(),
      teams: [...new Set(all.flatMap((f) => f.teams))].sort(),
    },
  }
}
