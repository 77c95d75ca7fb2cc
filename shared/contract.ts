// The host's HTTP API, written once: every request body and every answer, as
// valibot schemas. The host validates what it receives with them; the board's
// API client (renderer/app/api.ts) checks what it gets back with the same ones.
// docs/API.md describes them.
import * as v from 'valibot'
import { MAX_TITLE_LENGTH } from './incident'
import { MAX_NAME_LENGTH, PERSON_ID } from './people'
import { RosterPersonSchema } from './roster'
import { INCIDENT_STATUSES, SEVERITIES } from './schema'
import { ALERT_SOURCES, AlertSchema } from './alerts'
import { AlertRuleSchema, LabelMatchSchema, SilenceSchema } from './alert-routing'
import { AUDIENCES } from './templates'
import { GatheringSchema } from './gathering'
import { PageSchema } from './paging'
import { PublishedUpdateSchema } from './updates'
import { DrillOriginSchema, InjectSchema, INJECT_SPEEDS } from './drill'

const text = (field: string, max: number) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.maxLength(max, `${field} must be at most ${max} characters`))

export const ErrorAnswer = v.object({ error: v.string() })

export const TimeAnswer = v.object({ now: v.number() })

// Incidents

export const CreateIncidentBody = v.object({
  title: v.pipe(text('title', MAX_TITLE_LENGTH), v.minLength(1, 'title must not be empty')),
  severity: v.picklist(SEVERITIES, `severity must be one of ${SEVERITIES.join(', ')}`),
  /** Who declares it (their person id and name): credited with the declaration, on the board at once. */
  declaredBy: v.optional(
    v.object({
      id: v.pipe(v.string('declaredBy.id must be a string'), v.regex(PERSON_ID, 'declaredBy.id is not a person id')),
      name: v.pipe(text('declaredBy.name', MAX_NAME_LENGTH), v.minLength(1, 'declaredBy.name must not be empty')),
    }),
  ),
  /** The bridge and chat; without it, the host's default. */
  gathering: v.optional(GatheringSchema),
})
export type CreateIncident = v.InferInput<typeof CreateIncidentBody>

export const IncidentSummarySchema = v.object({
  id: v.string(),
  title: v.string(),
  severity: v.picklist(SEVERITIES),
  status: v.picklist(INCIDENT_STATUSES),
  createdAt: v.number(),
  /** Imported from an archive: the incident's id where it was exported. */
  importedFrom: v.optional(v.string()),
  /** A drill: the incident it re-runs, from its start or from a moment. */
  drill: v.optional(DrillOriginSchema),
})
export type IncidentSummary = v.InferOutput<typeof IncidentSummarySchema>

export const IncidentListAnswer = v.object({ incidents: v.array(IncidentSummarySchema) })

export const ACCESS_LEVELS = ['host', 'edit', 'view'] as const
export const IncidentAccessAnswer = v.object({ ...IncidentSummarySchema.entries, access: v.picklist(ACCESS_LEVELS) })
export type IncidentAccess = v.InferOutput<typeof IncidentAccessAnswer>
export type AccessLevel = IncidentAccess['access']

const LinksSchema = v.object({ edit: v.string(), view: v.string(), statusPage: v.string() })
export const InvitesAnswer = v.object({ editToken: v.string(), viewToken: v.string(), statusToken: v.string(), links: LinksSchema })
export type Invites = v.InferOutput<typeof InvitesAnswer>
export const CreatedIncidentAnswer = v.object({ id: v.string(), ...InvitesAnswer.entries })
export type CreatedIncident = v.InferOutput<typeof CreatedIncidentAnswer>

// Roster

const rosterFields = {
  team: v.optional(text('team', 80)),
  contact: v.optional(text('contact', 200)),
  skills: v.optional(v.pipe(v.array(v.pipe(text('a skill', 40), v.minLength(1, 'skills must not be empty'))), v.maxLength(20, 'at most 20 skills'))),
}
const rosterName = v.pipe(text('name', MAX_NAME_LENGTH), v.minLength(1, 'name must not be empty'))
export const NewRosterPersonBody = v.object({ name: rosterName, ...rosterFields })
export type NewRosterPerson = v.InferInput<typeof NewRosterPersonBody>
export const RosterPersonPatchBody = v.object({ name: v.optional(rosterName), ...rosterFields })
export type RosterPersonPatch = v.InferInput<typeof RosterPersonPatchBody>
export const RosterAnswer = v.object({ people: v.array(RosterPersonSchema) })

// Load across incidents

const OpenIntervalSchema = v.object({ from: v.number(), to: v.nullable(v.number()) })
export const IncidentWorkloadSchema = v.object({
  incidentId: v.string(),
  title: v.string(),
  people: v.record(v.string(), v.object({ onDuty: v.array(OpenIntervalSchema), asCommander: v.array(OpenIntervalSchema), timesSentToRest: v.number() })),
})
export const WorkloadsAnswer = v.object({ workloads: v.array(IncidentWorkloadSchema) })

// Service catalog

/** Catalogs are bigger than other bodies: up to 20 files, 8 MiB in all. */
export const MAX_CATALOG_BODY = 8 * 1024 * 1024

export const CatalogBody = v.object({
  files: v.pipe(
    v.array(
      v.object({
        name: v.pipe(v.string('name must be a string'), v.minLength(1, 'a file needs a name'), v.maxLength(200)),
        text: v.string('text must be a string'),
      }),
    ),
    v.minLength(1, 'send at least one file'),
    v.maxLength(20, 'at most 20 files at once'),
  ),
})

const UnresolvedSchema = v.object({ from: v.string(), field: v.string(), ref: v.string() })
export const CatalogImportAnswer = v.object({ services: v.number(), dependencies: v.number(), unresolved: v.array(UnresolvedSchema), source: v.string() })

// Stakeholder updates

export const PublishBody = v.object({
  audience: v.picklist(AUDIENCES, `audience must be one of ${AUDIENCES.join(', ')}`),
  personId: v.pipe(v.string('personId must be a string'), v.regex(PERSON_ID, 'personId is not a person id')),
})
export const PublishedAnswer = v.object({ update: PublishedUpdateSchema })

// Alert intake

/** How an integration's alerts are routed, first match wins: labels to match, the catalog service, the incident's severity, and what to do. */
export const NewIntegrationBody = v.object({
  name: v.pipe(text('name', 80), v.minLength(1, 'name must not be empty')),
  kind: v.picklist(ALERT_SOURCES, `kind must be one of ${ALERT_SOURCES.join(', ')}`),
  rules: v.optional(v.pipe(v.array(AlertRuleSchema), v.maxLength(50, 'at most 50 rules')), []),
  /** SNS signatures are checked unless this is false (a LAN without internet): the board then says the integration is unverified. */
  verifySignatures: v.optional(v.boolean('verifySignatures must be true or false'), true),
  /** Alerts of one service or grouping key within this many minutes go to one incident. */
  windowMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(240)), 5),
})
export type NewIntegration = v.InferInput<typeof NewIntegrationBody>

/** Change an integration: its name, rules (in order, first match wins), signature checks or grouping window. */
export const IntegrationPatchBody = v.object({
  name: v.optional(NewIntegrationBody.entries.name),
  rules: v.optional(v.pipe(v.array(AlertRuleSchema), v.maxLength(50, 'at most 50 rules'))),
  verifySignatures: v.optional(v.boolean('verifySignatures must be true or false')),
  windowMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(240))),
})
export type IntegrationPatch = v.InferInput<typeof IntegrationPatchBody>

export const CreatedIntegrationAnswer = v.object({ id: v.string(), name: v.string(), kind: v.picklist(ALERT_SOURCES), url: v.string() })

/** What the host keeps of an integration and shows the host token: the records store these, the view adds its address and counts. */
export const integrationFields = {
  id: v.string(),
  name: v.string(),
  kind: v.picklist(ALERT_SOURCES),
  rules: v.array(AlertRuleSchema),
  verifySignatures: v.boolean(),
  windowMinutes: v.number(),
  createdAt: v.number(),
  /** An SNS subscription whose confirmation URL the host would not fetch: the IC confirms it by hand. */
  pendingConfirmation: v.optional(v.object({ subscribeUrl: v.string(), topicArn: v.string(), at: v.number() })),
}

export const IntegrationViewSchema = v.object({
  ...integrationFields,
  /** The intake URL with its key: for the host token only. */
  url: v.string(),
  lastEventAt: v.nullable(v.number()),
  events: v.number(),
  alerts: v.number(),
})
export type IntegrationView = v.InferOutput<typeof IntegrationViewSchema>
export const IntegrationsAnswer = v.object({ integrations: v.array(IntegrationViewSchema) })

export const AlertsAnswer = v.object({ alerts: v.array(AlertSchema) })

const alertIds = v.pipe(v.array(v.string('alertIds holds alert ids')), v.minLength(1, 'alertIds must name at least one alert'), v.maxLength(1000, 'at most 1000 alerts at once'))

/** The IC declares an incident from alerts in the inbox. */
export const DeclareFromAlertsBody = v.object({
  alertIds,
  title: v.optional(v.pipe(text('title', MAX_TITLE_LENGTH), v.minLength(1, 'title must not be empty'))),
  severity: v.optional(v.picklist(SEVERITIES, `severity must be one of ${SEVERITIES.join(', ')}`)),
})

/** The IC attaches alerts in the inbox to a running incident. */
export const AttachAlertsBody = v.object({ alertIds, incidentId: v.pipe(v.string(), v.minLength(1, 'incidentId must not be empty')) })
export const AttachedAnswer = v.object({ attached: v.number() })

/** A silence: one alert by its key, or every alert whose labels match; for a while, with a reason. */
export const NewSilenceBody = v.pipe(
  v.object({
    integrationId: v.optional(v.string()),
    key: v.optional(v.pipe(v.string(), v.maxLength(300))),
    match: v.optional(LabelMatchSchema),
    minutes: v.pipe(v.number('minutes must be a number'), v.integer(), v.minValue(1, 'minutes is at least 1'), v.maxValue(7 * 24 * 60, 'minutes is at most a week (10080)')),
    comment: v.pipe(text('comment', 500), v.minLength(1, 'comment must say why (it is shown with the silence)')),
  }),
  v.check((s) => s.key !== undefined || (s.match !== undefined && Object.keys(s.match).length > 0), 'a silence needs a key or labels to match'),
)
export const SilencesAnswer = v.object({ silences: v.array(SilenceSchema) })
export const CreatedSilenceAnswer = v.object({ silence: SilenceSchema, silencedNow: v.number() })

// Paging

/** Page one service's owner, one person of the roster, or the owners of every service that is down; `by` is who asks (a person on the board). */
export const PageBody = v.pipe(
  v.object({
    by: v.pipe(v.string('by must be a string'), v.regex(PERSON_ID, 'by is not a person id')),
    serviceId: v.optional(v.pipe(v.string('serviceId must be a string'), v.minLength(1, 'serviceId must not be empty'))),
    personId: v.optional(v.pipe(v.string('personId must be a string'), v.minLength(1, 'personId must not be empty'))),
    affected: v.optional(v.literal(true, 'affected must be true')),
  }),
  v.check((b) => [b.serviceId, b.personId, b.affected].filter((x) => x !== undefined).length === 1, 'name one of serviceId, personId or "affected": true'),
)
/** A PagerDuty routing key for a service's owner, set from the board (null removes it); kept on the host, never shown again. */
export const PagingKeyBody = v.object({
  by: v.pipe(v.string('by must be a string'), v.regex(PERSON_ID, 'by is not a person id')),
  integrationKey: v.nullable(v.pipe(v.string('integrationKey must be a string'), v.trim(), v.regex(/^[A-Za-z0-9]{20,64}$/, 'integrationKey must be a PagerDuty integration key (20 to 64 letters and digits)'))),
})

export const PagingKeyAnswer = v.object({ pageable: v.boolean() })

/** What the pager is asked to page (the body without who asks). */
export type PageRequest = { serviceId: string } | { personId: string } | { affected: true }

/** The pages sent (each then delivered in the background), and what could not be paged, with why. */
export const PagesAnswer = v.object({ pages: v.array(PageSchema), skipped: v.array(v.object({ name: v.string(), reason: v.string() })) })
export type PagesResult = v.InferOutput<typeof PagesAnswer>

/** A facilitator's note on a replay: at a moment of the incident, with their name. Kept with the incident's records, never in its document. */
export const MAX_REPLAY_NOTE_LENGTH = 2000
export const ReplayNoteSchema = v.object({
  id: v.string(),
  incidentId: v.string(),
  /** The moment of the incident it is about (host time, epoch ms). */
  at: v.number(),
  text: v.string(),
  by: v.string(),
  /** When it was written (host time). */
  createdAt: v.number(),
})
export type ReplayNote = v.InferOutput<typeof ReplayNoteSchema>

export const NewReplayNoteBody = v.object({
  at: v.pipe(v.number('at must be a host time in epoch milliseconds'), v.integer('at must be a host time in epoch milliseconds'), v.minValue(0)),
  text: v.pipe(text('text', MAX_REPLAY_NOTE_LENGTH), v.minLength(1, 'text must not be empty')),
  by: v.pipe(text('by', MAX_NAME_LENGTH), v.minLength(1, 'by: the facilitator’s name is required')),
})
export type NewReplayNote = v.InferOutput<typeof NewReplayNoteBody>

export const ReplayNotesAnswer = v.object({ notes: v.array(ReplayNoteSchema) })
export const ReplayNoteAnswer = ReplayNoteSchema

/** `POST /api/incidents/:id/drills`: run the incident as a drill from its start or from a moment (host time). */
export const NewDrillBody = v.object({
  from: v.union([v.literal('start'), v.pipe(v.number('from: "start" or a host time in epoch milliseconds'), v.integer(), v.minValue(0))], 'from: "start" or a host time in epoch milliseconds'),
})

/** The drill's script and schedule, for its facilitator. */
export const DrillScheduleSchema = v.object({ startedAt: v.number(), speed: v.picklist(INJECT_SPEEDS) })
export const DrillAnswer = v.object({
  id: v.string(),
  title: v.string(),
  origin: DrillOriginSchema,
  injects: v.array(InjectSchema),
  schedule: v.optional(DrillScheduleSchema),
  /** The services on the drill board, for the facilitator's choices. */
  services: v.array(v.object({ id: v.string(), name: v.string() })),
  /** The host's time now, so the page counts down to each inject on the host clock. */
  now: v.number(),
})
export type DrillView = v.InferOutput<typeof DrillAnswer>

export const MAX_INJECTS = 500
export const InjectsBody = v.object({ injects: v.pipe(v.array(InjectSchema), v.maxLength(MAX_INJECTS, `at most ${MAX_INJECTS} injects`)) })
export const DrillScheduleBody = v.object({ speed: v.picklist(INJECT_SPEEDS, `speed is ${INJECT_SPEEDS.join(', ')}`) })
