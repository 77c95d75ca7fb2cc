import { appendFile } from 'node:fs/promises'
import WebSocket from 'ws'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { hasLogTail, incidentPaths, readStoredState } from '../../electron/host/persistence/durable-incident'
import { readMeta } from '../../shared/incident'
import { addEntry, readTimeline } from '../../shared/timeline'
import { spawnHost } from './helpers/child-host'
import { type TestClient, connectClient, createIncidentOn, removeDir, sleep, startTestHost, tempDir } from './helpers/host'
import { roundTrip } from './helpers/sync'

let dataDir: string
beforeEach(async () => {
  dataDir = await tempDir()
})
afterEach(() => removeDir(dataDir))

const createIncident = (url: string, hostToken: string) => createIncidentOn(url, hostToken, 'Power cut drill', 'SEV-1')

/** The contract: a change is on disk within 100 ms of reaching the host. */
const DURABILITY_WINDOW_MS = 100

/** Once the host has everything the client sent (a sync round trip), give it the durability window, no more. */
const onDiskWindow = async (client: TestClient): Promise<void> => {
  await roundTrip(client)
  await sleep(DURABILITY_WINDOW_MS)
}

describe('a host killed with SIGKILL', () => {
  it('restarts on the same data with every incident and every entry that reached it 100 ms before', async () => {
    const first = await spawnHost(dataDir)
    const { id, editToken } = await createIncident(first.url, first.hostToken)
    const client = connectClient(first.url, id, editToken, 'scribe')
    await client.synced
    for (let i = 0; i < 200; i++) addEntry(client.doc, { by: 'scribe', at: Date.now() }, { kind: 'note', text: `entry ${i}` })
    await onDiskWindow(client)
    client.close()
    await first.kill('SIGKILL')

    const second = await spawnHost(dataDir)
    expect(second.hostToken).toBe(first.hostToken)
    const list = await fetch(`${second.url}/api/incidents`, { headers: { Authorization: `Bearer ${second.hostToken}` } })
    expect(((await list.json()) as { incidents: Array<{ id: string }> }).incidents.map((i) => i.id)).toContain(id)
    const reader = connectClient(second.url, id, editToken, 'reader')
    await reader.synced
    expect(readMeta(reader.doc)?.title).toBe('Power cut drill')
    const texts = readTimeline(reader.doc).map((e) => e.text)
    for (let i = 0; i < 200; i++) expect(texts).toContain(`entry ${i}`)
    reader.close()
    await second.kill('SIGTERM')
  })

  it('folds the log tail into a checkpoint when it starts again, before anyone opens the incident', async () => {
    const first = await spawnHost(dataDir)
    const { id, editToken } = await createIncident(first.url, first.hostToken)
    const client = connectClient(first.url, id, editToken, 'scribe')
    await client.synced
    for (let i = 0; i < 50; i++) addEntry(client.doc, { by: 'scribe', at: Date.now() }, { kind: 'note', text: `entry ${i}` })
    await onDiskWindow(client)
    client.close()
    await first.kill('SIGKILL')
    expect(await hasLogTail(dataDir, id)).toBe(true)

    const second = await spawnHost(dataDir, 0, 30_000, undefined, 100)
    await expect.poll(() => hasLogTail(dataDir, id), { timeout: 5000 }).toBe(false)
    const state = await readStoredState(dataDir, id)
    expect(state?.tail).toEqual([])
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state!.checkpoint)
    expect(readTimeline(doc)).toHaveLength(51)
    await second.kill('SIGTERM')
  })

  it('starts despite a torn record at the end of a log', async () => {
    const first = await spawnHost(dataDir)
    const { id, editToken } = await createIncident(first.url, first.hostToken)
    const client = connectClient(first.url, id, editToken, 'scribe')
    await client.synced
    addEntry(client.doc, { by: 'scribe', at: Date.now() }, { kind: 'note', text: 'before the crash' })
    await onDiskWindow(client)
    client.close()
    await first.kill('SIGKILL')
    // The crash left half a record behind.
    await appendFile(incidentPaths(dataDir, id).log, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]))

    const second = await spawnHost(dataDir)
    const reader = connectClient(second.url, id, editToken, 'reader')
    await reader.synced
    expect(readTimeline(reader.doc).map((e) => e.text)).toContain('before the crash')
    addEntry(reader.doc, { by: 'reader', at: Date.now() }, { kind: 'note', text: 'after the restart' })
    await onDiskWindow(reader)
    reader.close()
    await second.kill('SIGKILL')

    const third = await spawnHost(dataDir)
    const check = connectClient(third.url, id, editToken, 'check')
    await check.synced
    expect(readTimeline(check.doc).map((e) => e.text)).toEqual(expect.arrayContaining(['before the crash', 'after the restart']))
    check.close()
    await third.kill('SIGTERM')
  })
})

describe('a host stopping cleanly', () => {
  it('finishes even though its clients reconnect the moment their connection closes', async () => {
    const host = await startTestHost({ dataDir })
    const { id, editToken } = await host.createIncident()
    const url = `${host.url.replace('http', 'ws')}/sync/${id}?token=${editToken}&person=eager`
    let stopping = false
    // A client with no back-off at all: every close is followed by a new connection at once.
    const eager = (): void => {
      const ws = new WebSocket(url)
      ws.on('error', () => undefined)
      ws.on('close', () => {
        if (!stopping) eager()
      })
    }
    eager()
    eager()
    await expect.poll(() => host.registry.loaded().find((room) => room.id === id)?.connections.size ?? 0).toBeGreaterThanOrEqual(2)
    const started = Date.now()
    await host.stop()
    stopping = true
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
