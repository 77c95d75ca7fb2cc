import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeGathering, readGathering, setGathering } from '../../shared/gathering'
import { declareIncident } from '../../shared/incident'
import { readTimeline } from '../../shared/timeline'
import { type TestHost, connectClient, removeDir, startTestHost } from './helpers/host'

const change = (at = 1_000) => ({ by: 'iris', at })

describe('where people meet', () => {
  it('is set, changed and cleared with a timeline entry each; junk is refused and changes nothing', () => {
    const doc = new Y.Doc()
    declareIncident(doc, change(), { id: 'i1', title: 'Checkout down', severity: 'SEV-1' })
    setGathering(doc, change(2_000), { bridgeUrl: 'https://meet.example.com/inc-1', bridgePin: '4411', chatName: '#inc-checkout' })
    expect(readGathering(doc)).toEqual({ bridgeUrl: 'https://meet.example.com/inc-1', bridgePin: '4411', chatName: '#inc-checkout' })
    expect(describeGathering(readGathering(doc))).toBe('Bridge https://meet.example.com/inc-1 (PIN 4411) · Chat #inc-checkout')
    // The same again writes nothing.
    setGathering(doc, change(3_000), { bridgeUrl: 'https://meet.example.com/inc-1', bridgePin: '4411', chatName: '#inc-checkout' })
    for (const bad of [{ bridgeUrl: 'javascript:alert(1)' }, { chatUrl: 'data:text/html,x' }, { bridgePin: 'x'.repeat(41) }, { bridgeUrl: 42 }]) {
      expect(() => setGathering(doc, change(4_000), bad)).toThrow()
    }
    setGathering(doc, change(5_000), { bridgeUrl: 'tel:+44 20 7946 0000', bridgePin: '', chatName: '#inc-checkout' })
    expect(readGathering(doc)).toEqual({ bridgeUrl: 'tel:+44 20 7946 0000', chatName: '#inc-checkout' })
    setGathering(doc, change(6_000), {})
    expect(readGathering(doc)).toEqual({})
    expect(readTimeline(doc).filter((e) => e.event?.type === 'gathering.set').map((e) => e.text)).toEqual([
      'Where we meet: Bridge https://meet.example.com/inc-1 (PIN 4411) · Chat #inc-checkout',
      'Where we meet: Bridge tel:+44 20 7946 0000 · Chat #inc-checkout',
      'Bridge and chat cleared',
    ])
  })
})

describe('on the host', () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost()
  })
  afterAll(async () => {
    await host.stop()
    await removeDir(host.dataDir)
  })

  const gatheringOf = async (id: string, token: string) => {
    const client = connectClient(host.url, id, token, 'iris')
    await client.synced
    const place = readGathering(client.doc)
    client.close()
    return place
  }

  it('a new incident meets where its declaration says, else at the host default', async () => {
    expect((await host.api('/api/settings/gathering', { method: 'PUT', token: host.hostToken, body: { bridgeUrl: 'javascript:x' } })).status).toBe(400)
    const saved = await host.api('/api/settings/gathering', { method: 'PUT', token: host.hostToken, body: { bridgeUrl: 'https://meet.example.com/warroom', chatName: '#incidents' } })
    expect(saved.status).toBe(200)
    const plain = await host.createIncident('Default place', 'SEV-2')
    expect(await gatheringOf(plain.id, plain.editToken)).toEqual({ bridgeUrl: 'https://meet.example.com/warroom', chatName: '#incidents' })
    const own = await host.api('/api/incidents', { token: host.hostToken, body: { title: 'Own place', severity: 'SEV-1', gathering: { bridgeUrl: 'https://meet.example.com/own', bridgePin: '77' } } })
    expect(own.status).toBe(201)
    expect(await gatheringOf(own.json.id, own.json.editToken)).toEqual({ bridgeUrl: 'https://meet.example.com/own', bridgePin: '77' })
    const bad = await host.api('/api/incidents', { token: host.hostToken, body: { title: 'Bad place', severity: 'SEV-1', gathering: { chatUrl: 'ftp://x' } } })
    expect(bad).toMatchObject({ status: 400, json: { error: expect.stringContaining('chatUrl') } })
    expect((await host.api('/api/incidents', { token: host.hostToken })).json.incidents.map((i: { title: string }) => i.title)).not.toContain('Bad place')
    expect((await host.api('/api/settings/gathering', { token: own.json.editToken })).status).toBe(403)
  })
})
