// Sorted views over keyed records in the document that re-read only what a
// change touched, so a 10,000-entry timeline or 500 tasks are not rebuilt on
// every keystroke, and unchanged records keep their identity (memoised rows
// skip re-rendering). Views subscribe to them; they know nothing about React.
import type * as Y from 'yjs'
import { tasksMap, timelineEditsMap, timelineMap } from './schema'
import { type Task, readTask } from './tasks'
import { type TimelineEntry, compareEntries, entryIdOfEditKey, readEntry } from './timeline'

interface Source {
  map: Y.Map<unknown>
  /** Which record a key of this map belongs to. */
  recordOf: (key: string) => string
}

/** A sorted list of records that says when it changes. */
export interface SortedView<T> {
  /** Stable between changes, so it can back `useSyncExternalStore`. */
  all: () => readonly T[]
  get: (id: string) => T | undefined
  subscribe: (listener: () => void) => () => void
}

export class DocIndex<T> implements SortedView<T> {
  private readonly byId = new Map<string, T>()
  private sorted: readonly T[] | undefined
  private readonly listeners = new Set<() => void>()
  private readonly unobserve: Array<() => void> = []

  constructor(
    sources: readonly Source[],
    private readonly read: (id: string) => T | undefined,
    private readonly compare: (a: T, b: T) => number,
  ) {
    for (const id of sources[0]!.map.keys()) this.refresh(id)
    for (const { map, recordOf } of sources) {
      const handler = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
        for (const event of events) {
          // A change to the map names its keys; a change deeper down has the key first in its path.
          const keys = event.target === map ? [...event.changes.keys.keys()] : [event.path[0]]
          for (const key of keys) if (typeof key === 'string') this.refresh(recordOf(key))
        }
        this.sorted = undefined
        for (const listener of this.listeners) listener()
      }
      map.observeDeep(handler)
      this.unobserve.push(() => map.unobserveDeep(handler))
    }
  }

  private refresh(id: string): void {
    const record = this.read(id)
    if (record) this.byId.set(id, record)
    else this.byId.delete(id)
  }

  /** Stable between changes, so it can back `useSyncExternalStore`. */
  all = (): readonly T[] => {
    this.sorted ??= [...this.byId.values()].sort(this.compare)
    return this.sorted
  }

  get(id: string): T | undefined {
    return this.byId.get(id)
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    for (const off of this.unobserve) off()
    this.listeners.clear()
  }
}

const same = (key: string): string => key

export const timelineIndex = (doc: Y.Doc): DocIndex<TimelineEntry> =>
  new DocIndex(
    [
      { map: timelineMap(doc), recordOf: same },
      { map: timelineEditsMap(doc), recordOf: entryIdOfEditKey },
    ],
    (id) => readEntry(doc, id),
    compareEntries,
  )

export const taskIndex = (doc: Y.Doc): DocIndex<Task> =>
  new DocIndex([{ map: tasksMap(doc), recordOf: same }], (id) => readTask(id, tasksMap(doc).get(id)), (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
