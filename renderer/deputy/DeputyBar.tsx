import { useSyncExternalStore } from 'react'
import { formatElapsed } from '../../shared/clock'
import { markCallout, minuteMark } from '../../shared/deputy'
import { readMeta } from '../../shared/incident'
import { readPeople } from '../../shared/people'
import { checkBackOf, dueCheckBacks } from '../../shared/tasks'
import { useBoard } from '../board/BoardContext'
import { useDocValue, useHostNow } from '../sync/hooks'

/** How long a callout stays up after each ten-minute mark. */
const CALLOUT_MS = 60_000
const DUE_SOON_MS = 5 * 60_000

/**
 * The deputy's voice: "the incident is now at the 30-minute mark", and who is
 * due to report back now or within five minutes.
 */
export const DeputyBar = () => {
  const { connection } = useBoard()
  const now = useHostNow(connection)
  const meta = useDocValue(connection.doc, readMeta)
  const people = useDocValue(connection.doc, readPeople)
  const tasks = useSyncExternalStore(connection.tasks.subscribe, connection.tasks.all)
  const startedAt = meta?.milestones.startedAt
  const mark = startedAt !== undefined && !meta?.milestones.resolvedAt ? minuteMark(startedAt, now) : undefined
  const showCallout = mark !== undefined && startedAt !== undefined && now - (startedAt + mark * 60_000) < CALLOUT_MS
  const due = dueCheckBacks(tasks, now, DUE_SOON_MS)
  if (!showCallout && due.length === 0) return null
  return (
    <aside className="deputy-bar" aria-label="Deputy">
      <p className="deputy-callout" role="status" aria-live="assertive">
        {showCallout ? markCallout(mark) : ''}
      </p>
      {due.length > 0 && (
        <ul className="due-list" aria-label="Check-backs due">
          {due.map((task) => {
            const check = checkBackOf(task, now)!
            return (
              <li key={task.id} className={check.overdue ? 'is-overdue' : undefined}>
                <strong>{people.get(task.ownerId)?.name ?? 'Unknown'}</strong> — {task.title}:{' '}
                {check.overdue ? `overdue ${formatElapsed(-check.remainingMs)}` : `in ${formatElapsed(check.remainingMs)}`}
              </li>
            )
          })}
        </ul>
      )}
    </aside>
  )
}
