import { useSyncExternalStore } from 'react'
import { checkBackNews } from '../../shared/announcements'
import { formatElapsed } from '../../shared/clock'
import { markCallout, minuteMark } from '../../shared/deputy'
import { readMeta } from '../../shared/incident'
import { displayName, readPeople } from '../../shared/people'
import { longIncidentMarksPassed } from '../../shared/fatigue'
import { type Task, checkBackOf, dueCheckBacks } from '../../shared/tasks'
import { useFatigue } from '../fatigue/useFatigue'
import { useBoard } from '../board/BoardContext'
import { useAnnouncer } from '../common/useAnnouncer'
import { useDocValue, useHostNow } from '../sync/hooks'
import './deputy.css'

const FOOD = 'Arrange food for the responders'
const NEXT_SHIFT = 'Plan the next shift'

/**
 * Long incidents: at each mark (3 h and 6 h by default) the IC is prompted to
 * delegate food and the next shift, until tasks for them exist since that mark.
 */
const useLongIncidentPrompts = (now: number, startedAt: number | undefined, tasks: readonly Task[]): Array<{ title: string; mark: number }> => {
  const { canEdit } = useBoard()
  const settings = useFatigue().settings
  if (!canEdit || startedAt === undefined) return []
  const mark = longIncidentMarksPassed(startedAt, now, settings).at(-1)
  if (mark === undefined) return []
  const markAt = startedAt + mark * 3_600_000
  return [FOOD, NEXT_SHIFT]
    .filter((title) => !tasks.some((t) => t.title === title && t.createdAt >= markAt))
    .map((title) => ({ title, mark }))
}

/** How long a callout stays up after each ten-minute mark. */
const CALLOUT_MS = 60_000
const DUE_SOON_MS = 5 * 60_000

/**
 * The deputy's voice: "the incident is now at the 30-minute mark", and who is
 * due to report back now or within five minutes.
 */
export const DeputyBar = () => {
  const { connection, open, replay } = useBoard()
  const now = useHostNow(connection)
  const meta = useDocValue(connection.doc, readMeta)
  const people = useDocValue(connection.doc, readPeople)
  const tasks = useSyncExternalStore(connection.tasks.subscribe, connection.tasks.all)
  const startedAt = meta?.milestones.startedAt
  const mark = startedAt !== undefined && !meta?.milestones.resolvedAt ? minuteMark(startedAt, now) : undefined
  const showCallout = mark !== undefined && startedAt !== undefined && now - (startedAt + mark * 60_000) < CALLOUT_MS
  const due = dueCheckBacks(tasks, now, DUE_SOON_MS)
  const prompts = useLongIncidentPrompts(now, startedAt, tasks)
  // The list below counts down every second, so it is no live region; each check-back coming due
  // and going overdue is said once here, with whose it is and the task.
  const checkBacks = useAnnouncer(checkBackNews(tasks, now, DUE_SOON_MS, connection.identity.id, people), replay)
  const shown = showCallout || due.length > 0 || prompts.length > 0
  return (
    <>
      {/* Always in place, even with nothing to show: a live region that appears with its text is not reliably read. */}
      <p className="visually-hidden" role="status" aria-live="assertive">
        {checkBacks}
      </p>
      <p className="visually-hidden" role="status" aria-live="assertive">
        {showCallout && !replay ? markCallout(mark) : ''}
      </p>
      {shown && (
        <aside className="deputy-bar" aria-label="Deputy">
          {showCallout && (
            <p className="deputy-callout" aria-hidden="true">
              {markCallout(mark)}
            </p>
          )}
          {prompts.length > 0 && (
            <p className="deputy-prompt" role="status">
              <span>The incident has run {prompts[0]!.mark} h: delegate</span>
              {prompts.map((p) => (
                <button key={p.title} type="button" onClick={() => open({ kind: 'task', title: p.title })}>
                  “{p.title}”
                </button>
              ))}
            </p>
          )}
          {due.length > 0 && (
            <ul className="due-list" aria-label="Check-backs due">
              {due.map((task) => {
                const check = checkBackOf(task, now)!
                return (
                  <li key={task.id} className={check.overdue ? 'is-overdue' : undefined}>
                    <strong>{displayName(people, task.ownerId)}</strong> — {task.title}:{' '}
                    {check.overdue ? `overdue ${formatElapsed(-check.remainingMs)}` : `in ${formatElapsed(check.remainingMs)}`}
                  </li>
                )
              })}
            </ul>
          )}
        </aside>
      )}
    </>
  )
}
