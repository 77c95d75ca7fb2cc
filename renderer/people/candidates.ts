import { useMemo } from 'react'
import { type Person, readPeople } from '../../shared/people'
import { type RoleState, ROLE_SHORT_LABELS, readRoles, rolesOf } from '../../shared/roles'
import type { RosterPerson } from '../app/api'
import type { IncidentConnection } from '../sync/connection'
import { useDocValue, usePresence, useRoster } from '../sync/hooks'
import type { PickablePerson } from './PersonPicker'

const describe = (person: Person, roles: RoleState, here: boolean): string =>
  [...rolesOf(roles, person.id).map((r) => ROLE_SHORT_LABELS[r]), person.subTeam, here ? 'here' : 'away'].filter(Boolean).join(', ')

/**
 * Who can be given a role or a task: people on the incident (those here now
 * first), then people on the roster who are not on the board yet.
 */
export const useCandidates = (connection: IncidentConnection): { candidates: PickablePerson[]; roster: RosterPerson[] } => {
  const people = useDocValue(connection.doc, readPeople)
  const roles = useDocValue(connection.doc, readRoles)
  // A string, so the list is rebuilt only when who is here changes.
  const presentIds = usePresence(connection)
    .map((p) => p.user.id)
    .sort()
    .join(' ')
  const roster = useRoster(connection)
  const candidates = useMemo(() => {
    const present = new Set(presentIds.split(' '))
    const onBoard = [...people.values()]
      .sort((a, b) => Number(present.has(b.id)) - Number(present.has(a.id)) || a.name.localeCompare(b.name))
      .map((p) => ({ id: p.id, name: p.name, note: describe(p, roles, present.has(p.id)) }))
    const others = roster.filter((r) => !people.has(r.id)).map((r) => ({ id: r.id, name: r.name, note: `not on the board yet${r.team ? `, ${r.team}` : ''}` }))
    return [...onBoard, ...others]
  }, [people, roles, roster, presentIds])
  return { candidates, roster }
}
