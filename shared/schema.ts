// The incident document: names of the top-level Yjs types and the vocabulary
// stored in them. docs/SCHEMA.md describes every field; keep the two in step.
import * as Y from 'yjs'

export const SCHEMA_VERSION = 1

export const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4', 'SEV-5'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Lifecycle of the incident, in the Statuspage vocabulary. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]

/** Stored in `meta`; `startedAt` is the declaration. shared/milestones.ts reads them as a lifecycle. */
export const MILESTONES = ['impactStartedAt', 'detectedAt', 'startedAt', 'acknowledgedAt', 'icAssignedAt', 'mitigatedAt', 'resolvedAt'] as const
export type Milestone = (typeof MILESTONES)[number]

/** Kinds the scribe chooses; `event` entries are written by the board itself. */
export const ENTRY_KINDS = ['note', 'decision', 'action', 'observation'] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]
export type TimelineKind = EntryKind | 'event'

/** Top-level type names. Never rename: documents on disk and on clients use them. */
export const ROOT = {
  meta: 'meta',
  people: 'people',
  roleAssignments: 'roleAssignments',
  subTeams: 'subTeams',
  attendance: 'attendance',
  duty: 'duty',
  tasks: 'tasks',
  services: 'services',
  dependencies: 'dependencies',
  positions: 'positions',
  timeline: 'timeline',
  timelineEdits: 'timelineEdits',
  updateDrafts: 'updateDrafts',
  publishedUpdates: 'publishedUpdates',
  deliveries: 'deliveries',
  alerts: 'alerts',
  pages: 'pages',
  postmortem: 'postmortem',
  followUps: 'followUps',
  /** A Y.Text: top level, so two people opening the editor at once never each create one. */
  postmortemText: 'postmortemText',
} as const

/** Who makes a change and when (host clock, epoch ms). Every mutation takes one. */
export interface Change {
  by: string
  at: number
}

export const isSeverity = (value: unknown): value is Severity =>
  typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)

export const isIncidentStatus = (value: unknown): value is IncidentStatus =>
  typeof value === 'string' && (INCIDENT_STATUSES as readonly string[]).includes(value)

export const isEntryKind = (value: unknown): value is EntryKind =>
  typeof value === 'string' && (ENTRY_KINDS as readonly string[]).includes(value)

export const metaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.meta)
export const peopleMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(ROOT.people)
export const timelineMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.timeline)
export const timelineEditsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.timelineEdits)
export const roleAssignmentsArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT.roleAssignments)
export const subTeamsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.subTeams)
export const attendanceMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.attendance)
export const tasksMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.tasks)
export const dutyArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT.duty)
export const servicesMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.services)
export const dependenciesMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.dependencies)
export const positionsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.positions)
export const updateDraftsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.updateDrafts)
export const publishedUpdatesMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.publishedUpdates)
export const deliveriesMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.deliveries)
export const alertsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.alerts)
export const pagesMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.pages)
export const postmortemMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.postmortem)
export const followUpsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.followUps)
export const postmortemText = (doc: Y.Doc): Y.Text => doc.getText(ROOT.postmortemText)

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** Order of records written by several people: host time, then id, the same on every screen. */
export const byTimeThenId = <T extends { at: number; id: string }>(a: T, b: T): number =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Readers must survive anything a peer wrote: these coerce or fall back. */
export const readString = (map: Y.Map<unknown>, key: string, fallback = ''): string => {
  const value = map.get(key)
  if (typeof value === 'string') return value
  if (value instanceof Y.Text) return value.toString()
  return fallback
}

export const readNumber = (map: Y.Map<unknown>, key: string): number | undefined => {
  const value = map.get(key)
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}
