// The timeline's history for replay: when each entry and each edit arrived
// (as a count of the log's records), so the timeline at any moment is read
// from plain values instead of being rebuilt in a document. Entries are listed
// in the order of their time, and an entry no edit touched keeps one object
// across moments, so memoised rows are not drawn again.
import * as Y from 'yjs'
import { timelineEditsMap, timelineMap } from './schema'
import { type TimelineEntry, compareEntries, editKey, entryFrom, entryIdOfEditKey } from './timeline'

interface Version {
  /** Records (in time order) after which the value holds. */
  count: number
  value: unknown
}

/** The value a key held after `count` records (undefined before it was set). */
const valueAt = (versions: readonly Version[] | undefined, count: number): unknown => {
  if (!versions) return undefined
  let low = 0
  let high = versions.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (versions[mid]!.count <= count) low = mid + 1
    else high = mid
  }
  return low === 0 ? undefined : versions[low - 1]!.value
}

const plain = (value: unknown): unknown => (value instanceof Y.Text ? value.toString() : value instanceof Y.AbstractType ? undefined : value)

export class TimelineHistory {
  private readonly records = new Map<string, Version[]>()
  private readonly edits = new Map<string, Version[]>()
  /** Entries edited at some point: only these are read again at each moment. */
  private readonly edited = new Set<string>()
  /** Each entry's first version, by its first record's time; rebuilt when new entries arrive. */
  private ordered: Array<{ first: number; entry: TimelineEntry }> | undefined
  private count = 0
  private readonly off: () => void

  constructor(source: Y.Doc) {
    const timeline = timelineMap(source)
    const edits = timelineEditsMap(source)
    const onTimeline = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
      for (const event of events) {
        if (event.target !== timeline) continue
        for (const key of event.keys.keys()) this.push(this.records, key, timeline.get(key))
      }
    }
    const onEdits = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
      const keys = new Set<string>()
      for (const event of events) {
        if (event.target === edits) for (const key of event.keys.keys()) keys.add(key)
        else if (typeof event.path[0] === 'string') keys.add(event.path[0])
      }
      for (const key of keys) {
        this.push(this.edits, key, edits.get(key))
        this.edited.add(entryIdOfEditKey(key))
      }
    }
    timeline.observeDeep(onTimeline)
    edits.observeDeep(onEdits)
    this.off = () => {
      timeline.unobserveDeep(onTimeline)
      edits.unobserveDeep(onEdits)
    }
  }

  /** Call before each record is applied to the source: what changes now holds after `count` records. */
  recording(count: number): void {
    this.count = count
  }

  private push(into: Map<string, Version[]>, key: string, value: unknown): void {
    const versions = into.get(key) ?? []
    const version = { count: this.count, value: plain(value) }
    if (versions.at(-1)?.count === this.count) versions[versions.length - 1] = version
    else versions.push(version)
    into.set(key, versions)
    if (into === this.records) this.ordered = undefined
  }

  stop(): void {
    this.off()
  }

  /** After how many records the entry first held. */
  firstCount(id: string): number | undefined {
    return this.records.get(id)?.[0]?.count
  }

  private entryAt(id: string, count: number): TimelineEntry | undefined {
    return entryFrom(id, valueAt(this.records.get(id), count), {
      text: valueAt(this.edits.get(editKey(id, 'text')), count),
      at: valueAt(this.edits.get(editKey(id, 'at')), count),
      starred: valueAt(this.edits.get(editKey(id, 'starred')), count),
    })
  }

  private order(): Array<{ first: number; entry: TimelineEntry }> {
    if (!this.ordered) {
      const ordered: Array<{ first: number; entry: TimelineEntry }> = []
      for (const [id, versions] of this.records) {
        const first = versions[0]!
        const entry = entryFrom(id, first.value, { text: undefined, at: undefined, starred: undefined })
        if (entry) ordered.push({ first: first.count, entry })
      }
      this.ordered = ordered.sort((a, b) => compareEntries(a.entry, b.entry))
    }
    return this.ordered
  }

  /** The timeline after `count` records, in order of when things happened. */
  at(count: number): TimelineEntry[] {
    const entries: TimelineEntry[] = []
    let moved = false
    for (const { first, entry } of this.order()) {
      if (first > count) continue
      if (!this.edited.has(entry.id) && this.records.get(entry.id)!.length === 1) {
        entries.push(entry)
        continue
      }
      const then = this.entryAt(entry.id, count)
      if (!then) continue
      if (then.at !== entry.at) moved = true
      entries.push(then.text === entry.text && then.starred === entry.starred && then.at === entry.at ? entry : then)
    }
    // Only a re-dated entry can be out of place.
    return moved ? entries.sort(compareEntries) : entries
  }
}
