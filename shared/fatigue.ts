// Fatigue: who is fresh, who is due a break, who is overdue. PagerDuty's
// guidance (the IC hands over every hour or so, three hours at the most) and
// wildland-fire practice (a 2:1 work-to-rest ratio over a day), as thresholds
// the host can change. Every figure comes from stored host-clock times.
import * as v from 'valibot'
import { type Duty, type Interval, clip, sumMs } from './duty'
import type { RolePeriod } from './roles'

export const FatigueSettingsSchema = v.object({
  /** The IC is due to hand over after this long in command… */
  icHandOverDueMinutes: v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(24 * 60)),
  /** …and overdue after this long. */
  icHandOverOverdueMinutes: v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(24 * 60)),
  /** Anyone is due a break after this long without one… */
  breakDueMinutes: v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(24 * 60)),
  /** …and overdue after this long. */
  breakOverdueMinutes: v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(24 * 60)),
  /** Work : rest over any 24 hours (2 means at most 16 h of work a day). */
  workRestRatio: v.pipe(v.number(), v.minValue(0.5), v.maxValue(23)),
  /** Marks (hours into the incident) at which the IC is prompted about food and the next shift. */
  longIncidentMarksHours: v.pipe(v.array(v.pipe(v.number(), v.minValue(0.5), v.maxValue(24 * 14))), v.maxLength(10)),
})

export type FatigueSettings = v.InferOutput<typeof FatigueSettingsSchema>

export const DEFAULT_FATIGUE_SETTINGS: FatigueSettings = {
  icHandOverDueMinutes: 60,
  icHandOverOverdueMinutes: 180,
  breakDueMinutes: 90,
  breakOverdueMinutes: 150,
  workRestRatio: 2,
  longIncidentMarksHours: [3, 6],
}

export type FatigueLevel = 'fresh' | 'due' | 'overdue' | 'resting' | 'released'

export interface Fatigue {
  personId: string
  level: FatigueLevel
  /** Why, in words: "3 h 05 as IC". Empty when fresh, resting or released. */
  reasons: string[]
  restingUntil?: number
  /** On duty on this incident, in total. */
  onIncidentMs: number
  /** On duty since the last break (or since joining). */
  sinceBreakMs: number
  /** In the role held now, if any. */
  inRoleMs?: number
  /** On duty on any incident in the last 24 hours and 7 days. */
  last24hMs: number
  last7dMs: number
}

const HOUR = 3_600_000
const MINUTE = 60_000

/** "3 h 05", or "42 min" under an hour. */
export const formatDuration = (ms: number): string => {
  const minutes = Math.floor(ms / MINUTE)
  const hours = Math.floor(minutes / 60)
  return hours > 0 ? `${hours} h ${String(minutes % 60).padStart(2, '0')}` : `${minutes} min`
}

export interface FatigueInput {
  duty: Duty
  /** The role periods of this person on this incident. */
  rolePeriods: readonly RolePeriod[]
  /** On-duty periods on the host's other incidents. */
  otherIncidents: readonly Interval[]
  now: number
  settings: FatigueSettings
}

export const assessFatigue = ({ duty, rolePeriods, otherIncidents, now, settings }: FatigueInput): Fatigue => {
  const onIncidentMs = sumMs(duty.onDuty)
  const lastPeriod = duty.status === 'onDuty' ? duty.onDuty.at(-1) : undefined
  const sinceBreakMs = lastPeriod ? now - lastPeriod.from : 0
  const currentRole = rolePeriods.find((p) => p.to === undefined)
  // A role given a moment "in the future" by a client whose clock estimate is ahead reads as 0, never negative.
  const inRoleMs = currentRole ? Math.max(0, now - Math.max(currentRole.from, lastPeriod?.from ?? currentRole.from)) : undefined
  const all = [...duty.onDuty, ...otherIncidents]
  const last24hMs = sumMs(clip(all, now - 24 * HOUR, now))
  const last7dMs = sumMs(clip(all, now - 7 * 24 * HOUR, now))
  const base = { personId: duty.personId, onIncidentMs, sinceBreakMs, ...(inRoleMs !== undefined ? { inRoleMs } : {}), last24hMs, last7dMs }

  if (duty.status === 'released') return { ...base, level: 'released', reasons: [] }
  if (duty.status === 'resting') return { ...base, level: 'resting', reasons: [], ...(duty.restingUntil ? { restingUntil: duty.restingUntil } : {}) }

  const overdue: string[] = []
  const due: string[] = []
  if (currentRole?.role === 'incidentCommander' && inRoleMs !== undefined) {
    if (inRoleMs >= settings.icHandOverOverdueMinutes * MINUTE) overdue.push(`${formatDuration(inRoleMs)} as IC: hand over command`)
    else if (inRoleMs >= settings.icHandOverDueMinutes * MINUTE) due.push(`${formatDuration(inRoleMs)} as IC: hand-over due`)
  }
  if (sinceBreakMs >= settings.breakOverdueMinutes * MINUTE) overdue.push(`${formatDuration(sinceBreakMs)} without a break`)
  else if (sinceBreakMs >= settings.breakDueMinutes * MINUTE) due.push(`${formatDuration(sinceBreakMs)} without a break`)
  // A 2:1 ratio allows 16 of any 24 hours on duty; warn two hours before that.
  const dayBudgetMs = (24 * HOUR * settings.workRestRatio) / (settings.workRestRatio + 1)
  if (last24hMs >= dayBudgetMs) overdue.push(`${formatDuration(last24hMs)} on duty in 24 h`)
  else if (last24hMs >= dayBudgetMs - 2 * HOUR) due.push(`${formatDuration(last24hMs)} on duty in 24 h`)

  if (overdue.length > 0) return { ...base, level: 'overdue', reasons: [...overdue, ...due] }
  if (due.length > 0) return { ...base, level: 'due', reasons: due }
  return { ...base, level: 'fresh', reasons: [] }
}

/** Long incidents: the marks passed so far, for "arrange food" and "plan the next shift". */
export const longIncidentMarksPassed = (startedAt: number, now: number, settings: FatigueSettings): number[] =>
  settings.longIncidentMarksHours.filter((h) => now - startedAt >= h * HOUR).sort((a, b) => a - b)

