import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { applyTextChange, rebaseCaret } from '../../shared/text'

const textOf = (initial: string): Y.Text => {
  const doc = new Y.Doc()
  const text = doc.getText('t')
  text.insert(0, initial)
  return text
}

describe('applyTextChange', () => {
  it.each([
    ['abc', 'abXc'],
    ['abc', 'ac'],
    ['abc', ''],
    ['', 'new'],
    ['same', 'same'],
    ['aaaa', 'aaa'],
    ['fix 👍 here', 'fix 👎 here'],
    ['👍', '👍👍'],
  ])('%s → %s', (from, to) => {
    const text = textOf(from)
    applyTextChange(text, to)
    expect(text.toString()).toBe(to)
  })

  it('changes only the edited span, so a concurrent edit elsewhere survives', () => {
    const a = new Y.Doc()
    a.getText('t').insert(0, 'the quick fox')
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    applyTextChange(a.getText('t'), 'the quick brown fox')
    applyTextChange(b.getText('t'), 'The quick fox')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    expect(a.getText('t').toString()).toBe('The quick brown fox')
    expect(b.getText('t').toString()).toBe('The quick brown fox')
  })
})

describe('rebaseCaret', () => {
  it('keeps a caret before the change and shifts one after it', () => {
    expect(rebaseCaret('hello world', 'hello big world', 3)).toBe(3)
    expect(rebaseCaret('hello world', 'hello big world', 11)).toBe(15)
    expect(rebaseCaret('hello world', 'world', 8)).toBe(2)
  })

  it('puts a caret inside a replaced span at its end', () => {
    expect(rebaseCaret('abcdef', 'abXYZef', 3)).toBe(5)
  })
})
