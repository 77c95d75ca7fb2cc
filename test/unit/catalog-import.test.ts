// A catalog import is parsed in a worker thread: while a catalog near the 8 MiB
// limit is read (seconds), the host keeps answering and every board keeps syncing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseCatalogOffThread } from '../../electron/host/catalog-parse'
import { HttpError } from '../../electron/host/http-util'
import { addEntry, readTimeline } from '../../shared/timeline'
import { catalogBody, generateBackstageCatalog } from './helpers/catalog'
import { type TestHost, connectClient, removeDir, sleep, startTestHost, waitFor } from './helpers/host'

// When the host's call to parseCatalogOffThread started and ended (the real one runs).
const parsing = vi.hoisted(() => ({ start: Number.NaN, end: Number.NaN }))
vi.mock('../../electron/host/catalog-parse', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../electron/host/catalog-parse')>()
  return {
    ...actual,
    parseCatalogOffThread: (...args: Parameters<typeof actual.parseCatalogOffThread>) => {
      parsing.start = performance.now()
      return actual.parseCatalogOffThread(...args).finally(() => (parsing.end = performance.now()))
    },
  }
})

/** The host's limit on a catalog body (8 MiB); a body over it would be refused with 413. */
const MAX_CATALOG_BODY = 8 * 1024 * 1024

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

describe('catalog import off the event loop', () => {
  it('answers health within 100 ms and syncs boards while a near-8 MiB catalog is parsed, then stores it', async () => {
    // 21,000 entities; the request body is just under the limit.
    const generated = generateBackstageCatalog({ padding: 160 })
    // Encoded up front: this test's client shares the host's thread, and encoding 8 MiB is the client's cost, not the host's.
    const body = Buffer.from(JSON.stringify({ files: [{ name: 'catalog-info.yaml', text: generated.text }] }))
    expect(body.length).toBeLessThan(MAX_CATALOG_BODY)
    expect(body.length).toBeGreaterThan(0.98 * MAX_CATALOG_BODY)

    const { id, editToken } = await host.createIncident('Import under way')
    const alice = connectClient(host.url, id, editToken, 'alice')
    await alice.synced

    let answered = false
    const importing = fetch(`${host.url}/api/catalog`, { method: 'POST', headers: { Authorization: `Bearer ${host.hostToken}` }, body }).then(async (response) => {
      const json = (await response.json()) as Record<string, unknown>
      answered = true
      return { status: response.status, json }
    })

    // A board joins during the import, syncs, and sees another's new entry.
    const syncing = (async () => {
      await sleep(200)
      const bob = connectClient(host.url, id, editToken, 'bob')
      await bob.synced
      addEntry(alice.doc, { by: 'alice', at: Date.now() }, { kind: 'note', text: 'Still here during the import' })
      await waitFor(bob.doc, () => readTimeline(bob.doc).some((e) => e.text === 'Still here during the import'))
      bob.close()
      return { beforeImportAnswered: !answered }
    })()

    const polls: Array<{ start: number; end: number }> = []
    while (!answered) {
      const start = performance.now()
      const health = await fetch(`${host.url}/api/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toMatchObject({ ok: true })
      polls.push({ start, end: performance.now() })
      await sleep(20)
    }

    const imported = await importing
    expect(imported.status).toBe(200)
    expect(imported.json).toMatchObject({ services: generated.expected.services, dependencies: generated.expected.dependencies })
    expect(await syncing).toEqual({ beforeImportAnswered: true })
    // Parsing takes seconds: health was asked many times meanwhile, and answered each time at once.
    const ms = (poll: { start: number; end: number }): number => Math.round(poll.end - poll.start)
    const whileParsing = polls.filter((poll) => poll.start >= parsing.start && poll.end <= parsing.end).map(ms)
    const report = `health round trips (ms) while parsing: ${whileParsing.join(', ')}; all: ${polls.map(ms).join(', ')}`
    expect(whileParsing.length, report).toBeGreaterThanOrEqual(10)
    expect(whileParsing.filter((rtt) => rtt >= 100), report).toEqual([])
    // Before and after, this thread reads the 8 MiB body and stores the catalog in the records:
    // tens of milliseconds each, never the whole parse.
    expect(polls.map(ms).filter((rtt) => rtt >= 1000), report).toEqual([])
    console.info(report)

    const stored = await host.api('/api/catalog', { token: host.hostToken })
    expect(stored.json.services).toHaveLength(generated.expected.services)
    expect(stored.json.dependencies).toHaveLength(generated.expected.dependencies)
    expect(stored.json.source).toBe('catalog-info.yaml')
    alice.close()
  }, 120_000)

  it('a worker out of memory or out of time is a clear error, and the worker is gone', async () => {
    const { text } = generateBackstageCatalog({ systems: 20, blocks: 2000 })
    const files = [{ name: 'catalog-info.yaml', text }]
    const outOfMemory = await parseCatalogOffThread(catalogBody(files), Date.now(), { maxHeapMib: 16 }).catch((error: unknown) => error)
    expect(outOfMemory).toBeInstanceOf(HttpError)
    expect(outOfMemory).toMatchObject({ status: 413, message: expect.stringMatching(/more than 16 MiB of memory; nothing was changed/) })
    const outOfTime = await parseCatalogOffThread(catalogBody(files), Date.now(), { timeoutMs: 50 }).catch((error: unknown) => error)
    expect(outOfTime).toBeInstanceOf(HttpError)
    expect(outOfTime).toMatchObject({ status: 500, message: expect.stringMatching(/took longer than 50 ms and was stopped; nothing was changed/) })
    // The same files parse in full with the default limits.
    const parsed = await parseCatalogOffThread(catalogBody(files), Date.now())
    expect(parsed.catalog.services).toHaveLength(20 + 4 * 2000)
  }, 60_000)

  it('a failed import through the endpoint changes nothing', async () => {
    const before = (await host.api('/api/catalog', { token: host.hostToken })).json
    const broken = await host.api('/api/catalog', { token: host.hostToken, body: { files: [{ name: 'broken.yaml', text: 'kind: Component\nmetadata:\n  name: [x\n  a: b\n' }] } })
    expect(broken.status).toBe(400)
    expect(broken.json.error).toMatch(/^broken\.yaml:\d+: /)
    expect((await host.api('/api/catalog', { token: host.hostToken })).json).toEqual(before)
  })
})
