import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { DEFAULT_CADENCE } from '../../shared/cadence'
import { type Comparison, comparisonMarkdown, differenceWords, measureIncident, measureRows, mergedTimeline } from '../../shared/drill-comparison'
import { setIncidentStatus } from '../../shared/incident'
import { assignRole } from '../../shared/roles'
import { publishedUpdatesMap } from '../../shared/schema'
import { createTask } from '../../shared/tasks'
import { addEntry } from '../../shared/timeline'
import type { Audience } from '../../shared/templates'
import { T0, at, docWithPeople } from './helpers/doc'

/** A published update as the host stores it, `seconds` after T0, promising the next `nextIn` minutes later. */
const publish = (doc: Y.Doc, audience: Audience, seconds: number, nextIn?: number): void => {
  const publishedAt = T0 + seconds * 1000
  publishedUpdatesMap(doc).set(`u-${audience}-${seconds}`, {
    id: `u-${audience}-${seconds}`,
    audience,
    publicStatus: 'investigating',
    title: 'Checkout down',
    severity: 'SEV-2',
    sections: [],
    impactedServices: [],
    author: { id: 'alice', name: 'Alice' },
    publishedAt,
    ...(nextIn !== undefined ? { nextUpdateAt: publishedAt + nextIn * 60_000 } : {}),
    text: 'Looking into it',
  })
}

const scripted = () => {
  const doc = docWithPeople('Alice', 'Bob')
  assignRole(doc, at(30), 'scribe', 'bob')
  assignRole(doc, at(90), 'incidentCommander', 'alice')
  createTask(doc, at(200), { title: 'Roll back', ownerId: 'bob' })
  // Customers: the first within its 5 minutes, the second 10 minutes after a 20-minute promise.
  publish(doc, 'customer', 240, 20)
  publish(doc, 'customer', 240 + 30 * 60)
  // Internal: first at 20 minutes, 5 minutes past its 15.
  publish(doc, 'internal', 20 * 60, 60)
  setIncidentStatus(doc, at(45 * 60), 'monitoring')
  return doc
}

describe('the drill beside its original', () => {
  it('measures each board from its record: times since declared, updates on cadence or late', () => {
    const measures = measureIncident(scripted(), DEFAULT_CADENCE)!
    expect(measures).toMatchObject({
      startedAt: T0,
      firstRoleMs: 30_000,
      icAssignedMs: 90_000,
      firstTaskMs: 200_000,
      mitigatedMs: 45 * 60_000,
      firstUpdateMs: { customer: 240_000, internal: 20 * 60_000, executive: undefined },
      updates: { onCadence: 1, late: 2 },
    })
  })

  it('says which was sooner, and lays both timelines on one axis', () => {
    const original = measureIncident(scripted(), DEFAULT_CADENCE)!
    const faster = docWithPeople('Alice', 'Bob')
    assignRole(faster, at(20), 'incidentCommander', 'alice')
    const drill = measureIncident(faster, DEFAULT_CADENCE)!
    const comparison: Comparison = { original, drill }
    const ic = measureRows(comparison).find((r) => r.label === 'IC assigned')!
    expect(differenceWords(ic)).toBe('01:10 sooner')
    expect(differenceWords(measureRows(comparison).find((r) => r.label === 'First task')!)).toBe('')
    const merged = mergedTimeline(comparison)
    expect(merged.map((r) => r.offsetMs)).toEqual([...merged.map((r) => r.offsetMs)].sort((a, b) => a - b))
    expect(merged.find((r) => r.drill?.text.includes('Incident Commander'))!.offsetMs).toBe(20_000)
  })

  it('exports Markdown whose cells cannot break the table or carry HTML', () => {
    const doc = docWithPeople('Alice')
    addEntry(doc, at(10), { kind: 'note', text: 'a | b <script>alert(1)</script>\nsecond line' })
    const measures = measureIncident(doc, DEFAULT_CADENCE)!
    const markdown = comparisonMarkdown({ original: measures, drill: { ...measures, title: 'DRILL: x | y' } })
    expect(markdown).toContain('# Drill comparison: DRILL: x \\| y')
    const row = markdown.split('\n').find((line) => line.includes('second line'))!
    expect(row).toContain('a \\| b \\<script\\>alert\\(1\\)\\</script\\> second line')
    // Every table row has its four or three cells, however the text ran.
    for (const line of markdown.split('\n').filter((l) => l.startsWith('| '))) expect(line.replace(/\\\|/g, '').split('|').length).toBeGreaterThanOrEqual(4)
    expect(markdown).toContain('| IC assigned | never | never |  |')
  })
})
