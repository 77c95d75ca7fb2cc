// Replay: the board as it was at any host time, from the incident's logged
// updates (each with the host time it arrived). The log is read once, in time
// order, into (a) a copy of the document without its timeline (replay-mirror.ts),
// whose own updates and keyframes rebuild the board at any record in a few
// milliseconds, and (b) the timeline's history (replay-timeline.ts). A seek
// starts from the nearest keyframe at or before that time and applies the
// copy's updates after it, so it never replays the log from the start.
import * as Y from 'yjs'
import { DocMirror } from './replay-mirror'
import { TimelineHistory } from './replay-timeline'
import type { TimelineEntry } from './timeline'

export interface ReplayRecord {
  /** Host time, epoch ms, the update reached the host. */
  at: number
  author: string
  update: Uint8Array
}

interface Keyframe {
  /** How many records (in time order) the state holds. */
  count: number
  state: Uint8Array
}

/**
 * A keyframe of the copy after this many of its updates, or sooner when they
 * add up to this many bytes: a seek then applies at most that many.
 */
export const KEYFRAME_EVERY_UPDATES = 200
export const KEYFRAME_EVERY_BYTES = 64 * 1024

export class ReplayLog {
  /** In host-time order (stable: records of the same millisecond keep the log's order). */
  readonly records: readonly ReplayRecord[]
  /** The copy's update for each record (undefined when the record changed only the timeline). */
  private readonly boardUpdates: Array<Uint8Array | undefined> = []
  private readonly keyframes: Keyframe[] = [{ count: 0, state: Y.encodeStateAsUpdate(new Y.Doc()) }]
  private readonly source = new Y.Doc()
  private readonly board = new Y.Doc()
  private readonly mirror = new DocMirror(this.source, this.board)
  private readonly history = new TimelineHistory(this.source)
  private built = 0
  private since = { updates: 0, bytes: 0 }
  /** Records the host could not apply either (damaged or foreign): skipped, as the host did. */
  skipped = 0

  constructor(records: readonly ReplayRecord[]) {
    if (records.length === 0) throw new RangeError('a replay needs at least one record')
    this.records = records
      .map((record, index) => ({ record, index }))
      .sort((a, b) => a.record.at - b.record.at || a.index - b.index)
      .map(({ record }) => record)
    this.board.on('update', (update: Uint8Array) => {
      this.boardUpdates[this.built] = update
    })
  }

  get start(): number {
    return this.records[0]!.at
  }

  get end(): number {
    return this.records.at(-1)!.at
  }

  /** Share of the log read so far (0–1). */
  get progress(): number {
    return this.built / this.records.length
  }

  get ready(): boolean {
    return this.built === this.records.length
  }

  /**
   * Read the log, `budgetMs` at a time (a page calls it again between frames,
   * so it stays responsive). True once every record is read.
   */
  read(budgetMs = Infinity, clock: () => number = Date.now): boolean {
    const until = clock() + budgetMs
    while (this.built < this.records.length) {
      this.history.recording(this.built + 1)
      // One transaction on the copy per record, so each record has at most one update there.
      this.board.transact(() => {
        try {
          Y.applyUpdate(this.source, this.records[this.built]!.update)
        } catch {
          this.skipped++
        }
      })
      const update = this.boardUpdates[this.built]
      this.built++
      if (update) {
        this.since.updates++
        this.since.bytes += update.byteLength
        if (this.since.updates >= KEYFRAME_EVERY_UPDATES || this.since.bytes >= KEYFRAME_EVERY_BYTES) {
          this.keyframes.push({ count: this.built, state: Y.encodeStateAsUpdate(this.board) })
          this.since = { updates: 0, bytes: 0 }
        }
      }
      if (clock() >= until) break
    }
    if (this.ready) {
      // Everything is in the keyframes, the copy's updates and the history now.
      this.mirror.destroy()
      this.history.stop()
      this.source.destroy()
    }
    return this.ready
  }

  /** How many records (in time order) had arrived by host time `at`. */
  countAt(at: number): number {
    let low = 0
    let high = this.records.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.records[mid]!.at <= at) low = mid + 1
      else high = mid
    }
    return low
  }

  /** A new document with the board (less its timeline) after `count` records: the nearest keyframe, then the rest. */
  boardAfter(count: number): Y.Doc {
    const target = Math.min(count, this.built)
    let keyframe = this.keyframes[0]!
    for (const k of this.keyframes) {
      if (k.count > target) break
      keyframe = k
    }
    const doc = new Y.Doc()
    doc.transact(() => {
      Y.applyUpdate(doc, keyframe.state)
      this.advance(doc, keyframe.count, target)
    })
    return doc
  }

  /** Bring a board document from `from` records to `to` (forward only): playing. */
  advance(doc: Y.Doc, from: number, to: number): void {
    const end = Math.min(to, this.built)
    if (end <= from) return
    doc.transact(() => {
      for (let i = from; i < end; i++) {
        const update = this.boardUpdates[i]
        if (update) Y.applyUpdate(doc, update)
      }
    })
  }

  /** The timeline after `count` records, in order of when things happened. */
  timelineAfter(count: number): TimelineEntry[] {
    return this.history.at(Math.min(count, this.built))
  }

  /** Host time the record that wrote an entry arrived (the log's end for one it does not know). */
  arrivedAt = (entryId: string): number => {
    const count = this.history.firstCount(entryId)
    return count === undefined ? this.end : this.records[count - 1]!.at
  }

  /** Bytes the keyframes and the copy's updates hold (the replay's memory beyond the log). */
  get boardBytes(): number {
    return this.keyframes.reduce((sum, k) => sum + k.state.byteLength, 0) + this.boardUpdates.reduce((sum, u) => sum + (u?.byteLength ?? 0), 0)
  }

  get keyframeCount(): number {
    return this.keyframes.length
  }
}
