// After a drill: how the trainees did beside the original, from each board's
// record: time to an IC, to the first role, task and update per audience,
// updates on cadence or late, time to mitigated; both timelines on one axis
// (time since each was declared); and the same as Markdown for the debrief.
import * as v from 'valibot'
import type * as Y from 'yjs'
import { type CadenceSettings, tallyUpdates } from './cadence'
import { formatElapsed } from './clock'
import { readMeta } from './incident'
import { displayName, readPeople } from './people'
import { AUDIENCES, AUDIENCE_LABELS, type Audience } from './templates'
import { readTimeline } from './timeline'
import { escapeMarkdown } from './update-formats'
import { readPublishedUpdates } from './updates'

const offset = v.optional(v.number())

export const IncidentMeasuresSchema = v.object({
  id: v.string(),
  title: v.string(),
  startedAt: v.number(),
  /** Each a time since the declaration (ms); absent when it never happened. */
  icAssignedMs: offset,
  firstRoleMs: offset,
  firstTaskMs: offset,
  mitigatedMs: offset,
  firstUpdateMs: v.object(Object.fromEntries(AUDIENCES.map((a) => [a, offset])) as Record<Audience, typeof offset>),
  updates: v.object({ onCadence: v.number(), late: v.number() }),
  timeline: v.array(v.object({ offsetMs: v.number(), kind: v.string(), author: v.string(), text: v.string(), starred: v.boolean() })),
})
export type IncidentMeasures = v.InferOutput<typeof IncidentMeasuresSchema>

export const ComparisonSchema = v.object({ drill: IncidentMeasuresSchema, original: IncidentMeasuresSchema })
export type Comparison = v.InferOutput<typeof ComparisonSchema>

/** The timeline the comparison shows: at most this many entries a side (the first ones). */
export const COMPARED_ENTRIES = 1000

/**
 * Measures of one incident from its document. An update is on cadence when it
 * went out by the time its audience's clock said it was due, from the updates
 * and changes before it.
 */
export const measureIncident = (doc: Y.Doc, cadence: CadenceSettings): IncidentMeasures | undefined => {
  const meta = readMeta(doc)
  if (!meta) return undefined
  const startedAt = meta.milestones.startedAt ?? 0
  const timeline = readTimeline(doc)
  const since = (at: number | undefined): number | undefined => (at === undefined ? undefined : Math.max(0, at - startedAt))
  const firstEvent = (match: (type: string, event: Record<string, unknown>) => boolean): number | undefined =>
    timeline.find((e) => e.event !== undefined && match(e.event.type, e.event))?.at
  const published = readPublishedUpdates(doc).sort((a, b) => a.publishedAt - b.publishedAt)
  const changes = timeline.filter((e) => e.event?.type === 'status.changed' || e.event?.type === 'severity.changed').map((e) => e.at)
  const people = readPeople(doc)
  return {
    id: meta.id,
    title: meta.title,
    startedAt,
    icAssignedMs: since(firstEvent((type, e) => type === 'role.assigned' && e.role === 'incidentCommander')),
    firstRoleMs: since(firstEvent((type) => type === 'role.assigned')),
    firstTaskMs: since(firstEvent((type) => type === 'task.created')),
    mitigatedMs: since(meta.milestones.mitigatedAt),
    firstUpdateMs: Object.fromEntries(AUDIENCES.map((a) => [a, since(published.find((u) => u.audience === a)?.publishedAt)])) as IncidentMeasures['firstUpdateMs'],
    updates: tallyUpdates(cadence, published, changes, startedAt),
    timeline: timeline.slice(0, COMPARED_ENTRIES).map((e) => ({ offsetMs: Math.max(0, e.at - startedAt), kind: e.kind, author: displayName(people, e.authorId), text: e.text, starred: e.starred })),
  }
}

export interface MeasureRow {
  label: string
  original: number | undefined
  drill: number | undefined
}

/** The comparison's rows, in the order a debrief reads them. */
export const measureRows = (c: Comparison): MeasureRow[] => [
  { label: 'IC assigned', original: c.original.icAssignedMs, drill: c.drill.icAssignedMs },
  { label: 'First role assigned', original: c.original.firstRoleMs, drill: c.drill.firstRoleMs },
  { label: 'First task', original: c.original.firstTaskMs, drill: c.drill.firstTaskMs },
  ...AUDIENCES.map((a) => ({ label: `First ${AUDIENCE_LABELS[a].toLowerCase()} update`, original: c.original.firstUpdateMs[a], drill: c.drill.firstUpdateMs[a] })),
  { label: 'Mitigated', original: c.original.mitigatedMs, drill: c.drill.mitigatedMs },
]

export const durationWords = (ms: number | undefined): string => (ms === undefined ? 'never' : `+${formatElapsed(ms)}`)

/** "2:10 sooner", "0:45 later", "the same"; empty when either never happened. */
export const differenceWords = (row: MeasureRow): string => {
  if (row.original === undefined || row.drill === undefined) return ''
  const delta = Math.round((row.drill - row.original) / 1000) * 1000
  if (delta === 0) return 'the same'
  return `${formatElapsed(Math.abs(delta))} ${delta < 0 ? 'sooner' : 'later'}`
}

/** Both timelines on one axis: each moment (time since declared) with what each side wrote then. */
export const mergedTimeline = (c: Comparison): Array<{ offsetMs: number; original?: IncidentMeasures['timeline'][number]; drill?: IncidentMeasures['timeline'][number] }> =>
  [...c.original.timeline.map((e) => ({ offsetMs: e.offsetMs, original: e })), ...c.drill.timeline.map((e) => ({ offsetMs: e.offsetMs, drill: e }))].sort((a, b) => a.offsetMs - b.offsetMs)

/** Text in a Markdown table cell: escaped, on one line. */
const escapeMarkdownCell = (text: string): string => escapeMarkdown(text.replace(/\s*\n\s*/g, ' '))

const cell = (entry: IncidentMeasures['timeline'][number] | undefined): string => (entry ? escapeMarkdownCell(`${entry.starred ? '★ ' : ''}${entry.author}: ${entry.text}`) : '')

/** The comparison as Markdown for the debrief: every cell escaped (a typed `|`, `<script>` or newline stays text). */
export const comparisonMarkdown = (c: Comparison): string => {
  const lines = [
    `# Drill comparison: ${escapeMarkdownCell(c.drill.title)}`,
    '',
    `Original: ${escapeMarkdownCell(c.original.title)} (${c.original.id}); drill: ${c.drill.id}. Times are since each was declared.`,
    '',
    '| Measure | Original | Drill | Difference |',
    '| --- | --- | --- | --- |',
    ...measureRows(c).map((r) => `| ${r.label} | ${durationWords(r.original)} | ${durationWords(r.drill)} | ${differenceWords(r)} |`),
    `| Updates on cadence / late | ${c.original.updates.onCadence} / ${c.original.updates.late} | ${c.drill.updates.onCadence} / ${c.drill.updates.late} | |`,
    '',
    '## Timelines',
    '',
    '| Since declared | Original | Drill |',
    '| --- | --- | --- |',
    ...mergedTimeline(c).map((row) => `| +${formatElapsed(row.offsetMs)} | ${cell(row.original)} | ${cell(row.drill)} |`),
    '',
  ]
  return lines.join('\n')
}
