// Stakeholder updates: a draft per audience, edited by several people at once
// (one Y.Text per field); optional approval by the IC; publishing freezes a
// copy of exactly what was sent. Publishing runs on the host (it alone knows
// the channels and the approval setting); everything else runs on any board.
import * as v from 'valibot'
import * as Y from 'yjs'
import { type CadenceInput, type CadenceSettings, nextUpdateAt } from './cadence'
import { computeImpact } from './impact'
import { readMeta } from './incident'
import { readPeople } from './people'
import { holderOf, readRoles } from './roles'
import {
  type Change,
  INCIDENT_STATUSES,
  type IncidentStatus,
  SEVERITIES,
  isIncidentStatus,
  isObject,
  publishedUpdatesMap,
  updateDraftsMap,
} from './schema'
import { type Service, readDependencies, readServices } from './services'
import { type Audience, AUDIENCES, AUDIENCE_LABELS, type BoardFacts, PUBLIC_STATUS_LABELS, type Template, elapsedInWords, fillText } from './templates'
import { isOpen, orderForCommander, readTasks } from './tasks'
import { applyTextChange } from './text'
import { appendEvent } from './timeline'

export class UpdateError extends Error {}

export const MAX_FIELD_LENGTH = 4000
export const MAX_COMMENT_LENGTH = 500

export type ReviewState = 'submitted' | 'approved' | 'returned'

export interface Review {
  state: ReviewState
  by: string
  at: number
  comment?: string
  /** The draft as the IC approved it: any later edit needs approval again. */
  approved?: string
}

export interface Draft {
  audience: Audience
  fields: Array<{ key: string; label: string; text: string }>
  publicStatus: IncidentStatus
  impactedServices: string[]
  review?: Review
}

const PersonRef = v.object({ id: v.string(), name: v.string() })

export const PublishedUpdateSchema = v.object({
  id: v.string(),
  audience: v.picklist(AUDIENCES),
  publicStatus: v.picklist(INCIDENT_STATUSES),
  title: v.string(),
  severity: v.picklist(SEVERITIES),
  sections: v.array(v.object({ label: v.string(), text: v.string() })),
  impactedServices: v.array(v.string()),
  author: PersonRef,
  approver: v.optional(PersonRef),
  publishedAt: v.number(),
  nextUpdateAt: v.optional(v.number()),
  /** Exactly what was sent, as plain text. */
  text: v.string(),
})

export type PublishedUpdate = Readonly<v.InferOutput<typeof PublishedUpdateSchema>>

const draftMap = (doc: Y.Doc, audience: Audience): Y.Map<unknown> | undefined => {
  const value = updateDraftsMap(doc).get(audience)
  return value instanceof Y.Map ? value : undefined
}

const requireDraftMap = (doc: Y.Doc, audience: Audience): Y.Map<unknown> => {
  const draft = draftMap(doc, audience)
  if (!draft) throw new UpdateError(`There is no ${AUDIENCE_LABELS[audience].toLowerCase()} draft yet.`)
  return draft
}

const readReview = (value: unknown): Review | undefined => {
  if (!isObject(value) || typeof value.by !== 'string' || typeof value.at !== 'number') return undefined
  if (value.state !== 'submitted' && value.state !== 'approved' && value.state !== 'returned') return undefined
  return {
    state: value.state,
    by: value.by,
    at: value.at,
    ...(typeof value.comment === 'string' ? { comment: value.comment } : {}),
    ...(typeof value.approved === 'string' ? { approved: value.approved } : {}),
  }
}

export const readDraft = (doc: Y.Doc, audience: Audience): Draft | undefined => {
  const draft = draftMap(doc, audience)
  if (!draft) return undefined
  const texts = draft.get('fields')
  const labels = draft.get('labels')
  const fields = (Array.isArray(labels) ? labels : []).flatMap((f: unknown) => {
    if (!isObject(f) || typeof f.key !== 'string' || typeof f.label !== 'string') return []
    const text = texts instanceof Y.Map ? texts.get(f.key) : undefined
    return [{ key: f.key, label: f.label, text: text instanceof Y.Text ? text.toString() : '' }]
  })
  const status = draft.get('publicStatus')
  const impacted = draft.get('impactedServices')
  const review = readReview(draft.get('review'))
  return {
    audience,
    fields,
    publicStatus: isIncidentStatus(status) ? status : 'investigating',
    impactedServices: Array.isArray(impacted) ? impacted.filter((s): s is string => typeof s === 'string') : [],
    ...(review ? { review } : {}),
  }
}

/** What approval covers: every word and the status, in one comparable string. */
const contentOf = (draft: Draft): string =>
  JSON.stringify([draft.publicStatus, draft.impactedServices, draft.fields.map((f) => [f.label, f.text])])

export type ApprovalState = 'notNeeded' | 'needed' | 'submitted' | 'approved' | 'returned' | 'changed'

export const approvalState = (draft: Draft, requireApproval: boolean): ApprovalState => {
  if (!requireApproval) return 'notNeeded'
  const review = draft.review
  if (!review) return 'needed'
  if (review.state === 'approved') return review.approved === contentOf(draft) ? 'approved' : 'changed'
  return review.state
}

/** Services by name, in a stable order, for stakeholders (an id stands in for a service since removed). */
export const serviceNames = (ids: readonly string[], services: ReadonlyMap<string, Service>): string[] =>
  ids.map((id) => services.get(id)?.name ?? id).sort((a, b) => a.localeCompare(b))

/** Business services impacted right now, by name, from the service graph. */
export const impactedBusinessServices = (doc: Y.Doc): string[] => {
  const services = readServices(doc)
  return serviceNames(computeImpact(services.values(), readDependencies(doc)).businessImpacted, services)
}

/**
 * Start (or start again) an audience's draft from its template, filled with
 * what the board knows now. Replaces any text already there.
 */
export const fillDraft = (doc: Y.Doc, change: Change, audience: Audience, template: Template, facts: BoardFacts): void => {
  const existing = draftMap(doc, audience)
  doc.transact(() => {
    const draft = existing ?? new Y.Map<unknown>()
    if (!existing) updateDraftsMap(doc).set(audience, draft)
    const texts = new Y.Map<Y.Text>()
    for (const field of template.fields) texts.set(field.key, new Y.Text(fillText(field.text, facts).slice(0, MAX_FIELD_LENGTH)))
    draft.set('fields', texts)
    draft.set('labels', template.fields.map(({ key, label }) => ({ key, label })))
    draft.set('publicStatus', facts.status)
    draft.set('impactedServices', [...facts.impactedServices])
    draft.delete('review')
    appendEvent(doc, change, { type: 'update.drafted', audience }, `${AUDIENCE_LABELS[audience]} update drafted from the template`)
  })
}

/** One person's typing in a field; merges with everyone else's. */
export const editDraftField = (doc: Y.Doc, audience: Audience, key: string, next: string): void => {
  const texts = requireDraftMap(doc, audience).get('fields')
  const text = texts instanceof Y.Map ? texts.get(key) : undefined
  if (!(text instanceof Y.Text)) throw new UpdateError('That field is not in this draft.')
  applyTextChange(text, next.slice(0, MAX_FIELD_LENGTH))
}

export const setDraftStatus = (doc: Y.Doc, audience: Audience, status: IncidentStatus): void => {
  if (!isIncidentStatus(status)) throw new UpdateError(`Unknown status "${String(status)}".`)
  requireDraftMap(doc, audience).set('publicStatus', status)
}

export const setDraftImpactedServices = (doc: Y.Doc, audience: Audience, names: readonly string[]): void => {
  const clean = [...new Set(names.map((n) => n.trim()).filter((n) => n.length > 0))].slice(0, 50).map((n) => n.slice(0, 120))
  requireDraftMap(doc, audience).set('impactedServices', clean)
}

const requireCommander = (doc: Y.Doc, change: Change): void => {
  if (holderOf(readRoles(doc), 'incidentCommander') !== change.by) throw new UpdateError('Only the incident commander approves updates.')
}

const review = (doc: Y.Doc, change: Change, audience: Audience, next: Review, event: string, text: string): void => {
  const draft = requireDraftMap(doc, audience)
  doc.transact(() => {
    draft.set('review', next)
    appendEvent(doc, change, { type: event, audience }, text)
  })
}

/** The liaison asks the IC to approve. */
export const submitDraft = (doc: Y.Doc, change: Change, audience: Audience): void =>
  review(doc, change, audience, { state: 'submitted', by: change.by, at: change.at }, 'update.submitted', `${AUDIENCE_LABELS[audience]} update submitted for approval`)

export const approveDraft = (doc: Y.Doc, change: Change, audience: Audience): void => {
  requireCommander(doc, change)
  const draft = readDraft(doc, audience)
  if (!draft) throw new UpdateError('There is no draft to approve.')
  review(doc, change, audience, { state: 'approved', by: change.by, at: change.at, approved: contentOf(draft) }, 'update.approved', `${AUDIENCE_LABELS[audience]} update approved`)
}

export const returnDraft = (doc: Y.Doc, change: Change, audience: Audience, comment: string): void => {
  requireCommander(doc, change)
  const trimmed = comment.trim().slice(0, MAX_COMMENT_LENGTH)
  if (!trimmed) throw new UpdateError('Say what should change.')
  review(doc, change, audience, { state: 'returned', by: change.by, at: change.at, comment: trimmed }, 'update.returned', `${AUDIENCE_LABELS[audience]} update sent back: ${trimmed}`)
}

export const readPublishedUpdates = (doc: Y.Doc): PublishedUpdate[] => {
  const updates: PublishedUpdate[] = []
  publishedUpdatesMap(doc).forEach((value, id) => {
    const parsed = v.safeParse(PublishedUpdateSchema, value)
    if (parsed.success && parsed.output.id === id) updates.push(Object.freeze(parsed.output))
  })
  return updates.sort((a, b) => a.publishedAt - b.publishedAt || (a.id < b.id ? -1 : 1))
}

/** What the board knows now, for filling templates. */
export const boardFacts = (doc: Y.Doc, now: number): BoardFacts => {
  const meta = readMeta(doc)
  if (!meta) throw new UpdateError('The incident has not loaded yet.')
  const people = readPeople(doc)
  const commander = holderOf(readRoles(doc), 'incidentCommander')
  // High-priority work first, each group in the IC's order (most urgent check-back first).
  const openTasks = orderForCommander(readTasks(doc).filter((t) => isOpen(t.status)), now)
    .sort((a, b) => Number(b.highPriority) - Number(a.highPriority))
    .slice(0, 8)
    .map((t) => `${t.title} (${people.get(t.ownerId)?.name ?? 'unassigned'}${t.highPriority ? ', high priority' : ''})`)
  return {
    title: meta.title,
    severity: meta.severity,
    status: meta.status,
    elapsed: elapsedInWords(now - (meta.milestones.startedAt ?? now)),
    impactedServices: impactedBusinessServices(doc),
    openTasks,
    ...(commander ? { commander: people.get(commander)?.name ?? 'Unknown' } : {}),
  }
}

/** The cadence clock's input, from the header and the published updates only (cheap to read every second). */
export const cadenceInput = (doc: Y.Doc): (Omit<CadenceInput, 'published'> & { published: readonly PublishedUpdate[] }) | undefined => {
  const meta = readMeta(doc)
  if (!meta) return undefined
  return {
    severity: meta.severity,
    status: meta.status,
    startedAt: meta.milestones.startedAt ?? 0,
    published: readPublishedUpdates(doc),
    changes: meta.stateChangedAt !== undefined ? [meta.stateChangedAt] : [],
  }
}

/** Plain text, exactly as sent to every channel that takes plain text. */
export const plainText = (update: Omit<PublishedUpdate, 'text'>): string => {
  const lines = [`${PUBLIC_STATUS_LABELS[update.publicStatus]}: ${update.title}`]
  for (const section of update.sections) if (section.text.trim()) lines.push('', `${section.label}: ${section.text.trim()}`)
  if (update.nextUpdateAt !== undefined) lines.push('', `Next update by ${utcTime(update.nextUpdateAt)}.`)
  return lines.join('\n')
}

/** "14:35 UTC": stakeholders read times in one zone. */
export const utcTime = (at: number): string => `${new Date(at).toISOString().slice(11, 16)} UTC`

export interface ComposeOptions {
  id: string
  audience: Audience
  cadence: CadenceSettings
  /** Whether the host requires the IC's approval (the approver is recorded then). */
  requireApproval: boolean
}

/**
 * The update the draft would publish at `change.at`: exactly what publishing
 * freezes, so the composer's preview is what stakeholders will see.
 */
export const composeUpdate = (doc: Y.Doc, change: Change, options: ComposeOptions): PublishedUpdate => {
  const { audience } = options
  const meta = readMeta(doc)
  if (!meta) throw new UpdateError('The incident has not loaded yet.')
  const draft = readDraft(doc, audience)
  if (!draft) throw new UpdateError(`There is no ${AUDIENCE_LABELS[audience].toLowerCase()} draft to publish.`)
  const people = readPeople(doc)
  const person = (id: string) => ({ id, name: people.get(id)?.name ?? 'Unknown' })
  const earlier = readPublishedUpdates(doc).filter((u) => u.audience === audience).length
  const next = nextUpdateAt(options.cadence, audience, {
    severity: meta.severity,
    publicStatus: draft.publicStatus,
    startedAt: meta.milestones.startedAt ?? change.at,
    publishedAt: change.at,
    earlierUpdates: earlier,
  })
  const body = {
    id: options.id,
    audience,
    publicStatus: draft.publicStatus,
    title: meta.title,
    severity: meta.severity,
    sections: draft.fields.map(({ label, text }) => ({ label, text: text.trim() })),
    impactedServices: draft.impactedServices,
    author: person(change.by),
    ...(options.requireApproval && draft.review?.state === 'approved' ? { approver: person(draft.review.by) } : {}),
    publishedAt: change.at,
    ...(next !== undefined ? { nextUpdateAt: next } : {}),
  }
  return Object.freeze({ ...body, text: plainText(body) })
}

/**
 * Freeze the draft as sent: author, approver, host time, the text. Written
 * once under a new id and never changed; the draft stays for the next update
 * and its approval is cleared.
 */
/** Same words, status and services: what stakeholders would read is unchanged. */
const sameContent = (a: PublishedUpdate, b: PublishedUpdate): boolean =>
  a.publicStatus === b.publicStatus && JSON.stringify(a.sections) === JSON.stringify(b.sections) && a.impactedServices.join('\n') === b.impactedServices.join('\n')

/**
 * What the composer previews: the draft composed as if published at
 * `change.at`, or, while the draft still says exactly what was last published
 * to this audience, that published update itself (its time and its "next
 * update by"), so the preview and the record never disagree.
 */
export const previewUpdate = (doc: Y.Doc, change: Change, options: ComposeOptions): { update: PublishedUpdate; published: boolean } => {
  const composed = composeUpdate(doc, change, options)
  const last = readPublishedUpdates(doc)
    .filter((u) => u.audience === options.audience)
    .at(-1)
  return last && sameContent(last, composed) ? { update: last, published: true } : { update: composed, published: false }
}

/**
 * Check that an audience's draft can be published and compose the update,
 * changing nothing: the host stores its immutable copy before the document
 * records it (`recordPublished`).
 */
export const preparePublish = (doc: Y.Doc, change: Change, options: ComposeOptions): PublishedUpdate => {
  const { audience } = options
  const draft = readDraft(doc, audience)
  if (!draft) throw new UpdateError(`There is no ${AUDIENCE_LABELS[audience].toLowerCase()} draft to publish.`)
  if (draft.fields.every((f) => !f.text.trim())) throw new UpdateError('The draft is empty.')
  const approval = approvalState(draft, options.requireApproval)
  if (approval === 'changed') throw new UpdateError('The draft changed after the IC approved it; submit it again.')
  if (approval !== 'approved' && approval !== 'notNeeded') throw new UpdateError('This host needs the IC to approve an update before it is published.')
  if (publishedUpdatesMap(doc).has(options.id)) throw new UpdateError('That update was already published; published updates never change.')
  return composeUpdate(doc, change, options)
}

/** Record a published update in the document: frozen, the draft's approval spent, on the timeline. */
export const recordPublished = (doc: Y.Doc, change: Change, update: PublishedUpdate): void => {
  doc.transact(() => {
    publishedUpdatesMap(doc).set(update.id, update)
    requireDraftMap(doc, update.audience).delete('review')
    appendEvent(
      doc,
      change,
      { type: 'update.published', audience: update.audience, updateId: update.id, publicStatus: update.publicStatus },
      `${AUDIENCE_LABELS[update.audience]} update published (${PUBLIC_STATUS_LABELS[update.publicStatus]})`,
      { updateId: update.id },
    )
  })
}

export const publishUpdate = (doc: Y.Doc, change: Change, options: ComposeOptions): PublishedUpdate => {
  const update = preparePublish(doc, change, options)
  recordPublished(doc, change, update)
  return update
}
