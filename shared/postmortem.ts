// One postmortem per incident: a shared Markdown document (`postmortemText`,
// edited by several people at once in the board's editor) and its facts
// (`postmortem`): owner, meeting, reviewers, status, and what the last draft
// generated in each section, so regenerating refreshes only the sections
// nobody has edited. Every change to the facts writes the timeline.
import type * as Y from 'yjs'
import { formatDay } from './clock'
import { readMeta } from './incident'
import { displayName, readPeople, requirePerson } from './people'
import { type Change, isObject, postmortemMap, postmortemText } from './schema'
import { type DraftSection, draftSections } from './postmortem-draft'
import { appendEvent } from './timeline'

export const POSTMORTEM_STATUSES = ['draft', 'inReview', 'reviewed', 'closed'] as const
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number]

export const POSTMORTEM_STATUS_LABELS: Record<PostmortemStatus, string> = { draft: 'Draft', inReview: 'In review', reviewed: 'Reviewed', closed: 'Closed' }

export class PostmortemError extends Error {}

export interface Postmortem {
  status: PostmortemStatus
  ownerId?: string
  /** When the review meeting is (host time). */
  meetingAt?: number
  reviewerIds: string[]
  /** What the last draft wrote in each section, by heading. */
  generated: Record<string, string>
  generatedAt?: number
}

const isStatus = (value: unknown): value is PostmortemStatus => typeof value === 'string' && (POSTMORTEM_STATUSES as readonly string[]).includes(value)

export const readPostmortem = (doc: Y.Doc): Postmortem => {
  const map = postmortemMap(doc)
  const status = map.get('status')
  const owner = map.get('ownerId')
  const meeting = map.get('meetingAt')
  const reviewers = map.get('reviewerIds')
  const generated = map.get('generated')
  const generatedAt = map.get('generatedAt')
  return {
    status: isStatus(status) ? status : 'draft',
    ...(typeof owner === 'string' ? { ownerId: owner } : {}),
    ...(typeof meeting === 'number' && Number.isFinite(meeting) ? { meetingAt: meeting } : {}),
    reviewerIds: Array.isArray(reviewers) ? reviewers.filter((r): r is string => typeof r === 'string') : [],
    generated: isObject(generated) ? Object.fromEntries(Object.entries(generated).filter((e): e is [string, string] => typeof e[1] === 'string')) : {},
    ...(typeof generatedAt === 'number' ? { generatedAt } : {}),
  }
}

const DAY = 86_400_000

/** The template's rule: the meeting within 5 business days of the incident's end (Saturdays and Sundays do not count). */
export const meetingDueBy = (resolvedAt: number): number => {
  let due = resolvedAt
  let left = 5
  while (left > 0) {
    due += DAY
    const day = new Date(due).getUTCDay()
    if (day !== 0 && day !== 6) left--
  }
  return due
}

export const setPostmortemStatus = (doc: Y.Doc, change: Change, status: PostmortemStatus): void => {
  if (!isStatus(status)) throw new PostmortemError(`Unknown status "${String(status)}".`)
  const current = readPostmortem(doc)
  if (current.status === status) return
  doc.transact(() => {
    postmortemMap(doc).set('status', status)
    appendEvent(doc, change, { type: 'postmortem.status', from: current.status, to: status }, `Postmortem: ${POSTMORTEM_STATUS_LABELS[current.status]} → ${POSTMORTEM_STATUS_LABELS[status]}`)
  })
}

export const setPostmortemOwner = (doc: Y.Doc, change: Change, personId: string): void => {
  const person = requirePerson(doc, personId)
  if (readPostmortem(doc).ownerId === personId) return
  doc.transact(() => {
    postmortemMap(doc).set('ownerId', personId)
    appendEvent(doc, change, { type: 'postmortem.owner', personId }, `Postmortem owner: ${person.name}`, { personId })
  })
}

export const setPostmortemMeeting = (doc: Y.Doc, change: Change, at: number | null): void => {
  if (at !== null && !Number.isFinite(at)) throw new PostmortemError('Give a valid date and time for the meeting.')
  if ((readPostmortem(doc).meetingAt ?? null) === at) return
  doc.transact(() => {
    if (at === null) postmortemMap(doc).delete('meetingAt')
    else postmortemMap(doc).set('meetingAt', at)
    appendEvent(doc, change, { type: 'postmortem.meeting', at }, at === null ? 'Postmortem meeting: not scheduled' : `Postmortem meeting: ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`)
  })
}

export const setPostmortemReviewers = (doc: Y.Doc, change: Change, reviewerIds: readonly string[]): void => {
  const unique = [...new Set(reviewerIds)]
  for (const id of unique) requirePerson(doc, id)
  const current = readPostmortem(doc).reviewerIds
  if (current.length === unique.length && current.every((id, i) => id === unique[i])) return
  const people = readPeople(doc)
  doc.transact(() => {
    postmortemMap(doc).set('reviewerIds', unique)
    appendEvent(doc, change, { type: 'postmortem.reviewers', count: unique.length }, `Postmortem reviewers: ${unique.length === 0 ? 'none' : unique.map((id) => displayName(people, id)).join(', ')}`)
  })
}

/** A `## ` section as it stands in the text: where its body starts and ends. */
interface Located {
  title: string
  bodyFrom: number
  bodyTo: number
}

const HEADING = /^## (.+)$/gm

/** The text's `## ` sections, in order. */
export const locateSections = (text: string): Located[] => {
  const headings = [...text.matchAll(HEADING)]
  return headings.map((m, i) => {
    const bodyFrom = m.index + m[0].length + 1
    const next = headings[i + 1]
    return { title: m[1]!.trim(), bodyFrom: Math.min(bodyFrom, text.length), bodyTo: next ? next.index : text.length }
  })
}

const same = (a: string, b: string): boolean => a.trim() === b.trim()

const sectionText = (s: DraftSection): string => `## ${s.title}\n\n${s.body}\n\n`

export interface DraftPlan {
  /** Replacements in the text, last first (so earlier offsets stay valid). */
  edits: Array<{ from: number; to: number; insert: string }>
  refreshed: string[]
  kept: string[]
}

/**
 * What regenerating changes: a section whose text is still what the last draft
 * wrote gets the new draft's; one someone edited (or removed) is left alone;
 * an empty document gets the whole draft.
 */
export const planDraft = (text: string, draft: readonly DraftSection[], generated: Readonly<Record<string, string>>): DraftPlan => {
  if (text.trim() === '') return { edits: [{ from: 0, to: text.length, insert: draft.map(sectionText).join('') }], refreshed: draft.map((s) => s.title), kept: [] }
  const located = locateSections(text)
  const edits: DraftPlan['edits'] = []
  const refreshed: string[] = []
  const kept: string[] = []
  for (const section of draft) {
    const at = located.find((l) => l.title === section.title)
    const last = generated[section.title]
    if (!at || last === undefined || !same(text.slice(at.bodyFrom, at.bodyTo), last)) {
      kept.push(section.title)
      continue
    }
    if (!same(last, section.body)) edits.push({ from: at.bodyFrom, to: at.bodyTo, insert: `\n${section.body}\n\n` })
    refreshed.push(section.title)
  }
  return { edits: edits.sort((a, b) => b.from - a.from), refreshed, kept }
}

/**
 * Write the draft from the record into the postmortem: the whole template
 * the first time; after that only the sections nobody has edited.
 */
export const generatePostmortem = (doc: Y.Doc, change: Change, timeZone: string): { refreshed: string[]; kept: string[] } => {
  if (!readMeta(doc)) throw new PostmortemError('The incident has not loaded yet.')
  const draft = draftSections(doc, timeZone, change.at)
  const current = readPostmortem(doc)
  const text = postmortemText(doc)
  const plan = planDraft(text.toString(), draft, current.generated)
  const first = current.generatedAt === undefined
  doc.transact(() => {
    for (const edit of plan.edits) {
      text.delete(edit.from, edit.to - edit.from)
      text.insert(edit.from, edit.insert)
    }
    const generated = { ...current.generated }
    for (const s of draft) if (plan.refreshed.includes(s.title)) generated[s.title] = s.body
    postmortemMap(doc).set('generated', generated)
    postmortemMap(doc).set('generatedAt', change.at)
    appendEvent(
      doc,
      change,
      { type: 'postmortem.generated', refreshed: plan.refreshed.length, kept: plan.kept.length },
      first ? 'Postmortem draft generated from the record' : `Postmortem draft regenerated: ${plan.refreshed.length} sections refreshed, ${plan.kept.length} edited ones kept`,
    )
  })
  return { refreshed: plan.refreshed, kept: plan.kept }
}

/** The postmortem as one Markdown file: its facts in the template's header, then the text as written. */
export const postmortemMarkdown = (doc: Y.Doc): string => {
  const meta = readMeta(doc)
  const pm = readPostmortem(doc)
  const people = readPeople(doc)
  const name = (id: string): string => displayName(people, id).replace(/([\\`*_[\]<>|])/g, '\\$1')
  const resolvedAt = meta?.milestones.resolvedAt
  const header = [
    `# Postmortem: ${(meta?.title ?? 'Untitled incident').replace(/([\\`*_[\]<>|#])/g, '\\$1')}`,
    '',
    `**Status:** ${POSTMORTEM_STATUS_LABELS[pm.status]}`,
    '',
    `**Postmortem Owner:** ${pm.ownerId ? name(pm.ownerId) : '_not set_'}`,
    '',
    `**Meeting Scheduled For:** ${pm.meetingAt ? `${new Date(pm.meetingAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '_not scheduled_'}${resolvedAt ? ` (due by ${formatDay(meetingDueBy(resolvedAt))}, within 5 business days)` : ''}`,
    '',
    `**Reviewers:** ${pm.reviewerIds.length > 0 ? pm.reviewerIds.map(name).join(', ') : '_none yet_'}`,
    '',
  ]
  return `${header.join('\n')}\n${postmortemText(doc).toString()}`
}
