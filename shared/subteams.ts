// Span of control: the IC should have no more than seven direct reports
// (PagerDuty's limit). Past that, people are grouped into sub-teams whose
// leaders report to the IC.
import * as Y from 'yjs'
import { type Person, readPeople, requirePerson } from './people'
import { holderOf, readRoles } from './roles'
import { type Change, isObject, peopleMap, subTeamsMap } from './schema'
import { appendEvent } from './timeline'

export const SUB_TEAM_NAMES = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'] as const
export type SubTeamName = (typeof SUB_TEAM_NAMES)[number]

export const SPAN_OF_CONTROL_LIMIT = 7

export interface SubTeam {
  name: SubTeamName
  leaderId: string
  members: string[]
}

export class SubTeamError extends Error {}

export const isSubTeamName = (value: unknown): value is SubTeamName =>
  typeof value === 'string' && (SUB_TEAM_NAMES as readonly string[]).includes(value)

export const readSubTeams = (doc: Y.Doc, people: ReadonlyMap<string, Person> = readPeople(doc)): SubTeam[] => {
  const teams: SubTeam[] = []
  subTeamsMap(doc).forEach((value, name) => {
    if (!isSubTeamName(name) || !isObject(value) || typeof value.leaderId !== 'string') return
    const members = [...people.values()].filter((p) => p.subTeam === name).map((p) => p.id)
    teams.push({ name, leaderId: value.leaderId, members })
  })
  return teams.sort((a, b) => SUB_TEAM_NAMES.indexOf(a.name) - SUB_TEAM_NAMES.indexOf(b.name))
}

const setMembership = (doc: Y.Doc, personId: string, team: SubTeamName | undefined): void => {
  const record = peopleMap(doc).get(personId)
  if (!(record instanceof Y.Map)) return
  if (team) record.set('subTeam', team)
  else record.delete('subTeam')
}

/** Form a sub-team with its leader; the leader reports to the IC, its members to the leader. */
export const formSubTeam = (doc: Y.Doc, change: Change, name: SubTeamName, leaderId: string): void => {
  if (!isSubTeamName(name)) throw new SubTeamError(`Sub-teams are called ${SUB_TEAM_NAMES.join(', ')}.`)
  if (subTeamsMap(doc).has(name)) throw new SubTeamError(`${name} already exists.`)
  const leader = requirePerson(doc, leaderId)
  if (holderOf(readRoles(doc), 'incidentCommander') === leaderId) throw new SubTeamError('The incident commander cannot lead a sub-team.')
  doc.transact(() => {
    subTeamsMap(doc).set(name, { leaderId, formedAt: change.at, formedBy: change.by })
    setMembership(doc, leaderId, name)
    appendEvent(doc, change, { type: 'subteam.formed', team: name, leaderId }, `Sub-team ${name} formed, led by ${leader.name}`, { personId: leaderId })
  })
}

/** Move someone into a sub-team, or back to reporting to the IC (`undefined`). */
export const setSubTeam = (doc: Y.Doc, change: Change, personId: string, team: SubTeamName | undefined): void => {
  const person = requirePerson(doc, personId)
  if (team !== undefined && !subTeamsMap(doc).has(team)) throw new SubTeamError(`There is no sub-team ${String(team)}.`)
  if (person.subTeam === team) return
  const leads = readSubTeams(doc).find((t) => t.leaderId === personId)
  if (leads) throw new SubTeamError(`${person.name} leads ${leads.name}; disband it or choose another leader first.`)
  doc.transact(() => {
    setMembership(doc, personId, team)
    appendEvent(
      doc,
      change,
      { type: 'subteam.member', team: team ?? null, personId },
      team ? `${person.name} joins sub-team ${team}` : `${person.name} leaves sub-team ${person.subTeam ?? ''}`.trim(),
      { personId },
    )
  })
}

export const disbandSubTeam = (doc: Y.Doc, change: Change, name: SubTeamName): void => {
  const team = readSubTeams(doc).find((t) => t.name === name)
  if (!team) throw new SubTeamError(`There is no sub-team ${String(name)}.`)
  doc.transact(() => {
    for (const member of team.members) setMembership(doc, member, undefined)
    subTeamsMap(doc).delete(name)
    appendEvent(doc, change, { type: 'subteam.disbanded', team: name }, `Sub-team ${name} disbanded; its people report to the IC again`)
  })
}

export interface SpanOfControl {
  commanderId: string | undefined
  /** Who reports to the IC directly: everyone outside a sub-team, and each sub-team's leader. */
  directReports: string[]
  overLimit: boolean
}

export const spanOfControl = (doc: Y.Doc): SpanOfControl => {
  const people = readPeople(doc)
  const commanderId = holderOf(readRoles(doc), 'incidentCommander')
  const leaders = new Set(readSubTeams(doc, people).map((t) => t.leaderId))
  const directReports = [...people.values()]
    .filter((p) => p.id !== commanderId && (!p.subTeam || leaders.has(p.id)))
    .map((p) => p.id)
  return { commanderId, directReports, overLimit: directReports.length > SPAN_OF_CONTROL_LIMIT }
}
