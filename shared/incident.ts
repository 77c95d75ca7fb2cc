// The incident's header facts: title, severity, lifecycle status, milestones.
import type * as Y from 'yjs'
import {
  type Change,
  type IncidentStatus,
  type Milestone,
  type Severity,
  MILESTONES,
  SCHEMA_VERSION,
  isIncidentStatus,
  isSeverity,
  metaMap,
  readNumber,
  readString,
} from './schema'
import { appendEvent } from './timeline'

export interface IncidentMeta {
  schemaVersion: number
  id: string
  title: string
  severity: Severity
  status: IncidentStatus
  /** Milestone times, host clock; absent until they happen. */
  milestones: Partial<Record<Milestone, number>>
  declaredBy: string
  /** When the status or severity last changed: a stakeholder update is due from then. */
  stateChangedAt?: number
}

export class IncidentError extends Error {}

export const MAX_TITLE_LENGTH = 200

export const MILESTONE_LABELS: Record<Milestone, string> = {
  impactStartedAt: 'Impact began',
  detectedAt: 'Detected',
  startedAt: 'Declared',
  acknowledgedAt: 'Acknowledged',
  icAssignedAt: 'IC assigned',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
}

/** Short enough for the header's strip and the timeline's mark. */
export const MILESTONE_SHORT_LABELS: Record<Milestone, string> = {
  ...MILESTONE_LABELS,
  impactStartedAt: 'Impact',
  acknowledgedAt: 'Ack',
  icAssignedAt: 'IC',
}

const checkTitle = (title: string): string => {
  const trimmed = title.trim()
  if (trimmed.length === 0) throw new IncidentError('An incident needs a title.')
  if (trimmed.length > MAX_TITLE_LENGTH) throw new IncidentError(`A title is at most ${MAX_TITLE_LENGTH} characters.`)
  return trimmed
}

/** Written once, by the host, when the incident is created. */
export const declareIncident = (
  doc: Y.Doc,
  change: Change,
  incident: { id: string; title: string; severity: Severity },
): void => {
  const title = checkTitle(incident.title)
  if (!isSeverity(incident.severity)) throw new IncidentError('Severity must be SEV-1 to SEV-5.')
  const meta = metaMap(doc)
  if (meta.has('id')) throw new IncidentError('This incident has already been declared.')
  doc.transact(() => {
    meta.set('schemaVersion', SCHEMA_VERSION)
    meta.set('id', incident.id)
    meta.set('title', title)
    meta.set('severity', incident.severity)
    meta.set('status', 'investigating')
    meta.set('startedAt', change.at)
    meta.set('declaredBy', change.by)
    appendEvent(
      doc,
      change,
      { type: 'incident.declared', title, severity: incident.severity },
      `Incident declared: ${title} (${incident.severity})`,
    )
  })
}

export const readMeta = (doc: Y.Doc): IncidentMeta | undefined => {
  const meta = metaMap(doc)
  const id = meta.get('id')
  if (typeof id !== 'string') return undefined
  const severity = meta.get('severity')
  const status = meta.get('status')
  const stateChangedAt = readNumber(meta, 'stateChangedAt')
  const milestones: Partial<Record<Milestone, number>> = {}
  for (const milestone of MILESTONES) {
    const at = readNumber(meta, milestone)
    if (at !== undefined) milestones[milestone] = at
  }
  return {
    schemaVersion: readNumber(meta, 'schemaVersion') ?? SCHEMA_VERSION,
    id,
    title: readString(meta, 'title', 'Untitled incident'),
    severity: isSeverity(severity) ? severity : 'SEV-3',
    status: isIncidentStatus(status) ? status : 'investigating',
    milestones,
    declaredBy: readString(meta, 'declaredBy'),
    ...(stateChangedAt !== undefined ? { stateChangedAt } : {}),
  }
}

const requireMeta = (doc: Y.Doc): IncidentMeta => {
  const meta = readMeta(doc)
  if (!meta) throw new IncidentError('The incident has not loaded yet.')
  return meta
}

export const setTitle = (doc: Y.Doc, change: Change, title: string): void => {
  const previous = requireMeta(doc).title
  const next = checkTitle(title)
  if (next === previous) return
  doc.transact(() => {
    metaMap(doc).set('title', next)
    appendEvent(doc, change, { type: 'title.changed', from: previous, to: next }, `Title: ${previous} → ${next}`)
  })
}

export const setSeverity = (doc: Y.Doc, change: Change, severity: Severity): void => {
  if (!isSeverity(severity)) throw new IncidentError('Severity must be SEV-1 to SEV-5.')
  const previous = requireMeta(doc).severity
  if (previous === severity) return
  doc.transact(() => {
    metaMap(doc).set('severity', severity)
    metaMap(doc).set('stateChangedAt', change.at)
    appendEvent(
      doc,
      change,
      { type: 'severity.changed', from: previous, to: severity },
      `Severity ${previous} → ${severity}`,
    )
  })
}

/** Moving to monitoring marks the incident mitigated; resolving marks it resolved; reopening clears it. */
export const setIncidentStatus = (doc: Y.Doc, change: Change, status: IncidentStatus): void => {
  if (!isIncidentStatus(status)) throw new IncidentError(`Unknown status "${String(status)}".`)
  const current = requireMeta(doc)
  if (current.status === status) return
  const meta = metaMap(doc)
  doc.transact(() => {
    meta.set('status', status)
    meta.set('stateChangedAt', change.at)
    if ((status === 'monitoring' || status === 'resolved') && current.milestones.mitigatedAt === undefined) {
      meta.set('mitigatedAt', change.at)
    }
    if (status === 'resolved') meta.set('resolvedAt', change.at)
    else if (current.milestones.resolvedAt !== undefined) meta.delete('resolvedAt')
    appendEvent(doc, change, { type: 'status.changed', from: current.status, to: status }, `Status ${current.status} → ${status}`)
  })
}
