// One alert model for every monitoring source. A payload becomes alert events
// (alert-sources.ts); the host applies them to alerts, which keep their whole
// history in a few fields: when first and last seen, how often, and whether
// they are firing, acknowledged or resolved.

import * as v from 'valibot'

export const ALERT_SOURCES = ['cloudwatch', 'pagerduty', 'alertmanager', 'grafana'] as const
export type AlertSource = (typeof ALERT_SOURCES)[number]

/** `insufficient`: CloudWatch's INSUFFICIENT_DATA: shown, never taken for resolved. */
export const ALERT_STATES = ['firing', 'acknowledged', 'insufficient', 'resolved'] as const
export type AlertState = (typeof ALERT_STATES)[number]

export const ALERT_ROUTES = ['incident', 'triage', 'silenced'] as const
export type AlertRoute = (typeof ALERT_ROUTES)[number]

/** PagerDuty's four, which every source maps onto. */
export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number]

/** What one payload says about one alert. */
export interface AlertEvent {
  source: AlertSource
  /** The alert's identity within its integration (fingerprint, dedup key, alarm ARN). */
  key: string
  state: AlertState
  severity: AlertSeverity
  summary: string
  /** Everything to match rules on: labels, dimensions, fields; all strings. */
  labels: Record<string, string>
  links: AlertLink[]
  /** Source time of the event (alarm state change, alert start or end), epoch ms, when it gives one. */
  at?: number
  /**
   * The same delivery sent again (a retry) carries the same id: SNS MessageId,
   * Events v2 dedup key + action, Alertmanager/Grafana fingerprint + status + start.
   */
  deliveryId?: string
  /** Alerts of one Alertmanager or Grafana notification share it: they belong together. */
  groupKey?: string
}

const LinkSchema = v.object({ href: v.string(), text: v.string() })
export type AlertLink = v.InferOutput<typeof LinkSchema>

/** An alert as the host keeps it and the API answers it (`GET /api/alerts`); times are host times. */
export const AlertSchema = v.object({
  id: v.string(),
  integrationId: v.string(),
  source: v.picklist(ALERT_SOURCES),
  key: v.string(),
  state: v.picklist(ALERT_STATES),
  severity: v.picklist(ALERT_SEVERITIES),
  summary: v.string(),
  labels: v.record(v.string(), v.string()),
  links: v.array(LinkSchema),
  firstAt: v.number(),
  lastAt: v.number(),
  resolvedAt: v.optional(v.number()),
  count: v.number(),
  /** Its batch's grouping key (Alertmanager, Grafana). */
  groupKey: v.optional(v.string()),
  serviceId: v.optional(v.string()),
  incidentId: v.optional(v.string()),
  /** Where routing put it when it first fired: an incident, the triage inbox, or held out by a silence. */
  route: v.optional(v.picklist(ALERT_ROUTES)),
  silenceId: v.optional(v.string()),
})
export type Alert = v.InferOutput<typeof AlertSchema>

/** A payload that is not what its source sends: the field, and what is wrong. */
export class AlertPayloadError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`)
  }
}

/** Short enough for a board line and a timeline entry. */
export const MAX_SUMMARY_LENGTH = 1024

export const clip = (text: string, max = MAX_SUMMARY_LENGTH): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/**
 * A source's timestamp as epoch ms: ISO 8601 with any fraction, `Z` or an
 * offset with or without a colon (CloudWatch's `+0000`). Go's zero time
 * (`0001-01-01T00:00:00Z`, Alertmanager's "no end yet") and nonsense are none.
 */
export const sourceTime = (value: unknown): number | undefined => {
  if (typeof value !== 'string') return undefined
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(value.trim())
  if (!match) return undefined
  const [, base, fraction = '', zone = 'Z'] = match
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`
  const at = Date.parse(`${base}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`)
  return Number.isFinite(at) && at > Date.UTC(1971, 0, 1) ? at : undefined
}

/**
 * A stable identity for a set of labels (an Alertmanager alert without a
 * fingerprint): FNV-1a over the sorted `name=value` lines, 64 bits as hex.
 */
export const labelsKey = (labels: Record<string, string>): string => {
  const text = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}\n`)
    .join('')
  let high = 0xcbf29ce4
  let low = 0x84222325
  for (let i = 0; i < text.length; i++) {
    low ^= text.charCodeAt(i)
    // Multiply the 64-bit value by the FNV prime 0x100000001b3, in 32-bit halves.
    const lowProduct = low * 0x1b3
    const carry = Math.floor(lowProduct / 0x100000000)
    high = (Math.imul(high, 0x1b3) + Math.imul(low, 0x100) + carry) >>> 0
    low = lowProduct >>> 0
  }
  return `${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`
}
