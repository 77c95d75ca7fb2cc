// The moments a facilitator jumps between on the replay's scrubber: starred
// entries, status and severity changes, role hand-overs, published updates,
// tasks created and check-backs missed.
import { readPeople } from './people'
import type * as Y from 'yjs'
import { missedCheckBacks, readTasks } from './tasks'
import type { TimelineEntry } from './timeline'

export const MARKER_KINDS = ['starred', 'status', 'severity', 'role', 'update', 'task', 'missed', 'note'] as const
export type MarkerKind = (typeof MARKER_KINDS)[number]

export const MARKER_LABELS: Record<MarkerKind, string> = {
  starred: 'Starred',
  status: 'Status',
  severity: 'Severity',
  role: 'Role',
  update: 'Update published',
  task: 'Task created',
  missed: 'Check-back missed',
  note: 'Facilitator note',
}

export interface Marker {
  /** Host time to seek to: when the board showed it. */
  at: number
  kind: MarkerKind
  text: string
  entryId?: string
}

const EVENT_KINDS: Record<string, MarkerKind> = {
  'status.changed': 'status',
  'severity.changed': 'severity',
  'role.assigned': 'role',
  'update.published': 'update',
  'task.created': 'task',
}

/** An entry dated this far before it was written was backdated: its moment is when it happened. */
const BACKDATED_MS = 60_000

/**
 * Markers from the whole incident: its final timeline and tasks. `arrivedAt`
 * gives the host time an entry reached the board, so a jump lands on the
 * state that shows it (an entry's own time is the writer's estimate of the
 * host clock and can be a moment early). Ordered by time.
 */
export const replayMarkers = (timeline: readonly TimelineEntry[], board: Y.Doc, end: number, arrivedAt: (entryId: string) => number): Marker[] => {
  const markers: Marker[] = []
  for (const entry of timeline) {
    const arrived = arrivedAt(entry.id)
    const at = entry.at < entry.recordedAt - BACKDATED_MS ? entry.at : Math.max(entry.at, arrived)
    const kind = entry.starred ? 'starred' : entry.event ? EVENT_KINDS[entry.event.type] : undefined
    if (kind) markers.push({ at, kind, text: entry.text, entryId: entry.id })
  }
  const people = readPeople(board)
  for (const task of readTasks(board)) {
    for (const { dueAt, ownerId } of missedCheckBacks(task, end)) {
      markers.push({ at: dueAt, kind: 'missed', text: `Check-back missed: “${task.title}” (${people.get(ownerId)?.name ?? 'its owner'})` })
    }
  }
  return markers.sort((a, b) => a.at - b.at)
}

/**
 * Where the replay ends: when the resolution reached the board, for a
 * resolved incident (what the log holds after, people leaving or an import's
 * own record, is no part of it); otherwise the last record.
 */
export const replayEnd = (timeline: readonly TimelineEntry[], resolved: boolean, lastRecordAt: number, arrivedAt: (entryId: string) => number): number => {
  if (!resolved) return lastRecordAt
  const resolution = timeline.findLast((e) => e.event?.type === 'status.changed' && e.event.to === 'resolved')
  return resolution ? arrivedAt(resolution.id) : lastRecordAt
}
