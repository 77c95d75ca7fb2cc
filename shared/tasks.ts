// Tasks: one named owner each, a status, and a check-back time the board
// counts down ("report back in 10 minutes"). Each task keeps the list of what
// happened to it; its status, owner and check-back are derived from that list
// in host-time order, skipping anything invalid at its point in that order, so
// two people changing a task at once end with the same task on every screen.
import * as Y from 'yjs'
import { newId } from './ids'
import { readPeople, requirePerson } from './people'
import { type Change, byTimeThenId, isObject, tasksMap } from './schema'
import { isSubTeamName } from './subteams'
import { formatTimeOfDay } from './clock'
import { isResting } from './duty'
import { applyTextChange } from './text'
import { MAX_ENTRY_LENGTH, appendEvent, addEntry } from './timeline'

export const TASK_STATUSES = ['assigned', 'acknowledged', 'inProgress', 'blocked', 'done', 'cancelled'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  assigned: 'Assigned',
  acknowledged: 'Acknowledged',
  inProgress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
  cancelled: 'Cancelled',
}

/** Where a task may go next. Done and cancelled are final until someone reopens the task. */
const NEXT: Record<TaskStatus, readonly TaskStatus[]> = {
  assigned: ['acknowledged', 'inProgress', 'blocked', 'done', 'cancelled'],
  acknowledged: ['inProgress', 'blocked', 'done', 'cancelled'],
  inProgress: ['blocked', 'done', 'cancelled'],
  blocked: ['inProgress', 'done', 'cancelled'],
  done: [],
  cancelled: [],
}

export const canTransition = (from: TaskStatus, to: TaskStatus): boolean => NEXT[from].includes(to)

export const isOpen = (status: TaskStatus): boolean => status !== 'done' && status !== 'cancelled'

export const isTaskStatus = (value: unknown): value is TaskStatus =>
  typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value)

export type TaskEvent =
  | { id: string; at: number; by: string; type: 'created'; ownerId: string; checkBackAt?: number; highPriority?: boolean }
  | { id: string; at: number; by: string; type: 'status'; to: TaskStatus; reason?: string }
  | { id: string; at: number; by: string; type: 'owner'; ownerId: string }
  | { id: string; at: number; by: string; type: 'checkBack'; checkBackAt: number | null }
  | { id: string; at: number; by: string; type: 'report'; entryId: string }
  | { id: string; at: number; by: string; type: 'reopen' }
  | { id: string; at: number; by: string; type: 'priority'; highPriority: boolean }

export interface Task {
  id: string
  title: string
  details: string
  ownerId: string
  status: TaskStatus
  blockedReason?: string
  /** Host time the owner is due to report back, while the task is open. */
  checkBackAt?: number
  /** The interval a new owner, or the next check-back after a report, gets. */
  checkBackEveryMs?: number
  /** Marked by the IC: first in stakeholder updates and on the task list. */
  highPriority: boolean
  createdAt: number
  createdBy: string
  subTeam?: string
  serviceIds: string[]
  /** Everything that happened, in order; `applied: false` marks a change overtaken by another. */
  history: Array<TaskEvent & { applied: boolean }>
}

export class TaskError extends Error {}

export const MAX_TITLE_LENGTH = 200
export const MAX_CHECK_BACK_MINUTES = 24 * 60

const readEvent = (value: unknown): TaskEvent | undefined => {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.at !== 'number' || !Number.isFinite(value.at)) return undefined
  const base = { id: value.id, at: value.at, by: typeof value.by === 'string' ? value.by : '' }
  const time = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
  switch (value.type) {
    case 'created': {
      if (typeof value.ownerId !== 'string') return undefined
      const checkBackAt = time(value.checkBackAt)
      return {
        ...base,
        type: 'created',
        ownerId: value.ownerId,
        ...(checkBackAt !== undefined ? { checkBackAt } : {}),
        ...(value.highPriority === true ? { highPriority: true } : {}),
      }
    }
    case 'status':
      return isTaskStatus(value.to)
        ? { ...base, type: 'status', to: value.to, ...(typeof value.reason === 'string' ? { reason: value.reason } : {}) }
        : undefined
    case 'owner':
      return typeof value.ownerId === 'string' ? { ...base, type: 'owner', ownerId: value.ownerId } : undefined
    case 'checkBack':
      return { ...base, type: 'checkBack', checkBackAt: time(value.checkBackAt) ?? null }
    case 'report':
      return typeof value.entryId === 'string' ? { ...base, type: 'report', entryId: value.entryId } : undefined
    case 'reopen':
      return { ...base, type: 'reopen' }
    case 'priority':
      return typeof value.highPriority === 'boolean' ? { ...base, type: 'priority', highPriority: value.highPriority } : undefined
    default:
      return undefined
  }
}

interface TaskState {
  ownerId: string
  status: TaskStatus
  blockedReason?: string
  checkBackAt?: number
  /** How long the owner was given to report back: the next check-back (a new owner, after a report) gets as long. */
  checkBackEveryMs?: number
  highPriority: boolean
}

/** Apply one event to the state, if it is valid there. */
const applyEvent = (state: TaskState, event: TaskEvent): boolean => {
  switch (event.type) {
    case 'created':
      return false
    case 'status':
      if (!canTransition(state.status, event.to)) return false
      state.status = event.to
      if (event.to === 'blocked') state.blockedReason = event.reason ?? ''
      else delete state.blockedReason
      if (!isOpen(event.to)) delete state.checkBackAt
      return true
    case 'owner':
      if (!isOpen(state.status) || state.ownerId === event.ownerId) return false
      // A new owner has not acknowledged anything yet, and gets the whole interval to report back.
      state.ownerId = event.ownerId
      state.status = 'assigned'
      delete state.blockedReason
      if (state.checkBackEveryMs !== undefined) state.checkBackAt = event.at + state.checkBackEveryMs
      return true
    case 'checkBack':
      if (!isOpen(state.status)) return false
      if (event.checkBackAt === null) {
        delete state.checkBackAt
        delete state.checkBackEveryMs
      } else {
        state.checkBackAt = event.checkBackAt
        state.checkBackEveryMs = event.checkBackAt - event.at
      }
      return true
    case 'report':
      if (!isOpen(state.status)) return false
      // Reported: the next check-back starts, as long as the last one (the IC extends or clears it).
      if (state.checkBackEveryMs !== undefined) state.checkBackAt = event.at + state.checkBackEveryMs
      return true
    case 'reopen':
      if (isOpen(state.status)) return false
      state.status = 'assigned'
      return true
    case 'priority':
      if (state.highPriority === event.highPriority) return false
      state.highPriority = event.highPriority
      return true
  }
}

const eventsOf = (task: Y.Map<unknown>): TaskEvent[] => {
  const events = task.get('events')
  if (!(events instanceof Y.Array)) return []
  return events
    .toArray()
    .map(readEvent)
    .filter((e): e is TaskEvent => e !== undefined)
    .sort(byTimeThenId)
}

const text = (task: Y.Map<unknown>, key: string): string => {
  const value = task.get(key)
  return value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : ''
}

export const readTask = (id: string, task: unknown): Task | undefined => {
  if (!(task instanceof Y.Map)) return undefined
  const events = eventsOf(task)
  const created = events.find((e) => e.type === 'created')
  if (!created || created.type !== 'created') return undefined
  const state: TaskState = { ownerId: created.ownerId, status: 'assigned', highPriority: created.highPriority === true }
  if (created.checkBackAt !== undefined) {
    state.checkBackAt = created.checkBackAt
    state.checkBackEveryMs = created.checkBackAt - created.at
  }
  const history = events.map((event) => ({ ...event, applied: event === created || applyEvent(state, event) }))
  const subTeam = task.get('subTeam')
  const serviceIds = task.get('serviceIds')
  return {
    id,
    title: text(task, 'title'),
    details: text(task, 'details'),
    ...state,
    createdAt: created.at,
    createdBy: created.by,
    ...(typeof subTeam === 'string' && isSubTeamName(subTeam) ? { subTeam } : {}),
    serviceIds: Array.isArray(serviceIds) ? serviceIds.filter((s): s is string => typeof s === 'string') : [],
    history,
  }
}

/**
 * Every check-back the owner missed: a due time that passed with the task
 * still open and no report, extension or new owner before it. Those still
 * due by `until` count when it has passed them.
 */
export const missedCheckBacks = (task: Task, until: number): Array<{ dueAt: number; ownerId: string }> => {
  const missed: Array<{ dueAt: number; ownerId: string }> = []
  const created = task.history.find((e) => e.type === 'created')
  if (!created || created.type !== 'created') return missed
  const state: TaskState = { ownerId: created.ownerId, status: 'assigned', highPriority: created.highPriority === true }
  if (created.checkBackAt !== undefined) {
    state.checkBackAt = created.checkBackAt
    state.checkBackEveryMs = created.checkBackAt - created.at
  }
  const passed = (at: number): void => {
    const dueAt = state.checkBackAt
    if (dueAt !== undefined && dueAt < at && missed.at(-1)?.dueAt !== dueAt) missed.push({ dueAt, ownerId: state.ownerId })
  }
  for (const event of task.history) {
    if (event === created || !event.applied) continue
    passed(event.at)
    applyEvent(state, event)
  }
  passed(until)
  return missed
}

export const readTasks = (doc: Y.Doc): Task[] => {
  const tasks: Task[] = []
  tasksMap(doc).forEach((value, id) => {
    const task = readTask(id, value)
    if (task) tasks.push(task)
  })
  return tasks
}

const taskMap = (doc: Y.Doc, id: string): Y.Map<unknown> => {
  const task = tasksMap(doc).get(id)
  if (!(task instanceof Y.Map)) throw new TaskError('That task no longer exists.')
  return task
}

const requireTask = (doc: Y.Doc, id: string): Task => readTask(id, taskMap(doc, id))!

const checkBackFrom = (change: Change, minutes: number | undefined): number | undefined => {
  if (minutes === undefined) return undefined
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_CHECK_BACK_MINUTES) {
    throw new TaskError(`A check-back is between 1 minute and ${MAX_CHECK_BACK_MINUTES / 60} hours away.`)
  }
  return change.at + Math.round(minutes * 60_000)
}

const pushEvent = (doc: Y.Doc, id: string, event: TaskEvent): void => {
  const events = taskMap(doc, id).get('events')
  if (events instanceof Y.Array) events.push([event])
}

const quote = (title: string): string => `“${title}”`

export interface NewTask {
  title: string
  ownerId: string
  details?: string
  /** "Report back in N minutes". */
  checkBackMinutes?: number
  serviceIds?: string[]
  subTeam?: string
  /** Give it to someone who is resting anyway (it cannot wait). */
  overrideRest?: boolean
  highPriority?: boolean
}

/** A resting person is not given work unless the IC insists. */
const checkNotResting = (doc: Y.Doc, change: Change, personId: string, name: string, override: boolean | undefined): void => {
  const until = isResting(doc, personId, change.at)
  if (until !== undefined && !override) throw new TaskError(`${name} is resting until ${formatTimeOfDay(until)}. Give it to someone else, or assign it anyway if it cannot wait.`)
}

/** "A, please do B; I'll come back to you in 10 minutes." A task always has one named owner. */
export const createTask = (doc: Y.Doc, change: Change, input: NewTask): string => {
  const title = input.title.replace(/\s+/g, ' ').trim()
  if (!title) throw new TaskError('A task needs a title.')
  if (title.length > MAX_TITLE_LENGTH) throw new TaskError(`A task title is at most ${MAX_TITLE_LENGTH} characters.`)
  if (!input.ownerId) throw new TaskError('Every task needs one named owner.')
  const owner = requirePerson(doc, input.ownerId)
  checkNotResting(doc, change, owner.id, owner.name, input.overrideRest)
  if (input.subTeam !== undefined && !isSubTeamName(input.subTeam)) throw new TaskError('Unknown sub-team.')
  const checkBackAt = checkBackFrom(change, input.checkBackMinutes)
  const details = (input.details ?? '').trim()
  if (details.length > MAX_ENTRY_LENGTH) throw new TaskError(`Details are at most ${MAX_ENTRY_LENGTH} characters.`)
  const id = newId()
  doc.transact(() => {
    const task = new Y.Map<unknown>()
    task.set('title', new Y.Text(title))
    task.set('details', new Y.Text(details))
    if (input.subTeam) task.set('subTeam', input.subTeam)
    if (input.serviceIds?.length) task.set('serviceIds', [...new Set(input.serviceIds)])
    const events = new Y.Array<TaskEvent>()
    events.push([
      {
        id: newId(),
        at: change.at,
        by: change.by,
        type: 'created',
        ownerId: owner.id,
        ...(checkBackAt ? { checkBackAt } : {}),
        ...(input.highPriority ? { highPriority: true } : {}),
      },
    ])
    task.set('events', events)
    tasksMap(doc).set(id, task)
    appendEvent(
      doc,
      change,
      { type: 'task.created', taskId: id, ownerId: owner.id, checkBackAt: checkBackAt ?? null },
      `${input.highPriority ? 'High-priority task' : 'Task'} for ${owner.name}: ${title}${checkBackAt ? ` — check back at ${formatTimeOfDay(checkBackAt)}` : ''}`,
      { taskId: id, personId: owner.id },
    )
  })
  return id
}

const VERBS: Record<TaskStatus, string> = {
  assigned: 'assigned',
  acknowledged: 'acknowledged',
  inProgress: 'started',
  blocked: 'is blocked on',
  done: 'finished',
  cancelled: 'cancelled',
}

/** The IC marks what matters most: it leads the task list and the stakeholder updates. */
export const setTaskPriority = (doc: Y.Doc, change: Change, id: string, highPriority: boolean): void => {
  const task = requireTask(doc, id)
  if (task.highPriority === highPriority) return
  doc.transact(() => {
    pushEvent(doc, id, { id: newId(), at: change.at, by: change.by, type: 'priority', highPriority })
    appendEvent(
      doc,
      change,
      { type: 'task.priority', taskId: id, highPriority },
      `${quote(task.title)} is ${highPriority ? 'now high priority' : 'no longer high priority'}`,
      { taskId: id, personId: task.ownerId },
    )
  })
}

/** Move a task along: acknowledge, start, block (with a reason), finish, cancel. */
export const transitionTask = (doc: Y.Doc, change: Change, id: string, to: TaskStatus, reason?: string): void => {
  const task = requireTask(doc, id)
  if (!isTaskStatus(to)) throw new TaskError(`Unknown status "${String(to)}".`)
  if (!canTransition(task.status, to)) {
    throw new TaskError(
      isOpen(task.status)
        ? `A task that is ${TASK_STATUS_LABELS[task.status].toLowerCase()} cannot become ${TASK_STATUS_LABELS[to].toLowerCase()}.`
        : `This task is ${TASK_STATUS_LABELS[task.status].toLowerCase()}; reopen it first.`,
    )
  }
  const why = reason?.trim()
  if (to === 'blocked' && !why) throw new TaskError('Say what the task is blocked on.')
  const people = readPeople(doc)
  const actor = people.get(change.by)?.name ?? 'Someone'
  doc.transact(() => {
    pushEvent(doc, id, { id: newId(), at: change.at, by: change.by, type: 'status', to, ...(why ? { reason: why } : {}) })
    appendEvent(
      doc,
      change,
      { type: 'task.status', taskId: id, from: task.status, to },
      `${actor} ${VERBS[to]} ${quote(task.title)}${to === 'blocked' ? `: ${why}` : ''}`,
      { taskId: id, personId: task.ownerId },
    )
  })
}

/** Bring a finished or cancelled task back; it starts again as assigned to its owner. */
export const reopenTask = (doc: Y.Doc, change: Change, id: string): void => {
  const task = requireTask(doc, id)
  if (isOpen(task.status)) throw new TaskError('This task is still open.')
  doc.transact(() => {
    pushEvent(doc, id, { id: newId(), at: change.at, by: change.by, type: 'reopen' })
    appendEvent(doc, change, { type: 'task.reopened', taskId: id }, `${quote(task.title)} reopened`, { taskId: id, personId: task.ownerId })
  })
}

/** Hand a task to someone else (for example when its owner goes to rest). */
export const reassignTask = (doc: Y.Doc, change: Change, id: string, ownerId: string, overrideRest?: boolean): void => {
  const task = requireTask(doc, id)
  if (!isOpen(task.status)) throw new TaskError('Reopen the task before giving it to someone else.')
  const owner = requirePerson(doc, ownerId)
  if (owner.id === task.ownerId) throw new TaskError(`${owner.name} already owns this task.`)
  checkNotResting(doc, change, owner.id, owner.name, overrideRest)
  const previous = readPeople(doc).get(task.ownerId)?.name ?? 'Unknown'
  const checkBack = task.checkBackEveryMs !== undefined ? ` — check back at ${formatTimeOfDay(change.at + task.checkBackEveryMs)}` : ''
  doc.transact(() => {
    pushEvent(doc, id, { id: newId(), at: change.at, by: change.by, type: 'owner', ownerId })
    appendEvent(doc, change, { type: 'task.reassigned', taskId: id, from: task.ownerId, to: ownerId }, `${quote(task.title)}: ${previous} → ${owner.name}${checkBack}`, {
      taskId: id,
      personId: ownerId,
    })
  })
}

/** Set, extend or clear the check-back ("report back in N minutes" from now). */
export const setCheckBack = (doc: Y.Doc, change: Change, id: string, minutes: number | null): void => {
  const task = requireTask(doc, id)
  if (!isOpen(task.status)) throw new TaskError('A finished task has no check-back.')
  const checkBackAt = minutes === null ? null : checkBackFrom(change, minutes)!
  doc.transact(() => {
    pushEvent(doc, id, { id: newId(), at: change.at, by: change.by, type: 'checkBack', checkBackAt })
    appendEvent(
      doc,
      change,
      { type: 'task.checkBack', taskId: id, checkBackAt },
      checkBackAt === null ? `Check-back for ${quote(task.title)} cleared` : `Check back on ${quote(task.title)} at ${formatTimeOfDay(checkBackAt)}`,
      { taskId: id, personId: task.ownerId },
    )
  })
}

/** The owner reports back: a timeline entry linked to the task, which ends the check-back. */
export const reportOnTask = (doc: Y.Doc, change: Change, id: string, report: string): string => {
  const task = requireTask(doc, id)
  if (!isOpen(task.status)) throw new TaskError('This task is finished; add a timeline entry instead.')
  let entryId = ''
  doc.transact(() => {
    entryId = addEntry(doc, change, { kind: 'observation', text: `${quote(task.title)}: ${report}`, links: { taskId: id, personId: task.ownerId } })
    pushEvent(doc, id, { id: newId(), at: change.at, by: change.by, type: 'report', entryId })
  })
  return entryId
}

export interface CheckBack {
  dueAt: number
  /** Negative once overdue. */
  remainingMs: number
  overdue: boolean
}

export const checkBackOf = (task: Task, now: number): CheckBack | undefined => {
  if (task.checkBackAt === undefined || !isOpen(task.status)) return undefined
  const remainingMs = task.checkBackAt - now
  return { dueAt: task.checkBackAt, remainingMs, overdue: remainingMs <= 0 }
}

/**
 * The IC's list: overdue check-backs first (longest overdue on top), then the
 * next check-backs due, then open tasks without one, then finished ones.
 */
export const orderForCommander = (tasks: readonly Task[], now: number): Task[] => {
  const rank = (t: Task): number => {
    const check = checkBackOf(t, now)
    if (check?.overdue) return 0
    if (check) return 1
    return isOpen(t.status) ? 2 : 3
  }
  return [...tasks].sort((a, b) => {
    const ra = rank(a)
    const rb = rank(b)
    if (ra !== rb) return ra - rb
    if (ra <= 1) return a.checkBackAt! - b.checkBackAt!
    return ra === 2 ? a.createdAt - b.createdAt : b.createdAt - a.createdAt
  })
}

/** Check-backs that are overdue or due within `withinMs`: the deputy's list. */
export const dueCheckBacks = (tasks: readonly Task[], now: number, withinMs: number): Task[] =>
  orderForCommander(tasks, now).filter((t) => {
    const check = checkBackOf(t, now)
    return check !== undefined && check.remainingMs <= withinMs
  })

/** Correct a task's title or details; two people editing at once merge character by character. */
export const editTaskText = (doc: Y.Doc, id: string, field: 'title' | 'details', next: string): void => {
  const value = taskMap(doc, id).get(field)
  if (!(value instanceof Y.Text)) throw new TaskError('This task cannot be edited.')
  const limit = field === 'title' ? MAX_TITLE_LENGTH : MAX_ENTRY_LENGTH
  if (next.length > limit) throw new TaskError(`At most ${limit} characters.`)
  if (field === 'title' && next.trim() === '') throw new TaskError('A task needs a title.')
  applyTextChange(value, next)
}
