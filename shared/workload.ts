// Load across incidents: is it always the same people? Per person and
// incident, the on-duty and in-command periods, kept by the host for every
// incident, summed over the last 7 or 30 days.
import type * as Y from 'yjs'
import { type Interval, clip, deriveDuty, readDutyEvents, sumMs } from './duty'
import { readMeta } from './incident'
import { readPeople } from './people'
import { readRoles } from './roles'

/** A period that may still be going on (`to: null`): JSON has no Infinity. */
export interface OpenInterval {
  from: number
  to: number | null
}

export interface PersonOnIncident {
  onDuty: OpenInterval[]
  asCommander: OpenInterval[]
  timesSentToRest: number
}

/** What the host keeps about one incident for the load view and fatigue on other boards. */
export interface IncidentWorkload {
  incidentId: string
  title: string
  people: Record<string, PersonOnIncident>
}

const OPEN_END = Number.MAX_SAFE_INTEGER

const toOpen = (i: Interval): OpenInterval => ({ from: i.from, to: i.to >= OPEN_END ? null : i.to })

/** Close open periods at `now`. */
export const closeAt = (intervals: readonly OpenInterval[], now: number): Interval[] =>
  intervals.map((i) => ({ from: i.from, to: i.to ?? Math.max(i.from, now) })).filter((i) => i.to > i.from)

/** An incident's workload, with periods still going on left open. Duty ends when the incident is resolved. */
export const incidentWorkload = (doc: Y.Doc): IncidentWorkload | undefined => {
  const meta = readMeta(doc)
  if (!meta) return undefined
  const end = meta.milestones.resolvedAt ?? OPEN_END
  const events = readDutyEvents(doc)
  const roles = readRoles(doc)
  const people: Record<string, PersonOnIncident> = {}
  for (const person of readPeople(doc).values()) {
    const duty = deriveDuty(person.id, person.joinedAt, events, end)
    people[person.id] = {
      onDuty: duty.onDuty.map(toOpen),
      asCommander: roles.periods
        .filter((p) => p.role === 'incidentCommander' && p.personId === person.id)
        .map((p) => toOpen({ from: p.from, to: Math.min(p.to ?? OPEN_END, end) })),
      timesSentToRest: duty.restCount,
    }
  }
  return { incidentId: meta.id, title: meta.title, people }
}

/** A person's on-duty periods on every incident but `exceptIncidentId`, closed at `now`. */
export const dutyElsewhere = (workloads: readonly IncidentWorkload[], personId: string, exceptIncidentId: string, now: number): Interval[] =>
  workloads.filter((w) => w.incidentId !== exceptIncidentId).flatMap((w) => closeAt(w.people[personId]?.onDuty ?? [], now))

/** Time inside 22:00–07:00 local, the night shift. */
export const nightMs = (intervals: readonly Interval[], startHour = 22, endHour = 7): number => {
  let total = 0
  for (const { from, to } of intervals) {
    const first = new Date(from)
    // The night that may already be under way at `from` began the evening before.
    const day = new Date(first.getFullYear(), first.getMonth(), first.getDate() - 1)
    while (day.getTime() < to) {
      const nightFrom = new Date(day.getFullYear(), day.getMonth(), day.getDate(), startHour).getTime()
      const nightTo = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1, endHour).getTime()
      total += Math.max(0, Math.min(to, nightTo) - Math.max(from, nightFrom))
      day.setDate(day.getDate() + 1)
    }
  }
  return total
}

export interface PersonLoad {
  personId: string
  onDutyMs: number
  nightMs: number
  incidents: number
  incidentsAsCommander: number
  timesSentToRest: number
}

/** Per person between `since` and `now` (periods still going on end at `now`). */
export const summariseLoadBetween = (workloads: readonly IncidentWorkload[], since: number, now: number): PersonLoad[] => {
  const byPerson = new Map<string, PersonLoad>()
  for (const workload of workloads) {
    for (const [personId, person] of Object.entries(workload.people)) {
      const duty = clip(closeAt(person.onDuty, now), since, now)
      const command = clip(closeAt(person.asCommander, now), since, now)
      if (duty.length === 0 && command.length === 0) continue
      const load = byPerson.get(personId) ?? { personId, onDutyMs: 0, nightMs: 0, incidents: 0, incidentsAsCommander: 0, timesSentToRest: 0 }
      load.onDutyMs += sumMs(duty)
      load.nightMs += nightMs(duty)
      load.incidents += 1
      if (command.length > 0) load.incidentsAsCommander += 1
      load.timesSentToRest += person.timesSentToRest
      byPerson.set(personId, load)
    }
  }
  return [...byPerson.values()].sort((a, b) => b.onDutyMs - a.onDutyMs)
}
