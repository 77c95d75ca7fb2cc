import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCatalog } from '../../shared/catalog'
import { type Page, joinedAfter, pageStanding, readPages } from '../../shared/paging'
import { joinIncident, readPeople } from '../../shared/people'
import { addService, readServices, setServiceStatus } from '../../shared/services'
import { readTimeline } from '../../shared/timeline'
import { type TestHost, connectClient, removeDir, startTestHost, tempDir, waitFor } from './helpers/host'
import { startReceiver } from './helpers/receiver'
import { roundTrip } from './helpers/sync'

const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000001'
const BOARD_KEY = 'B0ARDKEY000000000000000000000002'
const CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations:
    pagerduty.com/integration-key: ${ROUTING_KEY}
    pagerduty.com/service-id: PSERV01
    example.com/runbook-url: https://wiki.example.com/payments/runbook
    grafana/dashboard-selector: "tags @> 'payments'"
  links:
    - url: https://runbooks.example.com/payments
      title: Runbook
      icon: docs
    - url: https://grafana.example.com/d/payments
      title: Payments dashboard
      icon: dashboard
    - url: javascript:alert(1)
      title: Not a link
spec:
  type: service
  owner: team-payments
  dependsOn: [resource:payments-db]
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: payments-db
spec:
  type: database
  owner: team-dba
`

describe('the catalog', () => {
  it('carries runbook and dashboard links (http(s) only) and knows which owners PagerDuty can page', () => {
    const { catalog, errors } = parseCatalog([{ name: 'catalog-info.yaml', text: CATALOG }])
    expect(errors).toEqual([])
    const api = catalog.services.find((s) => s.name === 'payments-api')!
    expect(api.links).toEqual([
      { title: 'Runbook', url: 'https://runbooks.example.com/payments', kind: 'docs' },
      { title: 'Payments dashboard', url: 'https://grafana.example.com/d/payments', kind: 'dashboard' },
      // A runbook annotation with an address is a link too; a dashboard selector that is no address is not.
      { title: 'Runbook', url: 'https://wiki.example.com/payments/runbook', kind: 'runbook' },
    ])
    expect(api.pagerduty).toEqual({ integrationKey: ROUTING_KEY, serviceId: 'PSERV01' })
    expect(catalog.services.find((s) => s.name === 'payments-db')!.pagerduty).toBeUndefined()
  })
})

describe('pageStanding', () => {
  const page: Page = { id: 'p1', target: 'person', personId: 'bob', name: 'Bob', route: 'webhook', destination: 'pager', by: 'iris', at: 60_000, state: 'delivered', attempts: [] }
  const people = new Map([['bob', { id: 'bob', name: 'Bob', color: '#fff', joinedAt: 240_000 }]])
  it('says how long ago, and whether and when they came', () => {
    expect(pageStanding(page, [], 300_000)).toBe('paged 4 min ago, not joined')
    expect(pageStanding(page, joinedAfter(page, people, () => undefined), 300_000)).toBe('paged 4 min ago, joined after 3 min')
    expect(pageStanding({ ...page, state: 'failed' }, [], 300_000)).toBe('page failed 4 min ago')
    // Someone who was there before the page did not come because of it.
    expect(joinedAfter({ ...page, at: 250_000 }, people, () => undefined)).toEqual([])
    // A service page is answered by anyone of the owning team.
    const servicePage: Page = { ...page, target: 'service', personId: undefined, serviceId: 's', name: 'api (team-x)', team: 'team-x' }
    expect(joinedAfter(servicePage, people, (id) => (id === 'bob' ? 'team-x' : undefined)).map((p) => p.name)).toEqual(['Bob'])
  })
})

describe('paging from the board', () => {
  let host: TestHost
  let pagerDuty: Awaited<ReturnType<typeof startReceiver>>
  let hook: Awaited<ReturnType<typeof startReceiver>>
  beforeAll(async () => {
    host = await startTestHost({ webhookRetryDelaysMs: [100, 100], allowLocalWebhooks: true })
    // PagerDuty answers 500 once (retried), then 202.
    pagerDuty = await startReceiver([500, 202], '/v2/enqueue')
    hook = await startReceiver([200])
    expect((await host.api('/api/catalog', { token: host.hostToken, body: { files: [{ name: 'catalog-info.yaml', text: CATALOG }] } })).status).toBe(200)
  })
  afterAll(async () => {
    await host.stop()
    await pagerDuty.close()
    await hook.close()
    await removeDir(host.dataDir)
  })

  const board = async () => {
    const { id, editToken, viewToken } = await host.createIncident('Payments failing', 'SEV-1')
    const client = connectClient(host.url, id, editToken, 'iris')
    await client.synced
    joinIncident(client.doc, { by: 'iris', at: Date.now() }, { name: 'Iris' })
    await roundTrip(client)
    return { id, editToken, viewToken, client }
  }

  it('pages a service owner by PagerDuty Events v2 with the join link, retries a 500, and shows the page and its delivery on the board', async () => {
    expect((await host.api('/api/settings/paging', { method: 'PUT', token: host.hostToken, body: { eventsUrl: pagerDuty.url } })).status).toBe(200)
    const { id, editToken, client } = await board()
    const api = [...readServices(client.doc).values()].find((s) => s.name === 'payments-api')!
    expect(api).toMatchObject({ pageable: true, links: [{ title: 'Runbook' }, { title: 'Payments dashboard' }, { title: 'Runbook', kind: 'runbook' }] })
    // The routing key never reaches a board.
    expect(Buffer.from(Y.encodeStateAsUpdate(client.doc)).toString('latin1')).not.toContain(ROUTING_KEY)

    const answer = await host.api(`/api/incidents/${id}/pages`, { token: editToken, body: { by: 'iris', serviceId: api.id } })
    expect(answer).toMatchObject({ status: 202, json: { pages: [{ target: 'service', name: 'payments-api (team-payments)', route: 'pagerduty', state: 'sending' }], skipped: [] } })
    await waitFor(client.doc, () => readPages(client.doc)[0]?.state === 'delivered', 5_000)
    const [page] = readPages(client.doc)
    expect(page!.attempts.map((a) => a.status)).toEqual([500, 202])
    expect(pagerDuty.received).toHaveLength(2)
    const event = JSON.parse(pagerDuty.received[1]!.body)
    const { links } = (await host.api(`/api/incidents/${id}/invites`, { token: host.hostToken })).json
    expect(event).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: `warroom/${id}/${api.id}`,
      client_url: links.edit,
      payload: { severity: 'critical', source: 'War Room', summary: 'SEV-1 Payments failing: Iris pages the owner of payments-api (team-payments) to join the War Room' },
      links: [{ href: links.edit, text: 'Join the War Room board' }],
    })
    const texts = readTimeline(client.doc).map((e) => e.text)
    expect(texts).toContain('Paged the owner of payments-api (team-payments) by PagerDuty')
    expect(texts).toContain(`Page to the owner of payments-api (team-payments) delivered (${new URL(pagerDuty.url).host})`)
    client.close()
  })

  it('pages a person of the roster by the channel chosen for pages, signed; refuses what it cannot page, changing nothing', async () => {
    const { id, editToken, viewToken, client } = await board()
    const bob = (await host.api('/api/roster', { token: host.hostToken, body: { name: 'Bob', team: 'team-dba' } })).json
    const page = (body: unknown, token = editToken) => host.api(`/api/incidents/${id}/pages`, { token, body })

    // No channel for pages yet: nothing is sent, and the answer says what to set up.
    expect(await page({ by: 'iris', personId: bob.id })).toMatchObject({ status: 409, json: { pages: [], skipped: [{ name: 'Bob', reason: expect.stringContaining('choose a channel for pages') }] } })
    const channel = (await host.api('/api/channels', { token: host.hostToken, body: { name: 'Pager relay', url: hook.url, format: 'json', audiences: ['internal'], secret: 'a-long-shared-secret' } })).json
    expect((await host.api('/api/settings/paging', { method: 'PUT', token: host.hostToken, body: { eventsUrl: pagerDuty.url, channelId: 'nope' } })).status).toBe(400)
    expect((await host.api('/api/settings/paging', { method: 'PUT', token: editToken, body: { channelId: channel.id } })).status).toBe(403)
    expect((await host.api('/api/settings/paging', { method: 'PUT', token: host.hostToken, body: { eventsUrl: pagerDuty.url, channelId: channel.id } })).status).toBe(200)

    for (const bad of [{ by: 'iris' }, { by: 'iris', personId: bob.id, serviceId: 'x' }, { by: 'iris', affected: false }, { by: 'nobody', personId: bob.id }, { by: 'iris', personId: 'unknown' }]) {
      expect((await page(bad)).status).toBeGreaterThanOrEqual(400)
    }
    expect((await page({ by: 'iris', personId: bob.id }, viewToken)).status).toBe(403)
    await roundTrip(client)
    expect(readPages(client.doc)).toEqual([])

    expect((await page({ by: 'iris', personId: bob.id })).status).toBe(202)
    await waitFor(client.doc, () => readPages(client.doc)[0]?.state === 'delivered', 5_000)
    const sent = hook.received.at(-1)!
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(sent.headers['x-warroom-signature']))!
    expect(createHmac('sha256', 'a-long-shared-secret').update(`${t}.${sent.body}`).digest('hex')).toBe(v1)
    expect(JSON.parse(sent.body)).toMatchObject({ type: 'page', page: { target: 'person', name: 'Bob', team: 'team-dba', askedBy: 'Iris' }, incident: { id, severity: 'SEV-1' } })

    // Bob opens the link: the board can tell he came after the page.
    const bobBoard = connectClient(host.url, id, editToken, bob.id)
    await bobBoard.synced
    joinIncident(bobBoard.doc, { by: bob.id, at: Date.now() }, { name: 'Bob' })
    await roundTrip(bobBoard)
    await roundTrip(client)
    const [bobPage] = readPages(client.doc)
    expect(joinedAfter(bobPage!, readPeople(client.doc), () => undefined).map((p) => p.name)).toEqual(['Bob'])
    expect(readTimeline(client.doc).map((e) => e.text)).toContain('Bob joined, 0 min after being paged')
    bobBoard.close()
    client.close()
  })

  it('pages the owners of every service that is down, once each', async () => {
    const { id, editToken, client } = await board()
    const services = [...readServices(client.doc).values()]
    const db = services.find((s) => s.name === 'payments-db')!
    const api = services.find((s) => s.name === 'payments-api')!
    setServiceStatus(client.doc, { by: 'iris', at: Date.now() }, db.id, 'majorOutage')
    setServiceStatus(client.doc, { by: 'iris', at: Date.now() }, api.id, 'degraded')
    await roundTrip(client)
    const first = await host.api(`/api/incidents/${id}/pages`, { token: editToken, body: { by: 'iris', affected: true } })
    expect(first.status).toBe(202)
    // The database has no routing key: it goes by the channel for pages; the API by PagerDuty.
    expect(first.json.pages.map((p: Page) => [p.name, p.route]).sort()).toEqual([
      ['payments-api (team-payments)', 'pagerduty'],
      ['payments-db (team-dba)', 'webhook'],
    ])
    const again = await host.api(`/api/incidents/${id}/pages`, { token: editToken, body: { by: 'iris', affected: true } })
    expect(again).toMatchObject({ status: 409, json: { pages: [], skipped: [{ reason: 'already paged' }, { reason: 'already paged' }] } })
    client.close()
  })

  it('takes a routing key set on the board for a service the catalog gives none, keeps it sealed, and pages with it', async () => {
    const { id, editToken, viewToken, client } = await board()
    const cdn = addService(client.doc, { by: 'iris', at: Date.now() }, { name: 'CDN', kind: 'component', business: false, owner: 'team-edge' })
    await roundTrip(client)
    const setKey = (integrationKey: string | null, token = editToken) => host.api(`/api/incidents/${id}/services/${encodeURIComponent(cdn)}/paging`, { method: 'PUT', token, body: { by: 'iris', integrationKey } })
    expect((await setKey('short')).status).toBe(400)
    expect((await setKey(BOARD_KEY, viewToken)).status).toBe(403)
    expect((await host.api(`/api/incidents/${id}/services/nope/paging`, { method: 'PUT', token: editToken, body: { by: 'iris', integrationKey: BOARD_KEY } })).status).toBe(404)
    expect(await setKey(BOARD_KEY)).toMatchObject({ status: 200, json: { pageable: true } })
    await waitFor(client.doc, () => readServices(client.doc).get(cdn)?.pageable === true)
    expect(readTimeline(client.doc).map((e) => e.text)).toContain('CDN: its owner is paged through PagerDuty')
    expect(Buffer.from(Y.encodeStateAsUpdate(client.doc)).toString('latin1')).not.toContain(BOARD_KEY)
    expect(await readFile(join(host.dataDir, 'warroom.json'), 'utf8')).not.toContain(BOARD_KEY)

    const before = pagerDuty.received.length
    expect((await host.api(`/api/incidents/${id}/pages`, { token: editToken, body: { by: 'iris', serviceId: cdn } })).json.pages[0]).toMatchObject({ route: 'pagerduty' })
    await waitFor(client.doc, () => readPages(client.doc).at(-1)?.state === 'delivered', 5_000)
    expect(JSON.parse(pagerDuty.received[before]!.body)).toMatchObject({ routing_key: BOARD_KEY })

    expect(await setKey(null)).toMatchObject({ status: 200, json: { pageable: false } })
    await waitFor(client.doc, () => readServices(client.doc).get(cdn)?.pageable === undefined)

    // A key set on one incident's board pages in that incident only: a responder link cannot redirect another incident's pages.
    const db = [...readServices(client.doc).values()].find((s) => s.name === 'payments-db')!
    expect((await host.api(`/api/incidents/${id}/services/${encodeURIComponent(db.id)}/paging`, { method: 'PUT', token: editToken, body: { by: 'iris', integrationKey: BOARD_KEY } })).status).toBe(200)
    const other = await board()
    const otherDb = readServices(other.client.doc).get(db.id)!
    expect(otherDb.pageable).toBeUndefined()
    const elsewhere = await host.api(`/api/incidents/${other.id}/pages`, { token: other.editToken, body: { by: 'iris', serviceId: db.id } })
    expect(elsewhere.json.pages.map((p: Page) => p.route)).not.toContain('pagerduty')
    other.client.close()
    client.close()
  })

  it('keeps the routing key out of the records file and every HTTP answer a board can read', async () => {
    expect(await readFile(join(host.dataDir, 'warroom.json'), 'utf8')).not.toContain(ROUTING_KEY)
    const { id, editToken } = await host.createIncident('Another', 'SEV-3')
    expect(JSON.stringify((await host.api(`/api/incidents/${id}`, { token: editToken })).json)).not.toContain(ROUTING_KEY)
    const catalog = await host.api('/api/catalog', { token: editToken })
    expect(catalog.status).toBe(200)
    expect(JSON.stringify(catalog.json)).not.toContain(ROUTING_KEY)
    expect(catalog.json.services.find((s: { name: string }) => s.name === 'payments-api')).toMatchObject({ pageable: true, pagerdutyServiceId: 'PSERV01' })
  })
})

describe('a page under way when the host stops', () => {
  it('is sent when it starts again, and the records no longer name the incident once it is delivered', async () => {
    const pagerDuty = await startReceiver([503, 503, 202], '/v2/enqueue')
    const dataDir = await tempDir()
    const first = await startTestHost({ dataDir, webhookRetryDelaysMs: [50, 1500], allowLocalWebhooks: true })
    try {
      await first.api('/api/catalog', { token: first.hostToken, body: { files: [{ name: 'catalog-info.yaml', text: CATALOG }] } })
      await first.api('/api/settings/paging', { method: 'PUT', token: first.hostToken, body: { eventsUrl: pagerDuty.url } })
      const { id, editToken } = await first.createIncident('Payments failing', 'SEV-1')
      const client = connectClient(first.url, id, editToken, 'iris')
      await client.synced
      joinIncident(client.doc, { by: 'iris', at: Date.now() }, { name: 'Iris' })
      await roundTrip(client)
      const api = [...readServices(client.doc).values()].find((s) => s.name === 'payments-api')!
      expect((await first.api(`/api/incidents/${id}/pages`, { token: editToken, body: { by: 'iris', serviceId: api.id } })).status).toBe(202)
      // Two 503s; the third attempt is due 1.5 s later, after the stop.
      await waitFor(client.doc, () => readPages(client.doc)[0]?.attempts.length === 2)
      client.close()
      await first.stop()
      expect(JSON.parse(await readFile(join(dataDir, 'warroom.json'), 'utf8')).pagingIncidents).toEqual([id])

      const second = await startTestHost({ dataDir, webhookRetryDelaysMs: [50, 50], allowLocalWebhooks: true })
      try {
        const reader = connectClient(second.url, id, editToken, 'reader')
        await reader.synced
        await waitFor(reader.doc, () => readPages(reader.doc)[0]?.state === 'delivered', 5_000)
        expect(readPages(reader.doc)[0]!.attempts.map((a) => a.status)).toEqual([503, 503, 202])
        expect(pagerDuty.received).toHaveLength(3)
        await expect.poll(async () => JSON.parse(await readFile(join(dataDir, 'warroom.json'), 'utf8')).pagingIncidents).toEqual([])
        reader.close()
      } finally {
        await second.stop()
      }
    } finally {
      await pagerDuty.close()
      await removeDir(dataDir)
    }
  })
})
