/**
 * What a screen reader is told about tasks, as it happens: a task given to
 * me, a check-back coming due and one gone overdue. Each has a key, so it is
 * said once (`freshAnnouncements`); what was there when the board opened is
 * not news. Pure, over what the board already shows.
 */
import { type Person, displayName } from './people'
import { type Task, checkBackOf } from './tasks'

export interface Announcement {
  /** Said once per key. */
  key: string
  text: string
}

/** Whoever last moved the task (gave it, reassigned it, reopened it). */
const lastBy = (task: Task): string => task.history.at(-1)?.by ?? task.createdBy

/**
 * Tasks waiting for my acknowledgement that someone else gave me: who gave it
 * and its title. Said again if it comes back to me (its history grew).
 */
export const tasksForMe = (tasks: readonly Task[], me: string, people: ReadonlyMap<string, Person>): Array<Announcement & { title: string; from: string }> =>
  tasks
    .filter((t) => t.ownerId === me && t.status === 'assigned' && lastBy(t) !== me)
    .map((t) => {
      const from = displayName(people, lastBy(t))
      return { key: `${t.id}:${t.history.length}`, title: t.title, from, text: `New task for you from ${from}: ${t.title}` }
    })

/**
 * Check-backs due within `soonMs`, and those overdue: whose (you, for your
 * own) and which task. Once per due time and state: a report sets a new due
 * time, and one due soon is said again when it goes overdue.
 */
export const checkBackNews = (tasks: readonly Task[], now: number, soonMs: number, me: string, people: ReadonlyMap<string, Person>): Announcement[] =>
  tasks.flatMap((t) => {
    const check = checkBackOf(t, now)
    if (!check || check.remainingMs > soonMs) return []
    const whose = t.ownerId === me ? 'you' : displayName(people, t.ownerId)
    return check.overdue
      ? [{ key: `${t.id}@${check.dueAt}:overdue`, text: `Check-back overdue: ${whose}, “${t.title}”` }]
      : [{ key: `${t.id}@${check.dueAt}:soon`, text: `Check-back due soon: ${whose}, “${t.title}”` }]
  })

/** The announcements not said yet, in order; marks them said. */
export const freshAnnouncements = <T extends Announcement>(items: readonly T[], said: Set<string>): T[] => {
  const fresh = items.filter((a) => !said.has(a.key))
  for (const a of fresh) said.add(a.key)
  return fresh
}
