import { describe, expect, it } from 'vitest'
import { addFollowUp, followUpsCsv, orderFollowUps, readFollowUps, updateFollowUp } from '../../shared/follow-ups'
import { joinIncident } from '../../shared/people'
import { readTimeline } from '../../shared/timeline'
import { T0, at, docWithPeople } from './helpers/doc'
import { connectClient } from './helpers/host'
import { useTestHost } from './helpers/test-host'
import { startReceiver } from './helpers/receiver'
import { roundTrip } from './helpers/sync'

const DAY = 86_400_000

describe('follow-ups in an incident', () => {
  it('each has one owner, a due date, a priority and a state, every change on the timeline', () => {
    const doc = docWithPeople('Iris', 'Bob')
    const id = addFollowUp(doc, at(60, 'iris'), { title: '  Cap gateway   retries ', ownerId: 'bob', dueAt: Date.UTC(2026, 11, 4, 23), priority: 'high' })
    expect(readFollowUps(doc)).toMatchObject([{ id, title: 'Cap gateway retries', ownerId: 'bob', ownerName: 'Bob', priority: 'high', state: 'open' }])
    updateFollowUp(doc, at(70, 'bob'), id, { state: 'done', priority: 'medium' })
    updateFollowUp(doc, at(71, 'bob'), id, { state: 'done' })
    expect(readTimeline(doc).slice(-2).map((e) => e.text)).toEqual(['Follow-up for Bob: Cap gateway retries (high, due 2026-12-04)', 'Follow-up “Cap gateway retries”: done, medium priority'])
    expect(() => addFollowUp(doc, at(80, 'iris'), { title: ' ', ownerId: 'bob', priority: 'low' })).toThrow(/title/)
    expect(() => addFollowUp(doc, at(80, 'iris'), { title: 'x', ownerId: 'nobody', priority: 'low' })).toThrow()
    expect(() => updateFollowUp(doc, at(80, 'iris'), 'nothing', { state: 'done' })).toThrow(/no such/)
  })

  it('lists overdue ones first, then open ones by due date, then the closed; CSV keeps a formula as text', () => {
    const doc = docWithPeople('Iris')
    const make = (title: string, dueDays: number | undefined, priority: 'high' | 'low' = 'low') =>
      addFollowUp(doc, at(1, 'iris'), { title, ownerId: 'iris', priority, ...(dueDays === undefined ? {} : { dueAt: T0 + dueDays * DAY }) })
    make('No date', undefined)
    make('Next week', 7)
    make('Overdue a day', -1)
    const done = make('Done already', -5)
    make('Overdue a week', -7, 'high')
    updateFollowUp(doc, at(2, 'iris'), done, { state: 'done' })
    expect(orderFollowUps(readFollowUps(doc), T0).map((f) => f.title)).toEqual(['Overdue a week', 'Overdue a day', 'Next week', 'No date', 'Done already'])
    const undated = readFollowUps(doc).find((f) => f.title === 'No date')!
    const csv = followUpsCsv([{ ...undated, title: '=HYPERLINK("x")', incidentId: 'inc-1', incidentTitle: 'Checkout, EU', overdue: false }])
    expect(csv.split('\r\n')[1]).toBe(`inc-1,"Checkout, EU","'=HYPERLINK(""x"")",Iris,,low,open,no,${undated.id}`)
  })
})

describe('GET /api/follow-ups', () => {
  const host = useTestHost()

  it('lists every incident’s follow-ups as JSON or CSV, host token only, drills left out', async () => {
    const { id, editToken } = await host().createIncident('Checkout down', 'SEV-1')
    const client = connectClient(host().url, id, editToken, 'lena')
    await client.synced
    joinIncident(client.doc, { by: 'lena', at: Date.now() }, { name: 'Lena' })
    addFollowUp(client.doc, { by: 'lena', at: Date.now() }, { title: 'Alert on gateway timeouts', ownerId: 'lena', dueAt: Date.now() - DAY, priority: 'high' })
    await roundTrip(client)
    client.close()
    const drill = await host().api(`/api/incidents/${id}/drills`, { token: host().hostToken, body: { from: 'start' } })
    expect(drill.status).toBe(201)
    await expect
      .poll(async () => (await host().api('/api/follow-ups', { token: host().hostToken })).json.followUps, { timeout: 5000 })
      .toMatchObject([{ title: 'Alert on gateway timeouts', ownerName: 'Lena', incidentId: id, incidentTitle: 'Checkout down', overdue: true }])
    const csv = await fetch(`${host().url}/api/follow-ups?format=csv`, { headers: { Authorization: `Bearer ${host().hostToken}` } })
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect((await csv.text()).split('\r\n')[0]).toBe('incident_id,incident,title,owner,due,priority,state,overdue,follow_up_id')
    expect((await host().api('/api/follow-ups?format=xml', { token: host().hostToken })).status).toBe(400)
    expect((await host().api('/api/follow-ups', { token: editToken })).status).toBe(403)
  })
})

describe('follow-ups to a tracker', () => {
  const host = useTestHost({ allowLocalWebhooks: true, webhookRetryDelaysMs: [20] })

  it('each one added or changed goes, signed, to the channels marked for follow-ups; one that cannot be delivered is said on the timeline', async () => {
    const tracker = await startReceiver([200])
    const broken = await startReceiver([500])
    const updatesOnly = await startReceiver([200])
    const channel = (name: string, url: string, followUps: boolean) =>
      host().api('/api/channels', { token: host().hostToken, body: { name, url, format: 'json', audiences: ['internal'], secret: 'a-secret-of-16-chars', ...(followUps ? { followUps } : {}) } })
    expect((await channel('Tracker', tracker.url, true)).status).toBe(201)
    expect((await channel('Broken tracker', broken.url, true)).status).toBe(201)
    expect((await channel('Chat', updatesOnly.url, false)).status).toBe(201)
    const { id, editToken } = await host().createIncident('Checkout down', 'SEV-1')
    const client = connectClient(host().url, id, editToken, 'lena')
    await client.synced
    joinIncident(client.doc, { by: 'lena', at: Date.now() }, { name: 'Lena' })
    const followUp = addFollowUp(client.doc, { by: 'lena', at: Date.now() }, { title: 'Cap gateway retries', ownerId: 'lena', priority: 'high' })
    await roundTrip(client)
    await expect.poll(() => tracker.received.length, { timeout: 5000 }).toBe(1)
    const body = JSON.parse(tracker.received[0]!.body) as { type: string; incidentId: string; incidentTitle: string; followUp: { id: string; state: string } }
    expect(body).toMatchObject({ type: 'followUp.changed', incidentId: id, incidentTitle: 'Checkout down', followUp: { id: followUp, state: 'open' } })
    expect(tracker.received[0]!.headers['x-warroom-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    updateFollowUp(client.doc, { by: 'lena', at: Date.now() }, followUp, { state: 'done' })
    await roundTrip(client)
    await expect.poll(() => tracker.received.map((r) => (JSON.parse(r.body) as { followUp: { state: string } }).followUp.state), { timeout: 5000 }).toEqual(['open', 'done'])
    // The broken tracker was tried, retried, and given up on, on the timeline; the chat channel got nothing.
    await expect.poll(() => readTimeline(client.doc).filter((e) => e.text.startsWith('Follow-up “Cap gateway retries” not delivered to Broken tracker after 2 attempts (HTTP 500)')).length, { timeout: 5000 }).toBe(2)
    expect(updatesOnly.received).toEqual([])
    client.close()
    await Promise.all([tracker.close(), broken.close(), updatesOnly.close()])
  })
})
