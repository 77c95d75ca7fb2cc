// The alerts attached to an incident, on its board. The host is the only
// writer: it brings the board in line with the alerts it holds (`syncAlerts`),
// which writes the timeline, lets each service's status follow its firing
// alerts unless someone set that status by hand, and sets Detected from the
// first alert. Whether to call the incident mitigated stays the IC's decision.
import * as Y from 'yjs'
import { ALERT_SEVERITIES, ALERT_SOURCES, ALERT_STATES, type Alert, type AlertSeverity, type AlertSource, type AlertState, clip } from './alerts'
import { STATUS_FOR_SEVERITY } from './alert-routing'
import { MILESTONE_LABELS, readMeta } from './incident'
import { plural } from './plural'
import { type Change, alertsMap, isObject, metaMap } from './schema'
import { type Service, type ServiceStatus, readServices, writeServiceStatus } from './services'
import { appendEvent } from './timeline'

export const SOURCE_LABELS: Record<AlertSource, string> = {
  cloudwatch: 'CloudWatch',
  pagerduty: 'Events API',
  alertmanager: 'Alertmanager',
  grafana: 'Grafana',
}

/** An alert as the board shows it. */
export interface BoardAlert {
  id: string
  integrationName: string
  /** Came through an integration that does not check signatures: anyone who knows its address could have sent it. */
  unverified?: boolean
  source: AlertSource
  key: string
  state: AlertState
  severity: AlertSeverity
  summary: string
  serviceId?: string
  labels: Record<string, string>
  links: Array<{ href: string; text: string }>
  firstAt: number
  lastAt: number
  resolvedAt?: number
  count: number
}

/** Still something to act on: firing, or acknowledged at the source but not over. */
export const isActive = (state: AlertState): boolean => state === 'firing' || state === 'acknowledged'

const STATE_ORDER: Record<AlertState, number> = { firing: 0, acknowledged: 1, insufficient: 2, resolved: 3 }
const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, error: 1, warning: 2, info: 3 }

/** Labels kept on the board: enough to recognise the alert, never a payload's bulk. */
const MAX_LABELS = 30
const MAX_LABEL_LENGTH = 200

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value)
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

const readAlert = (id: string, value: unknown): BoardAlert | undefined => {
  if (!isObject(value) || !isOneOf(ALERT_SOURCES, value.source) || !finite(value.firstAt) || !finite(value.lastAt)) return undefined
  const labels: Record<string, string> = {}
  if (isObject(value.labels)) for (const [name, text] of Object.entries(value.labels)) if (typeof text === 'string') labels[name] = text
  const links = Array.isArray(value.links)
    ? value.links.filter((l): l is { href: string; text: string } => isObject(l) && typeof l.href === 'string' && /^https?:\/\//i.test(l.href) && typeof l.text === 'string')
    : []
  return {
    id,
    integrationName: typeof value.integrationName === 'string' ? value.integrationName : SOURCE_LABELS[value.source],
    ...(value.unverified === true ? { unverified: true } : {}),
    source: value.source,
    key: typeof value.key === 'string' ? value.key : id,
    state: isOneOf(ALERT_STATES, value.state) ? value.state : 'firing',
    severity: isOneOf(ALERT_SEVERITIES, value.severity) ? value.severity : 'warning',
    summary: typeof value.summary === 'string' ? value.summary : '',
    ...(typeof value.serviceId === 'string' ? { serviceId: value.serviceId } : {}),
    labels,
    links,
    firstAt: value.firstAt,
    lastAt: value.lastAt,
    ...(finite(value.resolvedAt) ? { resolvedAt: value.resolvedAt } : {}),
    count: finite(value.count) ? value.count : 1,
  }
}

/** Firing first, the worst first, then the most recent. */
export const readAlerts = (doc: Y.Doc): BoardAlert[] => {
  const alerts: BoardAlert[] = []
  alertsMap(doc).forEach((value, id) => {
    const alert = readAlert(id, value)
    if (alert) alerts.push(alert)
  })
  return alerts.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.lastAt - a.lastAt || a.id.localeCompare(b.id))
}

/** Where an alert came through, as the board names it. */
export interface AlertOrigin {
  integrationName: string
  unverified?: boolean
}

/** What the board stores for one alert. */
const record = (alert: Alert, { integrationName, unverified }: AlertOrigin): Omit<BoardAlert, 'id'> => ({
  integrationName,
  ...(unverified ? { unverified: true } : {}),
  source: alert.source,
  key: alert.key,
  state: alert.state,
  severity: alert.severity,
  summary: alert.summary,
  ...(alert.serviceId !== undefined ? { serviceId: alert.serviceId } : {}),
  labels: Object.fromEntries(
    Object.entries(alert.labels)
      .slice(0, MAX_LABELS)
      .map(([name, text]) => [name, clip(text, MAX_LABEL_LENGTH)]),
  ),
  links: alert.links,
  firstAt: alert.firstAt,
  lastAt: alert.lastAt,
  ...(alert.resolvedAt !== undefined ? { resolvedAt: alert.resolvedAt } : {}),
  count: alert.count,
})

/** The status a service's alerts call for: the worst active one decides; none, operational. */
export const statusFromAlerts = (alerts: readonly Pick<BoardAlert, 'state' | 'severity' | 'serviceId'>[], serviceId: string): ServiceStatus | undefined => {
  let worst: AlertSeverity | undefined
  for (const a of alerts) {
    if (a.serviceId !== serviceId || !isActive(a.state) || STATUS_FOR_SEVERITY[a.severity] === undefined) continue
    if (worst === undefined || SEVERITY_ORDER[a.severity] < SEVERITY_ORDER[worst]) worst = a.severity
  }
  return worst === undefined ? 'operational' : STATUS_FOR_SEVERITY[worst]
}

type AlertStanding = Pick<BoardAlert, 'state' | 'severity' | 'serviceId'>

/**
 * What a service's status follows, for these services only: in a storm an
 * incident holds thousands of alerts, and reading every one whole (labels,
 * links) on every batch kept the host busy enough to slow every board.
 */
const statesOf = (doc: Y.Doc, serviceIds: ReadonlySet<string>): AlertStanding[] => {
  const standings: AlertStanding[] = []
  alertsMap(doc).forEach((value) => {
    if (!isObject(value) || typeof value.serviceId !== 'string' || !serviceIds.has(value.serviceId)) return
    // The same checks and defaults as readAlert, without reading labels and links.
    if (!isOneOf(ALERT_SOURCES, value.source) || !finite(value.firstAt) || !finite(value.lastAt)) return
    standings.push({
      state: isOneOf(ALERT_STATES, value.state) ? value.state : 'firing',
      severity: isOneOf(ALERT_SEVERITIES, value.severity) ? value.severity : 'warning',
      serviceId: value.serviceId,
    })
  })
  return standings
}

const follow = (doc: Y.Doc, change: Change, service: Service, alerts: readonly AlertStanding[]): void => {
  const status = statusFromAlerts(alerts, service.id)
  if (status === undefined || service.statusPinned || status === service.status) return
  writeServiceStatus(doc, change, service, status, false, status === 'operational' ? ' (its alerts resolved)' : ' (following its alerts)')
}

const WORDS: Record<AlertState, string> = { firing: 'firing', acknowledged: 'acknowledged at the source', insufficient: 'with insufficient data', resolved: 'resolved' }
/** How many summaries one timeline entry names before "and N more". */
const NAMED = 3

const describe = (alerts: readonly Alert[], state: AlertState): string => {
  const named = alerts.slice(0, NAMED).map((a) => a.summary)
  const more = alerts.length > NAMED ? ` and ${alerts.length - NAMED} more` : ''
  return alerts.length === 1
    ? `Alert ${WORDS[state]}: ${named[0]} (${SOURCE_LABELS[alerts[0]!.source]})`
    : `${plural(alerts.length, 'alert')} ${WORDS[state]}: ${named.join('; ')}${more}`
}

export interface AlertSyncResult {
  attached: number
  changed: number
}

/**
 * Bring the board in line with the host's alerts for this incident. New
 * alerts and changes of state each get one timeline entry per state (a batch
 * of forty is one line, not forty); a repeat only moves its count and last
 * seen. Services follow their alerts unless pinned; Detected becomes the
 * first alert's time when that is earlier.
 */
export const syncAlerts = (doc: Y.Doc, change: Change, alerts: ReadonlyArray<{ alert: Alert } & AlertOrigin>): AlertSyncResult => {
  const map = alertsMap(doc)
  const attached: Alert[] = []
  const changed = new Map<AlertState, Alert[]>()
  const touched = new Set<string>()
  doc.transact(() => {
    for (const { alert, ...origin } of alerts) {
      const before = readAlert(alert.id, map.get(alert.id))
      if (before && before.state === alert.state && before.count === alert.count && before.lastAt === alert.lastAt) continue
      map.set(alert.id, record(alert, origin))
      if (alert.serviceId !== undefined) touched.add(alert.serviceId)
      if (before?.serviceId !== undefined) touched.add(before.serviceId)
      if (!before) attached.push(alert)
      else if (before.state !== alert.state) changed.set(alert.state, [...(changed.get(alert.state) ?? []), alert])
    }
    const byState = new Map<AlertState, Alert[]>()
    for (const alert of attached) byState.set(alert.state, [...(byState.get(alert.state) ?? []), alert])
    for (const [state, list] of byState) {
      appendEvent(doc, change, { type: 'alerts.attached', state, count: list.length, alertId: list[0]!.id }, describe(list, state), {
        alertId: list[0]!.id,
        ...(list[0]!.serviceId !== undefined ? { serviceId: list[0]!.serviceId } : {}),
      })
    }
    for (const [state, list] of changed) {
      appendEvent(doc, change, { type: 'alerts.changed', state, count: list.length, alertId: list[0]!.id }, describe(list, state), {
        alertId: list[0]!.id,
        ...(list[0]!.serviceId !== undefined ? { serviceId: list[0]!.serviceId } : {}),
      })
    }
    if (touched.size > 0) {
      const onBoard = statesOf(doc, touched)
      const services = readServices(doc)
      for (const id of touched) {
        const service = services.get(id)
        if (service) follow(doc, change, service, onBoard)
      }
    }
    const firstFired = Math.min(...attached.filter((a) => a.state !== 'resolved').map((a) => a.firstAt))
    const detectedAt = readMeta(doc)?.milestones.detectedAt
    if (Number.isFinite(firstFired) && (detectedAt === undefined || firstFired < detectedAt)) {
      metaMap(doc).set('detectedAt', firstFired)
      appendEvent(doc, change, { type: 'milestone.set', milestone: 'detectedAt', at: firstFired }, `${MILESTONE_LABELS.detectedAt} time set from the first alert`)
    }
  })
  return { attached: attached.length, changed: [...changed.values()].reduce((n, l) => n + l.length, 0) }
}

/** Someone lets a pinned service's status follow its alerts again; it takes their status at once. */
export const followAlerts = (doc: Y.Doc, change: Change, serviceId: string): void => {
  const service = readServices(doc).get(serviceId)
  if (!service || !service.statusPinned) return
  doc.transact(() => {
    writeServiceStatus(doc, change, service, service.status, false)
    appendEvent(doc, change, { type: 'service.followsAlerts', serviceId }, `${service.name}: status follows its alerts again`, { serviceId })
    follow(doc, change, { ...service, statusPinned: false }, readAlerts(doc))
  })
}

/**
 * "All alerts resolved: mark mitigated?": every alert of the incident is
 * resolved, the incident is not yet mitigated, and nobody answered "not yet"
 * since the last one resolved.
 */
export const askMitigated = (doc: Y.Doc): boolean => {
  const meta = readMeta(doc)
  const alerts = readAlerts(doc)
  if (!meta || alerts.length === 0 || meta.milestones.mitigatedAt !== undefined) return false
  if (meta.status !== 'investigating' && meta.status !== 'identified') return false
  if (alerts.some((a) => a.state !== 'resolved')) return false
  const lastResolved = Math.max(...alerts.map((a) => a.resolvedAt ?? a.lastAt))
  const dismissed = metaMap(doc).get('mitigationPromptDismissedAt')
  return !(typeof dismissed === 'number' && dismissed >= lastResolved)
}

/** The IC answers "not yet": asked again only when alerts resolve after this. */
export const dismissMitigatedPrompt = (doc: Y.Doc, change: Change): void => {
  doc.transact(() => {
    metaMap(doc).set('mitigationPromptDismissedAt', change.at)
    appendEvent(doc, change, { type: 'alerts.mitigationDeclined' }, 'All alerts resolved; the IC keeps the incident open as it is')
  })
}

/** "3 firing · 1 no data · 2 resolved": what the pane's heading and tab say. */
export const alertTally = (alerts: readonly BoardAlert[]): { firing: number; summary: string } => {
  const count = (state: AlertState): number => alerts.filter((a) => a.state === state).length
  const parts = [
    [count('firing'), 'firing'],
    [count('acknowledged'), 'acknowledged'],
    [count('insufficient'), 'no data'],
    [count('resolved'), 'resolved'],
  ] as const
  return { firing: count('firing'), summary: parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`).join(' · ') }
}
