import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DutyError,
  deriveDuty,
  endRest,
  readDuty,
  readDutyEvents,
  releaseFromIncident,
  returnToIncident,
  sendToRest,
  sumMs,
} from '../../shared/duty'
import { DEFAULT_FATIGUE_SETTINGS, type FatigueInput, assessFatigue, longIncidentMarksPassed } from '../../shared/fatigue'
import { setIncidentStatus } from '../../shared/incident'
import { assignRole, readRoles } from '../../shared/roles'
import { metaMap } from '../../shared/schema'
import { createTask, reassignTask } from '../../shared/tasks'
import { readTimeline } from '../../shared/timeline'
import { closeAt, dutyElsewhere, incidentWorkload, nightMs, summariseLoadBetween } from '../../shared/workload'
import { T0, at, docWithPeople } from './helpers/doc'

const MIN = 60_000
const HOUR = 60 * MIN

describe('duty', () => {
  it('a rest ends by itself at its time; on-duty periods exclude it', () => {
    const doc = docWithPeople('Iris', 'Bob')
    sendToRest(doc, at(3600, 'iris'), 'bob', 30)
    const during = readDuty(doc, T0 + HOUR + 10 * MIN).get('bob')!
    expect(during).toMatchObject({ status: 'resting', restingUntil: T0 + HOUR + 30 * MIN + 1000 - 1000 + 0 })
    const after = readDuty(doc, T0 + 2 * HOUR).get('bob')!
    expect(after.status).toBe('onDuty')
    expect(after.rests).toEqual([{ from: T0 + HOUR, to: T0 + HOUR + 30 * MIN }])
    expect(sumMs(after.onDuty)).toBe(2 * HOUR - 30 * MIN - 1)
    expect(readTimeline(doc).at(-1)!.text).toMatch(/^Bob sent to rest until \d\d:\d\d:\d\d$/)
  })

  it('recall ends a rest early; release and return', () => {
    const doc = docWithPeople('Iris', 'Bob')
    sendToRest(doc, at(600, 'iris'), 'bob', 60)
    endRest(doc, at(900, 'iris'), 'bob', 'recall')
    expect(readDuty(doc, T0 + 1000_000).get('bob')!.rests).toEqual([{ from: T0 + 600_000, to: T0 + 900_000 }])
    expect(() => endRest(doc, at(950, 'iris'), 'bob', 'return')).toThrow(/not resting/)
    releaseFromIncident(doc, at(1200, 'iris'), 'bob')
    expect(readDuty(doc, T0 + 2000_000).get('bob')!.status).toBe('released')
    expect(() => sendToRest(doc, at(1300, 'iris'), 'bob', 30)).toThrow(/released/)
    returnToIncident(doc, at(1800, 'iris'), 'bob')
    const duty = readDuty(doc, T0 + 2000_000).get('bob')!
    expect(duty.status).toBe('onDuty')
    expect(duty.onDuty.map((i) => [i.from - T0, i.to - T0])).toEqual([
      [1, 600_000],
      [900_000, 1_200_000],
      [1_800_000, 2_000_000],
    ])
    expect(readTimeline(doc).map((e) => e.text).slice(-4)).toEqual([
      'Bob sent to rest until ' + readTimeline(doc).find((e) => e.text.startsWith('Bob sent'))!.text.slice(-8),
      'Bob recalled from rest',
      'Bob released from the incident',
      'Bob back on the incident',
    ])
  })

  it('refuses silly rests', () => {
    const doc = docWithPeople('Bob')
    expect(() => sendToRest(doc, at(1), 'bob', 1)).toThrow(DutyError)
    expect(() => sendToRest(doc, at(1), 'bob', 25 * 60)).toThrow(/24 hours/)
    expect(() => sendToRest(doc, at(1), 'ghost', 30)).toThrow(/not on this incident/)
    expect(readDutyEvents(doc)).toEqual([])
  })

  it('nobody is on duty after the incident is resolved', () => {
    const doc = docWithPeople('Bob')
    setIncidentStatus(doc, at(3600), 'resolved')
    expect(sumMs(readDuty(doc, T0 + 10 * HOUR, T0 + HOUR).get('bob')!.onDuty)).toBe(HOUR)
  })

  it('a resting person gets no task unless the IC insists', () => {
    const doc = docWithPeople('Iris', 'Alice', 'Bob')
    sendToRest(doc, at(0, 'iris'), 'bob', 60)
    expect(() => createTask(doc, at(10, 'iris'), { title: 'Check logs', ownerId: 'bob' })).toThrow(/Bob is resting until .*assign it anyway/)
    createTask(doc, at(10, 'iris'), { title: 'Check logs', ownerId: 'bob', overrideRest: true })
    const other = createTask(doc, at(20, 'iris'), { title: 'Page DBA', ownerId: 'alice' })
    expect(() => reassignTask(doc, at(30, 'iris'), other, 'bob')).toThrow(/resting/)
    reassignTask(doc, at(30, 'iris'), other, 'bob', true)
    // After the rest, no override is needed.
    createTask(doc, at(3700, 'iris'), { title: 'Later', ownerId: 'bob' })
  })
})

describe('fatigue', () => {
  const input = (over: Partial<FatigueInput> & { joinedAt?: number } = {}): FatigueInput => ({
    duty: deriveDuty('bob', over.joinedAt ?? T0, [], over.now ?? T0),
    rolePeriods: [],
    otherIncidents: [],
    now: T0,
    settings: DEFAULT_FATIGUE_SETTINGS,
    ...over,
  })

  it.each([
    [89, 'fresh'],
    [90, 'due'],
    [149, 'due'],
    [150, 'overdue'],
  ])('%i minutes without a break is %s', (minutes, level) => {
    const now = T0 + minutes * MIN
    expect(assessFatigue(input({ now, duty: deriveDuty('bob', T0, [], now) })).level).toBe(level)
  })

  it('the IC is due to hand over at 1 h and overdue at 3 h in command', () => {
    const rolePeriods = [{ role: 'incidentCommander' as const, personId: 'bob', from: T0 }]
    // A break in between resets "without a break" but not the IC's time in command.
    const check = (minutes: number) => {
      const now = T0 + minutes * MIN
      return assessFatigue(input({ now, duty: deriveDuty('bob', T0, [], now), rolePeriods }))
    }
    expect(check(59).level).toBe('fresh')
    expect(check(60)).toMatchObject({ level: 'due', reasons: ['1 h 00 as IC: hand-over due'] })
    expect(check(180)).toMatchObject({ level: 'overdue', reasons: ['3 h 00 as IC: hand over command', '3 h 00 without a break'] })
  })

  it('a role stamped a moment ahead of the host clock reads as 0 minutes, never negative', () => {
    const rolePeriods = [{ role: 'scribe' as const, personId: 'bob', from: T0 + 65_000 }]
    const now = T0 + 10_000
    expect(assessFatigue(input({ now, duty: deriveDuty('bob', T0, [], now), rolePeriods })).inRoleMs).toBe(0)
  })

  it('a rest resets the time since a break; resting and released people are not assessed', () => {
    const events = [{ id: 'r', personId: 'bob', type: 'rest' as const, at: T0 + 2 * HOUR, by: 'iris', until: T0 + 3 * HOUR }]
    const resting = assessFatigue(input({ now: T0 + 2.5 * HOUR, duty: deriveDuty('bob', T0, events, T0 + 2.5 * HOUR) }))
    expect(resting).toMatchObject({ level: 'resting', restingUntil: T0 + 3 * HOUR })
    const back = assessFatigue(input({ now: T0 + 3.5 * HOUR, duty: deriveDuty('bob', T0, events, T0 + 3.5 * HOUR) }))
    expect(back).toMatchObject({ level: 'fresh', sinceBreakMs: 30 * MIN, onIncidentMs: 2.5 * HOUR })
  })

  it('counts every incident in the 2:1 day budget: a person on two incidents', () => {
    const now = T0 + 20 * HOUR
    // 10 h on another incident earlier today, then 5 h here with breaks every hour.
    const otherIncidents = [{ from: T0, to: T0 + 10 * HOUR }]
    const events = [15, 16, 17, 18].map((h) => ({ id: `r${h}`, personId: 'bob', type: 'rest' as const, at: T0 + h * HOUR, by: 'iris', until: T0 + h * HOUR + 15 * MIN }))
    const duty = deriveDuty('bob', T0 + 14 * HOUR, events, now)
    const fatigue = assessFatigue(input({ now, duty, otherIncidents }))
    expect(fatigue.last24hMs).toBe(10 * HOUR + 6 * HOUR - 60 * MIN)
    expect(fatigue.level).toBe('due')
    expect(fatigue.reasons).toContain('15 h 00 on duty in 24 h')
    const later = deriveDuty('bob', T0 + 14 * HOUR, events, now + HOUR)
    expect(assessFatigue(input({ now: now + HOUR, duty: later, otherIncidents })).level).toBe('overdue')
  })

  it('gives the same figures on every screen whatever its clock offset (times are host times)', () => {
    const doc = docWithPeople('Iris', 'Bob')
    assignRole(doc, at(0, 'iris'), 'incidentCommander', 'iris')
    const hostNow = T0 + 75 * MIN
    const screens = [-250, 0, 1800].map((offsetFromLocal) => {
      const localNow = hostNow - offsetFromLocal
      const now = localNow + offsetFromLocal
      const duty = readDuty(doc, now).get('iris')!
      return assessFatigue({ duty, rolePeriods: readRoles(doc).periods.filter((p) => p.personId === 'iris'), otherIncidents: [], now, settings: DEFAULT_FATIGUE_SETTINGS })
    })
    expect(new Set(screens.map((s) => JSON.stringify(s))).size).toBe(1)
    expect(screens[0]).toMatchObject({ level: 'due', inRoleMs: 75 * MIN })
  })

  it('prompts about food and the next shift at the configured marks', () => {
    expect(longIncidentMarksPassed(T0, T0 + 2.9 * HOUR, DEFAULT_FATIGUE_SETTINGS)).toEqual([])
    expect(longIncidentMarksPassed(T0, T0 + 3 * HOUR, DEFAULT_FATIGUE_SETTINGS)).toEqual([3])
    expect(longIncidentMarksPassed(T0, T0 + 7 * HOUR, DEFAULT_FATIGUE_SETTINGS)).toEqual([3, 6])
  })
})

describe('load across incidents', () => {
  let tz: string | undefined
  beforeEach(() => {
    tz = process.env.TZ
    process.env.TZ = 'Europe/Paris'
  })
  afterEach(() => {
    process.env.TZ = tz
  })

  it('counts night hours across midnight and over several days, in local time', () => {
    const local = (d: number, h: number, m = 0) => new Date(2026, 10, d, h, m).getTime()
    expect(nightMs([{ from: local(24, 21), to: local(25, 8) }])).toBe(9 * HOUR)
    expect(nightMs([{ from: local(24, 23, 30), to: local(25, 0, 30) }])).toBe(HOUR)
    expect(nightMs([{ from: local(24, 8), to: local(24, 18) }])).toBe(0)
    expect(nightMs([{ from: local(23, 12), to: local(26, 12) }])).toBe(3 * 9 * HOUR)
    expect(nightMs([{ from: local(25, 5), to: local(25, 6) }])).toBe(HOUR)
  })

  it('sums per person over the window: hours, incidents as IC, times sent to rest', () => {
    const one = docWithPeople('Iris', 'Bob')
    assignRole(one, at(0, 'iris'), 'incidentCommander', 'iris')
    sendToRest(one, at(3600, 'iris'), 'bob', 30)
    setIncidentStatus(one, at(2 * 3600, 'iris'), 'resolved')
    const two = docWithPeople('Iris', 'Bob')
    metaMap(two).set('id', 'inc-2')
    assignRole(two, at(0, 'bob'), 'incidentCommander', 'bob')
    const workloads = [incidentWorkload(one)!, incidentWorkload(two)!]
    expect(workloads[0]!.people.bob!.onDuty.at(-1)!.to).toBe(T0 + 2 * HOUR)
    expect(workloads[1]!.people.bob!.onDuty.at(-1)!.to).toBeNull()
    const now = T0 + 3 * HOUR
    const load = summariseLoadBetween(workloads, now - 7 * 86_400_000, now)
    const bob = load.find((l) => l.personId === 'bob')!
    expect(bob).toMatchObject({ incidents: 2, incidentsAsCommander: 1, timesSentToRest: 1 })
    expect(bob.onDutyMs).toBe(2 * HOUR - 30 * MIN - 1 + 3 * HOUR - 1)
    expect(load.find((l) => l.personId === 'iris')).toMatchObject({ incidents: 2, incidentsAsCommander: 1, timesSentToRest: 0 })
    // A month on, the last 7 days hold only the incident still open.
    const later = now + 30 * 86_400_000
    expect(summariseLoadBetween(workloads, later - 7 * 86_400_000, later).find((l) => l.personId === 'iris')).toMatchObject({ incidents: 1, incidentsAsCommander: 0 })
    expect(dutyElsewhere(workloads, 'bob', workloads[1]!.incidentId, now)).toEqual(closeAt(workloads[0]!.people.bob!.onDuty, now))
  })
})
