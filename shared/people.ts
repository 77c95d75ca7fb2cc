// People on this incident. Presence (who is here right now, who is typing)
// lives in awareness; this is the durable record that roles, tasks, fatigue
// and replay read. Person ids are the host's roster ids.
import * as Y from 'yjs'
import { type Change, peopleMap, readNumber, readString } from './schema'
import { latestPageFor, readPages } from './paging'
import { appendEvent } from './timeline'

export interface Person {
  id: string
  name: string
  color: string
  joinedAt: number
  /** Sub-team (Alpha, Bravo…) this person works in, reporting to its leader. */
  subTeam?: string
}

export class PeopleError extends Error {}

export const MAX_NAME_LENGTH = 80

/** Distinguishable on a dark background, and readable as text colour. */
/** Names are written in these, on every surface they sit on: each is 4.5:1 or more against all (palette.test.ts). */
export const PERSON_COLORS = [
  '#ff8a65', '#4fc3f7', '#aed581', '#ffd54f', '#ce93d8', '#4db6ac', '#f48fb1', '#90a4ae', '#e6ee9c', '#9fa8da',
] as const

/** Colours boards once gave people (4.46:1 and 4.54:1 on some surfaces): read as their lighter successors. */
const RETIRED_COLORS: Readonly<Record<string, string>> = { '#ba68c8': '#ce93d8', '#f06292': '#f48fb1' }

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

export const PERSON_ID = /^[A-Za-z0-9_-]{1,64}$/

const putPerson = (doc: Y.Doc, change: Change, personId: string, name: string, text: string): void => {
  const record = new Y.Map<unknown>()
  record.set('name', name)
  record.set('color', colorFor(personId))
  record.set('joinedAt', change.at)
  peopleMap(doc).set(personId, record)
  appendEvent(doc, change, { type: 'person.joined', personId, name, addedBy: change.by }, text, { personId })
}

/**
 * Someone opens the board. The first time writes "X joined" to the timeline;
 * a changed name is recorded too, so the log always says who was who.
 */
export const joinIncident = (doc: Y.Doc, change: Change, person: { name: string }): void => {
  const name = checkName(person.name)
  const existing = peopleMap(doc).get(change.by)
  doc.transact(() => {
    if (!(existing instanceof Y.Map)) {
      // Answering a page is worth a line of its own in the postmortem: how long it took.
      const page = latestPageFor(readPages(doc), change.by)
      const answered = page && page.at <= change.at ? `, ${Math.max(0, Math.floor((change.at - page.at) / 60_000))} min after being paged` : ''
      return putPerson(doc, change, change.by, name, `${name} joined${answered}`)
    }
    const previous = readString(existing, 'name')
    if (previous === name) return
    existing.set('name', name)
    appendEvent(doc, change, { type: 'person.renamed', personId: change.by, from: previous, to: name }, `${previous} is now ${name}`, {
      personId: change.by,
    })
  })
}

/** The IC brings someone from the roster onto the board (to give them a role or a task). */
export const addPerson = (doc: Y.Doc, change: Change, person: { id: string; name: string }): void => {
  if (!PERSON_ID.test(person.id)) throw new PeopleError('That is not a valid person id.')
  const name = checkName(person.name)
  if (peopleMap(doc).get(person.id) instanceof Y.Map) return
  const by = readPeople(doc).get(change.by)?.name
  doc.transact(() => putPerson(doc, change, person.id, name, by ? `${by} added ${name} to the incident` : `${name} added to the incident`))
}

export const readPeople = (doc: Y.Doc): Map<string, Person> => {
  const people = new Map<string, Person>()
  peopleMap(doc).forEach((record, id) => {
    if (!(record instanceof Y.Map)) return
    const subTeam = record.get('subTeam')
    people.set(id, {
      id,
      name: readString(record, 'name', 'Unknown'),
      color: ((color) => RETIRED_COLORS[color] ?? color)(readString(record, 'color', colorFor(id))),
      joinedAt: readNumber(record, 'joinedAt') ?? 0,
      ...(typeof subTeam === 'string' && subTeam ? { subTeam } : {}),
    })
  })
  return people
}

export const requirePerson = (doc: Y.Doc, personId: string): Person => {
  const person = readPeople(doc).get(personId)
  if (!person) throw new PeopleError('That person is not on this incident yet; add them first.')
  return person
}

/** Author of changes the host makes itself (incident creation, attendance, alerts). */
export const HOST_AUTHOR = 'host'

/** Name for an author id: the board itself writes as "host". */
export const displayName = (people: ReadonlyMap<string, Person>, personId: string): string =>
  people.get(personId)?.name ?? (personId === HOST_AUTHOR ? 'War Room' : 'Unknown')
