// The incident's lifecycle: when impact began, when it was detected, declared,
// acknowledged, given an IC, mitigated and resolved; the durations between;
// and every severity it held, for how long. The flow sets what it can (the
// declaration, the first IC assignment, status changes, the first alert); the
// IC or the scribe corrects any of it later, with a reason on the timeline.
import type * as Y from 'yjs'
import { formatTimeOfDay } from './clock'
import { type IncidentMeta, MILESTONE_LABELS, readMeta } from './incident'
import { HOST_AUTHOR } from './people'
import { type RoleAssignment, holderOf, readAssignments, readRoles } from './roles'
import { type Change, MILESTONES, type Milestone, type Severity, isSeverity, metaMap } from './schema'
import { elapsedInWords } from './templates'
import { type TimelineEntry, appendEvent } from './timeline'

/** The declaration is the board's own fact; every other milestone can be corrected. */
export const CORRECTABLE: readonly Milestone[] = MILESTONES.filter((m) => m !== 'startedAt')

/** Corrected milestones that may also be cleared (they then fall back to what the flow says). */
const CLEARABLE: ReadonlySet<Milestone> = new Set(['impactStartedAt', 'detectedAt', 'acknowledgedAt', 'icAssignedAt'])

export const MAX_REASON_LENGTH = 300

export class MilestoneError extends Error {}

export interface LifecycleStep {
  milestone: Milestone
  label: string
  /** Host time; absent while it has not happened (or, for impact, nobody said when). */
  at?: number
  /** `recorded`: stored (by the flow or a correction); `derived`: what the flow implies (detected = declared; acknowledged = the IC taking it). */
  source?: 'recorded' | 'derived'
}

/** When someone first took command, from the role history. */
const firstIcAssignment = (assignments: readonly RoleAssignment[]): number | undefined =>
  assignments.filter((a) => a.role === 'incidentCommander' && a.action === 'assign').reduce<number | undefined>((first, a) => (first === undefined || a.at < first ? a.at : first), undefined)

/**
 * Each milestone with its time: stored ones as they are; detected is the
 * declaration unless an earlier time was given (or an alert fired first); the
 * IC assignment is the first one in the role history; acknowledged is when
 * someone took command unless said otherwise.
 */
export const lifecycle = (meta: IncidentMeta, assignments: readonly RoleAssignment[]): LifecycleStep[] => {
  const stored = meta.milestones
  const icAssigned = stored.icAssignedAt ?? firstIcAssignment(assignments)
  const fallback: Partial<Record<Milestone, number>> = { detectedAt: stored.startedAt, icAssignedAt: icAssigned, acknowledgedAt: icAssigned }
  return MILESTONES.map((milestone) => {
    const recorded = stored[milestone]
    const derived = fallback[milestone]
    const label = MILESTONE_LABELS[milestone]
    if (recorded !== undefined) return { milestone, label, at: recorded, source: 'recorded' }
    if (derived !== undefined) return { milestone, label, at: derived, source: 'derived' }
    return { milestone, label }
  })
}

export const readLifecycle = (doc: Y.Doc): LifecycleStep[] => {
  const meta = readMeta(doc)
  return meta ? lifecycle(meta, readAssignments(doc)) : []
}

export const timeOf = (steps: readonly LifecycleStep[], milestone: Milestone): number | undefined => steps.find((s) => s.milestone === milestone)?.at

/** The lifecycle as plain times: what the host keeps per incident for analytics. */
export type LifecycleTimes = Partial<Record<Milestone, number>>

export const lifecycleTimes = (steps: readonly LifecycleStep[]): LifecycleTimes =>
  Object.fromEntries(steps.flatMap((s) => (s.at === undefined ? [] : [[s.milestone, s.at]])))

/** The durations the industry quotes, from detection: to acknowledged (MTTA), mitigated (MTTM), resolved (MTTR); and impact to detection. */
export interface KeyDurations {
  toDetectMs?: number
  toAcknowledgeMs?: number
  toMitigateMs?: number
  toResolveMs?: number
}

export const keyDurations = (times: LifecycleTimes): KeyDurations => {
  const detected = times.detectedAt
  const between = (from: number | undefined, to: number | undefined): number | undefined => (from === undefined || to === undefined ? undefined : Math.max(0, to - from))
  const out: KeyDurations = {}
  const put = (key: keyof KeyDurations, ms: number | undefined): void => {
    if (ms !== undefined) out[key] = ms
  }
  put('toDetectMs', between(times.impactStartedAt, detected))
  put('toAcknowledgeMs', between(detected, times.acknowledgedAt))
  put('toMitigateMs', between(detected, times.mitigatedAt))
  put('toResolveMs', between(detected, times.resolvedAt))
  return out
}

/**
 * Correct (or set) a milestone after the fact, with the reason: "Detected
 * 14:05:00 → 14:02:10 (found in the load balancer logs)". `null` clears one
 * the flow can say on its own. Once someone holds the IC or scribe role, only
 * they may; before that, anyone who can edit.
 */
export const correctMilestone = (doc: Y.Doc, change: Change, milestone: Milestone, at: number | null, reason: string): void => {
  if (!CORRECTABLE.includes(milestone)) throw new MilestoneError(`"${String(milestone)}" cannot be corrected.`)
  const why = reason.trim().replace(/\s+/g, ' ')
  if (why.length === 0) throw new MilestoneError('Say why: a correction needs a reason.')
  if (why.length > MAX_REASON_LENGTH) throw new MilestoneError(`A reason is at most ${MAX_REASON_LENGTH} characters.`)
  if (at === null && !CLEARABLE.has(milestone)) throw new MilestoneError(`${MILESTONE_LABELS[milestone]} cannot be cleared; change the incident's status instead.`)
  if (at !== null && (!Number.isFinite(at) || at < 0)) throw new MilestoneError('Give a valid time.')
  if (at !== null && at > change.at + 60_000) throw new MilestoneError('A milestone cannot be in the future.')
  const meta = readMeta(doc)
  if (!meta) throw new MilestoneError('The incident has not loaded yet.')
  const roles = readRoles(doc)
  const allowed = [holderOf(roles, 'incidentCommander'), holderOf(roles, 'scribe')].filter((id) => id !== undefined)
  if (allowed.length > 0 && change.by !== HOST_AUTHOR && !allowed.includes(change.by)) {
    throw new MilestoneError('Only the incident commander or the scribe corrects milestones.')
  }
  const before = timeOf(lifecycle(meta, readAssignments(doc)), milestone)
  if (before === (at ?? undefined) && meta.milestones[milestone] === (at ?? undefined)) return
  const show = (t: number | undefined | null): string => (t === undefined || t === null ? '—' : formatTimeOfDay(t))
  doc.transact(() => {
    if (at === null) metaMap(doc).delete(milestone)
    else metaMap(doc).set(milestone, at)
    appendEvent(
      doc,
      change,
      { type: 'milestone.set', milestone, at, from: before ?? null, reason: why },
      `${MILESTONE_LABELS[milestone]}: ${show(before)} → ${show(at)} (${why})`,
    )
  })
}

/** One stretch of the incident at one severity. */
export interface SeverityPeriod {
  severity: Severity
  from: number
  /** Absent while it still holds. */
  to?: number
}

/**
 * Every severity the incident held, from the timeline's declaration and
 * severity changes in time order (a re-dated entry moves its change).
 */
export const severityHistory = (entries: readonly TimelineEntry[]): SeverityPeriod[] => {
  const changes = entries
    .flatMap((e) => {
      const to = e.event?.type === 'incident.declared' ? e.event.severity : e.event?.type === 'severity.changed' ? e.event.to : undefined
      return isSeverity(to) ? [{ at: e.at, severity: to, declared: e.event?.type === 'incident.declared' }] : []
    })
    .sort((a, b) => a.at - b.at || Number(b.declared) - Number(a.declared))
  const periods: SeverityPeriod[] = []
  for (const c of changes) {
    const last = periods.at(-1)
    if (last?.severity === c.severity) continue
    if (last) last.to = c.at
    periods.push({ severity: c.severity, from: c.at })
  }
  return periods
}

/** Time spent at each severity up to `end` (the resolution, or now). */
export const timeInSeverity = (periods: readonly SeverityPeriod[], end: number): Partial<Record<Severity, number>> => {
  const out: Partial<Record<Severity, number>> = {}
  for (const p of periods) {
    const ms = Math.max(0, Math.min(p.to ?? end, end) - p.from)
    out[p.severity] = (out[p.severity] ?? 0) + ms
  }
  return out
}

/** "40 s", "14 min", "2 h 5 min" between two milestones. */
export const formatGap = (ms: number): string => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : elapsedInWords(ms))

/** The event types whose entry can mark a milestone reached at that entry's time. */
const MARKING: Partial<Record<Milestone, (event: NonNullable<TimelineEntry['event']>) => boolean>> = {
  startedAt: (e) => e.type === 'incident.declared',
  icAssignedAt: (e) => e.type === 'role.assigned' && e.role === 'incidentCommander',
  acknowledgedAt: (e) => e.type === 'role.assigned' && e.role === 'incidentCommander',
  mitigatedAt: (e) => e.type === 'status.changed',
  resolvedAt: (e) => e.type === 'status.changed' && e.to === 'resolved',
}

/**
 * The timeline's milestone marks: the entry where each milestone was reached
 * (the declaration, the first IC, the status change that mitigated or
 * resolved it) and every correction's own entry. One pass over the entries.
 */
export const milestoneMarks = (steps: readonly LifecycleStep[], entries: readonly TimelineEntry[]): Map<string, Milestone[]> => {
  const marks = new Map<string, Milestone[]>()
  const add = (id: string, milestone: Milestone): void => {
    const list = marks.get(id)
    if (!list) marks.set(id, [milestone])
    else if (!list.includes(milestone)) list.push(milestone)
  }
  const wanted = steps.filter((s) => s.at !== undefined && MARKING[s.milestone])
  for (const entry of entries) {
    const event = entry.event
    if (!event) continue
    if (event.type === 'milestone.set' && typeof event.milestone === 'string' && (MILESTONES as readonly string[]).includes(event.milestone)) add(entry.id, event.milestone as Milestone)
    for (const step of wanted) if (step.at === entry.at && MARKING[step.milestone]!(event)) add(entry.id, step.milestone)
  }
  return marks
}
