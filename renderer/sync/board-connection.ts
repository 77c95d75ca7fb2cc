// What a board reads and writes through: the live connection to the host
// (connection.ts) or a replay of a recorded incident (replay/replay-connection.ts).
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import type { SortedView } from '../../shared/doc-index'
import type { Presence } from '../../shared/presence'
import type { Change } from '../../shared/schema'
import type { Task } from '../../shared/tasks'
import type { TimelineEntry } from '../../shared/timeline'
import type { Identity } from '../app/session'

export type LinkState = 'connecting' | 'live' | 'offline'

export interface ConnectionStatus {
  link: LinkState
  /** The local copy (IndexedDB) has been read. */
  localReady: boolean
  /** The host has sent its state at least once this session. */
  everSynced: boolean
}

export interface BoardConnection {
  readonly incidentId: string
  readonly token: string
  readonly identity: Identity
  readonly doc: Y.Doc
  /** Host time: now on a live board, the replay's moment in a replay. */
  readonly clock: { now: () => number }
  readonly timeline: SortedView<TimelineEntry>
  readonly tasks: SortedView<Task>
  readonly awareness: Awareness
  /** Who and when for a mutation: this person, now on the host clock. */
  change: () => Change
  setPresence: (extra: Partial<Omit<Presence, 'user'>> & { dragging?: { id: string; x: number; y: number } }) => void
  getStatus: () => ConnectionStatus
  subscribe: (listener: () => void) => () => void
  /** The board's one second-by-second clock: host time rounded to the second. */
  subscribeTick: (listener: () => void) => () => void
  getTick: () => number
}
