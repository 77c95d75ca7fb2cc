// Fault suite: an edit link that floods updates whose dependencies never
// arrive. Yjs holds such updates back ("pending") forever; the host bounds
// them per incident, closes the connection that passes the bound, and never
// writes them into a checkpoint.
import { stat } from 'node:fs/promises'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { incidentPaths } from '../../electron/host/persistence/durable-incident'
import { pendingBytes } from '../../electron/host/persistence/pending'
import { addEntry, readTimeline } from '../../shared/timeline'
import { connectClient, removeDir, startTestHost, tempDir, waitFor } from './helpers/host'
import { pingPong, roundTrip } from './helpers/sync'

const MiB = 1024 * 1024
let dataDir: string
beforeEach(async () => {
  dataDir = await tempDir()
})
afterEach(() => removeDir(dataDir))

/** An update that builds on a change nobody will ever send: 100 KB the host can only hold back. */
const danglingUpdate = (client: number): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = client
  const text = doc.getText('junk')
  text.insert(0, 'a')
  const before = Y.encodeStateVector(doc)
  text.insert(1, 'x'.repeat(100_000))
  return Y.encodeStateAsUpdate(doc, before)
}

const updateMessage = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

describe('updates whose dependencies never arrive', () => {
  it('are bounded per incident: the flooding connection is closed, everyone else carries on, and no checkpoint holds them', async () => {
    const host = await startTestHost({ dataDir, maxPendingBytes: MiB })
    const { id, editToken } = await host.createIncident()
    const scribe = connectClient(host.url, id, editToken, 'scribe')
    await scribe.synced

    const flood = new WebSocket(`${host.url.replace('http', 'ws')}/sync/${id}?token=${editToken}&person=mallory`)
    await new Promise((resolve) => flood.once('open', resolve))
    const closed = new Promise<number>((resolve) => flood.once('close', (code) => resolve(code)))
    let sent = 0
    for (; sent < 100 && flood.readyState === WebSocket.OPEN; sent++) {
      flood.send(updateMessage(danglingUpdate(1_000_000 + sent)))
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(await closed).toBe(1008)
    const room = host.registry.loaded().find((r) => r.id === id)!
    expect(pendingBytes(room.doc)).toBeLessThanOrEqual(MiB)

    // The board carries on for everyone else.
    const other = connectClient(host.url, id, editToken, 'responder')
    await other.synced
    addEntry(scribe.doc, { by: 'scribe', at: Date.now() }, { kind: 'note', text: 'still here' })
    await waitFor(other.doc, () => readTimeline(other.doc).some((e) => e.text === 'still here'))
    scribe.close()
    other.close()
    await host.stop()

    // Nothing of the flood is state: the checkpoint is as small as the board.
    expect((await stat(incidentPaths(dataDir, id).checkpoint)).size).toBeLessThan(50_000)
    const again = await startTestHost({ dataDir })
    const newcomer = connectClient(again.url, id, editToken, 'newcomer')
    let received = 0
    newcomer.doc.on('update', (update: Uint8Array) => (received += update.length))
    await newcomer.synced
    expect(readTimeline(newcomer.doc).some((e) => e.text === 'still here')).toBe(true)
    expect(received).toBeLessThan(50_000)
    newcomer.close()
    await again.stop()
  })
})

describe('presence that speaks for the host', () => {
  it('is dropped: an edit link can neither fake nor hide the "cannot save" warning', async () => {
    const { readHostStorage } = await import('../../shared/host-status')
    const awarenessProtocol = await import('y-protocols/awareness')
    const host = await startTestHost({ dataDir })
    const { id, editToken } = await host.createIncident()
    const mallory = connectClient(host.url, id, editToken, 'mallory')
    const viewer = connectClient(host.url, id, editToken, 'viewer')
    await Promise.all([mallory.synced, viewer.synced])
    mallory.provider.awareness.setLocalState({ host: { storage: { ok: false, problem: 'disk full', since: 1 } }, user: { id: 'mallory', name: 'Mallory', color: '#ff0000' } })
    // The host has handled it once it answers a later sync request; the viewer has all the host sent once it answers a ping.
    await roundTrip(mallory)
    await pingPong(viewer)
    expect(readHostStorage(viewer.provider.awareness.getStates())).toBeUndefined()
    expect(mallory.provider.wsconnected).toBe(true)
    // Nor can it speak under the host's own client id, even with a newer clock.
    const room = host.registry.loaded().find((r) => r.id === id)!
    const forged = new awarenessProtocol.Awareness(new Y.Doc())
    forged.clientID = room.doc.clientID
    for (let i = 0; i < 10; i++) forged.setLocalState({ host: { storage: { ok: false, problem: 'disk full', since: i } } })
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(forged, [forged.clientID]))
    mallory.provider.ws!.send(encoding.toUint8Array(encoder))
    await roundTrip(mallory)
    await pingPong(viewer)
    expect(readHostStorage(room.awareness.getStates())).toBeUndefined()
    expect(readHostStorage(viewer.provider.awareness.getStates())).toBeUndefined()
    forged.destroy()
    mallory.close()
    viewer.close()
    await host.stop()
  })
})
