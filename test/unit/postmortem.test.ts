import { describe, expect, it } from 'vitest'
import { setIncidentStatus, setSeverity } from '../../shared/incident'
import { generatePostmortem, locateSections, meetingDueBy, postmortemMarkdown, readPostmortem, setPostmortemMeeting, setPostmortemOwner, setPostmortemReviewers, setPostmortemStatus } from '../../shared/postmortem'
import { SECTION_TITLES } from '../../shared/postmortem-draft'
import { assignRole } from '../../shared/roles'
import { postmortemText } from '../../shared/schema'
import { addService, setServiceStatus } from '../../shared/services'
import { createTask } from '../../shared/tasks'
import { addEntry, readTimeline, setEntryStarred } from '../../shared/timeline'
import { T0, at, docWithPeople } from './helpers/doc'

/** A resolved incident: Iris commands, payments goes down for 40 minutes, SEV-1 from minute 10. */
const recorded = () => {
  const doc = docWithPeople('Iris', 'Bob')
  assignRole(doc, at(60, 'iris'), 'incidentCommander', 'iris')
  const payments = addService(doc, at(90, 'iris'), { name: 'payments', kind: 'system', business: true })
  setServiceStatus(doc, at(120, 'iris'), payments, 'majorOutage')
  setSeverity(doc, at(600, 'iris'), 'SEV-1')
  const seen = addEntry(doc, at(700, 'bob'), { kind: 'observation', text: 'Card auth | timeouts <script>alert(1)</script>' })
  setEntryStarred(doc, seen, true)
  addEntry(doc, at(800, 'iris'), { kind: 'decision', text: 'Roll back pricing-service to 2.30' })
  addEntry(doc, at(900, 'iris'), { kind: 'action', text: 'Add an alert on gateway timeouts' })
  createTask(doc, at(950, 'iris'), { title: 'Check the refunds queue', ownerId: 'bob' })
  setServiceStatus(doc, at(120 + 40 * 60, 'iris'), payments, 'operational')
  setIncidentStatus(doc, at(45 * 60, 'iris'), 'resolved')
  return doc
}

const section = (text: string, title: string): string => {
  const s = locateSections(text).find((l) => l.title === title)!
  return text.slice(s.bodyFrom, s.bodyTo).trim()
}

describe('the postmortem draft', () => {
  it("fills the template's sections from the record, escaping what people typed", () => {
    const doc = recorded()
    generatePostmortem(doc, at(50 * 60, 'iris'), 'Europe/Berlin')
    const text = postmortemText(doc).toString()
    expect(locateSections(text).map((s) => s.title)).toEqual([...SECTION_TITLES])
    expect(section(text, 'Overview')).toMatch(/a SEV-1 incident that lasted 45 min from detection to resolution/)
    expect(section(text, 'Overview')).toMatch(/Business services impacted: payments\./)
    expect(section(text, 'Impact')).toContain('| Time in SEV-2 | 10 min |')
    expect(section(text, 'Impact')).toContain('| Time in SEV-1 | 35 min |')
    expect(section(text, 'Impact')).toContain('| payments: Major outage | 40 min |')
    expect(section(text, 'Responders')).toMatch(/Incident Commander: Iris, 2026-11-24 14:01–2026-11-24 14:45 UTC/)
    expect(section(text, 'Responders')).toContain('Also involved: Bob')
    // The starred observation, with its table cell's pipe and HTML escaped; both clocks.
    const timeline = section(text, 'Timeline')
    expect(timeline).toContain('| Time (UTC) | Time (Europe/Berlin) | Event |')
    expect(timeline).toContain('| 2026-11-24 14:11 | 24/11/2026 15:11 | ★ Card auth \\| timeouts \\<script\\>alert\\(1\\)\\</script\\> |')
    expect(timeline).toMatch(/\*\*Mitigated, Resolved\*\*: Status investigating → resolved/)
    expect(section(text, 'What Happened')).toMatch(/^_Drawn from the timeline: rewrite this/)
    expect(section(text, 'Resolution')).toContain('Roll back pricing\\-service to 2\\.30')
    expect(section(text, 'Action Items')).toContain('[ ] Check the refunds queue (task, Bob)')
    expect(section(text, 'Action Items')).toContain('[ ] Add an alert on gateway timeouts (action,')
    expect(readTimeline(doc).at(-1)?.text).toBe('Postmortem draft generated from the record')
  })

  it('regenerating refreshes the sections nobody edited and keeps every edited one', () => {
    const doc = recorded()
    generatePostmortem(doc, at(50 * 60, 'iris'), 'UTC')
    const text = postmortemText(doc)
    // Bob rewrites What Happened.
    const happened = locateSections(text.toString()).find((s) => s.title === 'What Happened')!
    text.delete(happened.bodyFrom, happened.bodyTo - happened.bodyFrom)
    text.insert(happened.bodyFrom, '\nA pricing deploy doubled gateway calls; card authorisations timed out.\n\n')
    // The record moves on: a new starred observation and a new task.
    setEntryStarred(doc, addEntry(doc, at(55 * 60, 'iris'), { kind: 'observation', text: 'Retries flooded the order queue' }), true)
    addEntry(doc, at(56 * 60, 'iris'), { kind: 'observation', text: 'Refunds stopped' })
    createTask(doc, at(57 * 60, 'iris'), { title: 'Cap gateway retries', ownerId: 'iris' })
    const result = generatePostmortem(doc, at(60 * 60, 'iris'), 'UTC')
    expect(result.kept).toEqual(['What Happened'])
    const after = postmortemText(doc).toString()
    expect(section(after, 'What Happened')).toBe('A pricing deploy doubled gateway calls; card authorisations timed out.')
    expect(section(after, 'Contributing Factors')).toContain('Retries flooded the order queue')
    expect(section(after, 'Action Items')).toContain('Cap gateway retries')
    expect(readTimeline(doc).at(-1)?.text).toBe('Postmortem draft regenerated: 9 sections refreshed, 1 edited ones kept')
    // A section someone removed stays removed.
    const impact = locateSections(after).find((s) => s.title === 'Impact')!
    postmortemText(doc).delete(impact.bodyFrom - '## Impact\n'.length, impact.bodyTo - impact.bodyFrom + '## Impact\n'.length)
    generatePostmortem(doc, at(61 * 60, 'iris'), 'UTC')
    expect(locateSections(postmortemText(doc).toString()).map((s) => s.title)).not.toContain('Impact')
  })
})

describe('owner, meeting, reviewers and status', () => {
  it('each change is on the timeline, and the Markdown export carries them, escaped', () => {
    const doc = recorded()
    setPostmortemOwner(doc, at(3000, 'iris'), 'iris')
    setPostmortemMeeting(doc, at(3001, 'iris'), Date.UTC(2026, 11, 1, 10, 0))
    setPostmortemReviewers(doc, at(3002, 'iris'), ['bob'])
    setPostmortemStatus(doc, at(3003, 'iris'), 'inReview')
    setPostmortemStatus(doc, at(3004, 'bob'), 'reviewed')
    expect(readTimeline(doc).slice(-5).map((e) => e.text)).toEqual([
      'Postmortem owner: Iris',
      'Postmortem meeting: 2026-12-01 10:00 UTC',
      'Postmortem reviewers: Bob',
      'Postmortem: Draft → In review',
      'Postmortem: In review → Reviewed',
    ])
    expect(readPostmortem(doc)).toMatchObject({ status: 'reviewed', ownerId: 'iris', reviewerIds: ['bob'] })
    generatePostmortem(doc, at(3005, 'iris'), 'UTC')
    const md = postmortemMarkdown(doc)
    expect(md.split('\n').slice(0, 9)).toEqual([
      '# Postmortem: Checkout down',
      '',
      '**Status:** Reviewed',
      '',
      '**Postmortem Owner:** Iris',
      '',
      '**Meeting Scheduled For:** 2026-12-01 10:00 UTC (due by 2026-12-01, within 5 business days)',
      '',
      '**Reviewers:** Bob',
    ])
    expect(md).toContain('## Overview')
    expect(() => setPostmortemOwner(doc, at(3006, 'iris'), 'nobody')).toThrow()
  })

  it('is due within 5 business days of the resolution, weekends not counted', () => {
    // Tuesday 24 November 2026 → Tuesday 1 December; Friday 27 November → Friday 4 December.
    expect(new Date(meetingDueBy(T0)).toISOString().slice(0, 10)).toBe('2026-12-01')
    expect(new Date(meetingDueBy(Date.UTC(2026, 10, 27, 16))).toISOString().slice(0, 10)).toBe('2026-12-04')
  })
})
