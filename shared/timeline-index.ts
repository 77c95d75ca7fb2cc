import type * as Y from 'yjs'
import { timelineEditsMap, timelineMap } from './schema'
import { type TimelineEntry, compareEntries, entryIdOfEditKey, readEntry } from './timeline'

/**
 * A sorted view of the timeline that re-reads only the entries a change
 * touched, so a 10,000-entry incident does not rebuild every entry on each
 * keystroke. Views subscribe to it; it knows nothing about React.
 */
export class TimelineIndex {
  private readonly records: Y.Map<unknown>
  private readonly edits: Y.Map<unknown>
  private readonly byId = new Map<string, TimelineEntry>()
  private sorted: readonly TimelineEntry[] | undefined
  private readonly listeners = new Set<() => void>()

  constructor(private readonly doc: Y.Doc) {
    this.records = timelineMap(doc)
    this.edits = timelineEditsMap(doc)
    for (const id of this.records.keys()) this.refresh(id)
    this.records.observe(this.onRecords)
    this.edits.observeDeep(this.onEdits)
  }

  private refresh(id: string): void {
    const entry = readEntry(this.doc, id)
    if (entry) this.byId.set(id, entry)
    else this.byId.delete(id)
  }

  private changed(): void {
    this.sorted = undefined
    for (const listener of this.listeners) listener()
  }

  private readonly onRecords = (event: Y.YMapEvent<unknown>): void => {
    for (const id of event.keysChanged) this.refresh(id)
    this.changed()
  }

  private readonly onEdits = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
    for (const event of events) {
      // A change to the map names its keys; a change inside a corrected text has the key as its path.
      const keys = event.target === this.edits ? [...event.changes.keys.keys()] : [event.path[0]]
      for (const key of keys) if (typeof key === 'string') this.refresh(entryIdOfEditKey(key))
    }
    this.changed()
  }

  /** Stable between changes, so it can back `useSyncExternalStore`. */
  entries = (): readonly TimelineEntry[] => {
    this.sorted ??= [...this.byId.values()].sort(compareEntries)
    return this.sorted
  }

  get(id: string): TimelineEntry | undefined {
    return this.byId.get(id)
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.records.unobserve(this.onRecords)
    this.edits.unobserveDeep(this.onEdits)
    this.listeners.clear()
  }
}
