// Follow-ups: what the postmortem decides must happen, each with one owner, a
// due date, a priority and a state (open, done, won't do). Kept in the
// incident's document (`followUps`), each change on its timeline; the host
// lists them across incidents, overdue first, and exports them for trackers.
import * as v from 'valibot'
import type * as Y from 'yjs'
import { formatDay } from './clock'
import { toCsv } from './csv'
import { newId } from './ids'
import { requirePerson } from './people'
import { type Change, followUpsMap } from './schema'
import { appendEvent } from './timeline'

export const FOLLOW_UP_PRIORITIES = ['high', 'medium', 'low'] as const
export type FollowUpPriority = (typeof FOLLOW_UP_PRIORITIES)[number]
export const FOLLOW_UP_STATES = ['open', 'done', 'wontDo'] as const
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number]

export const FOLLOW_UP_STATE_LABELS: Record<FollowUpState, string> = { open: 'Open', done: 'Done', wontDo: "Won't do" }

export const MAX_FOLLOW_UP_TITLE = 200

/** One follow-up as stored (a plain record per id) and as the host lists it. */
export const FollowUpSchema = v.object({
  id: v.string(),
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_FOLLOW_UP_TITLE)),
  ownerId: v.string(),
  /** Its owner's name when it was last written: lists across incidents need no document. */
  ownerName: v.string(),
  dueAt: v.optional(v.pipe(v.number(), v.finite())),
  priority: v.picklist(FOLLOW_UP_PRIORITIES),
  state: v.picklist(FOLLOW_UP_STATES),
  createdAt: v.pipe(v.number(), v.finite()),
  createdBy: v.string(),
})
export type FollowUp = v.InferOutput<typeof FollowUpSchema>

export class FollowUpError extends Error {}

/** Every follow-up of the incident, oldest first; a malformed record (a peer's bug) is left out. */
export const readFollowUps = (doc: Y.Doc): FollowUp[] =>
  [...followUpsMap(doc).values()].flatMap((value) => {
    const parsed = v.safeParse(FollowUpSchema, value)
    return parsed.success ? [parsed.output] : []
  }).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))

const checkTitle = (title: string): string => {
  const trimmed = title.trim().replace(/\s+/g, ' ')
  if (trimmed === '') throw new FollowUpError('A follow-up needs a title.')
  if (trimmed.length > MAX_FOLLOW_UP_TITLE) throw new FollowUpError(`A title is at most ${MAX_FOLLOW_UP_TITLE} characters.`)
  return trimmed
}

const due = (f: Pick<FollowUp, 'dueAt'>): string => (f.dueAt === undefined ? 'no due date' : `due ${formatDay(f.dueAt)}`)

export const addFollowUp = (doc: Y.Doc, change: Change, fields: { title: string; ownerId: string; dueAt?: number; priority: FollowUpPriority }): string => {
  const owner = requirePerson(doc, fields.ownerId)
  if (!FOLLOW_UP_PRIORITIES.includes(fields.priority)) throw new FollowUpError('Priority must be high, medium or low.')
  if (fields.dueAt !== undefined && !Number.isFinite(fields.dueAt)) throw new FollowUpError('Give a valid due date.')
  const followUp: FollowUp = {
    id: newId(),
    title: checkTitle(fields.title),
    ownerId: owner.id,
    ownerName: owner.name,
    ...(fields.dueAt !== undefined ? { dueAt: fields.dueAt } : {}),
    priority: fields.priority,
    state: 'open',
    createdAt: change.at,
    createdBy: change.by,
  }
  doc.transact(() => {
    followUpsMap(doc).set(followUp.id, followUp)
    appendEvent(doc, change, { type: 'followUp.added', followUpId: followUp.id }, `Follow-up for ${owner.name}: ${followUp.title} (${followUp.priority}, ${due(followUp)})`, { personId: owner.id })
  })
  return followUp.id
}

/** Change its state, owner, due date or priority; one timeline entry says what changed. */
export const updateFollowUp = (doc: Y.Doc, change: Change, id: string, patch: { state?: FollowUpState; ownerId?: string; dueAt?: number | null; priority?: FollowUpPriority }): void => {
  const current = readFollowUps(doc).find((f) => f.id === id)
  if (!current) throw new FollowUpError('There is no such follow-up.')
  const next: FollowUp = { ...current }
  const said: string[] = []
  if (patch.state !== undefined && patch.state !== current.state) {
    if (!FOLLOW_UP_STATES.includes(patch.state)) throw new FollowUpError('State must be open, done or won’t do.')
    next.state = patch.state
    said.push(FOLLOW_UP_STATE_LABELS[patch.state].toLowerCase())
  }
  if (patch.ownerId !== undefined && patch.ownerId !== current.ownerId) {
    const owner = requirePerson(doc, patch.ownerId)
    next.ownerId = owner.id
    next.ownerName = owner.name
    said.push(`now ${owner.name}'s`)
  }
  if (patch.dueAt !== undefined && patch.dueAt !== (current.dueAt ?? null)) {
    if (patch.dueAt === null) delete next.dueAt
    else if (Number.isFinite(patch.dueAt)) next.dueAt = patch.dueAt
    else throw new FollowUpError('Give a valid due date.')
    said.push(due(next))
  }
  if (patch.priority !== undefined && patch.priority !== current.priority) {
    if (!FOLLOW_UP_PRIORITIES.includes(patch.priority)) throw new FollowUpError('Priority must be high, medium or low.')
    next.priority = patch.priority
    said.push(`${patch.priority} priority`)
  }
  if (said.length === 0) return
  doc.transact(() => {
    followUpsMap(doc).set(id, next)
    appendEvent(doc, change, { type: 'followUp.changed', followUpId: id }, `Follow-up “${current.title}”: ${said.join(', ')}`, { personId: next.ownerId })
  })
}

export const isOverdue = (f: FollowUp, now: number): boolean => f.state === 'open' && f.dueAt !== undefined && f.dueAt < now

const RANK: Record<FollowUpPriority, number> = { high: 0, medium: 1, low: 2 }

/** For a list: overdue first (the longest overdue on top), then open ones by due date (none last), then the closed. */
export const orderFollowUps = <T extends FollowUp>(list: readonly T[], now: number): T[] => {
  const group = (f: T): number => (isOverdue(f, now) ? 0 : f.state === 'open' ? 1 : 2)
  return [...list].sort((a, b) => group(a) - group(b) || (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || RANK[a.priority] - RANK[b.priority] || a.createdAt - b.createdAt)
}

/** A follow-up as the host lists it across incidents (`GET /api/follow-ups`). */
export const ListedFollowUpSchema = v.object({ ...FollowUpSchema.entries, incidentId: v.string(), incidentTitle: v.string(), overdue: v.boolean() })
export type ListedFollowUp = v.InferOutput<typeof ListedFollowUpSchema>
export const FollowUpListSchema = v.object({ followUps: v.array(ListedFollowUpSchema) })

/** The list as CSV, for a tracker's import: dates as ISO days. */
export const followUpsCsv = (list: readonly ListedFollowUp[]): string =>
  toCsv(
    ['incident_id', 'incident', 'title', 'owner', 'due', 'priority', 'state', 'overdue', 'follow_up_id'],
    list.map((f) => [f.incidentId, f.incidentTitle, f.title, f.ownerName, f.dueAt === undefined ? '' : new Date(f.dueAt).toISOString().slice(0, 10), f.priority, f.state, f.overdue ? 'yes' : 'no', f.id]),
  )
