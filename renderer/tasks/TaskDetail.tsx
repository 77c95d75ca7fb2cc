import { type FormEvent, useState } from 'react'
import { formatTimeOfDay } from '../../shared/clock'
import { addPerson, displayName, readPeople } from '../../shared/people'
import {
  TASK_STATUS_LABELS,
  type Task,
  editTaskText,
  isOpen,
  reassignTask,
  reopenTask,
  reportOnTask,
  setCheckBack,
  setTaskPriority,
  transitionTask,
} from '../../shared/tasks'
import { useBoard } from '../board/BoardContext'
import { Picker } from '../common/Picker'
import { useCandidates } from '../people/candidates'
import { useDocValue } from '../sync/hooks'
import { CHECK_BACK_CHOICES } from './actions'

const describeEvent = (event: Task['history'][number], name: (id: string) => string): string => {
  switch (event.type) {
    case 'created':
      return `created by ${name(event.by)} for ${name(event.ownerId)}`
    case 'status':
      return `${TASK_STATUS_LABELS[event.to]}${event.reason ? `: ${event.reason}` : ''} (${name(event.by)})`
    case 'owner':
      return `given to ${name(event.ownerId)} by ${name(event.by)}`
    case 'checkBack':
      return event.checkBackAt === null ? `check-back cleared by ${name(event.by)}` : `check back at ${formatTimeOfDay(event.checkBackAt)} (${name(event.by)})`
    case 'report':
      return `${name(event.by)} reported back`
    case 'reopen':
      return `reopened by ${name(event.by)}`
    case 'priority':
      return `${event.highPriority ? 'marked high priority' : 'no longer high priority'} by ${name(event.by)}`
  }
}

/** Everything one can do to a task, opened from its row. */
export const TaskDetail = ({ task, run }: { task: Task; run: (fn: () => void) => boolean }) => {
  const { connection } = useBoard()
  const { doc } = connection
  const people = useDocValue(doc, readPeople)
  const { candidates, roster } = useCandidates(connection)
  const [report, setReport] = useState('')
  const [reason, setReason] = useState('')
  const [newOwner, setNewOwner] = useState<string>()
  const name = (id: string): string => displayName(people, id)
  const open = isOpen(task.status)

  const submitReport = (e: FormEvent): void => {
    e.preventDefault()
    if (run(() => reportOnTask(doc, connection.change(), task.id, report))) setReport('')
  }
  const reassign = (): void => {
    const fromRoster = roster.find((r) => r.id === newOwner)
    run(() => {
      if (!newOwner) throw new Error('Choose who takes the task.')
      if (!people.has(newOwner) && fromRoster) addPerson(doc, connection.change(), fromRoster)
      reassignTask(doc, connection.change(), task.id, newOwner)
    })
  }

  return (
    <div className="task-detail">
      {/* Reporting back is what an open task is opened for most: it comes first, one Tab from the task. */}
      {open && (
        <form className="inline-form" onSubmit={submitReport}>
          <label>
            Report back
            <input value={report} onChange={(e) => setReport(e.target.value)} placeholder="What did you find?" />
          </label>
          <button type="submit">Report</button>
        </form>
      )}
      <label>
        Title
        <input defaultValue={task.title} onBlur={(e) => e.target.value !== task.title && run(() => editTaskText(doc, task.id, 'title', e.target.value))} />
      </label>
      <label>
        Details
        <textarea rows={2} defaultValue={task.details} onBlur={(e) => e.target.value !== task.details && run(() => editTaskText(doc, task.id, 'details', e.target.value))} />
      </label>
      {open ? (
        <>
          <div className="inline-form" role="group" aria-label="Check back">
            <span className="muted">Check back in</span>
            {CHECK_BACK_CHOICES.map((m) => (
              <button key={m} type="button" onClick={() => run(() => setCheckBack(doc, connection.change(), task.id, m))}>
                {m} min
              </button>
            ))}
            {task.checkBackAt !== undefined && (
              <button type="button" onClick={() => run(() => setCheckBack(doc, connection.change(), task.id, null))}>
                No check-back
              </button>
            )}
          </div>
          <div className="inline-form">
            <Picker label="Give to" people={candidates.filter((c) => c.id !== task.ownerId)} value={newOwner} onChange={setNewOwner} />
            <button type="button" onClick={reassign}>
              Reassign
            </button>
          </div>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              if (run(() => transitionTask(doc, connection.change(), task.id, 'blocked', reason))) setReason('')
            }}
          >
            <label>
              Blocked on
              <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Waiting for DBA access" />
            </label>
            <button type="submit" disabled={task.status === 'blocked'}>
              Mark blocked
            </button>
          </form>
          <div className="inline-form">
            <button type="button" aria-pressed={task.highPriority} onClick={() => run(() => setTaskPriority(doc, connection.change(), task.id, !task.highPriority))}>
              High priority
            </button>
            <button type="button" onClick={() => run(() => transitionTask(doc, connection.change(), task.id, 'done'))}>
              Mark done
            </button>
            <button type="button" className="danger" onClick={() => run(() => transitionTask(doc, connection.change(), task.id, 'cancelled'))}>
              Cancel task
            </button>
          </div>
        </>
      ) : (
        <button type="button" onClick={() => run(() => reopenTask(doc, connection.change(), task.id))}>
          Reopen
        </button>
      )}
      <ol className="task-history" aria-label="History">
        {task.history.map((event) => (
          <li key={event.id} className={event.applied ? undefined : 'is-overtaken'}>
            <time>{formatTimeOfDay(event.at)}</time> {describeEvent(event, name)}
            {!event.applied && ' — overtaken by a later change'}
          </li>
        ))}
      </ol>
    </div>
  )
}
