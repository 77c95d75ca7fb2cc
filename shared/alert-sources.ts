// Each monitoring source's payload, as it sends it, turned into alert events
// (alerts.ts). Pure: the host does the I/O (signatures, subscription
// confirmations, storing). Every field trap listed in the fixtures' README is
// handled here: SNS's Message is JSON in a string; CloudWatch's Trigger may
// hold Metrics[] instead of a metric; Alertmanager's fingerprint is missing
// before v0.19 and a firing alert may carry a future endsAt (status decides);
// Grafana is Alertmanager's shape with version "1".
import * as v from 'valibot'
import {
  type AlertEvent,
  type AlertLink,
  AlertPayloadError,
  type AlertSeverity,
  type AlertSource,
  type AlertState,
  clip,
  labelsKey,
  sourceTime,
} from './alerts'

/** What an SNS message that is no alarm asks of the host. */
export type SnsControl =
  | { kind: 'subscribe'; subscribeUrl: string; topicArn: string; messageId: string }
  | { kind: 'unsubscribed'; topicArn: string; messageId: string }

export type Normalised = { kind: 'events'; events: AlertEvent[] } | SnsControl

const parse = <S extends v.GenericSchema>(schema: S, value: unknown, prefix = ''): v.InferOutput<S> => {
  const result = v.safeParse(schema, value)
  if (result.success) return result.output
  const issue = result.issues[0]
  const path = v.getDotPath(issue)
  throw new AlertPayloadError(`${prefix}${path ?? 'body'}`, issue.message)
}

const json = (text: string, field: string): unknown => {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new AlertPayloadError(field, `not valid JSON (${(error as Error).message.split('\n')[0]})`)
  }
}

const str = v.string()
const optionalText = v.optional(v.nullable(v.string()))
const strings = v.record(v.string(), v.unknown())

/** Label values as strings (anything else as JSON), so rules match on text. */
const asLabels = (values: Record<string, unknown>, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([name, value]) => [`${prefix}${name}`, typeof value === 'string' ? value : JSON.stringify(value)]),
  )

const link = (href: unknown, text: string): AlertLink[] => (typeof href === 'string' && /^https?:\/\//i.test(href) ? [{ href, text }] : [])

// --- CloudWatch alarms through SNS -----------------------------------------

const SnsEnvelope = v.object({
  Type: v.picklist(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'], 'must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation'),
  MessageId: v.pipe(str, v.minLength(1)),
  TopicArn: str,
  Message: str,
  SubscribeURL: v.optional(str),
})

const Dimensions = v.optional(v.nullable(v.array(v.object({ name: str, value: str }))), [])

const CloudWatchAlarm = v.object({
  AlarmName: v.pipe(str, v.minLength(1)),
  AlarmDescription: optionalText,
  AWSAccountId: v.optional(str),
  AlarmArn: v.optional(str),
  NewStateValue: v.picklist(['ALARM', 'OK', 'INSUFFICIENT_DATA'], 'must be ALARM, OK or INSUFFICIENT_DATA'),
  NewStateReason: v.optional(str, ''),
  StateChangeTime: v.optional(str),
  Region: v.optional(str),
  Trigger: v.optional(
    v.object({
      MetricName: v.optional(str),
      Namespace: v.optional(str),
      Dimensions,
      Metrics: v.optional(
        v.array(v.object({ Id: v.optional(str), MetricStat: v.optional(v.object({ Metric: v.object({ MetricName: v.optional(str), Namespace: v.optional(str), Dimensions }) })) })),
      ),
    }),
  ),
})

const CLOUDWATCH_STATES: Record<'ALARM' | 'OK' | 'INSUFFICIENT_DATA', AlertState> = { ALARM: 'firing', OK: 'resolved', INSUFFICIENT_DATA: 'insufficient' }

/** CloudWatch has no severity: an alarm is an error (a partial outage) unless a rule says otherwise. */
const CLOUDWATCH_SEVERITY: AlertSeverity = 'error'

export const normaliseCloudWatch = (body: string): Normalised => {
  const envelope = parse(SnsEnvelope, json(body, 'body'))
  if (envelope.Type === 'SubscriptionConfirmation') {
    if (!envelope.SubscribeURL) throw new AlertPayloadError('SubscribeURL', 'a subscription confirmation needs one')
    return { kind: 'subscribe', subscribeUrl: envelope.SubscribeURL, topicArn: envelope.TopicArn, messageId: envelope.MessageId }
  }
  if (envelope.Type === 'UnsubscribeConfirmation') return { kind: 'unsubscribed', topicArn: envelope.TopicArn, messageId: envelope.MessageId }
  const alarm = parse(CloudWatchAlarm, json(envelope.Message, 'Message'), 'Message.')
  // Metric-math and anomaly-detection alarms name their metric in Trigger.Metrics[].
  const metric = alarm.Trigger?.MetricName ? alarm.Trigger : alarm.Trigger?.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Metric
  const labels: Record<string, string> = {
    AlarmName: alarm.AlarmName,
    ...(alarm.AWSAccountId ? { AWSAccountId: alarm.AWSAccountId } : {}),
    ...(alarm.Region ? { Region: alarm.Region } : {}),
    ...(metric?.MetricName ? { MetricName: metric.MetricName } : {}),
    ...(metric?.Namespace ? { Namespace: metric.Namespace } : {}),
    ...Object.fromEntries((metric?.Dimensions ?? []).map((d) => [`dimension.${d.name}`, d.value])),
    TopicArn: envelope.TopicArn,
  }
  const at = sourceTime(alarm.StateChangeTime)
  return {
    kind: 'events',
    events: [
      {
        source: 'cloudwatch',
        // Not the Subject: it may name the alarm differently.
        key: alarm.AlarmArn ?? `${alarm.AWSAccountId ?? ''}:${alarm.Region ?? ''}:${alarm.AlarmName}`,
        state: CLOUDWATCH_STATES[alarm.NewStateValue],
        severity: CLOUDWATCH_SEVERITY,
        summary: clip(alarm.NewStateReason ? `${alarm.AlarmName}: ${alarm.NewStateReason}` : alarm.AlarmName),
        labels,
        links: [],
        ...(at !== undefined ? { at } : {}),
        deliveryId: envelope.MessageId,
      },
    ],
  }
}

// --- PagerDuty Events API v2 --------------------------------------------------

const EventsV2 = v.object({
  routing_key: v.optional(str),
  event_action: v.picklist(['trigger', 'acknowledge', 'resolve'], 'must be trigger, acknowledge or resolve'),
  dedup_key: v.optional(v.pipe(str, v.minLength(1), v.maxLength(255, 'is at most 255 characters'))),
  payload: v.optional(
    v.object({
      summary: v.pipe(str, v.minLength(1, 'is required'), v.maxLength(1024, 'is at most 1024 characters')),
      source: v.pipe(str, v.minLength(1, 'is required')),
      severity: v.picklist(['critical', 'error', 'warning', 'info'], 'must be critical, error, warning or info'),
      timestamp: v.optional(str),
      component: v.optional(str),
      group: v.optional(str),
      class: v.optional(str),
      custom_details: v.optional(v.unknown()),
    }),
  ),
  client: v.optional(str),
  client_url: v.optional(str),
  links: v.optional(v.array(v.object({ href: str, text: v.optional(str) }))),
})

const EVENTS_V2_STATES: Record<'trigger' | 'acknowledge' | 'resolve', AlertState> = { trigger: 'firing', acknowledge: 'acknowledged', resolve: 'resolved' }

/**
 * An Events v2 event. `newDedupKey` makes one for a trigger that brings none
 * (PagerDuty does the same and answers with it).
 */
export const normaliseEventsV2 = (body: string, newDedupKey: () => string): Normalised => {
  const event = parse(EventsV2, json(body, 'body'))
  if (event.event_action === 'trigger' && !event.payload) throw new AlertPayloadError('payload', 'a trigger needs a payload')
  if (event.event_action !== 'trigger' && !event.dedup_key) throw new AlertPayloadError('dedup_key', `an ${event.event_action} event needs the dedup_key of its alert`)
  const key = event.dedup_key ?? newDedupKey()
  const payload = event.payload
  const details = payload?.custom_details
  const labels: Record<string, string> = {
    ...(payload ? { source: payload.source } : {}),
    ...(payload?.component ? { component: payload.component } : {}),
    ...(payload?.group ? { group: payload.group } : {}),
    ...(payload?.class ? { class: payload.class } : {}),
    ...(event.client ? { client: event.client } : {}),
    ...(typeof details === 'object' && details !== null && !Array.isArray(details) ? asLabels(details as Record<string, unknown>, 'custom_details.') : {}),
  }
  const at = sourceTime(payload?.timestamp)
  return {
    kind: 'events',
    events: [
      {
        source: 'pagerduty',
        key,
        state: EVENTS_V2_STATES[event.event_action],
        severity: payload?.severity ?? 'info',
        summary: clip(payload?.summary ?? `${event.event_action} ${key}`),
        labels,
        links: [...link(event.client_url, event.client ?? 'Source'), ...(event.links ?? []).flatMap((l) => link(l.href, l.text ?? l.href))],
        ...(at !== undefined ? { at } : {}),
        ...(event.dedup_key ? { deliveryId: `${event.dedup_key}:${event.event_action}` } : {}),
      },
    ],
  }
}

// --- Prometheus Alertmanager and Grafana ------------------------------------

const BatchAlert = v.object({
  status: v.picklist(['firing', 'resolved'], 'must be firing or resolved'),
  labels: v.record(str, str),
  annotations: v.optional(v.record(str, str), {}),
  startsAt: v.optional(str),
  endsAt: v.optional(str),
  generatorURL: v.optional(str),
  fingerprint: v.optional(str),
  dashboardURL: v.optional(str),
  panelURL: v.optional(str),
  silenceURL: v.optional(str),
})

const Batch = v.object({
  version: v.optional(str),
  groupKey: v.optional(str),
  status: v.optional(str),
  externalURL: v.optional(str),
  commonLabels: v.optional(strings),
  alerts: v.pipe(v.array(BatchAlert), v.minLength(1, 'a notification carries at least one alert')),
})

const SEVERITY_LABELS: Record<string, AlertSeverity> = {
  critical: 'critical',
  page: 'critical',
  high: 'critical',
  error: 'error',
  major: 'error',
  warning: 'warning',
  warn: 'warning',
  minor: 'warning',
  info: 'info',
  informational: 'info',
  low: 'info',
  none: 'info',
}

/** Each alert of a batch is its own alert, firing and resolved ones alike: its status decides, never endsAt. */
const normaliseBatch = (source: Extract<AlertSource, 'alertmanager' | 'grafana'>, body: string): Normalised => {
  const batch = parse(Batch, json(body, 'body'))
  return {
    kind: 'events',
    events: batch.alerts.map((alert) => {
      const key = alert.fingerprint || labelsKey(alert.labels)
      const at = alert.status === 'resolved' ? sourceTime(alert.endsAt) : sourceTime(alert.startsAt)
      const annotations = alert.annotations
      return {
        source,
        key,
        state: alert.status,
        severity: SEVERITY_LABELS[(alert.labels.severity ?? '').toLowerCase()] ?? 'warning',
        summary: clip(annotations.summary || annotations.description || alert.labels.alertname || key),
        labels: { ...alert.labels, ...asLabels(annotations, 'annotations.') },
        links: [
          ...link(alert.generatorURL, 'Source'),
          ...link(alert.dashboardURL, 'Dashboard'),
          ...link(alert.panelURL, 'Panel'),
          ...link(annotations.runbook_url, 'Runbook'),
          ...link(alert.silenceURL, 'Silence'),
        ],
        ...(at !== undefined ? { at } : {}),
        deliveryId: `${key}:${alert.status}:${alert.startsAt ?? ''}`,
        ...(batch.groupKey ? { groupKey: batch.groupKey } : {}),
      }
    }),
  }
}

export const normaliseAlertmanager = (body: string): Normalised => normaliseBatch('alertmanager', body)
export const normaliseGrafana = (body: string): Normalised => normaliseBatch('grafana', body)
