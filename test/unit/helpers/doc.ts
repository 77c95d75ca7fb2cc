import * as Y from 'yjs'
import { declareIncident } from '../../../shared/incident'
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
