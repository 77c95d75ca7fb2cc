import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readMeta, setIncidentStatus, setSeverity } from '../../shared/incident'
import { readPeople } from '../../shared/people'
import { readDutyEvents, sendToRest } from '../../shared/duty'
import { ReplayLog, type ReplayRecord } from '../../shared/replay'
import { replayMarkers } from '../../shared/replay-markers'
import { assignRole, readRoles } from '../../shared/roles'
import { addService, readServices, setServiceStatus } from '../../shared/services'
import { createTask, editTaskText, readTasks, reportOnTask, setCheckBack, transitionTask } from '../../shared/tasks'
import { addEntry, editEntryText, readTimeline, setEntryStarred, setEntryTime } from '../../shared/timeline'
import { T0, at, docWithPeople } from './helpers/doc'

/** A board whose every update is logged with the host time it "arrived": the change's time plus a little latency. */
const recordedBoard = () => {
  const doc = docWithPeople('Alice', 'Bob', 'Carol')
  const records: ReplayRecord[] = [{ at: T0, author: 'host', update: Y.encodeStateAsUpdate(doc) }]
  let arrival = T0
  doc.on('update', (update: Uint8Array) => records.push({ at: arrival, author: 'someone', update }))
  /** Run a change as if made at T0 + seconds, arriving 40 ms later. */
  const when = <T>(seconds: number, run: () => T): T => {
    arrival = T0 + seconds * 1000 + 40
    return run()
  }
  return { doc, records, when }
}

/** What a client that applied every update up to `t` would show: the reference for replay. */
const seenBy = (records: readonly ReplayRecord[], t: number): Y.Doc => {
  const doc = new Y.Doc()
  for (const r of records) if (r.at <= t) Y.applyUpdate(doc, r.update)
  return doc
}

const boardOf = (doc: Y.Doc) => ({
  meta: readMeta(doc),
  people: [...readPeople(doc)],
  roles: readRoles(doc),
  services: [...readServices(doc)],
  tasks: readTasks(doc),
  duty: readDutyEvents(doc),
})

const scripted = () => {
  const board = recordedBoard()
  const { doc, when } = board
  const api = when(10, () => addService(doc, at(10), { name: 'payments-api', kind: 'api', business: true }))
  const entry = when(20, () => addEntry(doc, at(20, 'carol'), { kind: 'note', text: 'Error rate up on checkout' }))
  when(30, () => assignRole(doc, at(30), 'incidentCommander', 'alice'))
  when(40, () => setServiceStatus(doc, at(40), api, 'majorOutage'))
  const task = when(50, () => createTask(doc, at(50), { title: 'Roll back payments', ownerId: 'bob', checkBackMinutes: 5 }))
  when(60, () => editEntryText(doc, entry, 'Error rate up on checkout, 5xx'))
  when(70, () => setEntryStarred(doc, entry, true))
  when(80, () => setSeverity(doc, at(80), 'SEV-1'))
  when(90, () => editTaskText(doc, task, 'title', 'Roll back payments to v41'))
  when(100, () => sendToRest(doc, at(100), 'carol', 30))
  // Written at 300 s about what was decided at 100 s.
  when(300, () => setEntryStarred(doc, addEntry(doc, at(300), { kind: 'decision', text: 'Roll back payments', at: T0 + 100_000 }), true))
  // Bob misses the check-back due at 50 s + 5 min, then reports late.
  when(400, () => reportOnTask(doc, at(400, 'bob'), task, 'Rolled back'))
  when(410, () => setEntryTime(doc, at(410), entry, T0 + 15_000))
  when(420, () => transitionTask(doc, at(420, 'bob'), task, 'done'))
  when(430, () => setIncidentStatus(doc, at(430), 'monitoring'))
  return { ...board, entry, task, api }
}

describe('replay', () => {
  it('shows the board at any moment exactly as a client that saw every update up to then', () => {
    const { records } = scripted()
    const log = new ReplayLog(records)
    expect(log.read()).toBe(true)
    for (const seconds of [0, 10, 25, 45, 55, 65, 75, 85, 95, 105, 350, 405, 415, 425, 500]) {
      const t = T0 + seconds * 1000 + 40
      const count = log.countAt(t)
      const seen = seenBy(records, t)
      expect(boardOf(log.boardAfter(count)), `board at ${seconds} s`).toEqual(boardOf(seen))
      expect(log.timelineAfter(count), `timeline at ${seconds} s`).toEqual(readTimeline(seen))
    }
  })

  it('plays forward from a seek to the same board as a fresh seek', () => {
    const { records } = scripted()
    const log = new ReplayLog(records)
    log.read()
    const doc = log.boardAfter(log.countAt(T0 + 45_000))
    log.advance(doc, log.countAt(T0 + 45_000), log.countAt(T0 + 415_000))
    expect(boardOf(doc)).toEqual(boardOf(log.boardAfter(log.countAt(T0 + 415_000))))
  })

  it('reads in slices without changing what it shows, and orders records by host time', () => {
    const { records } = scripted()
    const shuffled = [...records.slice(5), ...records.slice(0, 5)]
    const whole = new ReplayLog(records)
    whole.read()
    const sliced = new ReplayLog(shuffled)
    let now = 0
    let slices = 0
    // A clock that moves 1 ms per call: each slice reads a few records.
    while (!sliced.read(0, () => now++)) slices++
    expect(slices).toBeGreaterThan(0)
    const end = whole.countAt(Infinity)
    expect(boardOf(sliced.boardAfter(end))).toEqual(boardOf(whole.boardAfter(end)))
    expect(sliced.timelineAfter(end)).toEqual(whole.timelineAfter(end))
  })

  it('skips a damaged record, as the host did, and counts it', () => {
    const { records } = scripted()
    const damaged = [...records.slice(0, 3), { at: T0 + 1, author: 'x', update: new Uint8Array([255, 1, 2]) }, ...records.slice(3)]
    const log = new ReplayLog(damaged)
    log.read()
    expect(log.skipped).toBe(1)
    expect(boardOf(log.boardAfter(damaged.length))).toEqual(boardOf(seenBy(records, Infinity)))
  })

  it('keeps an unedited entry the same object from one moment to the next (rows are not drawn again)', () => {
    const { records } = scripted()
    const log = new ReplayLog(records)
    log.read()
    const before = log.timelineAfter(log.countAt(T0 + 95_040))
    const after = log.timelineAfter(log.countAt(T0 + 105_040))
    const severity = before.find((e) => e.event?.type === 'severity.changed')!
    expect(after.find((e) => e.id === severity.id)).toBe(severity)
  })

  it('marks starred entries, status, severity and role changes, tasks and missed check-backs at the moment the board showed them', () => {
    const { records, task } = scripted()
    const log = new ReplayLog(records)
    log.read()
    const end = records.length
    const markers = replayMarkers(log.timelineAfter(end), log.boardAfter(end), log.end, log.arrivedAt)
    const kinds = markers.map((m) => m.kind)
    expect(kinds).toEqual(['starred', 'role', 'task', 'severity', 'starred', 'missed', 'status'])
    // Re-dated by 5 s: still where the board first showed it.
    expect(markers[0]).toMatchObject({ at: T0 + 20_040, text: 'Error rate up on checkout, 5xx' })
    // Written 200 s after the fact: the star marks when it happened.
    expect(markers[4]).toMatchObject({ at: T0 + 100_000, text: 'Roll back payments' })
    // The severity changed at 80 s on the writer's clock and reached the host 40 ms later.
    expect(markers.find((m) => m.kind === 'severity')!.at).toBe(T0 + 80_040)
    const missed = markers.find((m) => m.kind === 'missed')!
    expect(missed).toEqual({ at: T0 + 50_000 + 5 * 60_000, kind: 'missed', text: 'Check-back missed: “Roll back payments to v41” (Bob)' })
    // At that moment the board holds the task open with its check-back due.
    const then = readTasks(log.boardAfter(log.countAt(missed.at))).find((t) => t.id === task)!
    expect(then).toMatchObject({ status: 'assigned', checkBackAt: missed.at })
  })

  it('finds no missed check-back when the owner reports in time', () => {
    const { doc, records, when } = recordedBoard()
    const task = when(10, () => createTask(doc, at(10), { title: 'Check the queue', ownerId: 'bob', checkBackMinutes: 5 }))
    when(200, () => reportOnTask(doc, at(200, 'bob'), task, 'Queue draining'))
    when(300, () => setCheckBack(doc, at(300), task, null))
    const log = new ReplayLog(records)
    log.read()
    const markers = replayMarkers(log.timelineAfter(records.length), log.boardAfter(records.length), T0 + 3600_000, log.arrivedAt)
    expect(markers.filter((m) => m.kind === 'missed')).toEqual([])
  })
})
