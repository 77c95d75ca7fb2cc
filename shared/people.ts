// People on this incident. Presence (who is here right now, who is typing)
// lives in awareness; this is the durable record that fatigue and replay read.
import * as Y from 'yjs'
import { type Change, peopleMap, readNumber, readString } from './schema'
import { appendEvent } from './timeline'

export interface Person {
  id: string
  name: string
  color: string
  joinedAt: number
}

export class PeopleError extends Error {}

export const MAX_NAME_LENGTH = 80

/** Distinguishable on a dark background, and readable as text colour. */
export const PERSON_COLORS = [
  '#ff8a65', '#4fc3f7', '#aed581', '#ffd54f', '#ba68c8', '#4db6ac', '#f06292', '#90a4ae', '#e6ee9c', '#9fa8da',
] as const

export const colorFor = (personId: string): string => {
  let hash = 0
  for (let i = 0; i < personId.length; i++) hash = (hash * 31 + personId.charCodeAt(i)) >>> 0
  return PERSON_COLORS[hash % PERSON_COLORS.length]!
}

export const checkName = (name: string): string => {
  const trimmed = name.replace(/\s+/g, ' ').trim()
  if (trimmed.length === 0) throw new PeopleError('Please give your name.')
  if (trimmed.length > MAX_NAME_LENGTH) throw new PeopleError(`A name is at most ${MAX_NAME_LENGTH} characters.`)
  return trimmed
}

/**
 * Someone opens the board. The first time writes "X joined" to the timeline;
 * a changed name is recorded too, so the log always says who was who.
 */
export const joinIncident = (doc: Y.Doc, change: Change, person: { name: string }): void => {
  const name = checkName(person.name)
  const people = peopleMap(doc)
  const existing = people.get(change.by)
  doc.transact(() => {
    if (!(existing instanceof Y.Map)) {
      const record = new Y.Map<unknown>()
      record.set('name', name)
      record.set('color', colorFor(change.by))
      record.set('joinedAt', change.at)
      people.set(change.by, record)
      appendEvent(doc, change, { type: 'person.joined', personId: change.by, name }, `${name} joined`, {
        personId: change.by,
      })
      return
    }
    const previous = readString(existing, 'name')
    if (previous === name) return
    existing.set('name', name)
    appendEvent(doc, change, { type: 'person.renamed', personId: change.by, from: previous, to: name }, `${previous} is now ${name}`, {
      personId: change.by,
    })
  })
}

export const readPeople = (doc: Y.Doc): Map<string, Person> => {
  const people = new Map<string, Person>()
  peopleMap(doc).forEach((record, id) => {
    if (!(record instanceof Y.Map)) return
    people.set(id, {
      id,
      name: readString(record, 'name', 'Unknown'),
      color: readString(record, 'color', colorFor(id)),
      joinedAt: readNumber(record, 'joinedAt') ?? 0,
    })
  })
  return people
}

/** Name for an author id: the board itself writes as "host". */
export const displayName = (people: ReadonlyMap<string, Person>, personId: string): string =>
  people.get(personId)?.name ?? (personId === HOST_AUTHOR ? 'War Room' : 'Unknown')

/** Author of changes the host makes itself (incident creation, alerts). */
export const HOST_AUTHOR = 'host'
