import { formatElapsed, formatTimeOfDay } from '../../shared/clock'
import { type Task, checkBackOf } from '../../shared/tasks'
import { useBoard } from '../board/BoardContext'
import { useHostNow } from '../sync/hooks'

/** "in 04:12", then red "overdue 01:05": from the stored check-back time and the host clock. */
export const Countdown = ({ task }: { task: Task }) => {
  const { connection } = useBoard()
  const now = useHostNow(connection)
  const check = checkBackOf(task, now)
  if (!check) return <span className="countdown countdown--none muted">no check-back</span>
  const label = check.overdue ? `overdue ${formatElapsed(-check.remainingMs)}` : `in ${formatElapsed(check.remainingMs)}`
  return (
    <span
      className={`countdown${check.overdue ? ' countdown--overdue' : check.remainingMs < 60_000 ? ' countdown--soon' : ''}`}
      role="timer"
      aria-label={`Check back ${check.overdue ? 'overdue by' : 'in'} ${formatElapsed(Math.abs(check.remainingMs))}, due ${formatTimeOfDay(check.dueAt)}`}
      title={`Due ${formatTimeOfDay(check.dueAt)}`}
    >
      {check.overdue && <span aria-hidden="true">⚠ </span>}
      {label}
    </span>
  )
}
