// A copy of the incident document without its timeline, kept in step with the
// original one transaction at a time. Replay rebuilds the board at any moment
// from this copy's own updates: it is small (the timeline is most of a long
// incident), so a seek decodes kilobytes, not the whole record.
import * as Y from 'yjs'
import { ROOT } from './schema'

/** Top-level types that are arrays; every other one is a map (schema.ts). */
const ARRAYS: ReadonlySet<string> = new Set([ROOT.roleAssignments, ROOT.duty])
/** Written after the incident, never part of its board at a moment: no replay shows them, no drill starts with them. */
const AFTERWARDS: ReadonlySet<string> = new Set([ROOT.postmortem, ROOT.postmortemText, ROOT.followUps])
/** Replay keeps the timeline apart (replay-timeline.ts). */
const LEFT_OUT: ReadonlySet<string> = new Set([ROOT.timeline, ROOT.timelineEdits, ...AFTERWARDS])
export const MIRRORED_ROOTS = Object.values(ROOT).filter((name) => !LEFT_OUT.has(name))
const COPIED_ROOTS = Object.values(ROOT).filter((name) => !AFTERWARDS.has(name))

const rootOf = (doc: Y.Doc, name: string): Y.Map<unknown> | Y.Array<unknown> => (ARRAYS.has(name) ? doc.getArray(name) : doc.getMap(name))

/** What a copy does to a plain value it meets under `key` (a map's key, or undefined in an array). */
export type PlainTransform = (key: string | undefined, value: unknown) => unknown

const same: PlainTransform = (_key, value) => value

/** A deep copy of a value held in a document, as new types for another document; plain values pass through `transform`. */
export const copyValue = (value: unknown, transform: PlainTransform = same, key?: string): unknown => {
  if (value instanceof Y.Text) return new Y.Text(value.toString())
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>()
    for (const [inner, v] of value.entries()) map.set(inner, copyValue(v, transform, inner))
    return map
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>()
    array.insert(0, value.toArray().map((v) => copyValue(v, transform)))
    return array
  }
  return transform(key, value)
}

/** Copy the board's top-level types of `source` into `target` (new items: the copy has no history), passing plain values through `transform`. */
export const copyDocument = (source: Y.Doc, target: Y.Doc, transform: PlainTransform): void => {
  target.transact(() => {
    for (const name of COPIED_ROOTS) {
      const from = rootOf(source, name)
      const to = rootOf(target, name)
      if (from instanceof Y.Map && to instanceof Y.Map) for (const [key, value] of from.entries()) to.set(key, copyValue(value, transform, key))
      else if (from instanceof Y.Array && to instanceof Y.Array) to.insert(0, from.toArray().map((v) => copyValue(v, transform)))
    }
  })
}

/**
 * Keeps `target` equal to `source` (less the timeline) after each of the
 * source's transactions. Changes to a top-level key or index are copied as
 * they are; a change deeper down copies that key's or index's whole value again.
 */
export class DocMirror {
  private readonly off: Array<() => void> = []

  constructor(source: Y.Doc, target: Y.Doc) {
    for (const name of MIRRORED_ROOTS) {
      const from = rootOf(source, name)
      const to = rootOf(target, name)
      const handler = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
        target.transact(() => {
          const deep = new Set<string | number>()
          for (const event of events) {
            if (event.target !== from) {
              const key = event.path[0]
              if (key !== undefined) deep.add(key)
            } else if (from instanceof Y.Map && to instanceof Y.Map) {
              for (const key of event.keys.keys()) {
                if (from.has(key)) to.set(key, copyValue(from.get(key)))
                else to.delete(key)
              }
            } else if (to instanceof Y.Array) {
              let index = 0
              for (const op of event.delta) {
                if (op.retain !== undefined) index += op.retain
                else if (op.delete !== undefined) to.delete(index, op.delete)
                else if (Array.isArray(op.insert)) {
                  to.insert(index, op.insert.map((v) => copyValue(v)))
                  index += op.insert.length
                }
              }
            }
          }
          for (const key of deep) {
            if (from instanceof Y.Map && to instanceof Y.Map && typeof key === 'string') {
              if (from.has(key)) to.set(key, copyValue(from.get(key)))
            } else if (from instanceof Y.Array && to instanceof Y.Array && typeof key === 'number' && key < from.length) {
              to.delete(key, 1)
              to.insert(key, [copyValue(from.get(key))])
            }
          }
        })
      }
      from.observeDeep(handler)
      this.off.push(() => from.unobserveDeep(handler))
    }
  }

  destroy(): void {
    for (const off of this.off) off()
  }
}
