import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { incidentPaths } from '../../electron/host/persistence/durable-incident'
import { readLog } from '../../electron/host/persistence/update-log'
import { leftAt, readAttendance } from '../../shared/attendance'
import { readMeta } from '../../shared/incident'
import { addEntry, readTimeline } from '../../shared/timeline'
import { type TestHost, connectClient, removeDir, startTestHost, upgradeStatus, waitFor } from './helpers/host'
import { roundTrip } from './helpers/sync'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost({ maxMessageBytes: 256 * 1024, unloadAfterMs: 100 })
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

const wsUrl = (id: string, token?: string) => `${host.url.replace('http', 'ws')}/sync/${id}${token ? `?token=${encodeURIComponent(token)}` : ''}`
const texts = (doc: Y.Doc) => readTimeline(doc).map((e) => e.text)

/** A raw connection for sending what a stock client never would. */
const rawSocket = (url: string): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })

const closeCode = (ws: WebSocket): Promise<number> => new Promise((resolve) => ws.once('close', (code) => resolve(code)))

describe('sync', () => {
  it('a stock y-websocket client syncs the incident and sees entries from another at once', async () => {
    const { id, editToken } = await host.createIncident('Queue backlog', 'SEV-2')
    const alice = connectClient(host.url, id, editToken, 'alice')
    const bob = connectClient(host.url, id, editToken, 'bob')
    await Promise.all([alice.synced, bob.synced])
    expect(readMeta(alice.doc)?.title).toBe('Queue backlog')
    addEntry(alice.doc, { by: 'alice', at: Date.now() }, { kind: 'decision', text: 'Scale the consumers' })
    await waitFor(bob.doc, () => texts(bob.doc).includes('Scale the consumers'))
    alice.close()
    bob.close()
  })

  it('refuses upgrades without a valid token or for an incident that does not exist, sending nothing', async () => {
    const { id, editToken } = await host.createIncident()
    const other = await host.createIncident()
    expect(await upgradeStatus(wsUrl(id))).toBe(401)
    expect(await upgradeStatus(wsUrl(id, 'not-a-token'))).toBe(401)
    expect(await upgradeStatus(wsUrl(id, other.editToken))).toBe(401)
    expect(await upgradeStatus(wsUrl('20990101-nothere', editToken))).toBe(404)
    expect(await upgradeStatus(`${host.url.replace('http', 'ws')}/elsewhere?token=${editToken}`)).toBe(404)
    // No room was created on demand for the unknown id.
    expect(host.registry.isLoaded('20990101-nothere')).toBe(false)
    expect(await upgradeStatus(wsUrl(id, editToken))).toBe(101)
  })

  it('a view token syncs the board down and every update it sends is discarded', async () => {
    const { id, editToken, viewToken } = await host.createIncident()
    const viewer = connectClient(host.url, id, viewToken, 'stakeholder')
    const editor = connectClient(host.url, id, editToken, 'alice')
    await Promise.all([viewer.synced, editor.synced])
    addEntry(viewer.doc, { by: 'stakeholder', at: Date.now() }, { kind: 'note', text: 'written by a viewer' })
    addEntry(editor.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'written by a responder' })
    await waitFor(viewer.doc, () => texts(viewer.doc).includes('written by a responder'))
    // The host has handled the viewer's update once it answers a query the viewer sent after
    // it; the editor's own query then brings whatever the host's document holds.
    await roundTrip(viewer)
    await roundTrip(editor)
    expect(texts(editor.doc)).not.toContain('written by a viewer')
    editor.close()
    viewer.close()
    const fresh = connectClient(host.url, id, editToken, 'carol')
    await fresh.synced
    expect(texts(fresh.doc)).toContain('written by a responder')
    expect(texts(fresh.doc)).not.toContain('written by a viewer')
    fresh.close()
  })

  it('relays presence between editors but not from viewers', async () => {
    const { id, editToken, viewToken } = await host.createIncident()
    const alice = connectClient(host.url, id, editToken, 'alice')
    const viewer = connectClient(host.url, id, viewToken, 'viewer')
    await Promise.all([alice.synced, viewer.synced])
    alice.provider.awareness.setLocalState({ user: { id: 'alice', name: 'Alice', color: '#ff8a65' } })
    viewer.provider.awareness.setLocalState({ user: { id: 'viewer', name: 'Lurker', color: '#ff8a65' } })
    const bob = connectClient(host.url, id, editToken, 'bob')
    await bob.synced
    await expect.poll(() => [...bob.provider.awareness.getStates().values()].map((s) => s.user?.name).filter(Boolean)).toEqual(['Alice'])
    alice.close()
    await expect.poll(() => [...bob.provider.awareness.getStates().values()].filter((s) => s.user).length).toBe(0)
    bob.close()
    viewer.close()
  })

  it('closes a connection that sends a malformed message, and only that one', async () => {
    const { id, editToken } = await host.createIncident()
    const alice = connectClient(host.url, id, editToken, 'alice')
    await alice.synced
    for (const garbage of [Buffer.from([0, 2, 200, 1, 2, 3]), Buffer.from([99]), Buffer.from([0, 7])]) {
      const ws = await rawSocket(wsUrl(id, editToken))
      const closed = closeCode(ws)
      ws.send(garbage)
      expect(await closed).toBe(1007)
    }
    const text = await rawSocket(wsUrl(id, editToken))
    const textClosed = closeCode(text)
    text.send('hello')
    expect(await textClosed).toBe(1007)
    addEntry(alice.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'still here' })
    const bob = connectClient(host.url, id, editToken, 'bob')
    await waitFor(bob.doc, () => texts(bob.doc).includes('still here'))
    alice.close()
    bob.close()
  })

  it('closes a connection whose message is over the size limit, and the host keeps serving', async () => {
    const { id, editToken } = await host.createIncident()
    const ws = await rawSocket(wsUrl(id, editToken))
    const closed = closeCode(ws)
    const doc = new Y.Doc()
    doc.getText('big').insert(0, 'x'.repeat(300 * 1024))
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc))
    ws.send(encoding.toUint8Array(encoder))
    expect(await closed).toBe(1009)
    const client = connectClient(host.url, id, editToken, 'alice')
    await client.synced
    expect(client.doc.getText('big').length).toBe(0)
    client.close()
  })

  it('logs every update with its arrival time and author, and unloads the incident when everyone has left', async () => {
    const { id, editToken } = await host.createIncident()
    const alice = connectClient(host.url, id, editToken, 'alice-id')
    await alice.synced
    const before = Date.now()
    addEntry(alice.doc, { by: 'alice-id', at: before }, { kind: 'note', text: 'logged' })
    await roundTrip(alice)
    alice.close()
    await expect.poll(() => host.registry.isLoaded(id), { timeout: 3000 }).toBe(false)
    const { records } = await readLog(incidentPaths(host.dataDir, id).log)
    const mine = records.filter((r) => r.author === 'alice-id')
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((r) => r.access === 'edit' && r.at >= before && r.at <= Date.now())).toBe(true)
    expect(records[0]).toMatchObject({ author: 'host', access: 'system' })
    const again = connectClient(host.url, id, editToken, 'bob')
    await again.synced
    expect(texts(again.doc)).toContain('logged')
    again.close()
  })

  it('lets the host token sync any incident, logged as host access', async () => {
    const { id } = await host.createIncident()
    const ic = connectClient(host.url, id, host.hostToken, 'ic')
    await ic.synced
    addEntry(ic.doc, { by: 'ic', at: Date.now() }, { kind: 'decision', text: 'Declare SEV-1' })
    await roundTrip(ic)
    ic.close()
    await expect.poll(() => host.registry.isLoaded(id), { timeout: 3000 }).toBe(false)
    const { records } = await readLog(incidentPaths(host.dataDir, id).log)
    expect(records.some((r) => r.author === 'ic' && r.access === 'host')).toBe(true)
  })
})

describe('attendance kept by the host', () => {
  it('records when each person arrives and leaves, not viewers', async () => {
    const { id, editToken, viewToken } = await host.createIncident()
    const before = Date.now()
    const alice = connectClient(host.url, id, editToken, 'alice-1')
    const aliceAgain = connectClient(host.url, id, editToken, 'alice-1')
    const viewer = connectClient(host.url, id, viewToken, 'viewer-1')
    await Promise.all([alice.synced, aliceAgain.synced, viewer.synced])
    await waitFor(viewer.doc, () => readAttendance(viewer.doc).has('alice-1'))
    expect(readAttendance(viewer.doc).get('alice-1')).toEqual([{ from: expect.any(Number) }])
    expect(readAttendance(viewer.doc).get('alice-1')![0]!.from).toBeGreaterThanOrEqual(before)
    expect(readAttendance(viewer.doc).has('viewer-1')).toBe(false)
    alice.close()
    // The host has seen alice's first connection go once the room holds only the other two;
    // the viewer's query then brings whatever the host wrote about it.
    await expect.poll(() => host.registry.loaded().find((room) => room.id === id)?.connections.size).toBe(2)
    await roundTrip(viewer)
    expect(leftAt(readAttendance(viewer.doc).get('alice-1'))).toBeUndefined()
    aliceAgain.close()
    await waitFor(viewer.doc, () => leftAt(readAttendance(viewer.doc).get('alice-1')) !== undefined)
    viewer.close()
  })
})

describe('opening an incident that is not in memory', () => {
  it('answers the first sync from a complete checkpoint, keeps what the client sends meanwhile, and loses nothing', async () => {
    const { id, editToken } = await host.createIncident('Cold start')
    const first = connectClient(host.url, id, editToken, 'alice')
    await first.synced
    for (let i = 0; i < 50; i++) addEntry(first.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: `before unload ${i}` })
    await roundTrip(first)
    first.close()
    await expect.poll(() => host.registry.isLoaded(id), { timeout: 3000 }).toBe(false)

    // Two people arrive together; one writes straight away.
    const bob = connectClient(host.url, id, editToken, 'bob')
    const carol = connectClient(host.url, id, editToken, 'carol')
    addEntry(bob.doc, { by: 'bob', at: Date.now() }, { kind: 'note', text: 'written before the first sync' })
    await Promise.all([bob.synced, carol.synced])
    expect(texts(carol.doc)).toContain('before unload 49')
    await waitFor(carol.doc, () => texts(carol.doc).includes('written before the first sync'))
    addEntry(carol.doc, { by: 'carol', at: Date.now() }, { kind: 'note', text: 'after the first sync' })
    await waitFor(bob.doc, () => texts(bob.doc).includes('after the first sync'))
    expect(texts(bob.doc)).toEqual(texts(carol.doc))
    bob.close()
    carol.close()
    await expect.poll(() => host.registry.isLoaded(id), { timeout: 3000 }).toBe(false)
    const check = connectClient(host.url, id, editToken, 'check')
    await check.synced
    await waitFor(check.doc, () => texts(check.doc).length === texts(bob.doc).length)
    expect(texts(check.doc)).toEqual(texts(bob.doc))
    check.close()
  })
})
