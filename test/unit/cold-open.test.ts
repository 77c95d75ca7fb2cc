import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { DurableIncident } from '../../electron/server/persistence/durable-incident'
import type { RoomRegistry } from '../../electron/server/sync/registry'
import { Room } from '../../electron/server/sync/room'
import { createUpgradeHandler } from '../../electron/server/sync/upgrade'
import { addEntry, readTimeline } from '../../shared/timeline'
import { connectClient, removeDir, tempDir, waitFor } from './helpers/host'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

describe('the first person into an unloaded incident', () => {
  it('is synced from the checkpoint before the room has loaded, and what they write meanwhile is kept', async () => {
    const dir = await tempDir()
    const durable = await DurableIncident.open(dir, 'inc', { now: Date.now })
    addEntry(durable.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'in the checkpoint' })
    const checkpoint = Y.encodeStateAsUpdate(durable.doc)

    let load!: (room: Room) => void
    const loading = new Promise<Room>((resolve) => (load = resolve))
    const registry = { isLoaded: () => false, acquire: () => loading, release: () => undefined } as unknown as RoomRegistry
    const server = createServer()
    server.on('upgrade', createUpgradeHandler({ registry, authenticate: () => 'edit', completeCheckpoint: async () => checkpoint, maxMessageBytes: 1 << 20 }).handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    const client = connectClient(url, 'inc', 'any', 'bob')
    cleanups.push(() => client.close(), () => new Promise<void>((r) => server.close(() => r())), () => durable.close(), () => removeDir(dir))
    await client.synced
    expect(readTimeline(client.doc).map((e) => e.text)).toEqual(['in the checkpoint'])
    addEntry(client.doc, { by: 'bob', at: Date.now() }, { kind: 'note', text: 'while the host loads' })

    // Meanwhile someone changed the document on the host side; the client must get it too.
    addEntry(durable.doc, { by: 'host', at: Date.now() }, { kind: 'note', text: 'after the checkpoint' })
    load(new Room('inc', durable, { maxBufferedBytes: 1 << 24, maxAwarenessBytes: 1 << 16, onEmpty: () => undefined, onError: () => undefined, now: Date.now }))
    await waitFor(durable.doc, () => readTimeline(durable.doc).some((e) => e.text === 'while the host loads'))
    await waitFor(client.doc, () => readTimeline(client.doc).some((e) => e.text === 'after the checkpoint'))
  })
})
