import { readdir } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readMeta, setIncidentStatus } from '../../shared/incident'
import { setServiceStatus } from '../../shared/services'
import { joinIncident } from '../../shared/people'
import { addEntry, readTimeline } from '../../shared/timeline'
import { type TestClient, type TestHost, connectClient, removeDir, startTestHost } from './helpers/host'
import { roundTrip } from './helpers/sync'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An incident written by two people, each entry a record at its own host time (the times each was seen). */
const recorded = async (): Promise<{ id: string; editToken: string; viewToken: string; client: TestClient; seen: Array<{ text: string; after: number }> }> => {
  const { id, editToken, viewToken } = await host.createIncident('Checkout down', 'SEV-1')
  const client = connectClient(host.url, id, editToken, 'lena')
  await client.synced
  joinIncident(client.doc, { by: 'lena', at: Date.now() }, { name: 'Lena' })
  await roundTrip(client)
  const seen = []
  for (const text of ['Error rate 12%', 'Roll back pricing', 'Rollback started', 'Errors falling']) {
    addEntry(client.doc, { by: 'lena', at: Date.now() }, { kind: 'note', text })
    await roundTrip(client)
    seen.push({ text, after: Date.now() })
    await sleep(30)
  }
  return { id, editToken, viewToken, client, seen }
}

const download = async (id: string, token: string) => {
  const response = await fetch(`${host.url}/api/incidents/${id}/archive`, { headers: { Authorization: `Bearer ${token}` } })
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

const upload = (body: Uint8Array, token = host.hostToken) =>
  fetch(`${host.url}/api/incidents/import`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: Buffer.from(body) })

const lines = (bytes: Uint8Array) => gunzipSync(bytes).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l))

const texts = (doc: Y.Doc) => readTimeline(doc).map((e) => e.text)

describe('archives', () => {
  it('round trip: export, import, the same document under a new id, every record with its time and author', async () => {
    const { id, editToken, viewToken, client } = await recorded()
    expect((await download(id, viewToken)).response.status).toBe(403)
    const { response, bytes } = await download(id, editToken)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${id}.warroom"`)
    const [header, ...rest] = lines(bytes)
    expect(header).toMatchObject({ format: 'war-room-archive', version: 1, incident: { id, title: 'Checkout down', severity: 'SEV-1' }, people: { lena: 'Lena' }, skipped: 0 })
    const trailer = rest.at(-1)
    expect(trailer).toMatchObject({ end: true, records: rest.length - 1 })

    const first = await upload(bytes)
    expect(first.status).toBe(201)
    const created = await first.json()
    expect(created).toMatchObject({ id: expect.any(String), editToken: expect.any(String), links: { edit: expect.stringContaining(created.id) } })
    expect(created.id).not.toBe(id)
    const copy = connectClient(host.url, created.id, created.editToken, 'reader')
    await copy.synced
    expect(readMeta(copy.doc)).toMatchObject({ id: created.id, title: 'Checkout down', severity: 'SEV-1' })
    expect(texts(copy.doc)).toEqual(texts(client.doc))
    expect(readTimeline(copy.doc).map((e) => [e.authorId, e.at])).toEqual(readTimeline(client.doc).map((e) => [e.authorId, e.at]))

    // Its own archive holds the same records, times and authors, then the host's one that gave it its id
    // (and after that, what happened on this host: the reader's attendance).
    const again = lines((await download(created.id, created.editToken)).bytes).slice(1, -1)
    const original = rest.slice(0, -1)
    expect(again.slice(0, original.length)).toEqual(original)
    expect(again[original.length]).toMatchObject({ author: 'host', access: 'system' })

    // The same archive twice: two incidents; both listed as imported.
    const second = await (await upload(bytes)).json()
    expect(second.id).not.toBe(created.id)
    const listed = (await host.api('/api/incidents', { token: host.hostToken })).json.incidents
    expect(listed.filter((i: { importedFrom?: string }) => i.importedFrom === id).map((i: { id: string }) => i.id).sort()).toEqual([created.id, second.id].sort())
    copy.close()
    client.close()
  })

  it('refuses a cut, altered, foreign or newer file, and one over the limit, creating nothing', async () => {
    const { id, editToken, client } = await recorded()
    const { bytes } = await download(id, editToken)
    const before = (await host.api('/api/incidents', { token: host.hostToken })).json.incidents.length
    const folders = async () => (await readdir(join(host.dataDir, 'incidents'))).length
    const foldersBefore = await folders()
    const text = gunzipSync(bytes).toString('utf8')
    const rows = text.trimEnd().split('\n')
    const flipped = Buffer.from(bytes)
    flipped[Math.floor(flipped.length / 2)]! ^= 0x10
    const altered = rows.map((row, i) => (i === 2 ? row.replace(/"at":(\d+)/, (_, n: string) => `"at":${Number(n) + 1}`) : row)).join('\n')
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['cut in the gzip stream', bytes.subarray(0, Math.floor(bytes.length * 0.6)), /damaged|unpacked|cut short/],
      ['cut before its end line', gzipSync(rows.slice(0, -2).join('\n')), /cut short/],
      ['a flipped bit', flipped, /damaged|unpacked|altered|record/],
      ['an altered record', gzipSync(altered), /altered/],
      ['a foreign file', gzipSync('{"hello":"world"}\n'), /not a War Room archive/],
      ['not gzip at all', new TextEncoder().encode('just text'), /not a gzip file|damaged/],
      ['a newer version', gzipSync(text.replace('"version":1', '"version":2')), /version 2, newer than this host reads/],
    ]
    for (const [what, body, message] of cases) {
      const answer = await upload(body)
      expect(answer.status, what).toBe(400)
      expect((await answer.json()).error, what).toMatch(message)
    }
    expect((await upload(bytes, editToken)).status).toBe(403)
    // Over 256 MiB is refused on its declared length, before a byte of it is read.
    const tooBig = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${host.url}/api/incidents/import`)
      const req = request(url, { method: 'POST', headers: { Authorization: `Bearer ${host.hostToken}`, 'Content-Length': String(300 * 1024 * 1024) } }, (res) => {
        resolve(res.statusCode ?? 0)
        res.resume()
        req.destroy()
      })
      req.on('error', reject)
      req.write(new Uint8Array(16))
    })
    expect(tooBig).toBe(413)
    expect((await host.api('/api/incidents', { token: host.hostToken })).json.incidents).toHaveLength(before)
    expect(await folders()).toBe(foldersBefore)
    client.close()
  })
})

describe('snapshots', () => {
  it('give the document exactly as it was at a host time: what was seen by then, nothing after', async () => {
    const { id, editToken, viewToken, client, seen } = await recorded()
    const at = async (ms: number) => {
      const response = await fetch(`${host.url}/api/incidents/${id}/snapshot?at=${ms}`, { headers: { Authorization: `Bearer ${editToken}` } })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/octet-stream')
      const doc = new Y.Doc()
      Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()))
      return texts(doc)
    }
    // After the second entry was seen and before the third was written.
    const middle = await at(seen[1]!.after)
    expect(middle).toContain('Roll back pricing')
    expect(middle).not.toContain('Rollback started')
    expect(middle.filter((t) => seen.some((s) => s.text === t))).toEqual(['Error rate 12%', 'Roll back pricing'])
    // After the last: the board now.
    expect(await at(Date.now() + 60_000)).toEqual(texts(client.doc))
    const status = async (query: string, token = editToken) => (await fetch(`${host.url}/api/incidents/${id}/snapshot${query}`, { headers: { Authorization: `Bearer ${token}` } })).status
    expect(await status('?at=1000')).toBe(400)
    expect(await status('?at=soon')).toBe(400)
    expect(await status('')).toBe(400)
    expect(await status(`?at=${Date.now()}`, viewToken)).toBe(403)
    client.close()
  })
})

describe('an imported incident', () => {
  it('never takes live alerts, even for a service its board shows down', async () => {
    const catalog = { services: [{ id: 'orders-db', name: 'Orders DB', kind: 'resource' }] }
    expect((await host.api('/api/catalog?name=catalog.json', { token: host.hostToken, body: catalog })).status).toBe(200)
    const { id, editToken } = await host.createIncident('Orders DB down', 'SEV-2')
    const client = connectClient(host.url, id, editToken, 'lena')
    await client.synced
    setServiceStatus(client.doc, { by: 'lena', at: Date.now() }, 'orders-db', 'majorOutage')
    await roundTrip(client)
    const imported = await (await upload((await download(id, editToken)).bytes)).json()
    // Someone opens the copy: the host now knows its board shows the database down.
    const reader = connectClient(host.url, imported.id, imported.editToken, 'reader')
    await reader.synced
    joinIncident(reader.doc, { by: 'reader', at: Date.now() }, { name: 'Reader' })
    await roundTrip(reader)
    // The original ends; its copy still shows the database down.
    setIncidentStatus(client.doc, { by: 'lena', at: Date.now() }, 'resolved')
    await roundTrip(client)
    await expect.poll(async () => (await host.api('/api/incidents', { token: host.hostToken })).json.incidents.find((i: { id: string }) => i.id === id)?.status).toBe('resolved')

    const integration = (await host.api('/api/integrations', { token: host.hostToken, body: { name: 'prom', kind: 'alertmanager' } })).json
    const alert = { status: 'firing', labels: { alertname: 'DiskFull', service: 'orders-db', severity: 'warning' }, annotations: { summary: 'Disk full' }, startsAt: new Date().toISOString(), fingerprint: 'disk-full-1' }
    const posted = await fetch(integration.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version: '4', status: 'firing', groupKey: 'g-disk', alerts: [alert] }) })
    expect(posted.status).toBe(200)
    const [routed] = (await host.api('/api/alerts', { token: host.hostToken })).json.alerts.filter((a: { summary: string }) => a.summary === 'Disk full')
    expect(routed.incidentId).not.toBe(imported.id)
    expect(routed.route).toBe('triage')
    reader.close()
    client.close()
  })
})
