// Presence lives in Yjs awareness: ephemeral, never in the document. Peers can
// send anything, so every state is parsed before a view uses it.
import * as v from 'valibot'
import { MAX_NAME_LENGTH } from './people'

export const PresenceSchema = v.object({
  user: v.object({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_NAME_LENGTH)),
    color: v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/)),
  }),
  /** Host time of the last keystroke in the scribe's input, if any. */
  typingAt: v.optional(v.number()),
})

export type Presence = v.InferOutput<typeof PresenceSchema>

export interface PresentPerson extends Presence {
  clientId: number
}

/** A peer counts as typing for this long after its last keystroke. */
export const TYPING_WINDOW_MS = 4000

/** Everyone present, one row per person (several tabs collapse), sorted by name. */
export const presentPeople = (states: ReadonlyMap<number, unknown>, selfClientId: number): PresentPerson[] => {
  const byPerson = new Map<string, PresentPerson>()
  for (const [clientId, state] of states) {
    const parsed = v.safeParse(PresenceSchema, state)
    if (!parsed.success) continue
    const existing = byPerson.get(parsed.output.user.id)
    const typingAt = Math.max(existing?.typingAt ?? 0, parsed.output.typingAt ?? 0)
    const mine = clientId === selfClientId
    if (!existing || mine) byPerson.set(parsed.output.user.id, { ...parsed.output, clientId, typingAt })
    else existing.typingAt = typingAt
  }
  return [...byPerson.values()].sort((a, b) => a.user.name.localeCompare(b.user.name))
}

export const isTyping = (person: Presence, now: number): boolean =>
  person.typingAt !== undefined && person.typingAt > 0 && now - person.typingAt < TYPING_WINDOW_MS
