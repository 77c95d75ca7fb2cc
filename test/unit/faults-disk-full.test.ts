// Fault suite: a full disk. What must survive: every change that reached the
// host, once the disk takes writes again; what must be said: every board and
// the API know at once that the host cannot save; what must not happen: an
// answer saying "created" or "on disk" when it is not, or a log that a later
// crash makes unreadable.
import { open, readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { incidentPaths } from '../../electron/host/persistence/durable-incident'
import { LOG_START, UpdateLog, readLog } from '../../electron/host/persistence/update-log'
import { readHostStorage } from '../../shared/host-status'
import { addEntry, readTimeline } from '../../shared/timeline'
import { spawnHost } from './helpers/child-host'
import { connectClient, createIncidentOn, removeDir, sleep, tempDir } from './helpers/host'
import { type Tmpfs, canMountTmpfs, mountSmallDisk } from './helpers/tmpfs'

const MiB = 1024 * 1024

describe('a log whose disk fills up mid-write (short writes and ENOSPC injected)', () => {
  let dir: string
  beforeAll(async () => {
    dir = await tempDir()
  })
  afterAll(() => removeDir(dir))

  it('never leaves half a record: the failed group is cut back, kept, reported, and written once the disk takes it', async () => {
    const path = join(dir, 'updates.log')
    const errors: unknown[] = []
    let recovered = 0
    const { log } = await UpdateLog.open(path, LOG_START, { flushDelayMs: 1, retryMs: 60_000, onWriteError: (e) => errors.push(e), onWriteRecovered: () => recovered++ })
    const update = (n: number) => new Uint8Array(3000).fill(n)
    log.append({ at: 1, author: 'a', access: 'edit', update: update(1) })
    await log.flush()
    const goodSize = (await stat(path)).size

    // The disk fills: the next write gets 1,000 bytes in, then nothing more fits.
    const handle = await open(join(dir, 'probe'), 'w')
    type Write = (this: unknown, data: unknown, offset: number, length: number, position: number) => Promise<{ bytesWritten: number }>
    const proto = Object.getPrototypeOf(handle) as { write: Write }
    await handle.close()
    const realWrite = proto.write
    let room = 1000
    proto.write = async function (this: unknown, data: unknown, offset: number, length: number, position: number) {
      const allowed = Math.min(length, room)
      room -= allowed
      if (allowed === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      return realWrite.call(this, data, offset, allowed, position)
    }
    try {
      log.append({ at: 2, author: 'a', access: 'edit', update: update(2) })
      log.append({ at: 3, author: 'a', access: 'edit', update: update(3) })
      await expect(log.flush()).rejects.toMatchObject({ code: 'ENOSPC' })
      expect(log.isFailing).toBe(true)
      expect(errors).toHaveLength(1)
      // Nothing half-written stays: the file ends at the last whole record.
      expect((await stat(path)).size).toBe(goodSize)
      expect((await readLog(path)).damaged).toEqual([])
      log.append({ at: 4, author: 'a', access: 'edit', update: update(4) })
      await expect(log.flush()).rejects.toMatchObject({ code: 'ENOSPC' })
    } finally {
      proto.write = realWrite
    }
    await log.flush()
    expect(log.isFailing).toBe(false)
    expect(recovered).toBe(1)
    await log.close()
    const { records, damaged } = await readLog(path)
    expect(damaged).toEqual([])
    expect(records.map((r) => r.at)).toEqual([1, 2, 3, 4])
  })
})

const mountable = await canMountTmpfs()

describe.skipIf(!mountable)('a host whose data folder is a 2 MiB disk that fills up', () => {
  let disk: Tmpfs | undefined
  const hosts: Array<Awaited<ReturnType<typeof spawnHost>>> = []
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.kill('SIGKILL')
    await disk?.unmount()
    disk = undefined
  })

  it('keeps every change, tells every board and the API, refuses new incidents, and loses nothing once space is freed, across a crash', async () => {
    disk = await mountSmallDisk(2 * MiB)
    const first = await spawnHost(disk.dir)
    hosts.push(first)
    const health = async () => ((await (await fetch(`${first.url}/api/health`)).json()) as { storage: { ok: boolean; problem?: string } }).storage
    const { id, editToken } = await createIncidentOn(first.url, first.hostToken)
    const scribe = connectClient(first.url, id, editToken, 'scribe')
    await scribe.synced
    const filler = 'x'.repeat(3900)
    let written = 0
    let fullAt: number | undefined
    // 4 KB entries every 10 ms (a scribe pasting logs) until the disk is full, and 50 more after.
    while (fullAt === undefined || written < fullAt + 50) {
      addEntry(scribe.doc, { by: 'scribe', at: Date.now() }, { kind: 'note', text: `entry ${written} ${filler}` })
      written++
      await sleep(10)
      if (fullAt === undefined && written % 10 === 0 && !(await health()).ok) fullAt = written
      if (written > 5000) throw new Error('the disk never filled')
    }
    expect(await health()).toEqual({ ok: false, problem: 'disk full', since: expect.any(Number) })
    // Every board hears it from the host itself.
    await expect.poll(() => readHostStorage(scribe.provider.awareness.getStates()), { timeout: 10_000 }).toMatchObject({ ok: false, problem: 'disk full' })

    // Nothing is created while nothing can be saved, and nothing half-made stays.
    const refused = await fetch(`${first.url}/api/incidents`, { method: 'POST', headers: { Authorization: `Bearer ${first.hostToken}` }, body: JSON.stringify({ title: 'During the full disk', severity: 'SEV-3' }) })
    expect(refused.status).toBe(507)
    expect(((await refused.json()) as { error: string }).error).toMatch(/cannot save.*disk full.*nothing was changed/)
    const list = await fetch(`${first.url}/api/incidents`, { headers: { Authorization: `Bearer ${first.hostToken}` } })
    expect(((await list.json()) as { incidents: Array<{ id: string }> }).incidents.map((i) => i.id)).toEqual([id])
    expect(await readdir(join(disk.dir, 'incidents'))).toEqual([id])

    // Space comes back: the host writes what it kept and says so.
    disk.resize(64 * MiB)
    await expect.poll(health, { timeout: 10_000 }).toEqual({ ok: true })
    await expect.poll(() => readHostStorage(scribe.provider.awareness.getStates()), { timeout: 10_000 }).toBeUndefined()
    const { damaged } = await readLog(incidentPaths(disk.dir, id).log)
    expect(damaged).toEqual([])

    // A crash now loses nothing: a new reader gets every entry from the host's files.
    scribe.close()
    await first.kill('SIGKILL')
    const second = await spawnHost(disk.dir)
    hosts.push(second)
    const reader = connectClient(second.url, id, editToken, 'reader')
    await reader.synced
    const texts = new Set(readTimeline(reader.doc).map((e) => e.text.split(' ').slice(0, 2).join(' ')))
    const missing = Array.from({ length: written }, (_, i) => `entry ${i}`).filter((t) => !texts.has(t))
    expect(missing).toEqual([])
    reader.close()
    await second.kill('SIGTERM')
    // The host's records survived too, owner-only.
    expect((await stat(join(disk.dir, 'warroom.json'))).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(join(disk.dir, 'warroom.json'), 'utf8')).incidents).toHaveLength(1)
  }, 120_000)
})
