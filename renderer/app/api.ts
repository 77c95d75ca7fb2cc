// The host's HTTP API, as the board uses it. Answers are checked before use.
import * as v from 'valibot'
import { FollowUpListSchema, type ListedFollowUp } from '../../shared/follow-ups'
import { type AnalyticsQuery, type AnalyticsResponse, AnalyticsResponseSchema } from '../../shared/analytics'
import { type Archive, ArchiveError, parseArchive } from '../../shared/archive'
import type { Inject } from '../../shared/drill'
import { type Comparison, ComparisonSchema } from '../../shared/drill-comparison'
import type { Alert, AlertRoute, AlertState } from '../../shared/alerts'
import type { AlertRule, Silence } from '../../shared/alert-routing'
import { type ClockSample, estimateOffset } from '../../shared/clock'
import {
  type AccessLevel,
  AlertsAnswer,
  type AttachAlertsBody,
  AttachedAnswer,
  CatalogImportAnswer,
  CreatedIntegrationAnswer,
  CreatedSilenceAnswer,
  type CreateIncident,
  CreatedIncidentAnswer,
  DrillAnswer,
  type DrillView,
  type DeclareFromAlertsBody,
  ErrorAnswer,
  type IncidentAccess,
  IncidentAccessAnswer,
  IncidentListAnswer,
  type IncidentSummary,
  type IntegrationPatch,
  type IntegrationView,
  IntegrationViewSchema,
  IntegrationsAnswer,
  type Invites,
  InvitesAnswer,
  type NewIntegration,
  type NewRosterPerson,
  type NewSilenceBody,
  type PageBody,
  type PagingKeyBody,
  PagingKeyAnswer,
  PagesAnswer,
  type PagesResult,
  PublishedAnswer,
  RosterAnswer,
  type NewReplayNote,
  type ReplayNote,
  ReplayNoteAnswer,
  ReplayNotesAnswer,
  SilencesAnswer,
  type RosterPersonPatch,
  TimeAnswer,
  WorkloadsAnswer,
} from '../../shared/contract'
import { type Gathering, GatheringSchema } from '../../shared/gathering'
import { type PagingSettings, PagingSettingsSchema } from '../../shared/paging'
import { type FatigueSettings, FatigueSettingsSchema } from '../../shared/fatigue'
import { type RosterPerson, RosterPersonSchema } from '../../shared/roster'
import type { IncidentWorkload } from '../../shared/workload'
import type { Audience } from '../../shared/templates'
import {
  type ChannelView,
  ChannelViewSchema,
  type NewChannel,
  type PublicUpdateSettings,
  PublicUpdateSettingsSchema,
  type UpdateSettings,
} from '../../shared/update-settings'
import type { PublishedUpdate } from '../../shared/updates'
import { type HostProblems, HostProblemsSchema } from '../../shared/host-status'

export class ApiError extends Error {
  constructor(
    /** 0 when the host could not be reached at all. */
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const request = async <S extends v.GenericSchema>(
  schema: S,
  path: string,
  init: { token?: string; method?: string; body?: unknown } = {},
): Promise<v.InferOutput<S>> => {
  let response: Response
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      cache: 'no-store',
    })
  } catch {
    throw new ApiError(0, 'The host cannot be reached.')
  }
  const json: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    const parsed = v.safeParse(ErrorAnswer, json)
    throw new ApiError(response.status, parsed.success ? parsed.output.error : `The host answered ${response.status}.`)
  }
  const parsed = v.safeParse(schema, json)
  if (!parsed.success) throw new ApiError(response.status, 'The host sent an answer this board does not understand.')
  return parsed.output
}

export type { AccessLevel, Alert, AlertRule, DrillView, Inject, IncidentAccess, IncidentSummary, IntegrationView, Invites, ReplayNote, RosterPerson, Silence }

export const fetchHostTime = async (): Promise<number> => (await request(TimeAnswer, '/api/time')).now

/** How far the host clock is ahead of this one: the best of a few round trips (shared/clock.ts). */
export const measureHostOffset = async (rounds = 4): Promise<number | undefined> => {
  const samples: ClockSample[] = []
  for (let i = 0; i < rounds; i++) {
    const sentAt = Date.now()
    const hostTime = await fetchHostTime()
    samples.push({ sentAt, hostTime, receivedAt: Date.now() })
  }
  return estimateOffset(samples)
}

export const listIncidents = async (hostToken: string): Promise<IncidentSummary[]> => (await request(IncidentListAnswer, '/api/incidents', { token: hostToken })).incidents

export const createIncident = (hostToken: string, body: CreateIncident) => request(CreatedIncidentAnswer, '/api/incidents', { token: hostToken, method: 'POST', body })

export const fetchIncidentAccess = (incidentId: string, token: string): Promise<IncidentAccess> =>
  request(IncidentAccessAnswer, `/api/incidents/${encodeURIComponent(incidentId)}`, { token })

export const fetchInvites = (incidentId: string, hostToken: string): Promise<Invites> =>
  request(InvitesAnswer, `/api/incidents/${encodeURIComponent(incidentId)}/invites`, { token: hostToken })

export const listRoster = async (token: string): Promise<RosterPerson[]> => (await request(RosterAnswer, '/api/roster', { token })).people

export const addToRoster = (token: string, person: NewRosterPerson): Promise<RosterPerson> => request(RosterPersonSchema, '/api/roster', { token, method: 'POST', body: person })

export const updateRosterPerson = (token: string, id: string, fields: RosterPersonPatch): Promise<RosterPerson> =>
  request(RosterPersonSchema, `/api/roster/${encodeURIComponent(id)}`, { token, method: 'PUT', body: fields })

/** DELETE answers 204 with no body. */
const deleteAt = async (token: string, path: string): Promise<void> => {
  const response = await fetch(path, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined)
  if (!response) throw new ApiError(0, 'The host cannot be reached.')
  if (!response.ok) {
    const parsed = v.safeParse(ErrorAnswer, await response.json().catch(() => undefined))
    throw new ApiError(response.status, parsed.success ? parsed.output.error : `The host answered ${response.status}.`)
  }
}

export const removeFromRoster = (token: string, id: string): Promise<void> => deleteAt(token, `/api/roster/${encodeURIComponent(id)}`)

export const fetchFatigueSettings = (token: string): Promise<FatigueSettings> => request(FatigueSettingsSchema, '/api/settings/fatigue', { token })

/** Other incidents' duty periods: for one board's people, or everyone with the host token. */
export const fetchWorkloads = async (token: string, incidentId?: string): Promise<IncidentWorkload[]> =>
  (await request(WorkloadsAnswer, incidentId ? `/api/workload?incident=${encodeURIComponent(incidentId)}` : '/api/workload', { token })).workloads

/** Keep these files as the host's catalog, which every new incident starts with. */
export const importHostCatalog = (hostToken: string, files: ReadonlyArray<{ name: string; text: string }>) =>
  request(CatalogImportAnswer, '/api/catalog', { token: hostToken, method: 'POST', body: { files } })

/** The host's update settings as a board may see them (channels without URL or secret). */
export const fetchUpdateSettings = (token: string): Promise<PublicUpdateSettings> => request(PublicUpdateSettingsSchema, '/api/settings/updates', { token })

export const saveUpdateSettings = (hostToken: string, settings: UpdateSettings): Promise<PublicUpdateSettings> =>
  request(PublicUpdateSettingsSchema, '/api/settings/updates', { token: hostToken, method: 'PUT', body: settings })

export const addChannel = (hostToken: string, channel: NewChannel): Promise<ChannelView> =>
  request(ChannelViewSchema, '/api/channels', { token: hostToken, method: 'POST', body: channel })

export const removeChannel = (hostToken: string, id: string): Promise<void> => deleteAt(hostToken, `/api/channels/${encodeURIComponent(id)}`)

/** Publish an audience's draft: the host freezes it, tells the status page and the channels. */
export const publishDraft = (token: string, incidentId: string, body: { audience: Audience; personId: string }): Promise<PublishedUpdate> =>
  request(PublishedAnswer, `/api/incidents/${encodeURIComponent(incidentId)}/updates`, { token, method: 'POST', body }).then((r) => r.update)

/** Whether the host can save, and the damaged files it found and set aside. */
export const fetchHostProblems = (hostToken: string): Promise<HostProblems> => request(HostProblemsSchema, '/api/problems', { token: hostToken })

/** New invite links for an incident; the old ones stop working. */
export const reissueInvites = (incidentId: string, hostToken: string): Promise<Invites> =>
  request(InvitesAnswer, `/api/incidents/${encodeURIComponent(incidentId)}/invites`, { token: hostToken, method: 'POST', body: {} })

/** Alert intake: each monitoring source posts to its integration's own address. */
export const listIntegrations = async (hostToken: string): Promise<IntegrationView[]> => (await request(IntegrationsAnswer, '/api/integrations', { token: hostToken })).integrations

export const createIntegration = (hostToken: string, body: NewIntegration) => request(CreatedIntegrationAnswer, '/api/integrations', { token: hostToken, method: 'POST', body })

/** Rename, or replace its routing rules (whole, in order) or grouping window; the next alert is routed by them. */
export const updateIntegration = (hostToken: string, id: string, patch: IntegrationPatch): Promise<IntegrationView> =>
  request(IntegrationViewSchema, `/api/integrations/${encodeURIComponent(id)}`, { token: hostToken, method: 'PUT', body: patch })

/** Its address stops taking alerts at once; the alerts it brought stay. */
export const revokeIntegration = (hostToken: string, id: string): Promise<void> => deleteAt(hostToken, `/api/integrations/${encodeURIComponent(id)}`)

/** The host's alerts, newest first; `route: 'triage'` is the inbox. */
export const listAlerts = async (hostToken: string, filter: { state?: AlertState; route?: AlertRoute; incident?: string } = {}): Promise<Alert[]> => {
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined)).toString()
  return (await request(AlertsAnswer, `/api/alerts${query ? `?${query}` : ''}`, { token: hostToken })).alerts
}

export const declareFromAlerts = (hostToken: string, body: v.InferInput<typeof DeclareFromAlertsBody>) =>
  request(CreatedIncidentAnswer, '/api/alerts/declare', { token: hostToken, method: 'POST', body })

export const attachAlerts = async (hostToken: string, body: v.InferInput<typeof AttachAlertsBody>): Promise<number> =>
  (await request(AttachedAnswer, '/api/alerts/attach', { token: hostToken, method: 'POST', body })).attached

export const createSilence = (hostToken: string, body: v.InferInput<typeof NewSilenceBody>) =>
  request(CreatedSilenceAnswer, '/api/silences', { token: hostToken, method: 'POST', body })

/** Every silence, newest first: the running ones and those ended within the last 30 days. */
export const listSilences = async (hostToken: string): Promise<Silence[]> => (await request(SilencesAnswer, '/api/silences', { token: hostToken })).silences

/** End a running silence now: matching alerts are routed again from then on. */
export const endSilence = (hostToken: string, id: string): Promise<void> => deleteAt(hostToken, `/api/silences/${encodeURIComponent(id)}`)

/** Page a service's owner, a person of the roster, or every affected service's owner; delivery shows on the timeline. */
export const sendPage = (token: string, incidentId: string, body: v.InferInput<typeof PageBody>): Promise<PagesResult> =>
  request(PagesAnswer, `/api/incidents/${encodeURIComponent(incidentId)}/pages`, { token, method: 'POST', body })

export const fetchPagingSettings = (hostToken: string): Promise<PagingSettings> => request(PagingSettingsSchema, '/api/settings/paging', { token: hostToken })

export const savePagingSettings = (hostToken: string, settings: v.InferInput<typeof PagingSettingsSchema>): Promise<PagingSettings> =>
  request(PagingSettingsSchema, '/api/settings/paging', { token: hostToken, method: 'PUT', body: settings })

/** The bridge and chat every new incident starts with. */
export const fetchGatheringDefault = (hostToken: string): Promise<Gathering> => request(GatheringSchema, '/api/settings/gathering', { token: hostToken })

export const saveGatheringDefault = (hostToken: string, place: Gathering): Promise<Gathering> =>
  request(GatheringSchema, '/api/settings/gathering', { token: hostToken, method: 'PUT', body: place })

/** Keep a PagerDuty routing key on the host for a service's owner (null removes it); the board only learns "pageable". */
export const setPagingKey = async (token: string, incidentId: string, serviceId: string, body: v.InferInput<typeof PagingKeyBody>): Promise<boolean> =>
  (await request(PagingKeyAnswer, `/api/incidents/${encodeURIComponent(incidentId)}/services/${encodeURIComponent(serviceId)}/paging`, { token, method: 'PUT', body })).pageable

/**
 * An incident's whole record (its archive, docs/ARCHIVE.md), unpacked and
 * checked as the host checks an import. `onBytes` hears how much has arrived.
 * The digest is left to the host's import: a browser on plain http has no
 * SHA-256, and the count in the trailer still catches a download cut short.
 */
export const fetchArchive = async (incidentId: string, token: string, onBytes: (bytes: number) => void): Promise<Archive> => {
  let response: Response
  try {
    response = await fetch(`/api/incidents/${encodeURIComponent(incidentId)}/archive`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' })
  } catch {
    throw new ApiError(0, 'The host cannot be reached.')
  }
  if (!response.ok || !response.body) {
    const parsed = v.safeParse(ErrorAnswer, await response.json().catch(() => undefined))
    throw new ApiError(response.status, parsed.success ? parsed.output.error : `The host answered ${response.status}.`)
  }
  let received = 0
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
      transform(chunk, controller) {
        received += chunk.byteLength
        onBytes(received)
        controller.enqueue(chunk)
      },
    }),
  )
  let text: string
  try {
    text = await new Response(counted.pipeThrough(new DecompressionStream('gzip'))).text()
  } catch {
    throw new ApiError(0, 'The record stopped arriving before its end; try again.')
  }
  try {
    return parseArchive(text)
  } catch (error) {
    throw new ApiError(response.status, error instanceof ArchiveError ? `The record is damaged: ${error.message}` : String(error))
  }
}

const notesPath = (incidentId: string): string => `/api/incidents/${encodeURIComponent(incidentId)}/replay-notes`

export const listReplayNotes = async (token: string, incidentId: string): Promise<ReplayNote[]> => (await request(ReplayNotesAnswer, notesPath(incidentId), { token })).notes

export const addReplayNote = (token: string, incidentId: string, note: NewReplayNote): Promise<ReplayNote> =>
  request(ReplayNoteAnswer, notesPath(incidentId), { token, method: 'POST', body: note })

export const removeReplayNote = (token: string, incidentId: string, id: string): Promise<void> => deleteAt(token, `${notesPath(incidentId)}/${encodeURIComponent(id)}`)

/** Run an incident as a drill, from its start or a moment (host token): the drill's id and links. */
export const createDrill = (hostToken: string, incidentId: string, from: 'start' | number) =>
  request(CreatedIncidentAnswer, `/api/incidents/${encodeURIComponent(incidentId)}/drills`, { token: hostToken, method: 'POST', body: { from: from === 'start' ? from : Math.round(from) } })

const drillPath = (incidentId: string): string => `/api/incidents/${encodeURIComponent(incidentId)}/drill`

export const fetchDrill = (hostToken: string, drillId: string): Promise<DrillView> => request(DrillAnswer, drillPath(drillId), { token: hostToken })

export const saveInjects = (hostToken: string, drillId: string, injects: Inject[]): Promise<DrillView> =>
  request(DrillAnswer, `${drillPath(drillId)}/injects`, { token: hostToken, method: 'PUT', body: { injects } })

export const fireInjectNow = (hostToken: string, drillId: string, injectId: string): Promise<DrillView> =>
  request(DrillAnswer, `${drillPath(drillId)}/injects/${encodeURIComponent(injectId)}/fire`, { token: hostToken, method: 'POST', body: {} })

export const startDrillSchedule = (hostToken: string, drillId: string, speed: number): Promise<DrillView> =>
  request(DrillAnswer, `${drillPath(drillId)}/schedule`, { token: hostToken, method: 'PUT', body: { speed } })

export const stopDrillSchedule = (hostToken: string, drillId: string): Promise<DrillView> => request(DrillAnswer, `${drillPath(drillId)}/schedule`, { token: hostToken, method: 'DELETE' })

/** The drill beside its original (host token). */
export const fetchComparison = (hostToken: string, drillId: string): Promise<Comparison> => request(ComparisonSchema, `${drillPath(drillId)}/comparison`, { token: hostToken })

/** Analytics across incidents (host token), filtered; drills never count. */
export const fetchAnalytics = (hostToken: string, query: AnalyticsQuery): Promise<AnalyticsResponse> => {
  const params = new URLSearchParams(Object.entries(query).map(([k, value]) => [k, String(value)]))
  return request(AnalyticsResponseSchema, `/api/analytics${params.size > 0 ? `?${params}` : ''}`, { token: hostToken })
}

/** The postmortem as Markdown (host token or that incident's edit link). */
export const fetchPostmortemMarkdown = async (incidentId: string, token: string): Promise<string> => {
  let response: Response
  try {
    response = await fetch(`/api/incidents/${encodeURIComponent(incidentId)}/postmortem.md`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' })
  } catch {
    throw new ApiError(0, 'The host cannot be reached.')
  }
  if (!response.ok) {
    const parsed = v.safeParse(ErrorAnswer, await response.json().catch(() => undefined))
    throw new ApiError(response.status, parsed.success ? parsed.output.error : `The host answered ${response.status}.`)
  }
  return response.text()
}

/** Follow-ups across incidents, overdue first (host token). */
export const listFollowUps = async (hostToken: string): Promise<ListedFollowUp[]> => (await request(FollowUpListSchema, '/api/follow-ups', { token: hostToken })).followUps
