// The mix of a long incident's log, shared by the cold-open and replay benches.
import type * as Y from 'yjs'
import { addEntry, editEntryText, readEntry, setEntryStarred } from '../../shared/timeline'

/**
 * Write `updates` - 1 updates to `doc`, one transaction each: every entry typed
 * is one update, but most updates are keystrokes of corrections to shared text
 * (in bursts, one entry at a time, as people type), stars and re-dating.
 * `entryShare` 1 is the worst case: every update a new entry. `at(i)` is the
 * host time of update i; `after(i)` runs after it. Returns the entries written.
 */
export const writeLongIncident = async (
  doc: Y.Doc,
  updates: number,
  entryShare: number,
  at: (i: number) => number,
  after: (i: number) => void | Promise<void> = () => undefined,
): Promise<number> => {
  // Per action: a new entry, a correction burst (about 22 keystrokes) or a star; proportions
  // chosen so new entries are `entryShare` of all updates.
  const entryActions = entryShare >= 1 ? 1000 : Math.round(((22 * 0.95 * entryShare) / (1 - entryShare + 21 * entryShare)) * 1000)
  const ids: string[] = []
  let entries = 0
  let burst: { id: string; left: number } | undefined
  for (let i = 1; i < updates; i++) {
    const author = `person-${i % 50}`
    const origin = { author, access: 'edit' as const }
    const change = { by: author, at: at(i) }
    const roll = (i * 7919) % 1000
    if (burst && burst.left > 0) {
      const text = readEntry(doc, burst.id)!.text
      doc.transact(() => editEntryText(doc, burst!.id, `${text}${String.fromCharCode(97 + (i % 26))}`), origin)
      burst.left--
    } else if (ids.length === 0 || roll < entryActions) {
      doc.transact(() => ids.push(addEntry(doc, change, { kind: 'note', text: `Timeline entry number ${i} from ${author}` })), origin)
      entries++
    } else if (roll < 950) {
      // Someone starts correcting a recent entry: 5 to 40 keystrokes.
      burst = { id: ids[ids.length - 1 - (i % Math.min(ids.length, 50))]!, left: 5 + (i % 36) }
    } else {
      const id = ids[i % ids.length]!
      doc.transact(() => setEntryStarred(doc, id, i % 2 === 0), origin)
    }
    await after(i)
  }
  return entries
}
