// Hand-over before someone rests or leaves, and reducing scope: commands of
// several steps. Every step is checked against the document before the first
// is written, then all are applied in one transaction, so a refused step never
// leaves half a hand-over on every screen. The steps are the ordinary
// mutations, each writing its own timeline entry.
import type * as Y from 'yjs'
import { formatTimeOfDay } from './clock'
import { type Duty, readDuty, releaseFromIncident, restLengthProblem, sendToRest } from './duty'
import { type Person, readPeople } from './people'
import { ROLE_LABELS, type Role, assignRole, holderOf, isRole, readRoles, releaseRole, rolesOf } from './roles'
import { type Change, tasksMap } from './schema'
import { isOpen, readTask, readTasks, reassignTask } from './tasks'

export class HandOverError extends Error {}

export interface HandOver {
  /** Who rests or leaves. */
  personId: string
  /** Who takes each role they hold. A role left out is given up, except command, which must be handed over. */
  roles: Partial<Record<Role, string>>
  /** Who takes each of their open tasks (task id → new owner). A task left out stays theirs. */
  tasks: Record<string, string>
  then: { restMinutes: number } | 'release'
  /** Give roles and tasks to someone resting anyway (it cannot wait). */
  overrideRest?: boolean
}

/** The document as the checks read it, once. */
interface Board {
  people: Map<string, Person>
  duty: Map<string, Duty>
}

const boardAt = (doc: Y.Doc, change: Change): Board => ({ people: readPeople(doc), duty: readDuty(doc, change.at) })

const nameOf = (board: Board, personId: string): string => board.people.get(personId)?.name ?? 'Unknown'

/** Whoever takes `what` is on the incident and not released, is not the one leaving, and is not resting unless the IC insists. */
const checkTaker = (board: Board, plan: HandOver, takerId: string, what: string): void => {
  const taker = board.people.get(takerId)
  if (!taker) throw new HandOverError(`Whoever takes ${what} is not on this incident; add them first.`)
  if (takerId === plan.personId) throw new HandOverError(`${taker.name} is the one handing over ${what}; choose someone else.`)
  const duty = board.duty.get(takerId)
  if (duty?.status === 'released') throw new HandOverError(`${taker.name} has been released from the incident; choose someone else for ${what}.`)
  if (duty?.status === 'resting' && !plan.overrideRest) {
    throw new HandOverError(`${taker.name} is resting until ${formatTimeOfDay(duty.restingUntil!)}. Give ${what} to someone else, or hand it over anyway if it cannot wait.`)
  }
}

const checkRoles = (doc: Y.Doc, board: Board, plan: HandOver): Role[] => {
  const name = nameOf(board, plan.personId)
  const state = readRoles(doc)
  const held = rolesOf(state, plan.personId)
  for (const [role, takerId] of Object.entries(plan.roles)) {
    if (!isRole(role)) throw new HandOverError(`Unknown role "${role}".`)
    if (takerId === undefined) continue
    const label = ROLE_LABELS[role]
    if (!held.includes(role)) throw new HandOverError(`${name} is not ${label}; there is nothing to hand over.`)
    checkTaker(board, plan, takerId, label)
    const taker = nameOf(board, takerId)
    // The IC holds no other role (assignRole refuses it); whoever hands over command holds none, so a new IC gets only command here.
    if (role !== 'incidentCommander' && takerId === holderOf(state, 'incidentCommander')) {
      throw new HandOverError(`${taker} is the incident commander, who holds no other role; choose someone else for ${label}.`)
    }
    if (state.holders.get(role)!.includes(takerId)) throw new HandOverError(`${taker} is already ${label}.`)
  }
  if (held.includes('incidentCommander') && !plan.roles.incidentCommander) throw new HandOverError(`Choose who takes command before ${name} ${plan.then === 'release' ? 'leaves' : 'rests'}.`)
  return held
}

const checkTasks = (doc: Y.Doc, board: Board, plan: HandOver): void => {
  const name = nameOf(board, plan.personId)
  for (const [taskId, ownerId] of Object.entries(plan.tasks)) {
    const task = readTask(taskId, tasksMap(doc).get(taskId))
    if (!task) throw new HandOverError('One of those tasks no longer exists.')
    if (!isOpen(task.status)) throw new HandOverError(`“${task.title}” is finished; reopen it before handing it over.`)
    if (task.ownerId !== plan.personId) throw new HandOverError(`“${task.title}” is ${nameOf(board, task.ownerId)}'s, not ${name}'s.`)
    checkTaker(board, plan, ownerId, `“${task.title}”`)
  }
}

const checkThen = (board: Board, plan: HandOver): void => {
  const { name } = board.people.get(plan.personId)!
  const status = board.duty.get(plan.personId)!.status
  if (plan.then === 'release') {
    if (status === 'released') throw new HandOverError(`${name} is already released.`)
    return
  }
  // sendToRest's own rule, checked before anything is written.
  const problem = restLengthProblem(plan.then.restMinutes)
  if (problem) throw new HandOverError(problem)
  if (status !== 'onDuty') throw new HandOverError(`${name} is ${status === 'resting' ? 'already resting' : 'released from the incident'}.`)
}

/**
 * Before someone rests or is released, their roles and open tasks go to
 * others; then they rest or leave. All of it, or (with a HandOverError saying
 * why) none of it.
 */
export const handOver = (doc: Y.Doc, change: Change, plan: HandOver): void => {
  const board = boardAt(doc, change)
  if (!board.people.has(plan.personId)) throw new HandOverError('That person is not on this incident.')
  const held = checkRoles(doc, board, plan)
  checkTasks(doc, board, plan)
  checkThen(board, plan)
  doc.transact(() => {
    for (const role of held) {
      const takerId = plan.roles[role]
      if (takerId) assignRole(doc, change, role, takerId)
      // A new holder ends the leaver's period except for SMEs, who are several; a role left out is given up.
      if (rolesOf(readRoles(doc), plan.personId).includes(role)) releaseRole(doc, change, role, plan.personId)
    }
    for (const [taskId, ownerId] of Object.entries(plan.tasks)) reassignTask(doc, change, taskId, ownerId, plan.overrideRest)
    if (plan.then === 'release') releaseFromIncident(doc, change, plan.personId)
    else sendToRest(doc, change, plan.personId, plan.then.restMinutes)
  })
}

/** "Reduce scope": release these people at once. Only those with no role and no open task may go. */
export const reduceScope = (doc: Y.Doc, change: Change, scope: { release: readonly string[] }): void => {
  const board = boardAt(doc, change)
  const roles = readRoles(doc)
  const openTasks = readTasks(doc).filter((t) => isOpen(t.status))
  const leaving = [...new Set(scope.release)]
  if (leaving.length === 0) throw new HandOverError('Choose who is released.')
  for (const personId of leaving) {
    const person = board.people.get(personId)
    if (!person) throw new HandOverError('That person is not on this incident.')
    if (board.duty.get(personId)!.status === 'released') throw new HandOverError(`${person.name} is already released.`)
    const held = rolesOf(roles, personId)
    if (held.length > 0) throw new HandOverError(`${person.name} still holds ${held.map((r) => ROLE_LABELS[r]).join(', ')}: hand over first.`)
    const owned = openTasks.filter((t) => t.ownerId === personId).length
    if (owned > 0) throw new HandOverError(`${person.name} still owns ${owned} open task${owned > 1 ? 's' : ''}: hand over first.`)
  }
  doc.transact(() => leaving.forEach((personId) => releaseFromIncident(doc, change, personId)))
}
