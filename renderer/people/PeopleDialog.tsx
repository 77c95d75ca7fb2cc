import { useState } from 'react'
import { isConnected, leftAt, readAttendance } from '../../shared/attendance'
import { formatTimeOfDay } from '../../shared/clock'
import { describeGathering, readGathering } from '../../shared/gathering'
import { joinedAfter, pageStanding, readPages } from '../../shared/paging'
import { displayName, readPeople } from '../../shared/people'
import { ROLE_SHORT_LABELS, readRoles, rolesOf } from '../../shared/roles'
import {
  SPAN_OF_CONTROL_LIMIT,
  SUB_TEAM_NAMES,
  type SubTeamName,
  disbandSubTeam,
  formSubTeam,
  isSubTeamName,
  readSubTeams,
  setSubTeam,
  spanOfControl,
} from '../../shared/subteams'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import { PagePersonButton } from '../alerts/PageButtons'
import { useDocValue, useHostNow, usePresence, useRoster } from '../sync/hooks'
import { Picker } from '../common/Picker'
import './people.css'

/** Everyone on the incident: roles, sub-team, here now or when they left. */
export const PeopleDialog = ({ onClose }: { onClose: () => void }) => {
  const { connection, canEdit, open } = useBoard()
  const meet = describeGathering(useDocValue(connection.doc, readGathering))
  const { doc } = connection
  const people = useDocValue(doc, readPeople)
  const roles = useDocValue(doc, readRoles)
  const teams = useDocValue(doc, readSubTeams)
  const attendance = useDocValue(doc, readAttendance)
  const span = useDocValue(doc, spanOfControl)
  const present = new Set(usePresence(connection).map((p) => p.user.id))
  const { error, run, setError } = useAction()
  const freeNames = SUB_TEAM_NAMES.filter((n) => !teams.some((t) => t.name === n))
  const [teamName, setTeamName] = useState<SubTeamName | undefined>(freeNames[0])
  const [leaderId, setLeaderId] = useState<string>()
  const roster = useRoster(connection)
  const now = useHostNow(connection)
  // The latest page of each person paged: whether they came.
  const paged = [...new Map(useDocValue(doc, readPages).filter((p) => p.target === 'person').map((p) => [p.personId, p])).values()]
  const [toPage, setToPage] = useState<string>()
  const pageable = roster.filter((r) => !people.has(r.id))
  const chosen = pageable.find((r) => r.id === toPage)

  const whereabouts = (id: string): string => {
    if (present.has(id)) return 'here now'
    const periods = attendance.get(id)
    if (isConnected(periods)) return 'connected'
    const left = leftAt(periods)
    return left ? `left at ${formatTimeOfDay(left)}` : 'not here'
  }

  const sorted = [...people.values()].sort((a, b) => a.name.localeCompare(b.name))
  return (
    <Dialog title={`People on this incident (${people.size})`} onClose={onClose} wide>
      <p className={span.overLimit ? 'form-error' : 'muted'}>
        {span.directReports.length} report to the incident commander directly
        {span.overLimit ? ` — over the limit of ${SPAN_OF_CONTROL_LIMIT}. Group people into sub-teams, each with a leader.` : '.'}
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Roles</th>
            <th scope="col">Sub-team</th>
            <th scope="col">On the board</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((p) => (
            <tr key={p.id}>
              <th scope="row" style={{ color: p.color }}>
                {p.name}
              </th>
              <td>{rolesOf(roles, p.id).map((r) => ROLE_SHORT_LABELS[r]).join(', ') || '—'}</td>
              <td>
                {canEdit && !teams.some((t) => t.leaderId === p.id) ? (
                  <select
                    aria-label={`Sub-team of ${p.name}`}
                    value={p.subTeam ?? ''}
                    onChange={(e) => run(() => setSubTeam(doc, connection.change(), p.id, isSubTeamName(e.target.value) ? e.target.value : undefined))}
                  >
                    <option value="">Reports to the IC</option>
                    {teams.map((t) => (
                      <option key={t.name} value={t.name}>
                        {t.name}
                      </option>
                    ))}
                  </select>
                ) : (
                  (p.subTeam ?? '—') + (teams.some((t) => t.leaderId === p.id) ? ' (leader)' : '')
                )}
              </td>
              <td className={present.has(p.id) ? 'is-here' : 'muted'}>{whereabouts(p.id)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {teams.length > 0 && (
        <ul className="team-list" aria-label="Sub-teams">
          {teams.map((t) => (
            <li key={t.name}>
              <strong>{t.name}</strong>, led by {displayName(people, t.leaderId)}: {t.members.length} people
              {canEdit && (
                <button type="button" onClick={() => run(() => disbandSubTeam(doc, connection.change(), t.name))}>
                  Disband {t.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && freeNames.length > 0 && (
        <form
          className="team-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (teamName && leaderId) run(() => formSubTeam(doc, connection.change(), teamName, leaderId))
            else setError('Choose a sub-team and its leader.')
          }}
        >
          <label>
            New sub-team
            <select value={teamName} onChange={(e) => setTeamName(isSubTeamName(e.target.value) ? e.target.value : undefined)}>
              {freeNames.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <Picker label="Leader" people={sorted.map((p) => ({ id: p.id, name: p.name }))} value={leaderId} onChange={setLeaderId} />
          <button type="submit">Form sub-team</button>
        </form>
      )}
      <p className="where-we-meet">
        <strong>Where we meet:</strong> {meet || 'no bridge or chat yet'}
        {canEdit && (
          <button type="button" onClick={() => open({ kind: 'gathering' })}>
            {meet ? 'Change bridge & chat' : 'Set bridge & chat'}
          </button>
        )}
      </p>
      {paged.length > 0 && (
        <>
          <h3>Paged</h3>
          <ul className="paged-list" aria-label="Paged">
            {paged.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong> {pageStanding(p, joinedAfter(p, people, () => undefined), now)}
              </li>
            ))}
          </ul>
        </>
      )}
      {canEdit && pageable.length > 0 && (
        <div className="page-someone">
          <Picker label="Page someone from the roster" people={pageable.map((r) => ({ id: r.id, name: r.name, ...(r.team ? { note: r.team } : {}) }))} value={toPage} onChange={setToPage} />
          {chosen && <PagePersonButton personId={chosen.id} name={chosen.name} />}
        </div>
      )}
      <FormError message={error} />
    </Dialog>
  )
}
