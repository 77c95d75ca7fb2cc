import { describe, expect, it } from 'vitest'
import { TimelineIndex } from '../../shared/timeline-index'
import { addEntry, editEntryText, readTimeline, setEntryTime } from '../../shared/timeline'
import { T0, at, declaredDoc, peerOf, syncDocs } from './helpers/doc'

describe('TimelineIndex', () => {
  it('stays equal to a full read through adds, edits, re-dating and remote merges', () => {
    const doc = declaredDoc()
    const index = new TimelineIndex(doc)
    let notified = 0
    index.subscribe(() => notified++)
    const id = addEntry(doc, at(10), { kind: 'note', text: 'first' })
    addEntry(doc, at(20), { kind: 'note', text: 'second' })
    editEntryText(doc, id, 'first, corrected')
    setEntryTime(doc, at(30), id, T0 + 25_000)
    const peer = peerOf(doc)
    addEntry(peer, at(15, 'bob'), { kind: 'decision', text: 'from the peer' })
    syncDocs(doc, peer)
    expect(index.entries()).toEqual(readTimeline(doc))
    expect(index.entries().map((e) => e.text).slice(1)).toEqual(['from the peer', 'second', 'first, corrected'])
    expect(notified).toBe(5)
  })

  it('returns the same array until something changes', () => {
    const doc = declaredDoc()
    const index = new TimelineIndex(doc)
    const first = index.entries()
    expect(index.entries()).toBe(first)
    addEntry(doc, at(1), { kind: 'note', text: 'x' })
    expect(index.entries()).not.toBe(first)
  })
})
