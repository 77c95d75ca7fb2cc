import * as Y from 'yjs'
import { declareIncident } from '../../../shared/incident'
import { joinIncident } from '../../../shared/people'
import type { Change } from '../../../shared/schema'

export const T0 = Date.UTC(2026, 10, 24, 14, 0, 0)

/** A change by `by` at T0 + `seconds`. */
export const at = (seconds: number, by = 'alice'): Change => ({ by, at: T0 + seconds * 1000 })

export const declaredDoc = (): Y.Doc => {
  const doc = new Y.Doc()
  declareIncident(doc, { by: 'host', at: T0 }, { id: 'inc-1', title: 'Checkout down', severity: 'SEV-2' })
  return doc
}

/** Exchange all updates between two documents, as two peers reconnecting would. */
export const syncDocs = (a: Y.Doc, b: Y.Doc): void => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/** A second peer holding a copy of `doc`. */
export const peerOf = (doc: Y.Doc): Y.Doc => {
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  return peer
}

/** A declared incident with these people on it (ids are the lower-cased names). */
export const docWithPeople = (...names: string[]): Y.Doc => {
  const doc = declaredDoc()
  names.forEach((name, i) => joinIncident(doc, { by: name.toLowerCase(), at: T0 + i }, { name }))
  return doc
}

/** Apply a's and b's changes to each other in the given order; both end equal. */
export const mergeInOrder = (a: Y.Doc, b: Y.Doc, order: 'ab' | 'ba'): Y.Doc => {
  const merged = new Y.Doc()
  const [first, second] = order === 'ab' ? [a, b] : [b, a]
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(first))
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(second))
  return merged
}
