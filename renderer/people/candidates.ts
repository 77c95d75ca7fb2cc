import { useMemo } from 'react'
import { type Person, readPeople } from '../../shared/people'
import { type RoleState, ROLE_SHORT_LABELS, readRoles, rolesOf } from '../../shared/roles'
import type { RosterPerson } from '../app/api'
import type { BoardConnection } from '../sync/board-connection'
import { useDocValue, useHostNow, usePresence, useRoster } from '../sync/hooks'
import { formatTimeOfDay } from '../../shared/clock'
import { deriveDuty, readDutyEvents } from '../../shared/duty'
import type { Pickable } from '../common/Picker'

const describe = (person: Person, roles: RoleState, here: boolean, restingUntil: number | undefined): string =>
  [
    ...rolesOf(roles, person.id).map((r) => ROLE_SHORT_LABELS[r]),
    person.subTeam,
    restingUntil !== undefined ? `resting until ${formatTimeOfDay(restingUntil)}` : here ? 'here' : 'away',
  ]
    .filter(Boolean)
    .join(', ')

/**
 * Who can be given a role or a task: people on the incident (those here now
 * first), then people on the roster who are not on the board yet.
 */
export const useCandidates = (connection: BoardConnection): { candidates: Pickable[]; roster: RosterPerson[] } => {
  const people = useDocValue(connection.doc, readPeople)
  const roles = useDocValue(connection.doc, readRoles)
  // A string, so the list is rebuilt only when who is here changes.
  const presentIds = usePresence(connection)
    .map((p) => p.user.id)
    .sort()
    .join(' ')
  const roster = useRoster(connection)
  const duty = useDocValue(connection.doc, readDutyEvents)
  // Rebuilt when duty changes, and once a minute for rests that end by themselves.
  const minute = Math.floor(useHostNow(connection) / 60_000)
  const candidates = useMemo(() => {
    const present = new Set(presentIds.split(' '))
    const now = connection.clock.now()
    const resting = (p: Person): number | undefined => {
      const d = deriveDuty(p.id, p.joinedAt, duty, now)
      return d.status === 'resting' ? d.restingUntil : d.status === 'released' ? Number.POSITIVE_INFINITY : undefined
    }
    // Resting people come last and say so; released people are not offered at all.
    const onBoard = [...people.values()]
      .filter((p) => resting(p) !== Number.POSITIVE_INFINITY)
      .sort((a, b) => Number(resting(a) !== undefined) - Number(resting(b) !== undefined) || Number(present.has(b.id)) - Number(present.has(a.id)) || a.name.localeCompare(b.name))
      .map((p) => ({ id: p.id, name: p.name, note: describe(p, roles, present.has(p.id), resting(p)) }))
    const others = roster.filter((r) => !people.has(r.id)).map((r) => ({ id: r.id, name: r.name, note: `not on the board yet${r.team ? `, ${r.team}` : ''}` }))
    return [...onBoard, ...others]
  }, [people, roles, roster, presentIds, duty, minute, connection])
  return { candidates, roster }
}
