import { describe, expect, it } from 'vitest'
import { checkBackNews, freshAnnouncements, tasksForMe } from '../../shared/announcements'
import { readPeople } from '../../shared/people'
import { createTask, readTasks, reassignTask, reportOnTask, transitionTask } from '../../shared/tasks'
import { T0, at, docWithPeople } from './helpers/doc'

const MIN = 60_000

describe('what a screen reader is told about tasks', () => {
  it('tells the owner of a new task who gave it and its title, not a task they gave themselves, and again when it comes back', () => {
    const doc = docWithPeople('Iris', 'Bob')
    const people = readPeople(doc)
    const id = createTask(doc, at(10, 'iris'), { title: 'Fail over the primary database', ownerId: 'bob' })
    createTask(doc, at(20, 'bob'), { title: 'Check the replica lag', ownerId: 'bob' })
    const said = new Set<string>()
    expect(freshAnnouncements(tasksForMe(readTasks(doc), 'bob', people), said).map((a) => a.text)).toEqual([
      'New task for you from Iris: Fail over the primary database',
    ])
    // Nothing new: nothing said again.
    expect(freshAnnouncements(tasksForMe(readTasks(doc), 'bob', people), said)).toEqual([])
    // Acknowledged, it no longer waits; given to Iris and back to Bob, it is news again.
    transitionTask(doc, at(30, 'bob'), id, 'acknowledged')
    expect(tasksForMe(readTasks(doc), 'bob', people)).toEqual([])
    reassignTask(doc, at(40, 'iris'), id, 'iris')
    reassignTask(doc, at(50, 'iris'), id, 'bob')
    expect(freshAnnouncements(tasksForMe(readTasks(doc), 'bob', people), said).map((a) => a.text)).toEqual([
      'New task for you from Iris: Fail over the primary database',
    ])
    expect(tasksForMe(readTasks(doc), 'iris', people)).toEqual([])
  })

  it('says a check-back coming due and going overdue once each, with whose it is; a report starts over', () => {
    const doc = docWithPeople('Iris', 'Bob')
    const people = readPeople(doc)
    const id = createTask(doc, at(0, 'iris'), { title: 'Roll back the deploy', ownerId: 'bob', checkBackMinutes: 10 })
    const said = new Set<string>()
    const news = (minutes: number, me = 'iris') => freshAnnouncements(checkBackNews(readTasks(doc), T0 + minutes * MIN, 5 * MIN, me, people), said).map((a) => a.text)
    expect(news(2)).toEqual([])
    expect(news(5.5)).toEqual(['Check-back due soon: Bob, “Roll back the deploy”'])
    expect(news(7)).toEqual([])
    expect(news(10)).toEqual(['Check-back overdue: Bob, “Roll back the deploy”'])
    expect(news(12)).toEqual([])
    // Bob reports at minute 13: his next check-back is at 23, said again as it comes due and goes overdue ("you" on his screen).
    reportOnTask(doc, at(13 * 60, 'bob'), id, 'Rolled back; watching errors')
    expect(news(14)).toEqual([])
    expect(news(18.5, 'bob')).toEqual(['Check-back due soon: you, “Roll back the deploy”'])
    expect(news(23, 'bob')).toEqual(['Check-back overdue: you, “Roll back the deploy”'])
    // A finished task has no check-back to say.
    transitionTask(doc, at(24 * 60, 'bob'), id, 'done')
    expect(checkBackNews(readTasks(doc), T0 + 30 * MIN, 5 * MIN, 'iris', people)).toEqual([])
  })
})
