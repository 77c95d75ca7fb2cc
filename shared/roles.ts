// Incident roles: who commands, who deputises, who writes, who talks to whom.
// Stored as an append-only list of assignments; who holds what, and the
// history (who held which role from when to when), are derived from it in
// host-time order, so concurrent hand-overs converge on every screen.
import { newId } from './ids'
import { type Person, readPeople, requirePerson } from './people'
import { type Change, byTimeThenId, isObject, roleAssignmentsArray } from './schema'
import type * as Y from 'yjs'
import { appendEvent } from './timeline'

export const ROLES = ['incidentCommander', 'deputy', 'scribe', 'internalLiaison', 'customerLiaison', 'sme'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  incidentCommander: 'Incident Commander',
  deputy: 'Deputy',
  scribe: 'Scribe',
  internalLiaison: 'Communications Liaison (internal)',
  customerLiaison: 'Customer Liaison',
  sme: 'Subject Matter Expert',
}

export const ROLE_SHORT_LABELS: Record<Role, string> = {
  incidentCommander: 'IC',
  deputy: 'Deputy',
  scribe: 'Scribe',
  internalLiaison: 'Internal liaison',
  customerLiaison: 'Customer liaison',
  sme: 'SMEs',
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value)

/** Every role has one holder except subject matter experts. */
export const isSingleHolder = (role: Role): boolean => role !== 'sme'

export interface RoleAssignment {
  id: string
  role: Role
  personId: string
  action: 'assign' | 'release'
  at: number
  by: string
}

/** Who held a role, from when until when (open while they still hold it). */
export interface RolePeriod {
  role: Role
  personId: string
  from: number
  to?: number
}

export class RoleError extends Error {}

const readAssignment = (value: unknown): RoleAssignment | undefined => {
  if (!isObject(value)) return undefined
  const { id, role, personId, action, at, by } = value
  if (typeof id !== 'string' || !isRole(role) || typeof personId !== 'string') return undefined
  if ((action !== 'assign' && action !== 'release') || typeof at !== 'number' || !Number.isFinite(at)) return undefined
  return { id, role, personId, action, at, by: typeof by === 'string' ? by : '' }
}

export const readAssignments = (doc: Y.Doc): RoleAssignment[] =>
  roleAssignmentsArray(doc)
    .toArray()
    .map(readAssignment)
    .filter((a): a is RoleAssignment => a !== undefined)
    .sort(byTimeThenId)

export interface RoleState {
  /** Current holders per role (one at most, except SMEs). */
  holders: Map<Role, string[]>
  periods: RolePeriod[]
}

/**
 * Replay assignments in host-time order. The rules hold even for concurrent
 * writes: a new holder of a single-holder role ends the previous one's period;
 * becoming IC ends every other role that person holds; any other role given to
 * the sitting IC is ignored.
 */
export const deriveRoles = (assignments: readonly RoleAssignment[]): RoleState => {
  const open = new Map<string, RolePeriod>()
  const periods: RolePeriod[] = []
  const key = (role: Role, personId: string): string => `${role}:${personId}`
  const end = (period: RolePeriod, at: number): void => {
    period.to = at
    open.delete(key(period.role, period.personId))
  }
  const holdersOf = (role: Role): RolePeriod[] => [...open.values()].filter((p) => p.role === role)
  for (const a of assignments) {
    const current = open.get(key(a.role, a.personId))
    if (a.action === 'release') {
      if (current) end(current, a.at)
      continue
    }
    if (current) continue
    const ic = holdersOf('incidentCommander')[0]
    if (a.role !== 'incidentCommander' && ic?.personId === a.personId) continue
    if (a.role === 'incidentCommander') for (const p of [...open.values()]) if (p.personId === a.personId) end(p, a.at)
    if (isSingleHolder(a.role)) for (const p of holdersOf(a.role)) end(p, a.at)
    const period: RolePeriod = { role: a.role, personId: a.personId, from: a.at }
    open.set(key(a.role, a.personId), period)
    periods.push(period)
  }
  const holders = new Map<Role, string[]>()
  for (const role of ROLES) holders.set(role, [])
  for (const p of open.values()) holders.get(p.role)!.push(p.personId)
  return { holders, periods }
}

export const readRoles = (doc: Y.Doc): RoleState => deriveRoles(readAssignments(doc))

/** The roles a person holds now. */
export const rolesOf = (state: RoleState, personId: string): Role[] =>
  ROLES.filter((role) => state.holders.get(role)!.includes(personId))

export const holderOf = (state: RoleState, role: Role): string | undefined => state.holders.get(role)![0]

const nameOf = (people: ReadonlyMap<string, Person>, id: string | undefined): string => (id ? (people.get(id)?.name ?? 'Unknown') : '—')

const push = (doc: Y.Doc, change: Change, role: Role, personId: string, action: RoleAssignment['action']): void => {
  const record: RoleAssignment = { id: newId(), role, personId, action, at: change.at, by: change.by }
  roleAssignmentsArray(doc).push([record])
}

/**
 * Give a role to someone: one action, one timeline entry ("Incident Commander:
 * A → B at 14:02"). Taking command releases the new IC's other roles.
 */
export const assignRole = (doc: Y.Doc, change: Change, role: Role, personId: string): void => {
  if (!isRole(role)) throw new RoleError(`Unknown role "${String(role)}".`)
  const person = requirePerson(doc, personId)
  const state = readRoles(doc)
  const people = readPeople(doc)
  if (state.holders.get(role)!.includes(personId)) throw new RoleError(`${person.name} is already ${ROLE_LABELS[role]}.`)
  if (role !== 'incidentCommander' && holderOf(state, 'incidentCommander') === personId) {
    throw new RoleError(`${person.name} is the incident commander, who holds no other role. Hand over command first.`)
  }
  const previous = isSingleHolder(role) ? holderOf(state, role) : undefined
  const givenUp = role === 'incidentCommander' ? rolesOf(state, personId) : []
  doc.transact(() => {
    push(doc, change, role, personId, 'assign')
    const text = isSingleHolder(role)
      ? `${ROLE_LABELS[role]}: ${nameOf(people, previous)} → ${person.name}`
      : `${ROLE_LABELS[role]}: + ${person.name}`
    const note = givenUp.length > 0 ? ` (gives up ${givenUp.map((r) => ROLE_LABELS[r]).join(', ')})` : ''
    appendEvent(doc, change, { type: 'role.assigned', role, personId, previousId: previous ?? null }, `${text}${note}`, { personId })
  })
}

/** Someone stops holding a role (the role is then vacant, or one SME fewer). */
export const releaseRole = (doc: Y.Doc, change: Change, role: Role, personId: string): void => {
  const state = readRoles(doc)
  if (!state.holders.get(role)?.includes(personId)) throw new RoleError('That person does not hold this role.')
  const name = nameOf(readPeople(doc), personId)
  doc.transact(() => {
    push(doc, change, role, personId, 'release')
    appendEvent(
      doc,
      change,
      { type: 'role.released', role, personId },
      isSingleHolder(role) ? `${ROLE_LABELS[role]}: ${name} → —` : `${ROLE_LABELS[role]}: − ${name}`,
      { personId },
    )
  })
}
