// Where a new alert goes: held out by a silence, into an incident already
// working on its service or its group, into a new incident, or into the
// triage inbox for the IC to look at. Pure: the host keeps the indexes
// (running incidents, recent groups, silences) and acts on the answer; the
// same decisions are tested here without a host.
import * as v from 'valibot'
import { type Alert, type AlertSeverity, type AlertSource, clip } from './alerts'
import { SEVERITIES, type Severity } from './schema'
import { MAX_TITLE_LENGTH } from './incident'

/** Match on labels (dimensions and fields are labels too); `*` matches any value the label has. */
const MAX_LABEL_VALUE = 200
const MAX_MATCHED_LABELS = 20
export const LabelMatchSchema = v.pipe(
  v.record(v.string(), v.pipe(v.string(), v.maxLength(MAX_LABEL_VALUE))),
  v.check((m) => Object.keys(m).length <= MAX_MATCHED_LABELS, `at most ${MAX_MATCHED_LABELS} labels to match`),
)
export type LabelMatch = v.InferOutput<typeof LabelMatchSchema>

/**
 * Labels to match as the IC types them: `name=value` pairs, one per line or
 * separated by commas (so a value cannot hold a comma). A value of `*` alone
 * matches any value; `*` inside a value would be compared as typed (see
 * labelsMatch), so it is refused rather than left to match nothing.
 */
export const parseLabelPairs = (text: string): { match: LabelMatch } | { error: string } => {
  const pairs = text
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
  if (pairs.length === 0) return { error: 'Give at least one label to match, as name=value.' }
  const match: Record<string, string> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at === -1) return { error: `“${pair}” is not name=value.` }
    const name = pair.slice(0, at).trim()
    const value = pair.slice(at + 1).trim()
    if (name === '') return { error: `“${pair}” has no label name before the =.` }
    if (value === '') return { error: `${name} has no value: give one, or * for any value.` }
    if (value !== '*' && value.includes('*')) return { error: `${name}=${value}: * matches any value only on its own (${name}=*); it is not a wildcard inside a value.` }
    if (value.length > MAX_LABEL_VALUE) return { error: `${name}: a value is at most ${MAX_LABEL_VALUE} characters.` }
    if (name in match) return { error: `${name} is given twice.` }
    match[name] = value
  }
  if (Object.keys(match).length > MAX_MATCHED_LABELS) return { error: `At most ${MAX_MATCHED_LABELS} labels to match.` }
  return { match }
}

/** Labels to match as words: "alertname=QueueBacklog, env=*". */
export const formatLabelMatch = (match: LabelMatch): string =>
  Object.entries(match)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ')

export const ALERT_ACTIONS = ['declare', 'triage'] as const
export type AlertAction = (typeof ALERT_ACTIONS)[number]

export const AlertRuleSchema = v.object({
  match: LabelMatchSchema,
  /** A service id (or name) of the catalog. */
  service: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(300))),
  severity: v.optional(v.picklist(SEVERITIES, `severity must be one of ${SEVERITIES.join(', ')}`)),
  action: v.picklist(ALERT_ACTIONS, 'action must be declare or triage'),
})
export type AlertRule = v.InferOutput<typeof AlertRuleSchema>

/** Holds matching alerts out of incidents and the inbox until it ends. */
export const SilenceSchema = v.object({
  id: v.string(),
  /** Only this integration's alerts; every integration's when absent. */
  integrationId: v.optional(v.string()),
  /** One alert by its key… */
  key: v.optional(v.string()),
  /** …or every alert whose labels match. */
  match: v.optional(LabelMatchSchema),
  endsAt: v.number(),
  createdAt: v.number(),
  createdBy: v.string(),
  comment: v.string(),
})
export type Silence = v.InferOutput<typeof SilenceSchema>

export const labelsMatch = (match: LabelMatch, labels: Readonly<Record<string, string>>): boolean =>
  Object.entries(match).every(([name, value]) => (value === '*' ? labels[name] !== undefined : labels[name] === value))

type Routable = Pick<Alert, 'integrationId' | 'source' | 'key' | 'state' | 'severity' | 'summary' | 'labels'>

/** The silence holding this alert now, if any. A silence with neither key nor labels matches nothing. */
export const activeSilence = (alert: Routable, silences: readonly Silence[], now: number): Silence | undefined =>
  silences.find(
    (s) =>
      s.endsAt > now &&
      (s.integrationId === undefined || s.integrationId === alert.integrationId) &&
      (s.key !== undefined || s.match !== undefined) &&
      (s.key === undefined || s.key === alert.key) &&
      (s.match === undefined || labelsMatch(s.match, alert.labels)),
  )

/** Labels that commonly name the service an alert is about, in the order they are trusted. */
export const SERVICE_LABELS = ['service', 'app', 'application', 'component', 'job', 'dimension.ServiceName', 'custom_details.service', 'annotations.service']

export interface CatalogEntry {
  id: string
  name: string
}

/** The catalog service a rule or a label names, by id or by name (any case). */
export const findService = (named: string | undefined, catalog: readonly CatalogEntry[]): string | undefined => {
  if (!named) return undefined
  const wanted = named.trim().toLowerCase()
  return (catalog.find((s) => s.id.toLowerCase() === wanted) ?? catalog.find((s) => s.name.toLowerCase() === wanted))?.id
}

/** What the alert's rules (or the defaults) say: act how, at what severity, about which service. */
export interface Classification {
  action: AlertAction
  severity: Severity
  serviceId?: string
  /** The rule that decided (its index), or none: the defaults. */
  rule?: number
}

export const DEFAULT_DECLARE: Severity = 'SEV-2'
const DEFAULT_TRIAGE: Severity = 'SEV-3'

/**
 * The defaults with no rule: a CloudWatch alarm, an Events v2 critical or
 * error, an Alertmanager or Grafana alert labelled critical declare a SEV-2;
 * everything else waits in triage.
 */
const declaresByDefault = (alert: Routable): boolean => {
  if (alert.state !== 'firing') return false
  if (alert.source === 'cloudwatch') return true
  if (alert.source === 'pagerduty') return alert.severity === 'critical' || alert.severity === 'error'
  return (alert.labels.severity ?? '').toLowerCase() === 'critical'
}

/** declaresByDefault in words, for the IC writing rules: what an integration does with an alert no rule matches. */
export const DEFAULT_ROUTING: Record<AlertSource, string> = {
  cloudwatch: `an alarm going to ALARM declares a ${DEFAULT_DECLARE}; INSUFFICIENT_DATA waits in the inbox`,
  pagerduty: `a critical or error event declares a ${DEFAULT_DECLARE}; warning and info wait in the inbox`,
  alertmanager: `an alert labelled severity=critical declares a ${DEFAULT_DECLARE}; everything else waits in the inbox`,
  grafana: `an alert labelled severity=critical declares a ${DEFAULT_DECLARE}; everything else waits in the inbox`,
}

export const classify = (alert: Routable, rules: readonly AlertRule[], catalog: readonly CatalogEntry[]): Classification => {
  const index = rules.findIndex((r) => labelsMatch(r.match, alert.labels))
  const rule = index === -1 ? undefined : rules[index]!
  const named = findService(rule?.service, catalog) ?? SERVICE_LABELS.map((l) => findService(alert.labels[l], catalog)).find((id) => id !== undefined)
  // Only a firing alert opens an incident; CloudWatch's INSUFFICIENT_DATA is shown, in triage.
  const action: AlertAction = alert.state !== 'firing' ? 'triage' : (rule?.action ?? (declaresByDefault(alert) ? 'declare' : 'triage'))
  return {
    action,
    severity: rule?.severity ?? (action === 'declare' ? DEFAULT_DECLARE : DEFAULT_TRIAGE),
    ...(named ? { serviceId: named } : {}),
    ...(rule ? { rule: index } : {}),
  }
}

/** A running incident as routing sees it. */
export interface RunningIncident {
  id: string
  /** Services down or impacted on its board, and those its alerts are about. */
  services: ReadonlySet<string>
}

/** An alert recently routed into an incident: later ones of its group or service follow it there. */
export interface RecentRouting {
  integrationId: string
  incidentId: string
  groupKey?: string
  serviceId?: string
  at: number
}

export type Route =
  | { kind: 'silenced'; silenceId: string }
  | { kind: 'attach'; incidentId: string; because: 'service' | 'group' }
  | { kind: 'declare'; severity: Severity; serviceId?: string; title: string }
  | { kind: 'triage'; severity: Severity; serviceId?: string }

export interface RoutingContext {
  silences: readonly Silence[]
  running: readonly RunningIncident[]
  /** Newest last. */
  recent: readonly RecentRouting[]
  /** The integration's grouping window. */
  windowMs: number
  now: number
  /** The catalog service's name for a declared incident's title. */
  serviceName: (id: string) => string | undefined
}

/**
 * The route of a new alert (`alert.groupKey`: its batch's), in this order: a
 * silence holds it out; an incident already working on its service takes it;
 * so does the incident its group or service went to within the window; then
 * its classification declares or holds it for triage.
 */
export const routeAlert = (alert: Routable & Pick<Alert, 'groupKey'>, classification: Classification, context: RoutingContext): Route => {
  const silence = activeSilence(alert, context.silences, context.now)
  if (silence) return { kind: 'silenced', silenceId: silence.id }
  const { serviceId } = classification
  const running = serviceId === undefined ? undefined : context.running.find((i) => i.services.has(serviceId))
  if (running) return { kind: 'attach', incidentId: running.id, because: 'service' }
  const since = context.now - context.windowMs
  for (let i = context.recent.length - 1; i >= 0; i--) {
    const r = context.recent[i]!
    if (r.at < since) break
    if (r.integrationId !== alert.integrationId) continue
    if ((alert.groupKey !== undefined && r.groupKey === alert.groupKey) || (serviceId !== undefined && r.serviceId === serviceId)) {
      if (context.running.some((inc) => inc.id === r.incidentId)) return { kind: 'attach', incidentId: r.incidentId, because: 'group' }
    }
  }
  if (classification.action === 'declare') {
    const service = serviceId === undefined ? undefined : context.serviceName(serviceId)
    return {
      kind: 'declare',
      severity: classification.severity,
      ...(serviceId !== undefined ? { serviceId } : {}),
      title: clip(service && !alert.summary.toLowerCase().includes(service.toLowerCase()) ? `${service}: ${alert.summary}` : alert.summary, MAX_TITLE_LENGTH),
    }
  }
  return { kind: 'triage', severity: classification.severity, ...(serviceId !== undefined ? { serviceId } : {}) }
}

/** How an alert's severity shows on its service: the worst firing alert decides. */
export const STATUS_FOR_SEVERITY: Record<AlertSeverity, 'majorOutage' | 'partialOutage' | 'degraded' | undefined> = {
  critical: 'majorOutage',
  error: 'partialOutage',
  warning: 'degraded',
  info: undefined,
}
