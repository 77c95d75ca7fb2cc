// Fault suite: the host's own files (warroom.json, seal.key). What survives a
// lost or damaged file, what the IC is told, and the way out.
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RECORDS_FILE } from '../../electron/host/records'
import { readMeta } from '../../shared/incident'
import { connectClient, removeDir, startTestHost, tempDir, upgradeStatus } from './helpers/host'

let dataDir: string
beforeEach(async () => {
  dataDir = await tempDir()
})
afterEach(() => removeDir(dataDir))

const problems = async (h: Awaited<ReturnType<typeof startTestHost>>) =>
  ((await h.api('/api/problems', { token: h.hostToken })).json as { problems: Array<{ file: string; problem: string }> }).problems

describe('seal.key lost', () => {
  it('starts, says which invite links cannot be shown again, keeps the old links working, and issues new ones on request', async () => {
    const first = await startTestHost({ dataDir })
    const { id, editToken } = await first.createIncident('Payments down')
    await first.stop()
    await rm(join(dataDir, 'seal.key'))

    const second = await startTestHost({ dataDir })
    expect((await problems(second)).find((p) => p.file === 'seal.key')?.problem).toMatch(/missing.*invite links of 1 incident cannot be shown again/)
    const invites = await second.api(`/api/incidents/${id}/invites`, { token: second.hostToken })
    expect(invites.status).toBe(409)
    expect(invites.json.error).toMatch(/cannot be shown again.*issue new links/)
    // The links people hold still open the board.
    expect((await second.api(`/api/incidents/${id}`, { token: editToken })).status).toBe(200)
    // New links: the old ones stop working, the new ones work, and can be shown again.
    const reissued = await second.api(`/api/incidents/${id}/invites`, { token: second.hostToken, method: 'POST', body: {} })
    expect(reissued.status).toBe(201)
    expect((await second.api(`/api/incidents/${id}`, { token: editToken })).status).toBe(401)
    expect((await second.api(`/api/incidents/${id}`, { token: reissued.json.editToken })).status).toBe(200)
    expect((await second.api(`/api/incidents/${id}/invites`, { token: second.hostToken })).json.editToken).toBe(reissued.json.editToken)
    // New incidents work with the new key.
    const fresh = await second.createIncident('After the key was lost')
    expect((await second.api(`/api/incidents/${fresh.id}/invites`, { token: second.hostToken })).status).toBe(200)
    await second.stop()
  })
})

describe('seal.key cut short', () => {
  it('is kept aside, a new key is made, and the IC is told which links cannot be shown again', async () => {
    const first = await startTestHost({ dataDir })
    const { id, editToken } = await first.createIncident('Payments down')
    await first.stop()
    const key = await readFile(join(dataDir, 'seal.key'), 'utf8')
    await writeFile(join(dataDir, 'seal.key'), key.slice(0, 10))
    const second = await startTestHost({ dataDir })
    const found = (await problems(second)).find((p) => p.file === 'seal.key') as { problem: string; setAsideAs?: string } | undefined
    expect(found?.problem).toMatch(/damaged \(a new one was made\).*invite links of 1 incident/)
    expect(await readFile(join(dataDir, found!.setAsideAs!), 'utf8')).toBe(key.slice(0, 10))
    expect((await second.api(`/api/incidents/${id}`, { token: editToken })).status).toBe(200)
    expect((await second.api(`/api/incidents/${id}/invites`, { token: second.hostToken })).status).toBe(409)
    await second.stop()
  })
})

describe('warroom.json lost', () => {
  it('lists every incident found on disk again, with new links, and says so', async () => {
    const first = await startTestHost({ dataDir })
    const a = await first.createIncident('Checkout down', 'SEV-1')
    const b = await first.createIncident('Search slow', 'SEV-3')
    await first.stop()
    await rm(join(dataDir, RECORDS_FILE))

    const second = await startTestHost({ dataDir })
    const listed = (await second.api('/api/incidents', { token: second.hostToken })).json.incidents as Array<{ id: string; title: string; severity: string }>
    expect(listed.map((i) => [i.id, i.title, i.severity]).sort()).toEqual([
      [a.id, 'Checkout down', 'SEV-1'],
      [b.id, 'Search slow', 'SEV-3'],
    ].sort())
    const found = await problems(second)
    expect(found.filter((p) => /listed again, with new invite links/.test(p.problem)).map((p) => p.file).sort()).toEqual([`incidents/${a.id}`, `incidents/${b.id}`].sort())
    // The old link no longer opens it; the new one does, with the whole board.
    expect(await upgradeStatus(`${second.url.replace('http', 'ws')}/sync/${a.id}?token=${a.editToken}`)).toBe(401)
    const invites = await second.api(`/api/incidents/${a.id}/invites`, { token: second.hostToken })
    const board = connectClient(second.url, a.id, invites.json.editToken, 'ic')
    await board.synced
    expect(readMeta(board.doc)?.title).toBe('Checkout down')
    board.close()
    await second.stop()
  })
})

describe('warroom.json damaged', () => {
  it('stops the host with a message naming the file and where the JSON breaks', async () => {
    const first = await startTestHost({ dataDir })
    await first.createIncident()
    await first.stop()
    const path = join(dataDir, RECORDS_FILE)
    const text = await readFile(path, 'utf8')
    await writeFile(path, `{\n  "version": 1,\n  "incidents": [}\n${text.slice(1)}`)
    await expect(startTestHost({ dataDir })).rejects.toThrow(new RegExp(`${path.replace(/[/.]/g, '\\$&')} is not valid JSON at line 3, column \\d+ .*\\. Fix it, or move it aside`))
  })
})

describe('the data folder', () => {
  it('is created owner-only, with every file in it owner-only; an older records file is made owner-only', async () => {
    const dir = join(dataDir, 'new')
    const h = await startTestHost({ dataDir: dir })
    await h.createIncident()
    await h.stop()
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
    for (const file of [RECORDS_FILE, 'seal.key', 'host-token']) expect((await stat(join(dir, file))).mode & 0o777, file).toBe(0o600)
    const { chmod } = await import('node:fs/promises')
    await chmod(join(dir, RECORDS_FILE), 0o644)
    const again = await startTestHost({ dataDir: dir })
    expect((await stat(join(dir, RECORDS_FILE))).mode & 0o777).toBe(0o600)
    await again.stop()
  })
})

describe('catalog.json', () => {
  it('damaged: moved aside and reported; the host starts without a catalog and takes a new import', async () => {
    const { readFile: read } = await import('node:fs/promises')
    const fixture = await read(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url), 'utf8')
    const first = await startTestHost({ dataDir })
    expect((await first.api('/api/catalog', { token: first.hostToken, body: { files: [{ name: 'catalog-info.yaml', text: fixture }] } })).status).toBe(200)
    await first.stop()
    // The records stay small: the catalog is not in them.
    expect(await readFile(join(dataDir, RECORDS_FILE), 'utf8').catch(() => '')).not.toContain('catalog-info.yaml')
    await writeFile(join(dataDir, 'catalog.json'), '{"source": "x", "services": [')

    const second = await startTestHost({ dataDir })
    const found = (await problems(second)).find((p) => p.file === 'catalog.json')
    expect(found?.problem).toMatch(/could not be read/)
    expect((await second.api('/api/catalog', { token: second.hostToken })).json.services).toEqual([])
    expect((await second.api('/api/catalog', { token: second.hostToken, body: { files: [{ name: 'catalog-info.yaml', text: fixture }] } })).status).toBe(200)
    await second.stop()
  })

  it('kept inside warroom.json by an older host: moved to its own file', async () => {
    const first = await startTestHost({ dataDir })
    await first.createIncident()
    await first.stop()
    const path = join(dataDir, RECORDS_FILE)
    const records = JSON.parse(await readFile(path, 'utf8'))
    records.catalog = { source: 'old.yaml', importedAt: 1, services: [{ id: 'component:default/a', name: 'a', kind: 'component', business: false }], dependencies: [] }
    await writeFile(path, JSON.stringify(records))
    const second = await startTestHost({ dataDir })
    expect((await second.api('/api/catalog', { token: second.hostToken })).json).toMatchObject({ source: 'old.yaml', services: [{ name: 'a' }] })
    await second.stop()
    expect(JSON.parse(await readFile(path, 'utf8')).catalog).toBeUndefined()
    expect(JSON.parse(await readFile(join(dataDir, 'catalog.json'), 'utf8')).source).toBe('old.yaml')
  })
})
