// Updates a Yjs document holds back because a change they build on has not
// arrived ("pending structs"). After a damaged log they are real, logged work
// waiting for a board to restore the missing change; from a connection they
// can also be an abuse that never completes, so they are bounded and never
// written into a checkpoint as if they were state.
import * as Y from 'yjs'

type Store = Y.Doc['store']

export interface SavedPending {
  structs: Store['pendingStructs']
  ds: Store['pendingDs']
}

export const pendingBytes = (doc: Y.Doc): number => (doc.store.pendingStructs?.update.length ?? 0) + (doc.store.pendingDs?.length ?? 0)

/** What is held back now, copied (Yjs changes its `missing` map in place), to put back if an update is refused. */
export const savePending = (doc: Y.Doc): SavedPending => {
  const structs = doc.store.pendingStructs
  return { structs: structs && { missing: new Map(structs.missing), update: structs.update }, ds: doc.store.pendingDs }
}

export const restorePending = (doc: Y.Doc, saved: SavedPending): void => {
  doc.store.pendingStructs = saved.structs
  doc.store.pendingDs = saved.ds
}

/** The document's state without anything held back: what a checkpoint stores as state. */
export const encodeStateWithoutPending = (doc: Y.Doc): Uint8Array => {
  const saved = { structs: doc.store.pendingStructs, ds: doc.store.pendingDs }
  doc.store.pendingStructs = null
  doc.store.pendingDs = null
  try {
    return Y.encodeStateAsUpdate(doc)
  } finally {
    restorePending(doc, saved)
  }
}

/** Everything held back, as one update (v1, like the log's), if anything is. */
export const heldBackUpdate = (doc: Y.Doc): Uint8Array | undefined => {
  const parts = [doc.store.pendingDs, doc.store.pendingStructs?.update].filter((part): part is Uint8Array => part != null)
  if (parts.length === 0) return undefined
  return Y.convertUpdateFormatV2ToV1(parts.length === 1 ? parts[0]! : Y.mergeUpdatesV2(parts))
}
