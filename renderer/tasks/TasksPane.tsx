import { useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { displayName, readPeople } from '../../shared/people'
import { type Task, isOpen, orderForCommander } from '../../shared/tasks'
import { useBoard } from '../board/BoardContext'
import { PaneState } from '../common/PaneState'
import { useDocValue, useHostNow } from '../sync/hooks'
import { TaskRow, type TaskMove, isOverdue } from './TaskRow'
import { NotificationsToggle, useTaskNotifications } from './notifications'
import './tasks.css'

/** One list of tasks, with roving focus: one Tab stop, ↑/↓/Home/End move between its tasks. */
const TaskList = ({ tasks, label, now, me }: { tasks: readonly Task[]; label: string; now: number; me: string }) => {
  const { connection } = useBoard()
  const people = useDocValue(connection.doc, readPeople)
  const list = useRef<HTMLDivElement>(null)
  const [activeId, setActiveId] = useState<string>()
  const active = activeId !== undefined && tasks.some((t) => t.id === activeId) ? activeId : tasks[0]?.id
  const tasksNow = useRef(tasks)
  tasksNow.current = tasks
  const onMove = useCallback((id: string, to: TaskMove): void => {
    const all = tasksNow.current
    const at = all.findIndex((t) => t.id === id)
    const next = all[to === 'first' ? 0 : to === 'last' ? all.length - 1 : to === 'previous' ? Math.max(at - 1, 0) : Math.min(at + 1, all.length - 1)]
    if (at < 0 || !next) return
    setActiveId(next.id)
    list.current?.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(next.id)}"]`)?.focus()
  }, [])
  return (
    <div ref={list} role="list" aria-label={label} className="task-list">
      {tasks.map((task) => (
        <TaskRow
          key={task.id}
          task={task}
          ownerName={displayName(people, task.ownerId)}
          ownerColor={people.get(task.ownerId)?.color ?? 'var(--muted)'}
          mine={task.ownerId === me}
          overdue={isOverdue(task, now)}
          active={task.id === active}
          onFocusRow={setActiveId}
          onMove={onMove}
        />
      ))}
    </div>
  )
}

/** The skip link's target: focus goes to its first list's current task, or to the pane. */
export const TASKS_PANE_ID = 'tasks-pane'

/**
 * The IC's main instrument: every open task with its owner and check-back,
 * overdue ones on top. A responder sees their own tasks first.
 */
export const TasksPane = () => {
  const { connection, canEdit, open } = useBoard()
  const tasks = useSyncExternalStore(connection.tasks.subscribe, connection.tasks.all)
  const now = useHostNow(connection)
  const me = connection.identity.id
  const [showFinished, setShowFinished] = useState(false)
  const { waiting, announcement } = useTaskNotifications(tasks)

  const ordered = useMemo(() => orderForCommander(tasks, now), [tasks, now])
  const mine = ordered.filter((t) => t.ownerId === me && isOpen(t.status))
  const openTasks = ordered.filter((t) => isOpen(t.status) && t.ownerId !== me)
  const finished = ordered.filter((t) => !isOpen(t.status))
  const overdue = ordered.filter((t) => isOverdue(t, now)).length

  return (
    <section className="pane tasks-pane" aria-labelledby="tasks-heading" id={TASKS_PANE_ID} tabIndex={-1}>
      <div className="pane-header">
        <h2 id="tasks-heading">Tasks</h2>
        {/* Not a live region: what changed is said with its title and owner below and in the deputy's line. */}
        <span className="muted">
          {ordered.length - finished.length} open{overdue > 0 && <strong className="overdue-count"> · {overdue} overdue</strong>}
        </span>
        {canEdit && (
          <button type="button" className="primary new-task" onClick={() => open({ kind: 'task' })} title="New task (T)">
            New task
          </button>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <div className="tasks-scroll">
        {mine.length > 0 && (
          <section className="my-tasks" aria-labelledby="my-tasks-heading">
            <h3 id="my-tasks-heading">
              My tasks
              {waiting > 0 && (
                <span className="badge" aria-label={`${waiting} waiting for you to acknowledge`}>
                  {waiting}
                </span>
              )}
            </h3>
            <NotificationsToggle />
            <TaskList tasks={mine} label="My tasks" now={now} me={me} />
          </section>
        )}
        {openTasks.length > 0 && <TaskList tasks={openTasks} label={mine.length > 0 ? 'Everyone else\u2019s tasks' : 'Open tasks'} now={now} me={me} />}
        {ordered.length === 0 && (
          <PaneState kind="empty" title="No tasks yet">
            {canEdit && <p>Press T to give someone a task, with a time to report back.</p>}
          </PaneState>
        )}
        {finished.length > 0 && (
          <>
            <button type="button" className="link-button" aria-expanded={showFinished} onClick={() => setShowFinished((x) => !x)}>
              {showFinished ? 'Hide' : 'Show'} {finished.length} finished
            </button>
            {showFinished && <TaskList tasks={finished} label="Finished tasks" now={now} me={me} />}
          </>
        )}
      </div>
    </section>
  )
}
