// Who is on duty: the IC sends people to rest (for N minutes), recalls them
// early, or releases them from the incident; people come back on duty. An
// append-only list of those events, replayed in host-time order, gives each
// person's duty periods, from which every fatigue figure is computed.
import { formatTimeOfDay } from './clock'
import { newId } from './ids'
import { readPeople, requirePerson } from './people'
import { type Change, byTimeThenId, dutyArray, isObject } from './schema'
import { appendEvent } from './timeline'
import type * as Y from 'yjs'

export type DutyEventType = 'rest' | 'recall' | 'return' | 'release'

export interface DutyEvent {
  id: string
  personId: string
  type: DutyEventType
  at: number
  by: string
  /** For a rest: when it ends by itself. */
  until?: number
}

export interface Interval {
  from: number
  to: number
}

export type DutyStatus = 'onDuty' | 'resting' | 'released'

export interface Duty {
  personId: string
  status: DutyStatus
  /** While resting. */
  restingUntil?: number
  /** On-duty periods up to `now`. */
  onDuty: Interval[]
  rests: Interval[]
  /** Times sent to rest (not counting recalls). */
  restCount: number
}

export class DutyError extends Error {}

export const MIN_REST_MINUTES = 5
export const MAX_REST_MINUTES = 24 * 60

/** Why a rest of this many minutes is refused, if it is. */
export const restLengthProblem = (minutes: number): string | undefined =>
  !Number.isFinite(minutes) || minutes < MIN_REST_MINUTES || minutes > MAX_REST_MINUTES
    ? `A rest is between ${MIN_REST_MINUTES} minutes and ${MAX_REST_MINUTES / 60} hours.`
    : undefined

const readEvent = (value: unknown): DutyEvent | undefined => {
  if (!isObject(value)) return undefined
  const { id, personId, type, at, by, until } = value
  if (typeof id !== 'string' || typeof personId !== 'string' || typeof at !== 'number' || !Number.isFinite(at)) return undefined
  if (type !== 'rest' && type !== 'recall' && type !== 'return' && type !== 'release') return undefined
  if (type === 'rest' && (typeof until !== 'number' || !(until > at))) return undefined
  return { id, personId, type, at, by: typeof by === 'string' ? by : '', ...(type === 'rest' ? { until: until as number } : {}) }
}

export const readDutyEvents = (doc: Y.Doc): DutyEvent[] =>
  dutyArray(doc)
    .toArray()
    .map(readEvent)
    .filter((e): e is DutyEvent => e !== undefined)
    .sort(byTimeThenId)

/**
 * One person's duty from joining until `end` (now, or when the incident was
 * resolved). A rest ends at its `until` by itself; recall and return end it
 * early; release ends duty until a return.
 */
export const deriveDuty = (personId: string, joinedAt: number, events: readonly DutyEvent[], end: number): Duty => {
  const onDuty: Interval[] = []
  const rests: Interval[] = []
  let restCount = 0
  let status: DutyStatus = 'onDuty'
  let since = joinedAt
  let restUntil = 0
  /** Close what is open at `at`, first ending a rest whose time is up. */
  const settle = (at: number): void => {
    if (status === 'resting' && restUntil <= at) {
      rests.push({ from: since, to: restUntil })
      status = 'onDuty'
      since = restUntil
    }
  }
  for (const event of events) {
    if (event.personId !== personId || event.at > end) continue
    settle(event.at)
    const at = Math.max(event.at, since)
    if (event.type === 'rest' && status === 'onDuty') {
      onDuty.push({ from: since, to: at })
      status = 'resting'
      since = at
      restUntil = event.until!
      restCount++
    } else if ((event.type === 'recall' || event.type === 'return') && status === 'resting') {
      rests.push({ from: since, to: at })
      status = 'onDuty'
      since = at
    } else if (event.type === 'return' && status === 'released') {
      status = 'onDuty'
      since = at
    } else if (event.type === 'release' && status !== 'released') {
      ;(status === 'resting' ? rests : onDuty).push({ from: since, to: at })
      status = 'released'
      since = at
    }
  }
  settle(end)
  if (status === 'onDuty') onDuty.push({ from: since, to: Math.max(since, end) })
  if (status === 'resting') rests.push({ from: since, to: end })
  return {
    personId,
    status,
    ...(status === 'resting' ? { restingUntil: restUntil } : {}),
    onDuty: onDuty.filter((i) => i.to > i.from),
    rests,
    restCount,
  }
}

/** Everyone's duty on this incident at `now`; nobody is on duty after the incident was resolved. */
export const readDuty = (doc: Y.Doc, now: number, resolvedAt?: number): Map<string, Duty> => {
  const events = readDutyEvents(doc)
  const end = resolvedAt !== undefined ? Math.min(now, resolvedAt) : now
  const duty = new Map<string, Duty>()
  for (const person of readPeople(doc).values()) duty.set(person.id, deriveDuty(person.id, person.joinedAt, events, end))
  return duty
}

export const isResting = (doc: Y.Doc, personId: string, at: number): number | undefined => {
  const person = readPeople(doc).get(personId)
  if (!person) return undefined
  const duty = deriveDuty(personId, person.joinedAt, readDutyEvents(doc), at)
  return duty.status === 'resting' ? duty.restingUntil : undefined
}

const push = (doc: Y.Doc, change: Change, personId: string, type: DutyEventType, until?: number): void => {
  const event: DutyEvent = { id: newId(), personId, type, at: change.at, by: change.by, ...(until !== undefined ? { until } : {}) }
  dutyArray(doc).push([event])
}

const current = (doc: Y.Doc, change: Change, personId: string): Duty => {
  const person = requirePerson(doc, personId)
  return deriveDuty(personId, person.joinedAt, readDutyEvents(doc), change.at)
}

/** The IC sends someone to rest for N minutes; they are back by themselves when it is up. */
export const sendToRest = (doc: Y.Doc, change: Change, personId: string, minutes: number): void => {
  const { name } = requirePerson(doc, personId)
  const problem = restLengthProblem(minutes)
  if (problem) throw new DutyError(problem)
  const duty = current(doc, change, personId)
  if (duty.status !== 'onDuty') throw new DutyError(`${name} is ${duty.status === 'resting' ? 'already resting' : 'released from the incident'}.`)
  const until = change.at + Math.round(minutes * 60_000)
  doc.transact(() => {
    push(doc, change, personId, 'rest', until)
    appendEvent(doc, change, { type: 'duty.rest', personId, until }, `${name} sent to rest until ${formatTimeOfDay(until)}`, { personId })
  })
}

/** End a rest early: the IC calls them back (`recall`), or they are back by themselves (`return`). */
export const endRest = (doc: Y.Doc, change: Change, personId: string, how: 'recall' | 'return'): void => {
  const { name } = requirePerson(doc, personId)
  if (current(doc, change, personId).status !== 'resting') throw new DutyError(`${name} is not resting.`)
  doc.transact(() => {
    push(doc, change, personId, how)
    appendEvent(doc, change, { type: `duty.${how}`, personId }, how === 'recall' ? `${name} recalled from rest` : `${name} back on duty`, { personId })
  })
}

/** "Reduce scope": the person leaves the incident. */
export const releaseFromIncident = (doc: Y.Doc, change: Change, personId: string): void => {
  const { name } = requirePerson(doc, personId)
  if (current(doc, change, personId).status === 'released') throw new DutyError(`${name} is already released.`)
  doc.transact(() => {
    push(doc, change, personId, 'release')
    appendEvent(doc, change, { type: 'duty.release', personId }, `${name} released from the incident`, { personId })
  })
}

/** Bring a released person back onto the incident. */
export const returnToIncident = (doc: Y.Doc, change: Change, personId: string): void => {
  const { name } = requirePerson(doc, personId)
  if (current(doc, change, personId).status !== 'released') throw new DutyError(`${name} has not been released.`)
  doc.transact(() => {
    push(doc, change, personId, 'return')
    appendEvent(doc, change, { type: 'duty.return', personId }, `${name} back on the incident`, { personId })
  })
}

export const sumMs = (intervals: readonly Interval[]): number => intervals.reduce((total, i) => total + (i.to - i.from), 0)

/** The part of `intervals` inside [from, to). */
export const clip = (intervals: readonly Interval[], from: number, to: number): Interval[] =>
  intervals.flatMap((i) => (i.to <= from || i.from >= to ? [] : [{ from: Math.max(i.from, from), to: Math.min(i.to, to) }]))
