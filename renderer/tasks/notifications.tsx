import { useEffect, useRef, useState } from 'react'
import type { Task } from '../../shared/tasks'
import { desktopBridge } from '../app/bridge'
import { useBoard } from '../board/BoardContext'

/** The desktop app's native notification, or the browser's when allowed. */
const notify = (title: string, body: string): void => {
  const bridge = desktopBridge()
  if (bridge) return bridge.notify(title, body)
  if ('Notification' in window && Notification.permission === 'granted') new Notification(title, { body, tag: 'warroom-task' })
}

/**
 * A task given to me raises a notification at once, and the count of tasks
 * waiting for my acknowledgement shows as a badge and in the window title.
 * Tasks that were already mine when the board opened are not announced again.
 */
export const useTaskNotifications = (tasks: readonly Task[]): number => {
  const { connection } = useBoard()
  const me = connection.identity.id
  const known = useRef<Set<string> | undefined>(undefined)
  const waiting = tasks.filter((t) => t.ownerId === me && t.status === 'assigned')
  // A task is announced again if it comes back to me (reassigned, reopened): its history grew.
  const keyOf = (t: Task): string => `${t.id}:${t.history.length}`
  const waitingKey = waiting.map(keyOf).join(' ')

  useEffect(() => {
    if (known.current) {
      for (const task of waiting) {
        const assignedByMe = task.history.at(-1)?.by === me
        if (!known.current.has(keyOf(task)) && !assignedByMe) notify('New task for you', task.title)
      }
    }
    known.current = new Set(waiting.map(keyOf))
    // `waitingKey` captures what matters in `waiting`, which is a new array every render.
  }, [waitingKey, me])

  const count = waiting.length
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, '')
    document.title = count > 0 ? `(${count}) ${base}` : base
  }, [count])
  return count
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
