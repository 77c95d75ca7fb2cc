import { describe, expect, it } from 'vitest'
import { markCallout, minuteMark } from '../../shared/deputy'
import {
  TASK_STATUSES,
  type TaskStatus,
  TaskError,
  canTransition,
  checkBackOf,
  createTask,
  dueCheckBacks,
  editTaskText,
  orderForCommander,
  readTasks,
  reassignTask,
  reopenTask,
  reportOnTask,
  setCheckBack,
  setTaskPriority,
  transitionTask,
} from '../../shared/tasks'
import { readTimeline } from '../../shared/timeline'
import { T0, at, docWithPeople, mergeInOrder, peerOf } from './helpers/doc'

const task = (doc: ReturnType<typeof docWithPeople>, id: string) => readTasks(doc).find((t) => t.id === id)!
const texts = (doc: ReturnType<typeof docWithPeople>) => readTimeline(doc).map((e) => e.text)

describe('creating a task', () => {
  it('has one named owner, a check-back, and writes "Task for …" to the timeline', () => {
    const doc = docWithPeople('Iris', 'Alice')
    const id = createTask(doc, at(60, 'iris'), { title: ' Restart   the primary DB ', ownerId: 'alice', checkBackMinutes: 10 })
    expect(task(doc, id)).toMatchObject({
      title: 'Restart the primary DB',
      ownerId: 'alice',
      status: 'assigned',
      checkBackAt: T0 + 60_000 + 600_000,
      createdBy: 'iris',
    })
    const entry = readTimeline(doc).at(-1)!
    expect(entry.text).toMatch(/^Task for Alice: Restart the primary DB — check back at \d\d:\d\d:\d\d$/)
    expect(entry.links).toEqual({ taskId: id, personId: 'alice' })
  })

  it('can be high priority from the start or later, each change on the timeline and in its history', () => {
    const doc = docWithPeople('Iris', 'Alice')
    const id = createTask(doc, at(60, 'iris'), { title: 'Fail over', ownerId: 'alice', highPriority: true })
    expect(task(doc, id).highPriority).toBe(true)
    expect(texts(doc).at(-1)).toBe('High-priority task for Alice: Fail over')
    setTaskPriority(doc, at(70, 'iris'), id, false)
    setTaskPriority(doc, at(71, 'iris'), id, false)
    expect(task(doc, id).highPriority).toBe(false)
    expect(texts(doc).filter((t) => t.includes('high priority'))).toEqual(['“Fail over” is no longer high priority'])
    const other = createTask(doc, at(80, 'iris'), { title: 'Page the DBA', ownerId: 'alice', highPriority: true })
    const peer = peerOf(doc)
    setTaskPriority(doc, at(90, 'iris'), other, false)
    setTaskPriority(peer, at(91, 'alice'), other, false)
    // Two people lowering it at once: both orders of arrival agree, and the second change shows as overtaken.
    for (const merged of [mergeInOrder(doc, peer, 'ab'), mergeInOrder(doc, peer, 'ba')]) {
      expect(task(merged, other).highPriority).toBe(false)
      expect(task(merged, other).history.map((e) => [e.type, e.applied])).toEqual([
        ['created', true],
        ['priority', true],
        ['priority', false],
      ])
    }
  })

  it('refuses an unowned task, an unknown owner, an empty title and a silly check-back', () => {
    const doc = docWithPeople('Iris', 'Alice')
    const before = readTimeline(doc).length
    expect(() => createTask(doc, at(1), { title: 'Do it', ownerId: '' })).toThrow(/one named owner/)
    expect(() => createTask(doc, at(1), { title: 'Do it', ownerId: 'ghost' })).toThrow(/not on this incident/)
    expect(() => createTask(doc, at(1), { title: '  ', ownerId: 'alice' })).toThrow(/needs a title/)
    expect(() => createTask(doc, at(1), { title: 'Do it', ownerId: 'alice', checkBackMinutes: 0 })).toThrow(/check-back/)
    expect(() => createTask(doc, at(1), { title: 'Do it', ownerId: 'alice', checkBackMinutes: 5000 })).toThrow(TaskError)
    expect(readTasks(doc)).toEqual([])
    expect(readTimeline(doc)).toHaveLength(before)
  })
})

describe('transitions', () => {
  const ALLOWED: Record<TaskStatus, TaskStatus[]> = {
    assigned: ['acknowledged', 'inProgress', 'blocked', 'done', 'cancelled'],
    acknowledged: ['inProgress', 'blocked', 'done', 'cancelled'],
    inProgress: ['blocked', 'done', 'cancelled'],
    blocked: ['inProgress', 'done', 'cancelled'],
    done: [],
    cancelled: [],
  }
  for (const from of TASK_STATUSES) {
    for (const to of TASK_STATUSES) {
      it(`${from} → ${to} is ${ALLOWED[from].includes(to) ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(ALLOWED[from].includes(to))
      })
    }
  }

  it('the normal life of a task, each step on the timeline with its actor', () => {
    const doc = docWithPeople('Iris', 'Alice')
    const id = createTask(doc, at(0, 'iris'), { title: 'Check replication', ownerId: 'alice', checkBackMinutes: 5 })
    transitionTask(doc, at(10, 'alice'), id, 'acknowledged')
    transitionTask(doc, at(20, 'alice'), id, 'inProgress')
    transitionTask(doc, at(30, 'alice'), id, 'blocked', 'waiting for DBA access')
    expect(task(doc, id)).toMatchObject({ status: 'blocked', blockedReason: 'waiting for DBA access' })
    transitionTask(doc, at(40, 'alice'), id, 'inProgress')
    transitionTask(doc, at(50, 'alice'), id, 'done')
    expect(task(doc, id)).toMatchObject({ status: 'done' })
    expect(task(doc, id).checkBackAt).toBeUndefined()
    expect(texts(doc).slice(-5)).toEqual([
      'Alice acknowledged “Check replication”',
      'Alice started “Check replication”',
      'Alice is blocked on “Check replication”: waiting for DBA access',
      'Alice started “Check replication”',
      'Alice finished “Check replication”',
    ])
  })

  it('refuses invalid transitions with a clear message; reopening is explicit', () => {
    const doc = docWithPeople('Iris', 'Alice')
    const id = createTask(doc, at(0), { title: 'Rollback', ownerId: 'alice' })
    expect(() => transitionTask(doc, at(1), id, 'blocked')).toThrow(/blocked on/)
    transitionTask(doc, at(2), id, 'done')
    expect(() => transitionTask(doc, at(3), id, 'assigned')).toThrow('This task is done; reopen it first.')
    expect(() => transitionTask(doc, at(3), id, 'inProgress')).toThrow(/reopen it first/)
    reopenTask(doc, at(4, 'iris'), id)
    expect(task(doc, id).status).toBe('assigned')
    expect(() => reopenTask(doc, at(5), id)).toThrow(/still open/)
    transitionTask(doc, at(6), id, 'inProgress')
    expect(() => transitionTask(doc, at(7), id, 'acknowledged')).toThrow('A task that is in progress cannot become acknowledged.')
    expect(() => transitionTask(doc, at(7), 'nope', 'done')).toThrow(/no longer exists/)
  })

  it('reassigning is one action; the new owner starts from assigned', () => {
    const doc = docWithPeople('Iris', 'Alice', 'Bob')
    const id = createTask(doc, at(0), { title: 'Page networking', ownerId: 'alice' })
    transitionTask(doc, at(1, 'alice'), id, 'inProgress')
    reassignTask(doc, at(2, 'iris'), id, 'bob')
    expect(task(doc, id)).toMatchObject({ ownerId: 'bob', status: 'assigned' })
    expect(texts(doc).at(-1)).toBe('“Page networking”: Alice → Bob')
    expect(() => reassignTask(doc, at(3), id, 'bob')).toThrow(/already owns/)
    expect(() => reassignTask(doc, at(3), id, 'ghost')).toThrow(/not on this incident/)
  })

  it('title and details are shared text', () => {
    const doc = docWithPeople('Alice')
    const id = createTask(doc, at(0), { title: 'Restrat DB', ownerId: 'alice' })
    editTaskText(doc, id, 'title', 'Restart DB')
    editTaskText(doc, id, 'details', 'Use the runbook')
    expect(task(doc, id)).toMatchObject({ title: 'Restart DB', details: 'Use the runbook' })
    expect(() => editTaskText(doc, id, 'title', '  ')).toThrow(/needs a title/)
  })
})

describe('check-backs', () => {
  it('count down, turn overdue at zero, and rise to the top of the IC list', () => {
    const doc = docWithPeople('Iris', 'Alice', 'Bob')
    const later = createTask(doc, at(0), { title: 'Later', ownerId: 'alice', checkBackMinutes: 30 })
    const soon = createTask(doc, at(0), { title: 'Soon', ownerId: 'bob', checkBackMinutes: 1 })
    const none = createTask(doc, at(0), { title: 'No check-back', ownerId: 'bob' })
    const done = createTask(doc, at(0), { title: 'Done', ownerId: 'bob', checkBackMinutes: 1 })
    transitionTask(doc, at(1), done, 'done')
    const tasks = readTasks(doc)
    const at30s = T0 + 30_000
    expect(checkBackOf(task(doc, soon), at30s)).toEqual({ dueAt: T0 + 60_000, remainingMs: 30_000, overdue: false })
    expect(orderForCommander(tasks, at30s).map((t) => t.title)).toEqual(['Soon', 'Later', 'No check-back', 'Done'])
    const at90s = T0 + 90_000
    expect(checkBackOf(task(doc, soon), at90s)).toMatchObject({ overdue: true, remainingMs: -30_000 })
    expect(checkBackOf(task(doc, done), at90s)).toBeUndefined()
    expect(dueCheckBacks(tasks, at90s, 5 * 60_000).map((t) => t.title)).toEqual(['Soon'])
    expect(dueCheckBacks(tasks, T0 + 28 * 60_000, 5 * 60_000).map((t) => t.title)).toEqual(['Soon', 'Later'])
    expect([later, none]).toHaveLength(2)
  })

  it('the owner reporting starts the next check-back, as long as the last; the IC can extend or clear it', () => {
    const doc = docWithPeople('Iris', 'Alice')
    const id = createTask(doc, at(0, 'iris'), { title: 'Check disk', ownerId: 'alice', checkBackMinutes: 1 })
    const entryId = reportOnTask(doc, at(70, 'alice'), id, '80% full, growing 1%/min')
    expect(task(doc, id).checkBackAt).toBe(T0 + 70_000 + 60_000)
    const entry = readTimeline(doc).find((e) => e.id === entryId)!
    expect(entry).toMatchObject({ kind: 'observation', authorId: 'alice', text: '“Check disk”: 80% full, growing 1%/min', links: { taskId: id } })
    setCheckBack(doc, at(80, 'iris'), id, 10)
    expect(task(doc, id).checkBackAt).toBe(T0 + 80_000 + 600_000)
    expect(texts(doc).at(-1)).toMatch(/^Check back on “Check disk” at \d\d:\d\d:\d\d$/)
    setCheckBack(doc, at(90, 'iris'), id, null)
    expect(task(doc, id).checkBackAt).toBeUndefined()
    // Cleared: a report now starts none.
    reportOnTask(doc, at(100, 'alice'), id, 'stable')
    expect(task(doc, id).checkBackAt).toBeUndefined()
  })

  it('a task handed to someone else gives them the whole interval again, not a check-back already overdue', () => {
    const doc = docWithPeople('Iris', 'Alice', 'Bob')
    const id = createTask(doc, at(0, 'iris'), { title: 'Fail over', ownerId: 'alice', checkBackMinutes: 10 })
    // Alice was due at 10 minutes; at 15 minutes the task goes to Bob.
    reassignTask(doc, at(900, 'iris'), id, 'bob')
    expect(task(doc, id).checkBackAt).toBe(T0 + 900_000 + 600_000)
    expect(checkBackOf(task(doc, id), T0 + 901_000)).toMatchObject({ overdue: false })
    expect(texts(doc).at(-1)).toMatch(/^“Fail over”: Alice → Bob — check back at \d\d:\d\d:\d\d$/)
    // Without a check-back, none appears.
    const plain = createTask(doc, at(0, 'iris'), { title: 'Write it up', ownerId: 'alice' })
    reassignTask(doc, at(60, 'iris'), plain, 'bob')
    expect(task(doc, plain).checkBackAt).toBeUndefined()
  })
})

describe('concurrent changes to one task', () => {
  it.each(['ab', 'ba'] as const)('converge by host time, merged in order %s', (order) => {
    const doc = docWithPeople('Iris', 'Alice', 'Bob')
    const id = createTask(doc, at(0, 'iris'), { title: 'Fail over', ownerId: 'alice', checkBackMinutes: 10 })
    const peer = peerOf(doc)
    // Alice finishes at 20 s; the IC, not yet seeing it, cancels at 25 s; Bob edits the title.
    transitionTask(doc, at(20, 'alice'), id, 'done')
    transitionTask(peer, at(25, 'iris'), id, 'cancelled')
    editTaskText(peer, id, 'title', 'Fail over to eu-west')
    const merged = mergeInOrder(doc, peer, order)
    const result = task(merged, id)
    expect(result.status).toBe('done')
    expect(result.title).toBe('Fail over to eu-west')
    expect(result.history.map((h) => [h.type, h.applied])).toEqual([
      ['created', true],
      ['status', true],
      ['status', false],
    ])
  })

  it.each(['ab', 'ba'] as const)('reassignment and acknowledgement race: the later one decides, order %s', (order) => {
    const doc = docWithPeople('Iris', 'Alice', 'Bob')
    const id = createTask(doc, at(0, 'iris'), { title: 'Restart', ownerId: 'alice' })
    const peer = peerOf(doc)
    transitionTask(doc, at(10, 'alice'), id, 'acknowledged')
    reassignTask(peer, at(12, 'iris'), id, 'bob')
    expect(task(mergeInOrder(doc, peer, order), id)).toMatchObject({ ownerId: 'bob', status: 'assigned' })
  })
})

describe('the deputy', () => {
  it('calls out every ten-minute mark', () => {
    expect(minuteMark(T0, T0 + 9 * 60_000 + 59_000)).toBeUndefined()
    expect(minuteMark(T0, T0 + 10 * 60_000)).toBe(10)
    expect(minuteMark(T0, T0 + 95 * 60_000)).toBe(90)
    expect(markCallout(30)).toBe('The incident is now at the 30-minute mark.')
    expect(markCallout(90)).toBe('The incident is now at the 1 h 30 min mark.')
    expect(markCallout(120)).toBe('The incident is now at the 2-hour mark.')
  })
})
