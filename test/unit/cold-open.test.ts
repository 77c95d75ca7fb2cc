import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { DurableIncident, type StoredState } from '../../electron/host/persistence/durable-incident'
import type { RoomRegistry } from '../../electron/host/sync/registry'
import { Room } from '../../electron/host/sync/room'
import { createUpgradeHandler } from '../../electron/host/sync/upgrade'
import { addEntry, readTimeline } from '../../shared/timeline'
import { connectClient, removeDir, tempDir, waitFor } from './helpers/host'
import { pingPong } from './helpers/sync'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const texts = (doc: Y.Doc): string[] => readTimeline(doc).map((e) => e.text)

/**
 * A host whose room for incident "inc" loads only when the test says so, with
 * `stored` as the files hold it; `durable` is what the load will bring.
 * `acquired` resolves when the host first asks for the room: by then it has
 * answered from `stored` whoever it answers that way.
 */
const hostLoadingLater = async (stored: StoredState, durable: DurableIncident): Promise<{ url: string; load: () => void; acquired: Promise<void> }> => {
  let load!: (room: Room) => void
  const loading = new Promise<Room>((resolve) => (load = resolve))
  let markAcquired!: () => void
  const acquired = new Promise<void>((resolve) => (markAcquired = resolve))
  const acquire = (): Promise<Room> => {
    markAcquired()
    return loading
  }
  const registry = { isLoaded: () => false, acquire, release: () => undefined } as unknown as RoomRegistry
  const server = createServer()
  server.on('upgrade', createUpgradeHandler({ registry, authenticate: () => 'edit', storedState: async () => stored, maxMessageBytes: 1 << 20 }).handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    acquired,
    load: () => load(new Room('inc', durable, { maxBufferedBytes: 1 << 24, maxAwarenessBytes: 1 << 16, onEmpty: () => undefined, onError: () => undefined, now: Date.now })),
  }
}

const openDurable = async (): Promise<DurableIncident> => {
  const dir = await tempDir()
  const durable = await DurableIncident.open(dir, 'inc', { now: Date.now })
  cleanups.push(() => durable.close(), () => removeDir(dir))
  return durable
}

describe('the first person into an unloaded incident', () => {
  it('is synced from the checkpoint before the room has loaded, and what they write meanwhile is kept', async () => {
    const durable = await openDurable()
    addEntry(durable.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'in the checkpoint' })
    const host = await hostLoadingLater({ checkpoint: Y.encodeStateAsUpdate(durable.doc), tail: [] }, durable)

    const client = connectClient(host.url, 'inc', 'any', 'bob')
    cleanups.unshift(() => client.close())
    await client.synced
    expect(texts(client.doc)).toEqual(['in the checkpoint'])
    addEntry(client.doc, { by: 'bob', at: Date.now() }, { kind: 'note', text: 'while the host loads' })

    // Meanwhile someone changed the document on the host side; the client must get it too.
    addEntry(durable.doc, { by: 'host', at: Date.now() }, { kind: 'note', text: 'after the checkpoint' })
    host.load()
    await waitFor(durable.doc, () => texts(durable.doc).includes('while the host loads'))
    await waitFor(client.doc, () => texts(client.doc).includes('after the checkpoint'))
  })

  it('after a crash gets the checkpoint and the log tail before the room has loaded', async () => {
    const durable = await openDurable()
    addEntry(durable.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'in the checkpoint' })
    const checkpoint = Y.encodeStateAsUpdate(durable.doc)
    const tail: Uint8Array[] = []
    durable.doc.on('update', (update: Uint8Array) => tail.push(update))
    for (const text of ['logged after it', 'just before the crash']) addEntry(durable.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text })
    const host = await hostLoadingLater({ checkpoint, tail }, durable)

    const client = connectClient(host.url, 'inc', 'any', 'bob')
    cleanups.unshift(() => client.close())
    // Synced means all of it: the tail arrives before the end of the sync answer
    // (read at the event itself: a browser may paint between two messages).
    const atSync = new Promise<string[]>((resolve) => client.provider.once('sync', () => resolve(texts(client.doc))))
    expect((await atSync).sort()).toEqual(['in the checkpoint', 'just before the crash', 'logged after it'])
    host.load()
    addEntry(durable.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'once loaded' })
    await waitFor(client.doc, () => texts(client.doc).includes('once loaded'))
  })

  it('who already holds the board (a reconnect after a restart) is not sent the checkpoint again but waits for the room', async () => {
    const durable = await openDurable()
    addEntry(durable.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'in the checkpoint' })
    const checkpoint = Y.encodeStateAsUpdate(durable.doc)
    const host = await hostLoadingLater({ checkpoint, tail: [] }, durable)
    const client = connectClient(host.url, 'inc', 'any', 'bob')
    Y.applyUpdate(client.doc, checkpoint)
    cleanups.unshift(() => client.close())

    // The host has chosen not to answer from the files once it asks for the room; a ping
    // sent after that is answered after anything the host had sent this client.
    await host.acquired
    await pingPong(client)
    expect(client.provider.synced).toBe(false)
    addEntry(durable.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'while it was away' })
    host.load()
    await client.synced
    await waitFor(client.doc, () => texts(client.doc).includes('while it was away'))
  })
})
