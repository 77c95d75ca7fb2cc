import { type FormEvent, useState } from 'react'
import { addPerson, displayName, readPeople } from '../../shared/people'
import { ROLES, ROLE_LABELS, type Role, assignRole, readRoles, releaseRole } from '../../shared/roles'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import { Picker } from '../common/Picker'
import { useCandidates } from '../people/candidates'
import { useDocValue } from '../sync/hooks'
import './roles.css'

/** `r`: give a role to someone, or hand it over, in one action. */
export const RoleDialog = ({ initialRole, onClose }: { initialRole?: Role; onClose: () => void }) => {
  const { connection } = useBoard()
  const { doc } = connection
  const [role, setRole] = useState<Role>(initialRole ?? 'incidentCommander')
  const [personId, setPersonId] = useState<string>()
  const { error, run, setError } = useAction()
  const roles = useDocValue(doc, readRoles)
  const people = useDocValue(doc, readPeople)
  const { candidates, roster } = useCandidates(connection)
  const holders = roles.holders.get(role) ?? []

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (!personId) return setError('Choose who takes the role.')
    const fromRoster = roster.find((r) => r.id === personId)
    const ok = run(() => {
      if (!people.has(personId) && fromRoster) addPerson(doc, connection.change(), fromRoster)
      assignRole(doc, connection.change(), role, personId)
    })
    if (ok) onClose()
  }

  return (
    <Dialog title="Assign a role" onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        <fieldset className="role-choices">
          <legend>Role</legend>
          {ROLES.map((r) => (
            <label key={r} className="choice">
              <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
              {ROLE_LABELS[r]}
            </label>
          ))}
        </fieldset>
        <p className="muted" aria-live="polite">
          {holders.length === 0 ? 'Nobody holds this role.' : `Now: ${holders.map((id) => displayName(people, id)).join(', ')}`}
        </p>
        {holders.map((id) => (
          <button key={id} type="button" onClick={() => run(() => releaseRole(doc, connection.change(), role, id))}>
            Release {displayName(people, id)}
          </button>
        ))}
        <Picker label="Who takes it" people={candidates} value={personId} onChange={setPersonId} autoFocus />
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="submit" className="primary">
            Assign {ROLE_LABELS[role]}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
