// Drills on the host: a new incident from a recorded one, from its start or a
// moment; marked as a drill everywhere; injects fired by hand or on schedule.
import type * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TEMPLATES } from '../../shared/templates'
import { readDrill } from '../../shared/drill'
import { readMeta } from '../../shared/incident'
import { readAlerts, syncAlerts } from '../../shared/incident-alerts'
import { joinIncident, readPeople } from '../../shared/people'
import { assignRole, holderOf, readRoles } from '../../shared/roles'
import { addService, readServices, setServiceStatus } from '../../shared/services'
import { createTask, readTasks } from '../../shared/tasks'
import { addEntry, readTimeline, setEntryStarred } from '../../shared/timeline'
import { boardFacts, fillDraft } from '../../shared/updates'
import { type TestClient, type TestHost, connectClient, removeDir, startTestHost, waitFor } from './helpers/host'
import { startReceiver } from './helpers/receiver'
import { roundTrip } from './helpers/sync'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost({ allowLocalWebhooks: true, webhookRetryDelaysMs: [50] })
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => ({ by: 'lena', at: Date.now() })

/** A short incident: a service goes down, the IC is named, an observation starred, a task given; `outageAt` is after the outage reached the host. */
const recorded = async () => {
  const { id, editToken } = await host.createIncident('Checkout down', 'SEV-2')
  const client = connectClient(host.url, id, editToken, 'lena')
  await client.synced
  const { doc } = client
  joinIncident(doc, now(), { name: 'Lena' })
  const api = addService(doc, now(), { name: 'payments-api', kind: 'api', business: true })
  await roundTrip(client)
  await sleep(40)
  setServiceStatus(doc, now(), api, 'majorOutage')
  assignRole(doc, now(), 'incidentCommander', 'lena')
  await roundTrip(client)
  const outageAt = Date.now()
  await sleep(40)
  setEntryStarred(doc, addEntry(doc, now(), { kind: 'observation', text: '40% of card payments fail' }), true)
  createTask(doc, now(), { title: 'Roll back payments', ownerId: 'lena' })
  await roundTrip(client)
  client.close()
  return { id, api, outageAt }
}

/** The drill board as a trainee's client sees it. */
const openBoard = async (id: string, editToken: string): Promise<TestClient> => {
  const client = connectClient(host.url, id, editToken, 'trainee')
  await client.synced
  return client
}

describe('drills', () => {
  it('from the start: the original graph all operational, its people, no roles or tasks, marked DRILL; listed as a drill', async () => {
    const { id, api } = await recorded()
    const created = await host.api(`/api/incidents/${id}/drills`, { token: host.hostToken, body: { from: 'start' } })
    expect(created.status).toBe(201)
    const drill = created.json as { id: string; editToken: string; links: { edit: string } }
    expect(drill.id).not.toBe(id)
    const board = await openBoard(drill.id, drill.editToken)
    const meta = readMeta(board.doc)!
    expect(meta).toMatchObject({ id: drill.id, title: 'DRILL: Checkout down', severity: 'SEV-2', status: 'investigating' })
    expect(readDrill(board.doc)).toEqual({ of: id, from: 'start' })
    expect(readServices(board.doc).get(api)).toMatchObject({ name: 'payments-api', status: 'operational', statusPinned: false })
    expect([...readPeople(board.doc).keys()]).toEqual(expect.arrayContaining(['lena', 'drill-control']))
    expect(holderOf(readRoles(board.doc), 'incidentCommander')).toBeUndefined()
    expect(readTasks(board.doc)).toEqual([])
    board.close()

    const listed = (await host.api('/api/incidents', { token: host.hostToken })).json as { incidents: Array<{ id: string; title: string; drill?: unknown }> }
    expect(listed.incidents.find((i) => i.id === drill.id)).toMatchObject({ title: 'DRILL: Checkout down', drill: { of: id, from: 'start' } })
    expect(listed.incidents.find((i) => i.id === id)!.drill).toBeUndefined()

    // The script: the outage, then the starred observation, timed from the original's start.
    const script = (await host.api(`/api/incidents/${drill.id}/drill`, { token: host.hostToken })).json as { injects: Array<{ offsetMs: number; service?: unknown; text?: string }> }
    expect(script.injects.map((i) => i.service ?? i.text)).toEqual([{ id: api, status: 'majorOutage' }, '40% of card payments fail'])
    expect(script.injects[0]!.offsetMs).toBeGreaterThan(0)
    expect(script.injects[1]!.offsetMs).toBeGreaterThan(script.injects[0]!.offsetMs)
  })

  it('from a moment: the whole board as it was then, with only what came after in the script', async () => {
    const { id, api, outageAt } = await recorded()
    const created = await host.api(`/api/incidents/${id}/drills`, { token: host.hostToken, body: { from: outageAt } })
    expect(created.status).toBe(201)
    const drill = created.json as { id: string; editToken: string }
    const board = await openBoard(drill.id, drill.editToken)
    expect(readMeta(board.doc)).toMatchObject({ id: drill.id, title: 'DRILL: Checkout down' })
    expect(readDrill(board.doc)).toEqual({ of: id, from: outageAt })
    expect(readServices(board.doc).get(api)!.status).toBe('majorOutage')
    expect(holderOf(readRoles(board.doc), 'incidentCommander')).toBe('lena')
    expect(readTimeline(board.doc).some((e) => e.text === '40% of card payments fail')).toBe(false)
    // Its times moved to now: the drill starts as far into the incident as that moment was.
    const original = await openBoard(id, host.hostToken)
    const intoOriginal = outageAt - readMeta(original.doc)!.milestones.startedAt!
    const intoDrill = Date.now() - readMeta(board.doc)!.milestones.startedAt!
    expect(Math.abs(intoDrill - intoOriginal)).toBeLessThan(1500)
    const outage = (doc: Y.Doc) => readTimeline(doc).find((e) => e.event?.type === 'service.status')!.at
    expect(outage(board.doc) - outage(original.doc)).toBe(readMeta(board.doc)!.milestones.startedAt! - readMeta(original.doc)!.milestones.startedAt!)
    original.close()
    board.close()
    const script = (await host.api(`/api/incidents/${drill.id}/drill`, { token: host.hostToken })).json as { injects: Array<{ text?: string }> }
    expect(script.injects.map((i) => i.text)).toEqual(['40% of card payments fail'])
  })

  it('fires an inject now, and the rest on schedule at the chosen speed, as Drill control', async () => {
    const { id, api } = await recorded()
    const drill = (await host.api(`/api/incidents/${id}/drills`, { token: host.hostToken, body: { from: 'start' } })).json as { id: string; editToken: string }
    const board = await openBoard(drill.id, drill.editToken)
    const { injects } = (await host.api(`/api/incidents/${drill.id}/drill`, { token: host.hostToken })).json as { injects: Array<{ id: string; offsetMs: number }> }
    const fired = await host.api(`/api/incidents/${drill.id}/drill/injects/${injects[0]!.id}/fire`, { token: host.hostToken, body: {} })
    expect(fired.status).toBe(200)
    await waitFor(board.doc, () => readServices(board.doc).get(api)?.status === 'majorOutage')
    const entry = readTimeline(board.doc).find((e) => e.event?.type === 'service.status')!
    expect(entry).toMatchObject({ authorId: 'drill-control', text: 'payments-api: Operational → Major outage (inject)' })
    expect((fired.json as { injects: Array<{ firedAt?: number }> }).injects[0]!.firedAt).toBeGreaterThan(0)

    // The second, 4 s in at 1×, comes 0.8 s after the start at 5×.
    const script = [injects[0]!, { id: 'later', offsetMs: 4000, text: 'Support: customers report double charges' }]
    expect((await host.api(`/api/incidents/${drill.id}/drill/injects`, { method: 'PUT', token: host.hostToken, body: { injects: script } })).status).toBe(200)
    expect((await host.api(`/api/incidents/${drill.id}/drill/schedule`, { method: 'PUT', token: host.hostToken, body: { speed: 5 } })).status).toBe(200)
    const started = Date.now()
    await waitFor(board.doc, () => readTimeline(board.doc).some((e) => e.text === 'Support: customers report double charges'), 5000)
    expect(Date.now() - started).toBeGreaterThan(700)
    expect(Date.now() - started).toBeLessThan(3500)
    board.close()
  })

  it('replays the original\'s alerts as injects: firing on the drill board (its service follows), then resolved', async () => {
    const { id, editToken } = await host.createIncident('Queue backlog', 'SEV-3')
    const client = connectClient(host.url, id, editToken, 'lena')
    await client.synced
    const queue = addService(client.doc, now(), { name: 'orders-queue', kind: 'resource', business: false })
    const firstAt = Date.now()
    const alert = { id: 'a-1', integrationId: 'i-1', source: 'alertmanager' as const, key: 'QueueBacklog', state: 'firing' as const, severity: 'critical' as const, summary: 'Orders queue backlog over 10,000', labels: { alertname: 'QueueBacklog' }, links: [], firstAt, lastAt: firstAt, count: 1, serviceId: queue }
    syncAlerts(client.doc, now(), [{ alert, integrationName: 'Prometheus' }])
    await sleep(30)
    syncAlerts(client.doc, now(), [{ alert: { ...alert, state: 'resolved', resolvedAt: Date.now(), lastAt: Date.now(), count: 2 }, integrationName: 'Prometheus' }])
    await roundTrip(client)
    client.close()

    const drill = (await host.api(`/api/incidents/${id}/drills`, { token: host.hostToken, body: { from: 'start' } })).json as { id: string; editToken: string }
    const { injects } = (await host.api(`/api/incidents/${drill.id}/drill`, { token: host.hostToken })).json as { injects: Array<{ id: string; alert?: { state: string } }> }
    expect(injects.map((i) => i.alert?.state)).toEqual(['firing', 'resolved'])
    const board = await openBoard(drill.id, drill.editToken)
    expect(readAlerts(board.doc)).toEqual([])
    await host.api(`/api/incidents/${drill.id}/drill/injects/${injects[0]!.id}/fire`, { token: host.hostToken, body: {} })
    await waitFor(board.doc, () => readAlerts(board.doc)[0]?.state === 'firing')
    expect(readAlerts(board.doc)[0]).toMatchObject({ summary: 'Orders queue backlog over 10,000', integrationName: 'Prometheus', serviceId: queue })
    expect(readServices(board.doc).get(queue)!.status).toBe('majorOutage')
    await host.api(`/api/incidents/${drill.id}/drill/injects/${injects[1]!.id}/fire`, { token: host.hostToken, body: {} })
    await waitFor(board.doc, () => readAlerts(board.doc)[0]?.state === 'resolved')
    expect(readServices(board.doc).get(queue)!.status).toBe('operational')
    board.close()
  })

  it('refuses what a drill must not do, and what is not a drill', async () => {
    const { id } = await recorded()
    const { editToken } = await host.createIncident('Other', 'SEV-3')
    expect((await host.api(`/api/incidents/${id}/drills`, { token: editToken, body: { from: 'start' } })).status).toBe(403)
    expect((await host.api('/api/incidents/nothing/drills', { token: host.hostToken, body: { from: 'start' } })).status).toBe(404)
    expect((await host.api(`/api/incidents/${id}/drills`, { token: host.hostToken, body: { from: 'soon' } })).status).toBe(400)
    expect((await host.api(`/api/incidents/${id}/drill`, { token: host.hostToken })).status).toBe(409)
    const drill = (await host.api(`/api/incidents/${id}/drills`, { token: host.hostToken, body: { from: 'start' } })).json as { id: string; editToken: string }
    const empty = await host.api(`/api/incidents/${drill.id}/drill/injects`, { method: 'PUT', token: host.hostToken, body: { injects: [{ id: 'x', offsetMs: 10 }] } })
    expect(empty.status).toBe(400)
    expect((await host.api(`/api/incidents/${drill.id}/drill/schedule`, { method: 'PUT', token: host.hostToken, body: { speed: 3 } })).status).toBe(400)
    expect((await host.api(`/api/incidents/${drill.id}/drill/injects/nothing/fire`, { token: host.hostToken, body: {} })).status).toBe(404)
    // The trainees hold the drill's edit links: they never read its script.
    expect((await host.api(`/api/incidents/${drill.id}/drill`, { token: drill.editToken })).status).toBe(403)
    // A drill pages no one.
    const board = await openBoard(drill.id, drill.editToken)
    joinIncident(board.doc, { by: 'trainee', at: Date.now() }, { name: 'Tess' })
    await roundTrip(board)
    const page = await host.api(`/api/incidents/${drill.id}/pages`, { token: drill.editToken, body: { by: 'trainee', affected: true } })
    expect(page.status).toBe(409)
    expect((page.json as { error: string }).error).toMatch(/drill/)
    // Nor does it count in load across incidents (the host mirrors a board's people half a second after a change).
    await sleep(800)
    const { workloads } = (await host.api('/api/workload', { token: host.hostToken })).json as { workloads: Array<{ incidentId: string }> }
    expect(workloads.map((w) => w.incidentId)).toContain(id)
    expect(workloads.map((w) => w.incidentId)).not.toContain(drill.id)
    board.close()
  })

  it('posts its updates only to channels marked for drills, saying "drill": true', async () => {
    const forDrills = await startReceiver([200])
    const real = await startReceiver([200])
    const made = [
      await host.api('/api/channels', { token: host.hostToken, body: { name: 'Drill room', url: forDrills.url, format: 'json', audiences: ['customer'], drills: true } }),
      await host.api('/api/channels', { token: host.hostToken, body: { name: 'Status page feed', url: real.url, format: 'json', audiences: ['customer'] } }),
    ]
    try {
      expect(made.map((m) => (m.json as { drills: boolean }).drills)).toEqual([true, false])
      const { id } = await recorded()
      const drill = (await host.api(`/api/incidents/${id}/drills`, { token: host.hostToken, body: { from: 'start' } })).json as { id: string; editToken: string }
      const board = await openBoard(drill.id, drill.editToken)
      joinIncident(board.doc, { by: 'trainee', at: Date.now() }, { name: 'Tess' })
      fillDraft(board.doc, { by: 'trainee', at: Date.now() }, 'customer', DEFAULT_TEMPLATES.customer, boardFacts(board.doc, Date.now()))
      await roundTrip(board)
      expect((await host.api(`/api/incidents/${drill.id}/updates`, { token: drill.editToken, body: { audience: 'customer', personId: 'trainee' } })).status).toBe(201)
      const deadline = Date.now() + 5000
      while (forDrills.received.length === 0 && Date.now() < deadline) await sleep(50)
      await sleep(300)
      expect(forDrills.received).toHaveLength(1)
      expect(JSON.parse(forDrills.received[0]!.body)).toMatchObject({ type: 'update.published', incidentId: drill.id, drill: true })
      expect(real.received).toEqual([])
      board.close()
    } finally {
      for (const m of made) await host.api(`/api/channels/${(m.json as { id: string }).id}`, { method: 'DELETE', token: host.hostToken })
      await forDrills.close()
      await real.close()
    }
  })
})

