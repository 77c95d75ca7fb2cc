import { describe, expect, it } from 'vitest'
import { taskIndex, timelineIndex } from '../../shared/doc-index'
import { createTask, readTasks, transitionTask } from '../../shared/tasks'
import { addEntry, editEntryText, readTimeline, setEntryTime } from '../../shared/timeline'
import { T0, at, declaredDoc, docWithPeople, peerOf, syncDocs } from './helpers/doc'

describe('timeline index', () => {
  it('stays equal to a full read through adds, edits, re-dating and remote merges', () => {
    const doc = declaredDoc()
    const index = timelineIndex(doc)
    let notified = 0
    index.subscribe(() => notified++)
    const id = addEntry(doc, at(10), { kind: 'note', text: 'first' })
    addEntry(doc, at(20), { kind: 'note', text: 'second' })
    editEntryText(doc, id, 'first, corrected')
    setEntryTime(doc, at(30), id, T0 + 25_000)
    const peer = peerOf(doc)
    addEntry(peer, at(15, 'bob'), { kind: 'decision', text: 'from the peer' })
    syncDocs(doc, peer)
    expect(index.all()).toEqual(readTimeline(doc))
    expect(index.all().map((e) => e.text).slice(1)).toEqual(['from the peer', 'second', 'first, corrected'])
    expect(notified).toBe(5)
  })

  it('returns the same array until something changes', () => {
    const doc = declaredDoc()
    const index = timelineIndex(doc)
    const first = index.all()
    expect(index.all()).toBe(first)
    addEntry(doc, at(1), { kind: 'note', text: 'x' })
    expect(index.all()).not.toBe(first)
  })
})

describe('task index', () => {
  it('re-reads only the task that changed; the others keep their identity', () => {
    const doc = docWithPeople('Alice', 'Bob')
    const first = createTask(doc, at(1), { title: 'One', ownerId: 'alice' })
    createTask(doc, at(2), { title: 'Two', ownerId: 'bob' })
    const index = taskIndex(doc)
    const before = index.all()
    transitionTask(doc, at(3, 'alice'), first, 'acknowledged')
    const after = index.all()
    expect(after).toEqual(readTasks(doc))
    expect(after[0]!.status).toBe('acknowledged')
    expect(after[0]).not.toBe(before[0])
    expect(after[1]).toBe(before[1])
  })
})
