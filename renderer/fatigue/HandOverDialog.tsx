import { type FormEvent, useState } from 'react'
import type { Fatigue } from '../../shared/fatigue'
import { handOver } from '../../shared/handover'
import { displayName, readPeople } from '../../shared/people'
import { ROLE_LABELS, type Role, readRoles, rolesOf } from '../../shared/roles'
import { type Task, isOpen } from '../../shared/tasks'
import type { RosterPerson } from '../app/api'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import { type Pickable, Picker } from '../common/Picker'
import { useDocValue, usePresence, useRoster } from '../sync/hooks'
import { fatigueLabel } from './FatigueBadge'
import { useFatigue } from './useFatigue'

const REST_CHOICES = [30, 60, 120, 240, 480] as const
const FRESHNESS = { fresh: 0, due: 1, overdue: 2, resting: 3, released: 3 } as const

/** Skills on the roster that the work mentions: "postgres" for "Fail over the postgres primary". */
const matchingSkills = (person: RosterPerson | undefined, text: string): string[] =>
  (person?.skills ?? []).filter((skill) => text.toLowerCase().includes(skill.toLowerCase()))

/**
 * Who could take over: people on duty and present first, the freshest first,
 * those whose skills the work mentions before others.
 */
const useSuggestions = (leaving: string): ((work: string) => Pickable[]) => {
  const { connection } = useBoard()
  const people = useDocValue(connection.doc, readPeople)
  const roster = useRoster(connection)
  const present = new Set(usePresence(connection).map((p) => p.user.id))
  const { fatigue } = useFatigue()
  return (work) =>
    [...people.values()]
      .filter((p) => p.id !== leaving && (fatigue.get(p.id)?.level ?? 'fresh') !== 'resting' && fatigue.get(p.id)?.level !== 'released')
      .map((p) => {
        const f: Fatigue | undefined = fatigue.get(p.id)
        const skills = matchingSkills(roster.find((r) => r.id === p.id), work)
        return { p, f, skills, here: present.has(p.id) }
      })
      .sort(
        (a, b) =>
          b.skills.length - a.skills.length ||
          Number(b.here) - Number(a.here) ||
          FRESHNESS[a.f?.level ?? 'fresh'] - FRESHNESS[b.f?.level ?? 'fresh'] ||
          a.p.name.localeCompare(b.p.name),
      )
      .map(({ p, f, skills, here }) => ({
        id: p.id,
        name: p.name,
        note: [here ? 'here' : 'away', f ? fatigueLabel(f).toLowerCase() : undefined, ...skills].filter(Boolean).join(' · '),
      }))
}

/**
 * Before someone rests or leaves, their roles and open tasks go to others: one
 * dialog, with suggestions, and everything written to the timeline.
 */
export const HandOverDialog = ({ personId, then, onClose }: { personId: string; then: 'rest' | 'release'; onClose: () => void }) => {
  const { connection } = useBoard()
  const { doc } = connection
  const people = useDocValue(doc, readPeople)
  const roles = useDocValue(doc, readRoles)
  const tasks = connection.tasks.all().filter((t) => t.ownerId === personId && isOpen(t.status))
  const held = rolesOf(roles, personId)
  const suggest = useSuggestions(personId)
  const [roleTo, setRoleTo] = useState<Partial<Record<Role, string>>>({})
  const [taskTo, setTaskTo] = useState<Record<string, string | undefined>>({})
  const [minutes, setMinutes] = useState(60)
  const { error, run } = useAction()
  const name = displayName(people, personId)
  const roleSuggestions = suggest('')

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const tasksTo = Object.fromEntries(Object.entries(taskTo).filter((e): e is [string, string] => e[1] !== undefined))
    const done = run(() =>
      handOver(doc, connection.change(), { personId, roles: roleTo, tasks: tasksTo, then: then === 'rest' ? { restMinutes: minutes } : 'release' }),
    )
    if (done) onClose()
  }

  return (
    <Dialog title={then === 'rest' ? `Send ${name} to rest` : `Release ${name} from the incident`} onClose={onClose} wide>
      <form className="dialog-form" onSubmit={submit}>
        {held.length === 0 && tasks.length === 0 && <p className="muted">{name} holds no role and no open task.</p>}
        {held.map((role) => (
          <Picker
            key={role}
            label={`${ROLE_LABELS[role]} goes to`}
            people={roleSuggestions}
            value={roleTo[role]}
            onChange={(id) => setRoleTo((r) => ({ ...r, [role]: id }))}
          />
        ))}
        {tasks.map((task: Task) => (
          <Picker
            key={task.id}
            label={`“${task.title}” goes to`}
            people={suggest(`${task.title} ${task.details}`)}
            value={taskTo[task.id]}
            onChange={(id) => setTaskTo((t) => ({ ...t, [task.id]: id }))}
          />
        ))}
        {held.length > 0 && (
          <p className="muted">
            A role left empty is given up: nobody holds it until someone is assigned.{held.includes('incidentCommander') ? ' Command must go to someone.' : ''}
          </p>
        )}
        {tasks.length > 0 && <p className="muted">A task left empty stays with {name}.</p>}
        {then === 'rest' && (
          <div className="inline-form" role="group" aria-label="Rest for">
            <span className="muted">Rest for</span>
            {REST_CHOICES.map((m) => (
              <button key={m} type="button" aria-pressed={minutes === m} onClick={() => setMinutes(m)}>
                {m < 60 ? `${m} min` : `${m / 60} h`}
              </button>
            ))}
          </div>
        )}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="submit" className="primary">
            {then === 'rest' ? `Send ${name} to rest` : `Release ${name}`}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
