import { describe, expect, it } from 'vitest'
import { formatTimeOfDay } from '../../shared/clock'
import { setIncidentStatus, setSeverity } from '../../shared/incident'
import { MilestoneError, correctMilestone, keyDurations, lifecycleTimes, milestoneMarks, readLifecycle, severityHistory, timeInSeverity, timeOf } from '../../shared/milestones'
import { assignRole } from '../../shared/roles'
import { setEntryTime, readTimeline } from '../../shared/timeline'
import { T0, at, docWithPeople } from './helpers/doc'

const MIN = 60_000
const steps = (doc: ReturnType<typeof docWithPeople>) => Object.fromEntries(readLifecycle(doc).map((s) => [s.milestone, s.at === undefined ? undefined : (s.at - T0) / MIN]))

describe('the lifecycle the flow records', () => {
  it('starts from the declaration: detected then unless told otherwise; the first IC is when it was acknowledged; status changes mitigate and resolve', () => {
    const doc = docWithPeople('Iris', 'Sam', 'Bob')
    expect(steps(doc)).toEqual({ impactStartedAt: undefined, detectedAt: 0, startedAt: 0, acknowledgedAt: undefined, icAssignedAt: undefined, mitigatedAt: undefined, resolvedAt: undefined })
    assignRole(doc, at(4 * 60, 'iris'), 'incidentCommander', 'iris')
    // A hand-over later does not move when the incident first had an IC.
    assignRole(doc, at(30 * 60, 'iris'), 'incidentCommander', 'bob')
    setIncidentStatus(doc, at(40 * 60, 'bob'), 'monitoring')
    setIncidentStatus(doc, at(55 * 60, 'bob'), 'resolved')
    expect(steps(doc)).toMatchObject({ detectedAt: 0, acknowledgedAt: 4, icAssignedAt: 4, mitigatedAt: 40, resolvedAt: 55 })
    expect(readLifecycle(doc).find((s) => s.milestone === 'acknowledgedAt')?.source).toBe('derived')
    expect(keyDurations(lifecycleTimes(readLifecycle(doc)))).toEqual({ toAcknowledgeMs: 4 * MIN, toMitigateMs: 40 * MIN, toResolveMs: 55 * MIN })
  })
})

describe('correcting a milestone', () => {
  it('sets it with the reason on the timeline, and the durations follow', () => {
    const doc = docWithPeople('Iris', 'Sam')
    assignRole(doc, at(60, 'iris'), 'incidentCommander', 'iris')
    correctMilestone(doc, at(20 * 60, 'iris'), 'detectedAt', T0 - 6 * MIN, 'first 5xx in the load balancer logs')
    correctMilestone(doc, at(21 * 60, 'iris'), 'impactStartedAt', T0 - 9 * MIN, 'deploy of v42 finished')
    expect(readTimeline(doc).at(-2)?.text).toBe(`Detected: ${formatTimeOfDay(T0)} → ${formatTimeOfDay(T0 - 6 * MIN)} (first 5xx in the load balancer logs)`)
    expect(readTimeline(doc).at(-1)?.text).toBe(`Impact began: — → ${formatTimeOfDay(T0 - 9 * MIN)} (deploy of v42 finished)`)
    expect(readTimeline(doc).at(-1)?.event).toMatchObject({ type: 'milestone.set', milestone: 'impactStartedAt', at: T0 - 9 * MIN, from: null, reason: 'deploy of v42 finished' })
    expect(keyDurations(lifecycleTimes(readLifecycle(doc)))).toEqual({ toDetectMs: 3 * MIN, toAcknowledgeMs: 7 * MIN })
    // Cleared, detected falls back to the declaration.
    correctMilestone(doc, at(22 * 60, 'iris'), 'detectedAt', null, 'that was another incident')
    expect(timeOf(readLifecycle(doc), 'detectedAt')).toBe(T0)
  })

  it('is for the IC or the scribe once they are named, needs a reason, and refuses the future, the declaration and clearing a resolution', () => {
    const doc = docWithPeople('Iris', 'Sam', 'Bob')
    // Before anyone holds command, anyone who edits may.
    correctMilestone(doc, at(60, 'bob'), 'acknowledgedAt', T0 + 30_000, 'Bob acked the page')
    assignRole(doc, at(120, 'iris'), 'incidentCommander', 'iris')
    assignRole(doc, at(130, 'iris'), 'scribe', 'sam')
    const before = readTimeline(doc).length
    expect(() => correctMilestone(doc, at(200, 'bob'), 'detectedAt', T0 - MIN, 'pager')).toThrow(/incident commander or the scribe/)
    expect(() => correctMilestone(doc, at(200, 'sam'), 'detectedAt', T0 - MIN, '   ')).toThrow(/reason/)
    expect(() => correctMilestone(doc, at(200, 'sam'), 'detectedAt', T0 + 3_600_000, 'later')).toThrow(/future/)
    expect(() => correctMilestone(doc, at(200, 'sam'), 'startedAt', T0 - MIN, 'earlier')).toThrow(MilestoneError)
    expect(() => correctMilestone(doc, at(200, 'sam'), 'resolvedAt', null, 'oops')).toThrow(/status/)
    expect(readTimeline(doc)).toHaveLength(before)
    correctMilestone(doc, at(200, 'sam'), 'detectedAt', T0 - MIN, 'pager went off a minute before')
    expect(timeOf(readLifecycle(doc), 'detectedAt')).toBe(T0 - MIN)
    // Acknowledged was said by Bob; it stays, whoever took command after.
    expect(timeOf(readLifecycle(doc), 'acknowledgedAt')).toBe(T0 + 30_000)
  })
})

describe('severity history', () => {
  it('gives each severity its stretches and the time in each, following a re-dated change', () => {
    const doc = docWithPeople('Iris')
    setSeverity(doc, at(10 * 60, 'iris'), 'SEV-1')
    setSeverity(doc, at(40 * 60, 'iris'), 'SEV-2')
    setSeverity(doc, at(50 * 60, 'iris'), 'SEV-1')
    const history = () => severityHistory(readTimeline(doc))
    expect(history().map((p) => [p.severity, (p.from - T0) / MIN, p.to === undefined ? undefined : (p.to - T0) / MIN])).toEqual([
      ['SEV-2', 0, 10],
      ['SEV-1', 10, 40],
      ['SEV-2', 40, 50],
      ['SEV-1', 50, undefined],
    ])
    expect(timeInSeverity(history(), T0 + 60 * MIN)).toEqual({ 'SEV-2': 20 * MIN, 'SEV-1': 40 * MIN })
    // The scribe re-dates the first escalation to 5 minutes in: SEV-2 held 5 minutes less.
    const escalation = readTimeline(doc).find((e) => e.text === 'Severity SEV-2 → SEV-1')!
    setEntryTime(doc, at(61 * 60, 'iris'), escalation.id, T0 + 5 * MIN)
    expect(timeInSeverity(history(), T0 + 60 * MIN)).toEqual({ 'SEV-2': 15 * MIN, 'SEV-1': 45 * MIN })
  })
})

describe('milestones on the timeline', () => {
  it('marks the entries where they were reached, and each correction', () => {
    const doc = docWithPeople('Iris')
    assignRole(doc, at(60, 'iris'), 'incidentCommander', 'iris')
    setIncidentStatus(doc, at(600, 'iris'), 'identified')
    setIncidentStatus(doc, at(1200, 'iris'), 'resolved')
    correctMilestone(doc, at(1300, 'iris'), 'detectedAt', T0 - MIN, 'pager')
    const entries = readTimeline(doc)
    const marks = milestoneMarks(readLifecycle(doc), entries)
    const marked = entries.filter((e) => marks.has(e.id)).map((e) => [e.text.replace(/\d\d:\d\d:\d\d/g, 'hh:mm:ss'), marks.get(e.id)])
    expect(marked).toEqual([
      ['Incident declared: Checkout down (SEV-2)', ['startedAt']],
      ['Incident Commander: — → Iris', ['acknowledgedAt', 'icAssignedAt']],
      ['Status identified → resolved', ['mitigatedAt', 'resolvedAt']],
      ['Detected: hh:mm:ss → hh:mm:ss (pager)', ['detectedAt']],
    ])
  })
})
