import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { timelineEditsMap, timelineMap } from '../../shared/schema'
import {
  TimelineError,
  addEntry,
  editEntryText,
  filterEntries,
  parseEntryInput,
  readTimeline,
  setEntryStarred,
  setEntryTime,
} from '../../shared/timeline'
import { T0, at, declaredDoc, peerOf, syncDocs } from './helpers/doc'

describe('timeline entries', () => {
  it('records text, kind, author and host time, in order of when things happened', () => {
    const doc = declaredDoc()
    addEntry(doc, at(20), { kind: 'decision', text: '  Fail over to the replica ' })
    addEntry(doc, at(10, 'bob'), { kind: 'observation', text: 'Error rate 40%' })
    const entries = readTimeline(doc).filter((e) => e.kind !== 'event')
    expect(entries.map((e) => [e.text, e.kind, e.authorId, e.at - T0])).toEqual([
      ['Error rate 40%', 'observation', 'bob', 10_000],
      ['Fail over to the replica', 'decision', 'alice', 20_000],
    ])
    expect(entries[0]!.recordedAt).toBe(entries[0]!.at)
  })

  it('refuses empty, overlong and future-dated entries without changing anything', () => {
    const doc = declaredDoc()
    const before = readTimeline(doc).length
    expect(() => addEntry(doc, at(1), { kind: 'note', text: '   ' })).toThrow(TimelineError)
    expect(() => addEntry(doc, at(1), { kind: 'note', text: 'x'.repeat(4001) })).toThrow(/at most/)
    expect(() => addEntry(doc, at(1), { kind: 'note', text: 'later', at: T0 + 3_600_000 })).toThrow(/future/)
    expect(() => addEntry(doc, at(1), { kind: 'gossip' as never, text: 'hm' })).toThrow(/Unknown kind/)
    expect(readTimeline(doc)).toHaveLength(before)
  })

  it('backdates an entry but keeps when it was recorded', () => {
    const doc = declaredDoc()
    const id = addEntry(doc, at(300), { kind: 'note', text: 'DB paged' })
    setEntryTime(doc, at(310), id, T0 + 60_000)
    const entry = readTimeline(doc).find((e) => e.id === id)!
    expect(entry.at).toBe(T0 + 60_000)
    expect(entry.recordedAt).toBe(T0 + 300_000)
    expect(() => setEntryTime(doc, at(310), id, T0 + 7_200_000)).toThrow(/future/)
    expect(() => setEntryTime(doc, at(310), 'missing', T0)).toThrow(/no longer exists/)
  })

  it('stars key moments', () => {
    const doc = declaredDoc()
    const id = addEntry(doc, at(5), { kind: 'decision', text: 'Roll back' })
    setEntryStarred(doc, id, true)
    expect(filterEntries(readTimeline(doc), { starredOnly: true }).map((e) => e.text)).toEqual(['Roll back'])
    setEntryStarred(doc, id, false)
    expect(filterEntries(readTimeline(doc), { starredOnly: true })).toEqual([])
  })

  it('merges two people correcting the same entry at once, character by character', () => {
    const doc = declaredDoc()
    const id = addEntry(doc, at(5), { kind: 'note', text: 'Restartd the databse' })
    editEntryText(doc, id, 'Restartd the databse.')
    const peer = peerOf(doc)
    editEntryText(doc, id, 'Restarted the databse.')
    editEntryText(peer, id, 'Restartd the database.')
    syncDocs(doc, peer)
    const text = (d: Y.Doc) => readTimeline(d).find((e) => e.id === id)!.text
    expect(text(doc)).toBe('Restarted the database.')
    expect(text(peer)).toBe('Restarted the database.')
  })

  it('keeps one of two first corrections made at the same instant, whole, on every screen', () => {
    const doc = declaredDoc()
    const id = addEntry(doc, at(5), { kind: 'note', text: 'teh fix' })
    const peer = peerOf(doc)
    editEntryText(doc, id, 'the fix')
    editEntryText(peer, id, 'teh fix deployed')
    syncDocs(doc, peer)
    const text = (d: Y.Doc) => readTimeline(d).find((e) => e.id === id)!.text
    expect(text(doc)).toBe(text(peer))
    expect(['the fix', 'teh fix deployed']).toContain(text(doc))
  })

  it('does not let anyone edit what the board wrote itself', () => {
    const doc = declaredDoc()
    const declared = readTimeline(doc).find((e) => e.kind === 'event')!
    expect(() => editEntryText(doc, declared.id, 'nothing happened')).toThrow(/cannot be edited/)
  })

  it('keeps both entries when two offline peers write at the same moment', () => {
    const doc = declaredDoc()
    const peer = peerOf(doc)
    addEntry(doc, at(30), { kind: 'note', text: 'from Alice' })
    addEntry(peer, at(30, 'bob'), { kind: 'note', text: 'from Bob' })
    syncDocs(doc, peer)
    const texts = (d: Y.Doc) => readTimeline(d).map((e) => e.text)
    expect(texts(doc)).toEqual(texts(peer))
    expect(texts(doc)).toEqual(expect.arrayContaining(['from Alice', 'from Bob']))
  })

  it('reads garbage a peer wrote without throwing', () => {
    const doc = declaredDoc()
    timelineMap(doc).set('bad', { at: 'yesterday' })
    timelineMap(doc).set('worse', new Y.Map())
    timelineMap(doc).set('odd', { recordedAt: T0, kind: 'shout', text: 42, links: 'nope', event: { type: 7 } })
    timelineEditsMap(doc).set('odd/at', 'soon')
    timelineEditsMap(doc).set('odd/text', 99)
    const entries = readTimeline(doc)
    expect(entries.find((e) => e.id === 'bad' || e.id === 'worse')).toBeUndefined()
    expect(entries.find((e) => e.id === 'odd')).toEqual({
      id: 'odd',
      at: T0,
      recordedAt: T0,
      authorId: '',
      kind: 'note',
      text: '',
      starred: false,
      links: {},
    })
  })
})

describe('filters', () => {
  it('filters by kind, person and text', () => {
    const doc = declaredDoc()
    addEntry(doc, at(1), { kind: 'decision', text: 'Roll back deploy 42' })
    addEntry(doc, at(2, 'bob'), { kind: 'observation', text: 'Latency normal' })
    addEntry(doc, at(3, 'bob'), { kind: 'decision', text: 'Keep the flag off' })
    const entries = readTimeline(doc)
    const texts = (filter: Parameters<typeof filterEntries>[1]) => filterEntries(entries, filter).map((e) => e.text)
    expect(texts({ kinds: new Set(['decision']) })).toEqual(['Roll back deploy 42', 'Keep the flag off'])
    expect(texts({ authorId: 'bob', kinds: new Set(['decision']) })).toEqual(['Keep the flag off'])
    expect(texts({ query: 'LATENCY' })).toEqual(['Latency normal'])
    expect(texts({ kinds: new Set(['event']) })).toEqual(['Incident declared: Checkout down (SEV-2)'])
  })
})

describe('the scribe line', () => {
  it.each([
    ['/d Roll back', 'decision', 'Roll back'],
    ['/A page the DBA', 'action', 'page the DBA'],
    ['/o  p99 at 3s', 'observation', 'p99 at 3s'],
    ['/n plain', 'note', 'plain'],
    ['no prefix', 'observation', 'no prefix'],
    ['/dance party', 'observation', '/dance party'],
    ['/d', 'decision', ''],
  ])('%s', (raw, kind, text) => {
    expect(parseEntryInput(raw, 'observation')).toEqual({ kind, text })
  })
})
