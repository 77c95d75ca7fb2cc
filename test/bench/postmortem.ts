// The postmortem's draft for the 100,000-update incident (the replay bench's
// long incident): the first draft, and a regeneration after an edit, as the
// person pressing "Generate draft" waits for it in their browser's tab.
import * as Y from 'yjs'
import { generatePostmortem } from '../../shared/postmortem'
import { postmortemText } from '../../shared/schema'
import { recordLongIncident } from './replay'
import { median, round } from './measure'

export interface PostmortemBenchResult {
  updates: number
  runs: number
  firstDraftMs: { median: number; max: number }
  regenerateMs: { median: number; max: number }
  draftChars: number
}

export const runPostmortemBench = async (updates: number, entryShare: number, runs: number): Promise<PostmortemBenchResult> => {
  const records = await recordLongIncident(updates, entryShare)
  const first: number[] = []
  const again: number[] = []
  let chars = 0
  for (let i = 0; i < runs; i++) {
    const doc = new Y.Doc()
    doc.transact(() => {
      for (const r of records) Y.applyUpdate(doc, r.update)
    })
    const end = records.at(-1)!.at
    let started = performance.now()
    generatePostmortem(doc, { by: 'host', at: end }, 'Europe/Berlin')
    first.push(performance.now() - started)
    chars = postmortemText(doc).length
    // Someone rewrites the overview; the next draft must leave it be.
    postmortemText(doc).insert('## Overview\n\n'.length, 'Rewritten by hand. ')
    started = performance.now()
    generatePostmortem(doc, { by: 'host', at: end + 60_000 }, 'Europe/Berlin')
    again.push(performance.now() - started)
    doc.destroy()
  }
  return {
    updates: records.length,
    runs,
    firstDraftMs: { median: round(median(first), 0), max: round(Math.max(...first), 0) },
    regenerateMs: { median: round(median(again), 0), max: round(Math.max(...again), 0) },
    draftChars: chars,
  }
}
