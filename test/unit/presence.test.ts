import { describe, expect, it } from 'vitest'
import { TYPING_WINDOW_MS, isTyping, presentPeople } from '../../shared/presence'

const alice = { user: { id: 'alice', name: 'Alice', color: '#ff8a65' } }
const bob = { user: { id: 'bob', name: 'Bob', color: '#4fc3f7' } }

describe('presence', () => {
  it('lists valid states once per person, sorted, and drops malformed ones', () => {
    const states = new Map<number, unknown>([
      [1, bob],
      [2, { ...alice, typingAt: 500 }],
      [3, alice],
      [4, { user: { id: 'eve', name: '<script>', color: 'red; background:url(x)' } }],
      [5, 'garbage'],
      [6, {}],
    ])
    const people = presentPeople(states, 3)
    expect(people.map((p) => [p.user.name, p.clientId, p.typingAt])).toEqual([
      ['Alice', 3, 500],
      ['Bob', 1, 0],
    ])
  })

  it('counts as typing only within the window', () => {
    expect(isTyping({ ...alice, typingAt: 1000 }, 1000 + TYPING_WINDOW_MS - 1)).toBe(true)
    expect(isTyping({ ...alice, typingAt: 1000 }, 1000 + TYPING_WINDOW_MS)).toBe(false)
    expect(isTyping(alice, 1000)).toBe(false)
  })
})
