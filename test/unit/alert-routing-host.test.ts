// Alerts routed by the host: declared into incidents, grouped, held for
// triage, silenced; the incident's board follows them; the inbox's actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { askMitigated, readAlerts } from '../../shared/incident-alerts'
import { readMeta } from '../../shared/incident'
import { readServices } from '../../shared/services'
import { readTimeline } from '../../shared/timeline'
import { type TestHost, connectClient, removeDir, startTestHost, waitFor } from './helpers/host'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost({ intakeRate: { rate: 1000, burst: 5000 } })
  const catalog = {
    services: [
      { id: 'checkout', name: 'Checkout', kind: 'system', dependsOn: ['payments-api'] },
      { id: 'payments-api', name: 'Payments API', dependsOn: ['orders-db'] },
      { id: 'orders-db', name: 'Orders DB', kind: 'resource' },
      { id: 'search', name: 'Search' },
      ...Array.from({ length: 50 }, (_, i) => ({ id: `svc-${i}`, name: `Service ${i}` })),
    ],
  }
  expect((await host.api('/api/catalog?name=catalog.json', { token: host.hostToken, body: catalog })).status).toBe(200)
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

interface Labels {
  [name: string]: string
}
const batch = (status: 'firing' | 'resolved', groupKey: string, ...alerts: Labels[]) =>
  JSON.stringify({
    version: '4',
    status,
    receiver: 'warroom',
    groupKey,
    alerts: alerts.map((labels) => ({ status, labels, annotations: { summary: `${labels.alertname} on ${labels.service ?? 'nothing'}` }, startsAt: '2026-11-27T10:00:00Z', fingerprint: `${groupKey}/${labels.alertname}/${labels.service ?? ''}` })),
  })
const integration = async (name: string, extra: Record<string, unknown> = {}): Promise<{ id: string; url: string }> =>
  (await host.api('/api/integrations', { token: host.hostToken, body: { name, kind: 'alertmanager', ...extra } })).json
const send = async (url: string, body: string) => {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
  expect(response.status).toBe(200)
}
interface ApiAlert {
  id: string
  summary: string
  state: string
  incidentId?: string
  route?: string
  serviceId?: string
}
const alerts = async (query = ''): Promise<ApiAlert[]> => (await host.api(`/api/alerts${query}`, { token: host.hostToken })).json.alerts
const incidents = async (): Promise<Array<{ id: string; title: string; severity: string }>> => (await host.api('/api/incidents', { token: host.hostToken })).json.incidents
const editTokenOf = async (id: string): Promise<string> => (await host.api(`/api/incidents/${id}/invites`, { token: host.hostToken })).json.editToken

describe('a critical Alertmanager batch', () => {
  it('declares one SEV-2 incident named for its service; the board shows the alerts, the service down and Detected; a resolved batch returns it to operational and asks the IC', async () => {
    const { url } = await integration('prometheus')
    const before = (await incidents()).length
    await send(url, batch('firing', 'g-checkout', { alertname: 'HighErrorRate', service: 'payments-api', severity: 'critical' }, { alertname: 'HighLatency', service: 'payments-api', severity: 'warning' }))
    const list = await incidents()
    expect(list).toHaveLength(before + 1)
    const declared = list.find((i) => i.title === 'Payments API: HighErrorRate on payments-api')!
    expect(declared.severity).toBe('SEV-2')
    const routed = (await alerts()).filter((a) => a.summary.endsWith('on payments-api'))
    expect(routed.map((a) => a.incidentId)).toEqual([declared.id, declared.id])
    expect(routed.every((a) => a.route === 'incident' && a.serviceId === 'payments-api')).toBe(true)

    const board = connectClient(host.url, declared.id, await editTokenOf(declared.id), 'ic')
    await board.synced
    await waitFor(board.doc, () => readAlerts(board.doc).length === 2)
    expect(readServices(board.doc).get('payments-api')?.status).toBe('majorOutage')
    expect(readMeta(board.doc)?.milestones.detectedAt).toBeDefined()
    const texts = readTimeline(board.doc).map((e) => e.text)
    expect(texts).toContain('Declared by an alert from prometheus')
    expect(texts.some((t) => t.startsWith('2 alerts firing: HighErrorRate on payments-api; HighLatency on payments-api'))).toBe(true)

    await send(url, batch('resolved', 'g-checkout', { alertname: 'HighErrorRate', service: 'payments-api', severity: 'critical' }, { alertname: 'HighLatency', service: 'payments-api', severity: 'warning' }))
    await waitFor(board.doc, () => readServices(board.doc).get('payments-api')?.status === 'operational')
    expect(readAlerts(board.doc).every((a) => a.state === 'resolved')).toBe(true)
    expect(askMitigated(board.doc)).toBe(true)
    expect(readMeta(board.doc)?.status).toBe('investigating')
    board.close()
  })
})

describe('grouping', () => {
  it('sends a later alert of the same group, and one for a service the incident has down or impacted, to that incident', async () => {
    const { url } = await integration('grouping')
    await send(url, batch('firing', 'g-orders', { alertname: 'DiskFull', service: 'orders-db', severity: 'critical' }))
    const first = (await alerts()).find((a) => a.summary === 'DiskFull on orders-db')!
    const board = connectClient(host.url, first.incidentId!, await editTokenOf(first.incidentId!), 'ic')
    await board.synced
    await waitFor(board.doc, () => readServices(board.doc).get('orders-db')?.status === 'majorOutage')
    board.close()
    // The board's impact reaches the host's records (half a second later).
    await expect.poll(() => host.records.running().find((r) => r.id === first.incidentId)?.affected).toContain('checkout')
    const before = (await incidents()).length
    await send(url, batch('firing', 'g-orders', { alertname: 'SlowQueries', severity: 'warning' }))
    // Checkout depends (through payments-api) on orders-db: impacted, so its critical alert joins too.
    const other = await integration('another team')
    await send(other.url, batch('firing', 'g-other', { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' }))
    expect(await incidents()).toHaveLength(before)
    const joined = (await alerts()).filter((a) => a.summary === 'SlowQueries on nothing' || a.summary === 'CheckoutErrors on checkout')
    expect(joined.map((a) => a.incidentId)).toEqual([first.incidentId, first.incidentId])
  })

  it('turns a storm of 1,000 critical alerts in 5 groups into 5 incidents', async () => {
    const { url } = await integration('storm')
    const before = (await incidents()).length
    for (let i = 0; i < 200; i++) {
      await Promise.all(
        Array.from({ length: 5 }, (_, g) => send(url, batch('firing', `storm-${g}`, { alertname: `Check${i}`, service: `svc-${g * 10 + (i % 10)}`, severity: 'critical' }))),
      )
    }
    const created = (await incidents()).slice(0, (await incidents()).length - before)
    expect(created).toHaveLength(5)
    const stormAlerts = (await alerts()).filter((a) => /^Check\d+ on svc-/.test(a.summary))
    expect(stormAlerts).toHaveLength(1000)
    expect(new Set(stormAlerts.map((a) => a.incidentId)).size).toBe(5)
  }, 60_000)
})

describe('triage and silences', () => {
  it('holds a warning for triage; the IC declares from it, attaches another to a running incident, and silences a third, which takes it out of the inbox', async () => {
    const { url, id } = await integration('triage')
    await send(url, batch('firing', 'g-search', { alertname: 'SlowSearch', service: 'search', severity: 'warning' }))
    await send(url, batch('firing', 'g-misc', { alertname: 'CertExpiring', severity: 'warning' }))
    await send(url, batch('firing', 'g-noise', { alertname: 'Flapping', severity: 'info', team: 'noise' }))
    const inbox = await alerts('?route=triage')
    const slow = inbox.find((a) => a.summary === 'SlowSearch on search')!
    const cert = inbox.find((a) => a.summary === 'CertExpiring on nothing')!
    const flapping = inbox.find((a) => a.summary === 'Flapping on nothing')!
    expect(slow.incidentId).toBeUndefined()

    const declared = await host.api('/api/alerts/declare', { token: host.hostToken, body: { alertIds: [slow.id], severity: 'SEV-3' } })
    expect(declared.status).toBe(201)
    expect(declared.json.links.edit).toContain(`/i/${declared.json.id}#token=`)
    expect((await incidents()).find((i) => i.id === declared.json.id)).toMatchObject({ title: 'SlowSearch on search', severity: 'SEV-3' })

    expect((await host.api('/api/alerts/attach', { token: host.hostToken, body: { alertIds: [cert.id], incidentId: declared.json.id } })).json).toEqual({ attached: 1 })
    expect((await host.api('/api/alerts/attach', { token: host.hostToken, body: { alertIds: ['nope'], incidentId: declared.json.id } })).status).toBe(404)
    const board = connectClient(host.url, declared.json.id, declared.json.editToken, 'ic')
    await board.synced
    await waitFor(board.doc, () => readAlerts(board.doc).length === 2)
    expect(readServices(board.doc).get('search')?.status).toBe('degraded')
    board.close()

    const silenced = await host.api('/api/silences', { token: host.hostToken, body: { integrationId: id, match: { team: 'noise' }, minutes: 60, comment: 'known flapping check' } })
    expect(silenced).toMatchObject({ status: 201, json: { silencedNow: 1, silence: { comment: 'known flapping check' } } })
    const inboxNow = (await alerts('?route=triage')).map((a) => a.id)
    expect(inboxNow).not.toContain(flapping.id)
    expect(inboxNow).not.toContain(slow.id)
    // A new alert the silence matches never reaches anyone, even a critical one.
    await send(url, batch('firing', 'g-noise2', { alertname: 'FlappingAgain', severity: 'critical', team: 'noise' }))
    expect((await alerts()).find((a) => a.summary === 'FlappingAgain on nothing')).toMatchObject({ route: 'silenced', silenceId: silenced.json.silence.id })
    expect((await host.api('/api/silences', { token: host.hostToken, body: { minutes: 60, comment: 'no matcher' } })).status).toBe(400)
    // Ended: the next one is routed again.
    expect((await host.api(`/api/silences/${silenced.json.silence.id}`, { token: host.hostToken, method: 'DELETE' })).status).toBe(204)
    await send(url, batch('firing', 'g-noise3', { alertname: 'FlappingThird', severity: 'warning', team: 'noise' }))
    expect((await alerts()).find((a) => a.summary === 'FlappingThird on nothing')?.route).toBe('triage')
    expect((await host.api('/api/silences', { token: host.hostToken })).json.silences[0]).toMatchObject({ id: silenced.json.silence.id, endsAt: expect.any(Number) })
  })
})

describe('changing an integration', () => {
  it('routes the next alert by its new rules; keeps its address; refuses bad rules and other tokens, changing nothing', async () => {
    const { url, id } = await integration('rules later')
    const put = (body: unknown, token = host.hostToken) => host.api(`/api/integrations/${id}`, { method: 'PUT', token, body })
    await send(url, batch('firing', 'g-before', { alertname: 'QueueBacklog', severity: 'warning' }))
    expect((await alerts()).find((a) => a.summary === 'QueueBacklog on nothing')?.route).toBe('triage')

    const { editToken } = await host.createIncident('Another', 'SEV-4')
    expect((await put({ name: 'x' }, editToken)).status).toBe(403)
    expect((await host.api('/api/integrations/nope', { method: 'PUT', token: host.hostToken, body: { name: 'x' } })).status).toBe(404)
    expect(await put({ rules: [{ match: { severity: 'warning' }, action: 'page everyone' }] })).toMatchObject({ status: 400, json: { error: expect.stringContaining('action') } })
    const changed = await put({ name: 'prometheus prod', rules: [{ match: { alertname: 'QueueBacklog' }, severity: 'SEV-3', action: 'declare' }], windowMinutes: 10 })
    expect(changed).toMatchObject({ status: 200, json: { id, name: 'prometheus prod', windowMinutes: 10, rules: [{ match: { alertname: 'QueueBacklog' }, action: 'declare' }], url } })

    await send(url, batch('firing', 'g-after', { alertname: 'QueueBacklog', severity: 'warning', shard: '2' }))
    const routed = (await alerts()).filter((a) => a.summary === 'QueueBacklog on nothing' && a.route !== 'triage')
    expect(routed).toHaveLength(1)
    expect((await incidents()).find((i) => i.id === routed[0]!.incidentId)).toMatchObject({ severity: 'SEV-3' })
  })
})
