// When the next stakeholder update is due, per audience. PagerDuty's guidance:
// the first public post within 5 minutes, a scoping post 5 minutes later, then
// at least every 20 minutes for the first two hours; internal and executive
// summaries about every 30 minutes; a status or severity change makes an
// update due at once. Every figure derives from stored host-clock times.
import * as v from 'valibot'
import type { IncidentStatus, Severity } from './schema'
import { AUDIENCES, type Audience } from './templates'

export type SeverityBand = 'high' | 'medium' | 'low'

/** SEV-1 and SEV-2 are tighter than SEV-3; SEV-4 and SEV-5 looser still. */
export const severityBand = (severity: Severity): SeverityBand =>
  severity === 'SEV-1' || severity === 'SEV-2' ? 'high' : severity === 'SEV-3' ? 'medium' : 'low'

const Minutes = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 60))
const ByBand = v.object({ high: Minutes, medium: Minutes, low: Minutes })

const AudienceCadenceSchema = v.object({
  /** The first update is due this long after the incident started. */
  firstMinutes: Minutes,
  /** After the first update, the next (scoping) one this soon; 0 for none. */
  scopingMinutes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 60)),
  everyMinutes: ByBand,
  /** The slower cadence once the incident is older than `longIncidentAfterMinutes`. */
  longIncidentEveryMinutes: ByBand,
})

export const CadenceSettingsSchema = v.object({
  /** The clock turns amber this close to the due time. */
  warnMinutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60)),
  longIncidentAfterMinutes: Minutes,
  audiences: v.object({ customer: AudienceCadenceSchema, internal: AudienceCadenceSchema, executive: AudienceCadenceSchema }),
})

export type CadenceSettings = v.InferOutput<typeof CadenceSettingsSchema>

export const DEFAULT_CADENCE: CadenceSettings = {
  warnMinutes: 5,
  longIncidentAfterMinutes: 120,
  audiences: {
    customer: { firstMinutes: 5, scopingMinutes: 5, everyMinutes: { high: 20, medium: 30, low: 60 }, longIncidentEveryMinutes: { high: 60, medium: 60, low: 120 } },
    internal: { firstMinutes: 15, scopingMinutes: 0, everyMinutes: { high: 30, medium: 60, low: 120 }, longIncidentEveryMinutes: { high: 60, medium: 120, low: 240 } },
    executive: { firstMinutes: 30, scopingMinutes: 0, everyMinutes: { high: 30, medium: 60, low: 240 }, longIncidentEveryMinutes: { high: 60, medium: 120, low: 480 } },
  },
}

const MINUTE = 60_000

/**
 * The "next update at" promised when an update is published now: none once
 * resolved; the scoping interval after the first; the slower cadence once the
 * incident is long.
 */
export const nextUpdateAt = (
  settings: CadenceSettings,
  audience: Audience,
  input: { severity: Severity; publicStatus: IncidentStatus; startedAt: number; publishedAt: number; earlierUpdates: number },
): number | undefined => {
  if (input.publicStatus === 'resolved') return undefined
  const cadence = settings.audiences[audience]
  const band = severityBand(input.severity)
  const long = input.publishedAt - input.startedAt >= settings.longIncidentAfterMinutes * MINUTE
  const minutes =
    input.earlierUpdates === 0 && cadence.scopingMinutes > 0 ? cadence.scopingMinutes : long ? cadence.longIncidentEveryMinutes[band] : cadence.everyMinutes[band]
  return input.publishedAt + minutes * MINUTE
}

export type CadenceState = 'ok' | 'soon' | 'overdue' | 'done'

export interface CadenceClock {
  audience: Audience
  state: CadenceState
  /** When the next update is due (absent when `done`). */
  dueAt?: number
  /** Why it is due then. */
  reason: 'first' | 'promised' | 'changed' | 'resolved'
  /** What the last update promised, kept and shown even when a change brings the due time forward. */
  promisedAt?: number
  lastPublishedAt?: number
}

export interface CadenceInput {
  severity: Severity
  status: IncidentStatus
  startedAt: number
  /** This audience's published updates. */
  published: ReadonlyArray<{ publishedAt: number; nextUpdateAt?: number; publicStatus: IncidentStatus }>
  /** Times the incident's status or severity changed. */
  changes: readonly number[]
}

export const cadenceClock = (settings: CadenceSettings, audience: Audience, input: CadenceInput, now: number): CadenceClock => {
  const last = input.published.reduce<CadenceInput['published'][number] | undefined>((latest, u) => (!latest || u.publishedAt > latest.publishedAt ? u : latest), undefined)
  const since = last?.publishedAt ?? input.startedAt
  const change = input.changes.filter((at) => at > since).sort((a, b) => a - b)[0]
  const lastPublishedAt = last ? { lastPublishedAt: last.publishedAt } : {}
  if (input.status === 'resolved' && last?.publicStatus === 'resolved' && change === undefined) {
    return { audience, state: 'done', reason: 'resolved', ...lastPublishedAt }
  }
  let dueAt: number
  let reason: CadenceClock['reason']
  if (!last) {
    dueAt = input.startedAt + settings.audiences[audience].firstMinutes * MINUTE
    reason = 'first'
  } else if (last.nextUpdateAt !== undefined) {
    dueAt = last.nextUpdateAt
    reason = 'promised'
  } else {
    // Published as resolved, then reopened: an update is due at the change.
    dueAt = change ?? now
    reason = 'changed'
  }
  if (change !== undefined && change < dueAt) {
    dueAt = change
    reason = 'changed'
  }
  const state: CadenceState = now >= dueAt ? 'overdue' : dueAt - now <= settings.warnMinutes * MINUTE ? 'soon' : 'ok'
  return { audience, state, dueAt, reason, ...(last?.nextUpdateAt !== undefined ? { promisedAt: last.nextUpdateAt } : {}), ...lastPublishedAt }
}

/** Every audience's clock, from all published updates (each carries its audience). */
export const cadenceClocks = (
  settings: CadenceSettings,
  input: Omit<CadenceInput, 'published'> & { published: ReadonlyArray<CadenceInput['published'][number] & { audience: Audience }> },
  now: number,
): CadenceClock[] => AUDIENCES.map((audience) => cadenceClock(settings, audience, { ...input, published: input.published.filter((u) => u.audience === audience) }, now))

/**
 * How many published updates went out on cadence, and how many late: on
 * cadence when its audience's clock, from the updates and changes before it,
 * said it was due no earlier than it went out.
 */
export const tallyUpdates = (
  settings: CadenceSettings,
  published: ReadonlyArray<CadenceInput['published'][number] & { audience: Audience; severity: Severity }>,
  changes: readonly number[],
  startedAt: number,
): { onCadence: number; late: number } => {
  let onCadence = 0
  let late = 0
  for (const update of published) {
    const earlier = published.filter((u) => u.audience === update.audience && u.publishedAt < update.publishedAt)
    const input = { severity: update.severity, status: 'investigating' as const, startedAt, published: earlier, changes: changes.filter((at) => at < update.publishedAt) }
    const clock = cadenceClock(settings, update.audience, input, update.publishedAt)
    if (clock.dueAt === undefined || update.publishedAt <= clock.dueAt) onCadence++
    else late++
  }
  return { onCadence, late }
}
