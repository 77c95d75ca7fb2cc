import { displayName, readPeople } from '../../shared/people'
import { ROLES, ROLE_LABELS, ROLE_SHORT_LABELS, readRoles } from '../../shared/roles'
import { SPAN_OF_CONTROL_LIMIT, spanOfControl } from '../../shared/subteams'
import { useBoard } from '../board/BoardContext'
import { useDocValue } from '../sync/hooks'
import './roles.css'

/** Who holds each role, across the top of the board, readable from the back of the room. */
export const RolesStrip = () => {
  const { connection, canEdit, open } = useBoard()
  const roles = useDocValue(connection.doc, readRoles)
  const people = useDocValue(connection.doc, readPeople)
  const span = useDocValue(connection.doc, spanOfControl)
  const name = (id: string): string => displayName(people, id)
  return (
    <section className="roles-strip" aria-label="Roles">
      {ROLES.map((role) => {
        const holders = roles.holders.get(role) ?? []
        const shown = holders.length > 0 ? holders.map(name).join(', ') : 'vacant'
        return (
          <button
            key={role}
            type="button"
            className={`role-slot role-slot--${role}${holders.length === 0 ? ' is-vacant' : ''}`}
            disabled={!canEdit}
            onClick={() => open({ kind: 'role', role })}
            aria-label={`${ROLE_SHORT_LABELS[role]} ${shown}${ROLE_SHORT_LABELS[role] === ROLE_LABELS[role] ? '' : `, ${ROLE_LABELS[role]}`}${canEdit ? '. Change' : ''}`}
          >
            <span className="role-label">{ROLE_SHORT_LABELS[role]}</span>{' '}
            <span className="role-holder">{shown}</span>
          </button>
        )
      })}
      {span.overLimit && (
        <button type="button" className="span-warning" onClick={() => open({ kind: 'people' })}>
          ⚠ {span.directReports.length} report to the IC directly (limit {SPAN_OF_CONTROL_LIMIT}): form sub-teams
        </button>
      )}
    </section>
  )
}
