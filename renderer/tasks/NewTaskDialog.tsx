import { type FormEvent, useState } from 'react'
import { addPerson, readPeople } from '../../shared/people'
import { readSubTeams } from '../../shared/subteams'
import { createTask } from '../../shared/tasks'
import { formatTimeOfDay } from '../../shared/clock'
import { isResting } from '../../shared/duty'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import { Picker } from '../common/Picker'
import { useCandidates } from '../people/candidates'
import { useDocValue } from '../sync/hooks'
import { CHECK_BACK_CHOICES } from './actions'

/** `t`: "A, please do B; I'll come back to you in 10 minutes." */
export const NewTaskDialog = ({
  ownerId: initialOwner,
  title: initialTitle,
  serviceId,
  onClose,
}: {
  ownerId?: string
  title?: string
  /** The task is about this service (opened from the graph). */
  serviceId?: string
  onClose: () => void
}) => {
  const { connection } = useBoard()
  const { doc } = connection
  const people = useDocValue(doc, readPeople)
  const teams = useDocValue(doc, readSubTeams)
  const { candidates, roster } = useCandidates(connection)
  const [title, setTitle] = useState(initialTitle ?? '')
  const [overrideRest, setOverrideRest] = useState(false)
  const [highPriority, setHighPriority] = useState(false)
  const [ownerId, setOwnerId] = useState(initialOwner)
  const [minutes, setMinutes] = useState('10')
  const [details, setDetails] = useState('')
  const [subTeam, setSubTeam] = useState('')
  const { error, run } = useAction()
  const restingUntil = ownerId ? isResting(doc, ownerId, connection.clock.now()) : undefined

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const created = run(() => {
      if (!ownerId) throw new Error('Every task needs one named owner: choose who.')
      const checkBackMinutes = minutes.trim() === '' ? undefined : Number(minutes)
      const fromRoster = roster.find((r) => r.id === ownerId)
      if (!people.has(ownerId) && fromRoster) addPerson(doc, connection.change(), fromRoster)
      createTask(doc, connection.change(), {
        title,
        ownerId,
        details,
        ...(checkBackMinutes !== undefined ? { checkBackMinutes } : {}),
        ...(subTeam ? { subTeam } : {}),
        ...(serviceId ? { serviceIds: [serviceId] } : {}),
        overrideRest,
        highPriority,
      })
    })
    if (created) onClose()
  }

  return (
    <Dialog title="New task" onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        <label>
          Task
          <input value={title} onChange={(e) => setTitle(e.target.value)} autoFocus required maxLength={200} placeholder="Fail over the primary database" />
        </label>
        <Picker label="Owner" people={candidates} value={ownerId} onChange={setOwnerId} />
        {restingUntil !== undefined && (
          <label className="choice warning-text">
            <input type="checkbox" checked={overrideRest} onChange={(e) => setOverrideRest(e.target.checked)} />
            {people.get(ownerId!)?.name} is resting until {formatTimeOfDay(restingUntil)}. Assign anyway: it cannot wait.
          </label>
        )}
        <label className="choice">
          <input type="checkbox" checked={highPriority} onChange={(e) => setHighPriority(e.target.checked)} />
          High priority (leads the task list and the stakeholder updates)
        </label>
        <div className="inline-form" role="group" aria-label="Report back">
          <label>
            Check back in (minutes)
            <input type="number" min={1} max={1440} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          </label>
          {CHECK_BACK_CHOICES.map((m) => (
            <button key={m} type="button" aria-pressed={minutes === String(m)} onClick={() => setMinutes(String(m))}>
              {m}
            </button>
          ))}
          <button type="button" aria-pressed={minutes === ''} onClick={() => setMinutes('')}>
            None
          </button>
        </div>
        <label>
          Details (optional)
          <textarea rows={2} value={details} onChange={(e) => setDetails(e.target.value)} />
        </label>
        {teams.length > 0 && (
          <label>
            Sub-team
            <select value={subTeam} onChange={(e) => setSubTeam(e.target.value)}>
              <option value="">None</option>
              {teams.map((t) => (
                <option key={t.name}>{t.name}</option>
              ))}
            </select>
          </label>
        )}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="submit" className="primary">
            Assign task
          </button>
        </div>
      </form>
    </Dialog>
  )
}
