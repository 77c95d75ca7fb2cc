// Fault suite: the alert log. What must survive: every alert the host
// acknowledged, across a power cut; a damaged record costs only that event,
// kept aside verbatim and reported; a full disk is answered 507 so monitoring
// keeps the alert and sends it again; the event whose write failed is written
// once space is back, and nothing after it is taken until then.
import { open, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readLog } from '../../electron/host/persistence/update-log'
import { spawnHost } from './helpers/child-host'
import { connectClient, removeDir, startTestHost, tempDir, waitFor } from './helpers/host'
import { readAlerts } from '../../shared/incident-alerts'
import { type Tmpfs, canMountTmpfs, mountSmallDisk } from './helpers/tmpfs'

const logPath = (dataDir: string) => join(dataDir, 'alerts', 'alerts.log')

/** One Alertmanager webhook with a single firing alert, named by `n`. */
const alertmanager = (n: number): string =>
  JSON.stringify({
    version: '4',
    status: 'firing',
    receiver: 'warroom',
    groupKey: `{}:{alertname="Check${n}"}`,
    alerts: [{ status: 'firing', labels: { alertname: `Check${n}`, service: 'checkout' }, annotations: { summary: `check ${n} failing` }, startsAt: '2026-11-27T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: `fp${n}` }],
  })

interface Reachable {
  url: string
  hostToken: string
}
const api = async (h: Reachable, path: string, body?: unknown) => {
  const response = await fetch(`${h.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${h.hostToken}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}
const newIntegration = async (h: Reachable): Promise<string> => ((await api(h, '/api/integrations', { name: 'prometheus', kind: 'alertmanager' })).json as { url: string }).url
const send = (url: string, n: number) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: alertmanager(n) })
const summaries = async (h: Reachable): Promise<string[]> =>
  ((await api(h, '/api/alerts')).json as { alerts: Array<{ summary: string }> }).alerts.map((a) => a.summary).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
/** The same intake key on a host that came back on another port. */
const on = (h: Reachable, url: string) => `${h.url}${new URL(url).pathname}`
const checks = (ns: number[]) => ns.map((n) => `check ${n} failing`)
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

let dataDir: string
const cleanups: Array<() => Promise<void>> = []
beforeEach(async () => {
  dataDir = await tempDir()
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await removeDir(dataDir)
})

describe('alerts the host acknowledged', () => {
  it('all survive a power cut right after the last answer', async () => {
    const first = await spawnHost(dataDir)
    cleanups.push(() => first.kill('SIGKILL'))
    const url = await newIntegration(first)
    for (const n of range(0, 200)) expect((await send(url, n)).status).toBe(200)
    await first.kill('SIGKILL')
    const second = await spawnHost(dataDir)
    cleanups.push(() => second.kill('SIGKILL'))
    expect(await summaries(second)).toEqual(checks(range(0, 200)))
    // The integration still takes alerts with the same key.
    expect((await send(on(second, url), 200)).status).toBe(200)
  }, 60_000)
})

describe('a power cut between an alert and its board', () => {
  it('the incident it declared exists after the answer, and its board shows the alert once the host is back', async () => {
    const first = await spawnHost(dataDir)
    cleanups.push(() => first.kill('SIGKILL'))
    const url = await newIntegration(first)
    const critical = JSON.parse(alertmanager(7)) as { alerts: Array<{ labels: Record<string, string> }> }
    critical.alerts[0]!.labels.severity = 'critical'
    expect((await fetch(url, { method: 'POST', body: JSON.stringify(critical) })).status).toBe(200)
    // The board is written a moment after the answer: the cut comes first.
    await first.kill('SIGKILL')
    const second = await spawnHost(dataDir)
    cleanups.push(() => second.kill('SIGKILL'))
    const [incident] = (await api(second, '/api/incidents')).json.incidents as Array<{ id: string; title: string }>
    expect(incident?.title).toBe('check 7 failing')
    const { editToken } = (await api(second, `/api/incidents/${incident!.id}/invites`)).json as { editToken: string }
    const board = connectClient(second.url, incident!.id, editToken, 'ic')
    cleanups.push(async () => board.close())
    await board.synced
    await waitFor(board.doc, () => readAlerts(board.doc).length === 1, 10_000)
    expect(readAlerts(board.doc)[0]).toMatchObject({ summary: 'check 7 failing', state: 'firing' })
  }, 60_000)
})

describe('one flipped byte in the alert log', () => {
  it('costs only the damaged records: the rest is read, the bytes are kept aside verbatim and reported', async () => {
    const first = await startTestHost({ dataDir })
    const url = await newIntegration(first)
    for (const n of range(0, 100)) await send(url, n)
    await first.stop()
    // Every record of alert 50 (its event, then where it was routed) gets a flipped byte.
    const records = (await readLog(logPath(dataDir))).records.filter((r) => Buffer.from(r.update).includes('check 50 failing'))
    expect(records.length).toBeGreaterThan(0)
    const damaged = await readFile(logPath(dataDir))
    for (const record of records) damaged[record.offset + 8 + 12]! ^= 0x40
    await writeFile(logPath(dataDir), damaged)

    const second = await startTestHost({ dataDir })
    cleanups.push(() => second.stop())
    expect(await summaries(second)).toEqual(checks(range(0, 100).filter((n) => n !== 50)))
    const { problems } = (await api(second, '/api/problems')).json as { problems: Array<{ file: string; problem: string; setAsideAs?: string }> }
    const problem = problems.find((p) => p.file === 'alerts/alerts.log' && p.setAsideAs)
    expect(problem?.problem).toMatch(/damaged/)
    expect(await readFile(join(dataDir, problem!.setAsideAs!))).toEqual(damaged)
    // Monitoring sends the lost one again (it repeats firing alerts): taken as new.
    expect((await send(on(second, url), 50)).status).toBe(200)
    expect(await summaries(second)).toContain('check 50 failing')
  }, 60_000)
})

describe('a missing alert log', () => {
  it('starts empty with the integrations intact: their addresses still work', async () => {
    const first = await startTestHost({ dataDir })
    const url = await newIntegration(first)
    await send(url, 1)
    await first.stop()
    await rm(logPath(dataDir))
    const second = await startTestHost({ dataDir })
    cleanups.push(() => second.stop())
    expect(await summaries(second)).toEqual([])
    expect((await send(on(second, url), 2)).status).toBe(200)
    expect(await summaries(second)).toEqual(checks([2]))
  }, 60_000)
})

const mountable = await canMountTmpfs()

describe.skipIf(!mountable)('a full disk under the alert log', () => {
  let disk: Tmpfs | undefined
  afterEach(async () => {
    await disk?.unmount()
    disk = undefined
  })

  it('is answered 507; the refused event is written once space is back, nothing after it is taken till then, and all survive a power cut', async () => {
    disk = await mountSmallDisk(1024 * 1024)
    const host = await spawnHost(disk.dir)
    cleanups.push(() => host.kill('SIGKILL'))
    const url = await newIntegration(host)
    for (const n of range(0, 10)) expect((await send(url, n)).status).toBe(200)

    // Another program fills the disk.
    const filler = await open(join(disk.dir, 'filler'), 'w')
    const block = Buffer.alloc(64 * 1024, 1)
    await (async () => {
      for (;;) await filler.write(block)
    })().catch(() => undefined)
    await filler.close()

    // The log's last page may still hold a few small records; the next after it is refused.
    let first = 10
    let refused = await send(url, first)
    while (refused.status === 200 && first < 60) refused = await send(url, ++first)
    expect(refused.status).toBe(507)
    expect(((await refused.json()) as { error: string }).error).toMatch(/disk full/)
    // The event whose write failed is kept, to be written when space is back (its
    // retry then changes nothing); after it, nothing new is taken at all.
    expect((await send(url, first + 1)).status).toBe(507)
    expect(await summaries(host)).toEqual(checks(range(0, first + 1)))

    await rm(join(disk.dir, 'filler'))
    // Monitoring sends both again.
    expect((await send(url, first)).status).toBe(200)
    expect((await send(url, first + 1)).status).toBe(200)
    await host.kill('SIGKILL')
    const after = await spawnHost(disk.dir)
    cleanups.push(() => after.kill('SIGKILL'))
    expect(await summaries(after)).toEqual(checks(range(0, first + 2)))
    expect((await readLog(logPath(disk.dir))).damaged).toEqual([])
  }, 60_000)
})
