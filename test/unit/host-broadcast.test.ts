// Others see a change at once, before the log's fsync (waiting for it was
// measured: docs/ARCHITECTURE.md, "Broadcast before the fsync"), and go on
// seeing each other's changes while the disk refuses writes.
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addEntry, readTimeline } from '../../shared/timeline'
import { type TestHost, connectClient, removeDir, startTestHost, tempDir, waitFor } from './helpers/host'

type Datasync = (this: unknown) => Promise<void>
let proto: { datasync: Datasync }
let realDatasync: Datasync
let host: TestHost
beforeEach(async () => {
  const dir = await tempDir()
  const handle = await open(join(dir, 'probe'), 'w')
  proto = Object.getPrototypeOf(handle) as { datasync: Datasync }
  realDatasync = proto.datasync
  await handle.close()
  await removeDir(dir)
  host = await startTestHost()
})
afterEach(async () => {
  proto.datasync = realDatasync
  await host.stop()
  await removeDir(host.dataDir)
})

const texts = (doc: Parameters<typeof readTimeline>[0]) => readTimeline(doc).map((e) => e.text)

describe('broadcast', () => {
  it('reaches others while the change\'s fsync is still under way', async () => {
    const { id, editToken } = await host.createIncident()
    const alice = connectClient(host.url, id, editToken, 'alice')
    const bob = connectClient(host.url, id, editToken, 'bob')
    await Promise.all([alice.synced, bob.synced])
    let release!: () => void
    const fsyncHeld = new Promise<void>((resolve) => (release = resolve))
    let held = 0
    proto.datasync = async function (this: unknown) {
      held++
      await fsyncHeld
      return realDatasync.call(this)
    }
    addEntry(alice.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'before its fsync' })
    // The log's fsync has begun and cannot finish: bob has the entry all the same.
    await expect.poll(() => held).toBeGreaterThan(0)
    await waitFor(bob.doc, () => texts(bob.doc).includes('before its fsync'))
    release()
    alice.close()
    bob.close()
  })

  it('sends changes at once while the disk refuses writes', async () => {
    const { id, editToken } = await host.createIncident()
    const alice = connectClient(host.url, id, editToken, 'alice')
    const bob = connectClient(host.url, id, editToken, 'bob')
    await Promise.all([alice.synced, bob.synced])
    proto.datasync = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))
    addEntry(alice.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'while the disk is full' })
    await expect.poll(async () => (await host.api('/api/health')).json.storage).toMatchObject({ ok: false, problem: 'disk full' })
    await waitFor(bob.doc, () => texts(bob.doc).includes('while the disk is full'))
    addEntry(alice.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'still while it is full' })
    await waitFor(bob.doc, () => texts(bob.doc).includes('still while it is full'))
    proto.datasync = realDatasync
    await expect.poll(async () => (await host.api('/api/health')).json.storage, { timeout: 5000 }).toEqual({ ok: true })
    alice.close()
    bob.close()
  })
})
