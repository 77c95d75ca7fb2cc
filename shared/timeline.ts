// The timeline: the scribe's log and the board's own record of every change.
import * as Y from 'yjs'
import { newId } from './ids'
import { applyTextChange } from './text'
import { type Change, type EntryKind, type TimelineKind, isEntryKind, isObject, timelineEditsMap, timelineMap } from './schema'

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

/**
 * What `timeline` stores per entry: one plain record, written once. A record
 * per entry (not a nested Y.Map) keeps a 100,000-entry incident small and fast
 * to load; what changes later lives in `timelineEdits`.
 */
interface TimelineRecord {
  at: number
  recordedAt: number
  authorId: string
  kind: TimelineKind
  text: string
  links?: EntryLinks
  event?: TimelineEvent
}

/** Fields that change after an entry is written, each under its own `timelineEdits` key. */
export type EditedField = 'text' | 'at' | 'starred'

export const editKey = (id: string, field: EditedField): string => `${id}/${field}`

/** The entry id an edit key belongs to. */
export const entryIdOfEditKey = (key: string): string => key.slice(0, key.lastIndexOf('/'))

const cleanLinks = (links: EntryLinks | undefined): EntryLinks | undefined => {
  if (!links) return undefined
  const entries = Object.entries(links).filter(([, v]) => typeof v === 'string' && v.length > 0)
  return entries.length > 0 ? (Object.fromEntries(entries) as EntryLinks) : undefined
}

const writeEntry = (
  doc: Y.Doc,
  change: Change,
  fields: { kind: TimelineKind; text: string; at: number; links?: EntryLinks; event?: TimelineEvent },
): string => {
  const id = newId()
  const links = cleanLinks(fields.links)
  const record: TimelineRecord = {
    at: fields.at,
    recordedAt: change.at,
    authorId: change.by,
    kind: fields.kind,
    text: fields.text,
    ...(links ? { links } : {}),
    ...(fields.event ? { event: fields.event } : {}),
  }
  timelineMap(doc).set(id, record)
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
    id = writeEntry(doc, change, { kind: entry.kind, text, at, links: entry.links })
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

/** A record as a peer wrote it, checked; anything malformed is coerced or dropped, never thrown. */
const readRecord = (value: unknown): TimelineRecord | undefined => {
  if (!isObject(value)) return undefined
  const recordedAt = typeof value.recordedAt === 'number' && Number.isFinite(value.recordedAt) ? value.recordedAt : undefined
  const at = typeof value.at === 'number' && Number.isFinite(value.at) ? value.at : recordedAt
  if (at === undefined || recordedAt === undefined) return undefined
  const kind = value.kind === 'event' || isEntryKind(value.kind) ? value.kind : 'note'
  const event = isObject(value.event) && typeof value.event.type === 'string' ? (value.event as TimelineEvent) : undefined
  return {
    at,
    recordedAt,
    authorId: typeof value.authorId === 'string' ? value.authorId : '',
    kind,
    text: typeof value.text === 'string' ? value.text : '',
    links: readLinks(value.links),
    ...(event ? { event } : {}),
  }
}

const readLinks = (value: unknown): EntryLinks => {
  if (!isObject(value)) return {}
  const links: EntryLinks = {}
  for (const key of ['taskId', 'serviceId', 'updateId', 'alertId', 'personId'] as const) {
    const v = value[key]
    if (typeof v === 'string') links[key] = v
  }
  return links
}

const requireRecord = (doc: Y.Doc, id: string): TimelineRecord => {
  const record = readRecord(timelineMap(doc).get(id))
  if (!record) throw new TimelineError('That entry no longer exists.')
  return record
}

/**
 * Correct an entry's text. The first correction turns it into shared text;
 * from then on people correcting it at once merge character by character.
 */
export const editEntryText = (doc: Y.Doc, id: string, next: string): void => {
  const record = requireRecord(doc, id)
  if (record.kind === 'event') throw new TimelineError('Entries written by the board cannot be edited.')
  if (next.length > MAX_ENTRY_LENGTH) throw new TimelineError(`An entry is at most ${MAX_ENTRY_LENGTH} characters.`)
  const edits = timelineEditsMap(doc)
  const key = editKey(id, 'text')
  doc.transact(() => {
    let text = edits.get(key)
    if (!(text instanceof Y.Text)) {
      text = new Y.Text(record.text)
      edits.set(key, text)
    }
    applyTextChange(text as Y.Text, next)
  })
}

/** Backdate (or re-date) an entry; when it was recorded stays as it was. */
export const setEntryTime = (doc: Y.Doc, change: Change, id: string, at: number): void => {
  requireRecord(doc, id)
  checkTime(change, at)
  timelineEditsMap(doc).set(editKey(id, 'at'), at)
}

/** Mark a key moment for the postmortem. */
export const setEntryStarred = (doc: Y.Doc, id: string, starred: boolean): void => {
  requireRecord(doc, id)
  timelineEditsMap(doc).set(editKey(id, 'starred'), starred)
}

/**
 * One entry from what the document holds for it: its record and the values of
 * its edit keys (a Y.Text's text read already). Replay reads entries this way
 * from its own history of those values.
 */
export const entryFrom = (id: string, recordValue: unknown, edits: { text: unknown; at: unknown; starred: unknown }): TimelineEntry | undefined => {
  const record = readRecord(recordValue)
  if (!record) return undefined
  const { text, at, starred } = edits
  return {
    id,
    at: typeof at === 'number' && Number.isFinite(at) ? at : record.at,
    recordedAt: record.recordedAt,
    authorId: record.authorId,
    kind: record.kind,
    text: typeof text === 'string' ? text : record.text,
    starred: starred === true,
    links: record.links ?? {},
    ...(record.event ? { event: record.event } : {}),
  }
}

/** One entry: its record with its later edits applied. */
export const readEntry = (doc: Y.Doc, id: string): TimelineEntry | undefined => {
  const edits = timelineEditsMap(doc)
  const text = edits.get(editKey(id, 'text'))
  return entryFrom(id, timelineMap(doc).get(id), {
    text: text instanceof Y.Text ? text.toString() : undefined,
    at: edits.get(editKey(id, 'at')),
    starred: edits.get(editKey(id, 'starred')),
  })
}

export const compareEntries = (a: TimelineEntry, b: TimelineEntry): number =>
  a.at - b.at || a.recordedAt - b.recordedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** The whole timeline in order of when things happened. */
export const readTimeline = (doc: Y.Doc): TimelineEntry[] => {
  const entries: TimelineEntry[] = []
  for (const id of timelineMap(doc).keys()) {
    const entry = readEntry(doc, id)
    if (entry) entries.push(entry)
  }
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
