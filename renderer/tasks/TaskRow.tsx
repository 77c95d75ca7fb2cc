import { type KeyboardEvent, memo, useState } from 'react'
import { TASK_STATUS_LABELS, type Task, checkBackOf, transitionTask } from '../../shared/tasks'
import { useBoard } from '../board/BoardContext'
import { plainKey } from '../board/keys'
import { FormError, useAction } from '../common/useAction'
import { Countdown } from './Countdown'
import { TaskDetail } from './TaskDetail'
import { NEXT_STEP } from './actions'

/** Where ↑/↓/Home/End go from a task, within its list. */
export type TaskMove = 'previous' | 'next' | 'first' | 'last'

const MOVES: Record<string, TaskMove> = { arrowup: 'previous', arrowdown: 'next', home: 'first', end: 'last' }

/**
 * One task: status, title, owner, countdown and the owner's next step.
 * Memoised: a change to another task does not render this one again.
 * `active`: the list's one Tab stop (roving focus); `onFocusRow` and `onMove` are stable.
 */
export const TaskRow = memo(
  ({
    task,
    ownerName,
    ownerColor,
    mine,
    overdue,
    active,
    onFocusRow,
    onMove,
  }: {
    task: Task
    ownerName: string
    ownerColor: string
    mine: boolean
    overdue: boolean
    active: boolean
    onFocusRow: (id: string) => void
    onMove: (id: string, to: TaskMove) => void
  }) => {
    const { connection, canEdit } = useBoard()
    const [expanded, setExpanded] = useState(false)
    const { error, run } = useAction()
    const next = NEXT_STEP[task.status]

    const step = (): void => {
      if (next) run(() => transitionTask(connection.doc, connection.change(), task.id, next.to))
    }
    // The task's own keys; it marks them handled (preventDefault), so the board does not act on them too.
    const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
      if (e.target !== e.currentTarget) return
      const key = plainKey(e.nativeEvent)
      if (key === undefined) return
      const move = MOVES[key]
      if (move) {
        e.preventDefault()
        onMove(task.id, move)
        return
      }
      if (!canEdit) return
      if (key === 'a') {
        e.preventDefault()
        // As the Acknowledge button: only the owner, only a task just assigned.
        if (mine && task.status === 'assigned') step()
      } else if (key === 'enter') {
        e.preventDefault()
        setExpanded((x) => !x)
      }
    }

    return (
      <div
        role="listitem"
        tabIndex={active ? 0 : -1}
        data-task-id={task.id}
        onKeyDown={onKeyDown}
        onFocus={(e) => e.target === e.currentTarget && onFocusRow(task.id)}
        aria-label={`${task.highPriority ? 'High priority: ' : ''}${task.title}, ${ownerName}, ${TASK_STATUS_LABELS[task.status]}${overdue ? ', check-back overdue' : ''}`}
        className={`task task--${task.status}${overdue ? ' task--overdue' : ''}${mine ? ' task--mine' : ''}`}
      >
        <div className="task-line">
          <span className={`task-status task-status--${task.status}`}>{TASK_STATUS_LABELS[task.status]}</span>
          <div className="task-main">
            <span className="task-title" title={task.title}>
              {task.highPriority && (
                <span className="task-priority" title="High priority" aria-hidden="true">
                  !{' '}
                </span>
              )}
              {task.title}
            </span>
            <span className="task-owner" style={{ color: ownerColor }} title={`${ownerName}${task.subTeam ? ` · ${task.subTeam}` : ''}`}>
              {ownerName}
              {task.subTeam && <span className="muted"> · {task.subTeam}</span>}
            </span>
            {task.status === 'blocked' && task.blockedReason && <span className="task-blocked">Blocked: {task.blockedReason}</span>}
          </div>
          <Countdown task={task} />
          <div className="task-actions">
            {canEdit && mine && next && (
              <button type="button" className="primary" onClick={step}>
                {next.label}
              </button>
            )}
            {canEdit && (
              <button type="button" aria-expanded={expanded} aria-label={`More for ${task.title}`} onClick={() => setExpanded((x) => !x)}>
                {expanded ? 'Less' : 'More'}
              </button>
            )}
          </div>
        </div>
        <FormError message={error} />
        {expanded && <TaskDetail task={task} run={run} />}
      </div>
    )
  },
)
TaskRow.displayName = 'TaskRow'

export const isOverdue = (task: Task, now: number): boolean => checkBackOf(task, now)?.overdue === true
