import * as Y from 'yjs'
import { timelineMap } from './schema'
import { type TimelineEntry, compareEntries, readEntry } from './timeline'

/**
 * A sorted view of the timeline that re-reads only the entries a change
 * touched, so a 10,000-entry incident does not rebuild every entry on each
 * keystroke. Views subscribe to it; it knows nothing about React.
 */
export class TimelineIndex {
  private readonly map: Y.Map<Y.Map<unknown>>
  private readonly byId = new Map<string, TimelineEntry>()
  private sorted: readonly TimelineEntry[] | undefined
  private readonly listeners = new Set<() => void>()

  constructor(doc: Y.Doc) {
    this.map = timelineMap(doc)
    this.map.forEach((_, id) => this.refresh(id))
    this.map.observeDeep(this.onChange)
  }

  private refresh(id: string): void {
    const map = this.map.get(id)
    const entry = map instanceof Y.Map ? readEntry(id, map) : undefined
    if (entry) this.byId.set(id, entry)
    else this.byId.delete(id)
  }

  private readonly onChange = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
    for (const event of events) {
      if (event.target === this.map) {
        for (const key of event.changes.keys.keys()) this.refresh(key)
      } else {
        const id = event.path[0]
        if (typeof id === 'string') this.refresh(id)
      }
    }
    this.sorted = undefined
    for (const listener of this.listeners) listener()
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
    this.map.unobserveDeep(this.onChange)
    this.listeners.clear()
  }
}
