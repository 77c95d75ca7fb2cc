import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { formatTimeOfDay } from '../../shared/clock'
import { readDuty, releaseFromIncident, sendToRest } from '../../shared/duty'
import { type HandOver, HandOverError, handOver, reduceScope } from '../../shared/handover'
import { assignRole, readRoles, rolesOf } from '../../shared/roles'
import { createTask, readTasks, transitionTask } from '../../shared/tasks'
import { readTimeline } from '../../shared/timeline'
import { T0, at, docWithPeople } from './helpers/doc'

const MIN = 60_000

/**
 * Iris commands; Bob is Scribe, Deputy and one of two SMEs, and owns three open
 * tasks and a finished one. Eve is resting, Finn has been released.
 */
const board = () => {
  const doc = docWithPeople('Iris', 'Bob', 'Alice', 'Carol', 'Dave', 'Eve', 'Finn')
  assignRole(doc, at(10, 'iris'), 'incidentCommander', 'iris')
  assignRole(doc, at(11, 'iris'), 'scribe', 'bob')
  assignRole(doc, at(12, 'iris'), 'deputy', 'bob')
  assignRole(doc, at(13, 'iris'), 'sme', 'bob')
  assignRole(doc, at(14, 'iris'), 'sme', 'carol')
  const logs = createTask(doc, at(20, 'iris'), { title: 'Check logs', ownerId: 'bob' })
  const dba = createTask(doc, at(21, 'iris'), { title: 'Page DBA', ownerId: 'bob' })
  const notes = createTask(doc, at(22, 'iris'), { title: 'Keep notes', ownerId: 'bob' })
  const old = createTask(doc, at(23, 'iris'), { title: 'Old', ownerId: 'bob' })
  transitionTask(doc, at(24, 'bob'), old, 'done')
  const rollback = createTask(doc, at(25, 'iris'), { title: 'Rollback', ownerId: 'alice' })
  sendToRest(doc, at(30, 'iris'), 'eve', 60)
  releaseFromIncident(doc, at(31, 'iris'), 'finn')
  // Scribe to Alice, one SME place to Dave, the deputy role given up; "Keep notes" stays with Bob.
  const plan: HandOver = { personId: 'bob', roles: { scribe: 'alice', sme: 'dave' }, tasks: { [logs]: 'alice', [dba]: 'carol' }, then: { restMinutes: 30 } }
  return { doc, plan, tasks: { logs, dba, notes, old, rollback } }
}

const ownerOf = (doc: Y.Doc, id: string): string | undefined => readTasks(doc).find((t) => t.id === id)?.ownerId

/** Counts the document's updates: one transaction is one update. */
const countUpdates = (doc: Y.Doc): (() => number) => {
  let updates = 0
  doc.on('update', () => updates++)
  return () => updates
}

/** `act` throws a HandOverError matching `message`, and the document is exactly as before. */
const refusedWithoutChange = (doc: Y.Doc, act: () => void, message: RegExp): void => {
  const before = Y.encodeStateAsUpdate(doc)
  const updates = countUpdates(doc)
  expect(act).toThrow(HandOverError)
  expect(act).toThrow(message)
  expect(updates()).toBe(0)
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
}

describe('handOver', () => {
  it('hands over roles and tasks, then sends the person to rest, in one transaction with every step on the timeline', () => {
    const { doc, plan, tasks } = board()
    const entries = readTimeline(doc).length
    const updates = countUpdates(doc)
    handOver(doc, at(60, 'iris'), plan)

    expect(updates()).toBe(1)
    const roles = readRoles(doc)
    expect(rolesOf(roles, 'bob')).toEqual([])
    expect(roles.holders.get('scribe')).toEqual(['alice'])
    expect(roles.holders.get('deputy')).toEqual([])
    expect([...roles.holders.get('sme')!].sort()).toEqual(['carol', 'dave'])
    expect([ownerOf(doc, tasks.logs), ownerOf(doc, tasks.dba), ownerOf(doc, tasks.notes)]).toEqual(['alice', 'carol', 'bob'])
    expect(readDuty(doc, T0 + 61_000).get('bob')).toMatchObject({ status: 'resting', restingUntil: T0 + 60_000 + 30 * MIN })

    const added = readTimeline(doc).slice(entries)
    expect(added.every((e) => e.at === T0 + 60_000 && e.authorId === 'iris')).toBe(true)
    expect(added.map((e) => e.text).sort()).toEqual(
      [
        'Scribe: Bob → Alice',
        'Deputy: Bob → —',
        'Subject Matter Expert: + Dave',
        'Subject Matter Expert: − Bob',
        '“Check logs”: Bob → Alice',
        '“Page DBA”: Bob → Carol',
        `Bob sent to rest until ${formatTimeOfDay(T0 + 60_000 + 30 * MIN)}`,
      ].sort(),
    )
    expect(added.map((e) => e.event?.type).sort()).toEqual(
      ['duty.rest', 'role.assigned', 'role.assigned', 'role.released', 'role.released', 'task.reassigned', 'task.reassigned'],
    )
  })

  it('the IC hands over command before leaving the incident', () => {
    const { doc } = board()
    refusedWithoutChange(doc, () => handOver(doc, at(60, 'iris'), { personId: 'iris', roles: {}, tasks: {}, then: 'release' }), /Choose who takes command before Iris leaves/)
    const entries = readTimeline(doc).length
    handOver(doc, at(60, 'iris'), { personId: 'iris', roles: { incidentCommander: 'alice' }, tasks: {}, then: 'release' })
    expect(readRoles(doc).holders.get('incidentCommander')).toEqual(['alice'])
    expect(readDuty(doc, T0 + 61_000).get('iris')!.status).toBe('released')
    expect(readTimeline(doc).slice(entries).map((e) => e.text).sort()).toEqual(['Incident Commander: Iris → Alice', 'Iris released from the incident'])
  })

  type Tasks = ReturnType<typeof board>['tasks']
  it.each<[string, (plan: HandOver, tasks: Tasks) => HandOver, RegExp]>([
    ['a task to someone resting', (p, t) => ({ ...p, tasks: { ...p.tasks, [t.dba]: 'eve' } }), /^Eve is resting until .+\. Give “Page DBA” to someone else, or hand it over anyway/],
    ['a role to someone resting', (p) => ({ ...p, roles: { ...p.roles, deputy: 'eve' } }), /^Eve is resting until/],
    ['a role not held', (p) => ({ ...p, roles: { ...p.roles, customerLiaison: 'alice' } }), /^Bob is not Customer Liaison/],
    ['an unknown person', (p) => ({ ...p, personId: 'ghost' }), /not on this incident/],
    ['an unknown new owner', (p, t) => ({ ...p, tasks: { ...p.tasks, [t.notes]: 'ghost' } }), /^Whoever takes “Keep notes” is not on this incident/],
    ['a closed task', (p, t) => ({ ...p, tasks: { ...p.tasks, [t.old]: 'alice' } }), /^“Old” is finished; reopen it/],
    ['someone else’s task', (p, t) => ({ ...p, tasks: { ...p.tasks, [t.rollback]: 'carol' } }), /^“Rollback” is Alice's, not Bob's/],
    ['a task that no longer exists', (p) => ({ ...p, tasks: { ...p.tasks, gone: 'alice' } }), /no longer exists/],
    ['a task back to the one leaving', (p, t) => ({ ...p, tasks: { ...p.tasks, [t.notes]: 'bob' } }), /^Bob is the one handing over/],
    ['a task to someone released', (p, t) => ({ ...p, tasks: { ...p.tasks, [t.notes]: 'finn' } }), /^Finn has been released/],
    ['a role to the IC', (p) => ({ ...p, roles: { ...p.roles, deputy: 'iris' } }), /^Iris is the incident commander, who holds no other role/],
    ['an SME place to an SME', (p) => ({ ...p, roles: { ...p.roles, sme: 'carol' } }), /^Carol is already Subject Matter Expert/],
    ['a rest too short', (p) => ({ ...p, then: { restMinutes: 1 } }), /^A rest is between 5 minutes and 24 hours/],
  ])('refuses %s and changes nothing', (_, bad, message) => {
    const { doc, plan, tasks } = board()
    refusedWithoutChange(doc, () => handOver(doc, at(60, 'iris'), bad(plan, tasks)), message)
  })

  it('refuses to send someone already resting, and changes nothing', () => {
    const { doc, plan } = board()
    sendToRest(doc, at(40, 'iris'), 'bob', 30)
    refusedWithoutChange(doc, () => handOver(doc, at(60, 'iris'), plan), /^Bob is already resting/)
  })

  it('gives work to someone resting when the IC insists', () => {
    const { doc, plan, tasks } = board()
    handOver(doc, at(60, 'iris'), { ...plan, tasks: { ...plan.tasks, [tasks.dba]: 'eve' }, overrideRest: true })
    expect(ownerOf(doc, tasks.dba)).toBe('eve')
    expect(readTimeline(doc).some((e) => e.text === '“Page DBA”: Bob → Eve')).toBe(true)
  })
})

describe('reduceScope', () => {
  it('releases everyone listed in one transaction', () => {
    const { doc } = board()
    const entries = readTimeline(doc).length
    const updates = countUpdates(doc)
    reduceScope(doc, at(60, 'iris'), { release: ['dave', 'eve'] })
    expect(updates()).toBe(1)
    const duty = readDuty(doc, T0 + 61_000)
    expect([duty.get('dave')!.status, duty.get('eve')!.status]).toEqual(['released', 'released'])
    expect(readTimeline(doc).slice(entries).map((e) => e.text).sort()).toEqual(['Dave released from the incident', 'Eve released from the incident'])
  })

  it.each([
    ['open work', ['dave', 'alice'], /^Alice still owns 1 open task: hand over first/],
    ['a role', ['dave', 'bob'], /^Bob still holds Deputy, Scribe, Subject Matter Expert: hand over first/],
    ['someone already released', ['dave', 'finn'], /^Finn is already released/],
    ['an unknown person', ['dave', 'ghost'], /not on this incident/],
    ['nobody', [], /Choose who is released/],
  ])('refuses %s and releases nobody', (_, release, message) => {
    const { doc } = board()
    refusedWithoutChange(doc, () => reduceScope(doc, at(60, 'iris'), { release }), message)
  })
})
