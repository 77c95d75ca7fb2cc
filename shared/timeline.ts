// The timeline: the scribe's log and the board's own record of every change.
import * as Y from 'yjs'
import { newId } from './ids'
import { applyTextChange } from './text'
import {
  type Change,
  type EntryKind,
  type TimelineKind,
  isEntryKind,
  readNumber,
  readString,
  timelineMap,
} from './schema'

/** What an entry points at elsewhere on the board. */
export interface EntryLinks {
  taskId?: string
  serviceId?: string
  updateId?: string
  alertId?: string
  personId?: string
}

/** Structured payload of an `event` entry, for filters, replay and the postmortem. */
export interface TimelineEvent {
  type: string
  [field: string]: string | number | boolean | null
}

export interface TimelineEntry {
  id: string
  /** When it happened (host clock). Backdating changes this. */
  at: number
  /** When it was written down (host clock). Never changes. */
  recordedAt: number
  authorId: string
  kind: TimelineKind
  text: string
  starred: boolean
  links: EntryLinks
  event?: TimelineEvent
}

export interface NewEntry {
  kind: EntryKind
  text: string
  /** Defaults to the change time; earlier for something said a moment ago. */
  at?: number
  links?: EntryLinks
}

export const MAX_ENTRY_LENGTH = 4000

export class TimelineError extends Error {}

const cleanLinks = (links: EntryLinks | undefined): EntryLinks | undefined => {
  if (!links) return undefined
  const entries = Object.entries(links).filter(([, v]) => typeof v === 'string' && v.length > 0)
  return entries.length > 0 ? (Object.fromEntries(entries) as EntryLinks) : undefined
}

const writeEntry = (
  doc: Y.Doc,
  change: Change,
  fields: { kind: TimelineKind; text: string | Y.Text; at: number; links?: EntryLinks; event?: TimelineEvent },
): string => {
  const id = newId()
  const entry = new Y.Map<unknown>()
  entry.set('at', fields.at)
  entry.set('recordedAt', change.at)
  entry.set('authorId', change.by)
  entry.set('kind', fields.kind)
  entry.set('text', fields.text)
  const links = cleanLinks(fields.links)
  if (links) entry.set('links', links)
  if (fields.event) entry.set('event', fields.event)
  timelineMap(doc).set(id, entry)
  return id
}

const checkText = (text: string): string => {
  const trimmed = text.trim()
  if (trimmed.length === 0) throw new TimelineError('An entry needs some text.')
  if (trimmed.length > MAX_ENTRY_LENGTH) throw new TimelineError(`An entry is at most ${MAX_ENTRY_LENGTH} characters.`)
  return trimmed
}

const checkTime = (change: Change, at: number): number => {
  if (!Number.isFinite(at)) throw new TimelineError('The time is not a valid time.')
  // A little slack for clients whose offset estimate is a moment ahead.
  if (at > change.at + 60_000) throw new TimelineError('An entry cannot be dated in the future.')
  return at
}

/** The scribe's entry. Returns its id. */
export const addEntry = (doc: Y.Doc, change: Change, entry: NewEntry): string => {
  if (!isEntryKind(entry.kind)) throw new TimelineError(`Unknown kind "${String(entry.kind)}".`)
  const text = checkText(entry.text)
  const at = checkTime(change, entry.at ?? change.at)
  let id = ''
  doc.transact(() => {
    id = writeEntry(doc, change, { kind: entry.kind, text: new Y.Text(text), at, links: entry.links })
  })
  return id
}

/**
 * The board's own entry for a state change elsewhere (severity, role, task…).
 * Domain mutations call this inside their own transaction so the change and
 * its entry arrive together on every screen.
 */
export const appendEvent = (doc: Y.Doc, change: Change, event: TimelineEvent, text: string, links?: EntryLinks): string =>
  writeEntry(doc, change, { kind: 'event', text, at: change.at, links, event })

const entryMap = (doc: Y.Doc, id: string): Y.Map<unknown> => {
  const entry = timelineMap(doc).get(id)
  if (!(entry instanceof Y.Map)) throw new TimelineError('That entry no longer exists.')
  return entry
}

/** Correct an entry's text; concurrent corrections merge character by character. */
export const editEntryText = (doc: Y.Doc, id: string, next: string): void => {
  const entry = entryMap(doc, id)
  const text = entry.get('text')
  if (!(text instanceof Y.Text)) throw new TimelineError('Entries written by the board cannot be edited.')
  if (next.length > MAX_ENTRY_LENGTH) throw new TimelineError(`An entry is at most ${MAX_ENTRY_LENGTH} characters.`)
  applyTextChange(text, next)
}

/** Backdate (or re-date) an entry; when it was recorded stays as it was. */
export const setEntryTime = (doc: Y.Doc, change: Change, id: string, at: number): void => {
  const entry = entryMap(doc, id)
  checkTime(change, at)
  doc.transact(() => {
    entry.set('at', at)
    entry.set('retimedBy', change.by)
  })
}

/** Mark a key moment for the postmortem. */
export const setEntryStarred = (doc: Y.Doc, id: string, starred: boolean): void => {
  entryMap(doc, id).set('starred', starred)
}

const readLinks = (value: unknown): EntryLinks => {
  if (typeof value !== 'object' || value === null) return {}
  const links: EntryLinks = {}
  for (const key of ['taskId', 'serviceId', 'updateId', 'alertId', 'personId'] as const) {
    const v = (value as Record<string, unknown>)[key]
    if (typeof v === 'string') links[key] = v
  }
  return links
}

const readEvent = (value: unknown): TimelineEvent | undefined => {
  if (typeof value !== 'object' || value === null) return undefined
  const type = (value as Record<string, unknown>).type
  return typeof type === 'string' ? (value as TimelineEvent) : undefined
}

/** Read one entry; anything malformed a peer wrote is coerced, never thrown. */
export const readEntry = (id: string, map: Y.Map<unknown>): TimelineEntry | undefined => {
  const recordedAt = readNumber(map, 'recordedAt')
  const at = readNumber(map, 'at') ?? recordedAt
  if (at === undefined || recordedAt === undefined) return undefined
  const kind = map.get('kind')
  const event = readEvent(map.get('event'))
  return {
    id,
    at,
    recordedAt,
    authorId: readString(map, 'authorId'),
    kind: kind === 'event' || isEntryKind(kind) ? kind : 'note',
    text: readString(map, 'text'),
    starred: map.get('starred') === true,
    links: readLinks(map.get('links')),
    ...(event ? { event } : {}),
  }
}

export const compareEntries = (a: TimelineEntry, b: TimelineEntry): number =>
  a.at - b.at || a.recordedAt - b.recordedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** The whole timeline in order of when things happened. */
export const readTimeline = (doc: Y.Doc): TimelineEntry[] => {
  const entries: TimelineEntry[] = []
  timelineMap(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return
    const entry = readEntry(id, map)
    if (entry) entries.push(entry)
  })
  return entries.sort(compareEntries)
}

export interface TimelineFilter {
  kinds?: ReadonlySet<TimelineKind>
  authorId?: string
  starredOnly?: boolean
  query?: string
}

export const filterEntries = (entries: readonly TimelineEntry[], filter: TimelineFilter): TimelineEntry[] => {
  const query = filter.query?.trim().toLowerCase()
  return entries.filter(
    (e) =>
      (!filter.kinds || filter.kinds.size === 0 || filter.kinds.has(e.kind)) &&
      (!filter.authorId || e.authorId === filter.authorId) &&
      (!filter.starredOnly || e.starred) &&
      (!query || e.text.toLowerCase().includes(query)),
  )
}

const KIND_PREFIXES: Record<string, EntryKind> = { n: 'note', d: 'decision', a: 'action', o: 'observation' }

/**
 * The scribe's input line: a leading `/d`, `/a`, `/o` or `/n` picks the kind,
 * otherwise the selected kind applies.
 */
export const parseEntryInput = (raw: string, selected: EntryKind): { kind: EntryKind; text: string } => {
  const match = /^\/([nNdDaAoO])(?:\s+|$)/.exec(raw)
  if (!match) return { kind: selected, text: raw.trim() }
  return { kind: KIND_PREFIXES[match[1]!.toLowerCase()]!, text: raw.slice(match[0].length).trim() }
}
