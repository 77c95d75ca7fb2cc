import { useEffect, useState } from 'react'
import { tasksForMe } from '../../shared/announcements'
import { readPeople } from '../../shared/people'
import type { Task } from '../../shared/tasks'
import { desktopBridge } from '../app/bridge'
import { useBoard } from '../board/BoardContext'
import { useAnnouncer } from '../common/useAnnouncer'
import { useDocValue } from '../sync/hooks'

/** The desktop app's native notification, or the browser's when allowed. */
const notify = (title: string, body: string): void => {
  const bridge = desktopBridge()
  if (bridge) return bridge.notify(title, body)
  if ('Notification' in window && Notification.permission === 'granted') new Notification(title, { body, tag: 'warroom-task' })
}

/**
 * A task given to me raises a notification at once and is said to a screen
 * reader (the returned text, for a live region), and the count of tasks
 * waiting for my acknowledgement shows as a badge and in the window title.
 * Tasks that were already mine when the board opened are not announced again.
 */
export const useTaskNotifications = (tasks: readonly Task[]): { waiting: number; announcement: string } => {
  const { connection, replay } = useBoard()
  const me = connection.identity.id
  const people = useDocValue(connection.doc, readPeople)
  const announcement = useAnnouncer(tasksForMe(tasks, me, people), replay, (fresh) => {
    for (const task of fresh) notify('New task for you', task.title)
  })
  const count = tasks.filter((t) => t.ownerId === me && t.status === 'assigned').length
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, '')
    document.title = count > 0 ? `(${count}) ${base}` : base
  }, [count])
  return { waiting: count, announcement }
}

/** In a browser the page must ask; the desktop app may always notify. */
export const NotificationsToggle = () => {
  const [permission, setPermission] = useState(() => ('Notification' in window ? Notification.permission : 'denied'))
  if (desktopBridge() || permission !== 'default') return null
  return (
    <button type="button" className="link-button" onClick={() => void Notification.requestPermission().then(setPermission)}>
      Notify me when I get a task
    </button>
  )
}
