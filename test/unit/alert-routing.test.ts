// Routing new alerts (shared/alert-routing.ts) and what an incident's board
// makes of its alerts (shared/incident-alerts.ts).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normaliseAlertmanager, normaliseCloudWatch, normaliseEventsV2, normaliseGrafana } from '../../shared/alert-sources'
import { type AlertRule, type RoutingContext, type Silence, activeSilence, classify, formatLabelMatch, parseLabelPairs, routeAlert } from '../../shared/alert-routing'
import type { Alert, AlertEvent } from '../../shared/alerts'
import { askMitigated, dismissMitigatedPrompt, followAlerts, readAlerts, syncAlerts } from '../../shared/incident-alerts'
import { readMeta, setIncidentStatus } from '../../shared/incident'
import { addService, readServices, setServiceStatus } from '../../shared/services'
import { readTimeline } from '../../shared/timeline'
import { T0, at, declaredDoc } from './helpers/doc'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8')
const eventsOf = (normalised: ReturnType<typeof normaliseCloudWatch>): AlertEvent[] => (normalised.kind === 'events' ? normalised.events : [])

let next = 0
const alertOf = (event: AlertEvent, fields: Partial<Alert> = {}): Alert => ({
  id: `a${next++}`,
  integrationId: 'int-1',
  source: event.source,
  key: event.key,
  state: event.state,
  severity: event.severity,
  summary: event.summary,
  labels: event.labels,
  links: event.links,
  firstAt: T0,
  lastAt: T0,
  count: 1,
  ...(event.groupKey ? { groupKey: event.groupKey } : {}),
  ...fields,
})
const simple = (labels: Record<string, string>, fields: Partial<Alert> = {}): Alert =>
  alertOf({ source: 'alertmanager', key: JSON.stringify(labels), state: 'firing', severity: 'warning', summary: labels.alertname ?? 'alert', labels, links: [] }, fields)

const catalog = [
  { id: 'component:default/checkout', name: 'Checkout' },
  { id: 'component:default/search', name: 'Search' },
]
const context = (fields: Partial<RoutingContext> = {}): RoutingContext => ({
  silences: [],
  running: [],
  recent: [],
  windowMs: 5 * 60_000,
  now: T0,
  serviceName: (id) => catalog.find((s) => s.id === id)?.name,
  ...fields,
})

describe('classify: the rules in order, then the defaults', () => {
  it('declares a SEV-2 by default for a CloudWatch ALARM, an Events v2 critical or error, and an Alertmanager or Grafana critical; the rest go to triage', () => {
    const alarm = alertOf(eventsOf(normaliseCloudWatch(fixture('cloudwatch-sns-alarm-ALARM.alerta.json')))[0]!)
    expect(classify(alarm, [], catalog)).toEqual({ action: 'declare', severity: 'SEV-2' })
    const insufficient = alertOf(eventsOf(normaliseCloudWatch(fixture('cloudwatch-sns-alarm-INSUFFICIENT_DATA.alerta.json')))[0]!)
    expect(classify(insufficient, [], catalog).action).toBe('triage')
    const trigger = JSON.parse(fixture('pagerduty-events-v2-trigger.dev-docs.json')) as { payload: { severity: string } }
    for (const [severity, action] of [['critical', 'declare'], ['error', 'declare'], ['warning', 'triage'], ['info', 'triage']] as const) {
      const event = eventsOf(normaliseEventsV2(JSON.stringify({ ...trigger, payload: { ...trigger.payload, severity } }), () => 'k'))[0]!
      expect(classify(alertOf(event), [], catalog).action).toBe(action)
    }
    const batch = eventsOf(normaliseAlertmanager(fixture('alertmanager-webhook-v4-firing.json')))
    for (const event of batch) expect(classify(alertOf(event), [], catalog).action).toBe(event.labels.severity === 'critical' ? 'declare' : 'triage')
    const grafana = eventsOf(normaliseGrafana(fixture('grafana-webhook-firing.grafana-docs.json')))
    for (const event of grafana) expect(classify(alertOf(event), [], catalog).action).toBe(event.labels.severity === 'critical' ? 'declare' : 'triage')
  })

  it('takes the first rule whose labels all match ("*": any value), with its service (by id or name) and severity', () => {
    const rules: AlertRule[] = [
      { match: { team: 'payments', env: 'prod' }, service: 'Checkout', severity: 'SEV-1', action: 'declare' },
      { match: { team: '*' }, action: 'triage' },
    ]
    expect(classify(simple({ team: 'payments', env: 'prod' }), rules, catalog)).toEqual({ action: 'declare', severity: 'SEV-1', serviceId: 'component:default/checkout', rule: 0 })
    expect(classify(simple({ team: 'payments', env: 'staging', severity: 'critical' }), rules, catalog)).toEqual({ action: 'triage', severity: 'SEV-3', rule: 1 })
    expect(classify(simple({ severity: 'critical' }), rules, catalog)).toEqual({ action: 'declare', severity: 'SEV-2' })
  })

  it('finds the service a label names (service, app, component…, the CloudWatch dimension ServiceName)', () => {
    expect(classify(simple({ service: 'search' }), [], catalog).serviceId).toBe('component:default/search')
    expect(classify(simple({ app: 'component:default/checkout' }), [], catalog).serviceId).toBe('component:default/checkout')
    expect(classify(simple({ 'dimension.ServiceName': 'Checkout' }), [], catalog).serviceId).toBe('component:default/checkout')
    expect(classify(simple({ service: 'billing' }), [], catalog).serviceId).toBeUndefined()
  })
})

describe('routeAlert', () => {
  const checkout = 'component:default/checkout'
  it('attaches to a running incident that has its service down or impacted, whatever the window', () => {
    const alert = simple({ service: 'checkout', severity: 'critical' })
    const route = routeAlert(alert, classify(alert, [], catalog), context({ running: [{ id: 'inc-1', services: new Set([checkout]) }] }))
    expect(route).toEqual({ kind: 'attach', incidentId: 'inc-1', because: 'service' })
  })

  it('sends alerts of one group or one service within the window to the incident the first one went to; after the window, a new one', () => {
    const first = simple({ alertname: 'Errors', severity: 'critical' }, { groupKey: 'g1' })
    const running = [{ id: 'inc-9', services: new Set<string>() }]
    const recent = [{ integrationId: 'int-1', incidentId: 'inc-9', groupKey: 'g1', at: T0 }]
    const sameGroup = simple({ alertname: 'Latency' }, { groupKey: 'g1' })
    expect(routeAlert(sameGroup, classify(sameGroup, [], catalog), context({ running, recent, now: T0 + 60_000 }))).toEqual({ kind: 'attach', incidentId: 'inc-9', because: 'group' })
    expect(routeAlert(sameGroup, classify(sameGroup, [], catalog), context({ running, recent, now: T0 + 6 * 60_000 })).kind).toBe('triage')
    // Another integration's group of the same name is not this one.
    expect(routeAlert({ ...sameGroup, integrationId: 'int-2' }, classify(sameGroup, [], catalog), context({ running, recent, now: T0 + 60_000 })).kind).toBe('triage')
    const byService = simple({ service: 'checkout', severity: 'critical' })
    const serviceRecent = [{ integrationId: 'int-1', incidentId: 'inc-9', serviceId: checkout, at: T0 }]
    expect(routeAlert(byService, classify(byService, [], catalog), context({ running, recent: serviceRecent, now: T0 + 1000 }))).toEqual({ kind: 'attach', incidentId: 'inc-9', because: 'group' })
    // An incident no longer running takes nothing.
    expect(routeAlert(byService, classify(byService, [], catalog), context({ running: [], recent: serviceRecent, now: T0 + 1000 })).kind).toBe('declare')
    expect(first.groupKey).toBe('g1')
  })

  it('declares with a title naming the service, or holds for triage', () => {
    const alert = simple({ service: 'checkout', severity: 'critical', alertname: 'HighErrorRate' })
    expect(routeAlert(alert, classify(alert, [], catalog), context())).toEqual({ kind: 'declare', severity: 'SEV-2', serviceId: checkout, title: 'Checkout: HighErrorRate' })
    const warning = simple({ service: 'search', alertname: 'SlowQueries' })
    expect(routeAlert(warning, classify(warning, [], catalog), context())).toEqual({ kind: 'triage', severity: 'SEV-3', serviceId: 'component:default/search' })
  })

  it('holds out an alert a silence matches (by key, by labels, per integration) until the silence ends', () => {
    const alert = simple({ service: 'checkout', severity: 'critical', alertname: 'Disk' })
    const silence = (fields: Partial<Silence>): Silence => ({ id: 's1', endsAt: T0 + 60_000, createdAt: T0 - 1000, createdBy: 'ic', comment: 'maintenance', ...fields })
    expect(routeAlert(alert, classify(alert, [], catalog), context({ silences: [silence({ key: alert.key })] }))).toEqual({ kind: 'silenced', silenceId: 's1' })
    expect(activeSilence(alert, [silence({ match: { alertname: 'Disk' } })], T0)?.id).toBe('s1')
    expect(activeSilence(alert, [silence({ match: { alertname: 'Disk' } })], T0 + 60_000)).toBeUndefined()
    expect(activeSilence(alert, [silence({ match: { alertname: 'Disk' }, integrationId: 'other' })], T0)).toBeUndefined()
    expect(activeSilence(alert, [silence({ match: { alertname: 'CPU' } })], T0)).toBeUndefined()
    // A silence naming nothing silences nothing.
    expect(activeSilence(alert, [silence({})], T0)).toBeUndefined()
  })
})

describe('alerts on the board', () => {
  const setup = () => {
    const doc = declaredDoc()
    const api = addService(doc, at(1), { name: 'Checkout API', kind: 'component', business: false })
    const db = addService(doc, at(1), { name: 'Orders DB', kind: 'resource', business: false })
    return { doc, api, db }
  }
  const attach = (doc: ReturnType<typeof declaredDoc>, seconds: number, ...alerts: Alert[]) => syncAlerts(doc, at(seconds, 'host'), alerts.map((alert) => ({ alert, integrationName: 'Prometheus' })))

  it('a batch attached is one timeline line; the service follows its worst firing alert; Detected is the first alert', () => {
    const { doc, api } = setup()
    const a = simple({ alertname: 'Errors' }, { severity: 'error', serviceId: api, firstAt: T0 + 5000 })
    const b = simple({ alertname: 'Latency' }, { severity: 'warning', serviceId: api, firstAt: T0 + 4000 })
    expect(attach(doc, 10, a, b)).toEqual({ attached: 2, changed: 0 })
    expect(readServices(doc).get(api)?.status).toBe('partialOutage')
    expect(readMeta(doc)?.milestones.detectedAt).toBe(T0 + 4000)
    const texts = readTimeline(doc).map((e) => e.text)
    expect(texts).toContain('2 alerts firing: Errors; Latency')
    expect(texts.some((t) => t.startsWith('Checkout API: Operational → Partial outage'))).toBe(true)
    // A repeat moves the count, silently.
    const entries = readTimeline(doc).length
    attach(doc, 20, { ...a, count: 2, lastAt: T0 + 20_000 })
    expect(readTimeline(doc)).toHaveLength(entries)
    expect(readAlerts(doc).find((x) => x.id === a.id)?.count).toBe(2)
    // A critical one makes it a major outage.
    attach(doc, 30, simple({ alertname: 'Down' }, { severity: 'critical', serviceId: api }))
    expect(readServices(doc).get(api)?.status).toBe('majorOutage')
  })

  it('marks what came through an integration that checks no signatures, so the board can say so', () => {
    const { doc, api } = setup()
    const checked = simple({ alertname: 'Checked' }, { serviceId: api })
    const unchecked = simple({ alertname: 'Unchecked' }, { serviceId: api })
    syncAlerts(doc, at(10, 'host'), [
      { alert: checked, integrationName: 'cloudwatch prod' },
      { alert: unchecked, integrationName: 'cloudwatch lab', unverified: true },
    ])
    const byId = new Map(readAlerts(doc).map((a) => [a.id, a]))
    expect(byId.get(checked.id)?.unverified).toBeUndefined()
    expect(byId.get(unchecked.id)).toMatchObject({ integrationName: 'cloudwatch lab', unverified: true })
  })

  it('resolving returns the service to operational only when nothing else fires on it, then asks the IC about mitigation', () => {
    const { doc, api } = setup()
    const a = simple({ alertname: 'Errors' }, { severity: 'critical', serviceId: api })
    const b = simple({ alertname: 'Latency' }, { severity: 'warning', serviceId: api })
    attach(doc, 10, a, b)
    attach(doc, 20, { ...a, state: 'resolved', resolvedAt: T0 + 20_000 })
    expect(readServices(doc).get(api)?.status).toBe('degraded')
    expect(askMitigated(doc)).toBe(false)
    attach(doc, 30, { ...b, state: 'resolved', resolvedAt: T0 + 30_000 })
    expect(readServices(doc).get(api)?.status).toBe('operational')
    expect(readTimeline(doc).map((e) => e.text)).toContain('Alert resolved: Latency (Alertmanager)')
    // Never resolved by itself: the IC is asked.
    expect(readMeta(doc)?.status).toBe('investigating')
    expect(askMitigated(doc)).toBe(true)
    dismissMitigatedPrompt(doc, at(31))
    expect(askMitigated(doc)).toBe(false)
    // A later firing and resolve asks again.
    const c = simple({ alertname: 'Again' }, { severity: 'critical', serviceId: api })
    attach(doc, 40, c)
    attach(doc, 50, { ...c, state: 'resolved', resolvedAt: T0 + 50_000 })
    expect(askMitigated(doc)).toBe(true)
    setIncidentStatus(doc, at(51), 'monitoring')
    expect(askMitigated(doc)).toBe(false)
  })

  it('INSUFFICIENT_DATA is shown but is neither firing nor resolved', () => {
    const { doc, api } = setup()
    const a = simple({ alertname: 'Errors' }, { severity: 'error', serviceId: api })
    attach(doc, 10, a)
    attach(doc, 20, { ...a, state: 'insufficient' })
    expect(readAlerts(doc)[0]?.state).toBe('insufficient')
    expect(readTimeline(doc).map((e) => e.text)).toContain('Alert with insufficient data: Errors (Alertmanager)')
    expect(askMitigated(doc)).toBe(false)
  })

  it('a status the IC set by hand stands against alerts until the IC lets the alerts decide again', () => {
    const { doc, api, db } = setup()
    setServiceStatus(doc, at(5), api, 'degraded')
    const a = simple({ alertname: 'Errors' }, { severity: 'critical', serviceId: api })
    attach(doc, 10, a)
    expect(readServices(doc).get(api)).toMatchObject({ status: 'degraded', statusPinned: true })
    attach(doc, 20, { ...a, state: 'resolved', resolvedAt: T0 + 20_000 })
    expect(readServices(doc).get(api)?.status).toBe('degraded')
    followAlerts(doc, at(30), api)
    expect(readServices(doc).get(api)).toMatchObject({ status: 'operational', statusPinned: false })
    expect(readTimeline(doc).map((e) => e.text)).toContain('Checkout API: status follows its alerts again')
    // Another service was never touched.
    expect(readServices(doc).get(db)?.status).toBe('operational')
  })

  it('an alert for a service not on the board changes no service; the firing list comes first', () => {
    const { doc } = setup()
    const resolved = simple({ alertname: 'Old' }, { state: 'resolved', resolvedAt: T0, lastAt: T0 + 99_000 })
    const firing = simple({ alertname: 'New' }, { serviceId: 'component:default/elsewhere', lastAt: T0 })
    attach(doc, 10, resolved, firing)
    expect(readAlerts(doc).map((a) => a.summary)).toEqual(['New', 'Old'])
    expect([...readServices(doc).values()].every((s) => s.status === 'operational')).toBe(true)
  })
})

describe('labels to match, as the IC types them', () => {
  it('reads name=value pairs one per line or comma separated, trimmed, blank lines skipped', () => {
    expect(parseLabelPairs('alertname=QueueBacklog\n\n  env = prod , team=orders\n')).toEqual({ match: { alertname: 'QueueBacklog', env: 'prod', team: 'orders' } })
    expect(parseLabelPairs('severity=*')).toEqual({ match: { severity: '*' } })
    // An = in a value stays in the value.
    expect(parseLabelPairs('expr=a==b')).toEqual({ match: { expr: 'a==b' } })
  })

  it('says what is wrong instead of matching something else', () => {
    expect(parseLabelPairs('  \n, ')).toEqual({ error: 'Give at least one label to match, as name=value.' })
    expect(parseLabelPairs('alertname=X, prod')).toEqual({ error: '“prod” is not name=value.' })
    expect(parseLabelPairs('=prod')).toEqual({ error: '“=prod” has no label name before the =.' })
    expect(parseLabelPairs('env=')).toEqual({ error: 'env has no value: give one, or * for any value.' })
    expect(parseLabelPairs('env=prod, env=staging')).toEqual({ error: 'env is given twice.' })
    expect(parseLabelPairs('env=prod*')).toEqual({ error: 'env=prod*: * matches any value only on its own (env=*); it is not a wildcard inside a value.' })
    expect(parseLabelPairs(`env=${'x'.repeat(201)}`)).toEqual({ error: 'env: a value is at most 200 characters.' })
    expect(parseLabelPairs(Array.from({ length: 21 }, (_, i) => `l${i}=v`).join(','))).toEqual({ error: 'At most 20 labels to match.' })
  })

  it('what it reads is what routing matches, and reads back as typed', () => {
    const parsed = parseLabelPairs('alertname=QueueBacklog, env=*')
    expect(parsed).toEqual({ match: { alertname: 'QueueBacklog', env: '*' } })
    if (!('match' in parsed)) throw new Error('no match')
    expect(formatLabelMatch(parsed.match)).toBe('alertname=QueueBacklog, env=*')
    const [event] = eventsOf(normaliseAlertmanager(fixture('alertmanager-webhook-v4-firing.json')))
    const alert = alertOf(event!, { labels: { ...event!.labels, alertname: 'QueueBacklog', env: 'prod' } })
    expect(classify(alert, [{ match: parsed.match, action: 'triage' }], []).rule).toBe(0)
    expect(classify({ ...alert, labels: { alertname: 'QueueBacklog' } }, [{ match: parsed.match, action: 'triage' }], []).rule).toBeUndefined()
  })
})
