// A status token opens the status page and nothing else: not the board, not
// the sync endpoint, not one API route. Stakeholders see what was published.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RECORDS_FILE } from '../../electron/host/records'
import { type TestHost, removeDir, startTestHost, tempDir, upgradeStatus } from './helpers/host'

let dataDir: string
let host: TestHost
beforeEach(async () => {
  dataDir = await tempDir()
  host = await startTestHost({ dataDir })
})
afterEach(async () => {
  await host.stop()
  await removeDir(dataDir)
})

const API_ROUTES = (id: string): Array<[string, string]> => [
  ['GET', `/api/incidents/${id}`],
  ['GET', `/api/incidents/${id}/updates`],
  ['POST', `/api/incidents/${id}/updates`],
  ['GET', `/api/incidents/${id}/invites`],
  ['GET', '/api/incidents'],
  ['GET', '/api/roster'],
  ['GET', '/api/settings/fatigue'],
  ['GET', '/api/settings/updates'],
  ['GET', `/api/workload?incident=${id}`],
  ['GET', '/api/catalog'],
  ['GET', '/api/problems'],
]

describe('the status token', () => {
  it('opens the status page, and every API route and the sync endpoint answer it 401', async () => {
    const { id, statusToken } = await host.createIncident('Checkout down')
    const page = await fetch(`${host.url}/status/${id}?token=${statusToken}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Checkout down')
    for (const [method, path] of API_ROUTES(id)) {
      expect((await host.api(path, { token: statusToken, method, ...(method === 'POST' ? { body: {} } : {}) })).status, `${method} ${path}`).toBe(401)
    }
    expect(await upgradeStatus(`${host.url.replace('http', 'ws')}/sync/${id}?token=${statusToken}`)).toBe(401)
    // Another incident's status page stays shut to it.
    const other = await host.createIncident('Other')
    expect((await fetch(`${host.url}/status/${other.id}?token=${statusToken}`)).status).toBe(401)
  })

  it('is given to incidents made before it existed, whose view token keeps opening what it opened', async () => {
    const { id, viewToken } = await host.createIncident('Older incident')
    await host.stop()
    const path = join(dataDir, RECORDS_FILE)
    const records = JSON.parse(await readFile(path, 'utf8')) as { incidents: Array<Record<string, unknown>> }
    for (const record of records.incidents) {
      delete record.statusTokenHash
      delete record.sealedStatusToken
    }
    await writeFile(path, JSON.stringify(records))
    host = await startTestHost({ dataDir })
    const invites = await host.api(`/api/incidents/${id}/invites`, { token: host.hostToken })
    expect(invites.status).toBe(200)
    expect(invites.json.links.statusPage).toContain(invites.json.statusToken)
    expect((await fetch(`${host.url}/status/${id}?token=${invites.json.statusToken}`)).status).toBe(200)
    expect((await fetch(`${host.url}/status/${id}?token=${viewToken}`)).status).toBe(200)
    expect(await upgradeStatus(`${host.url.replace('http', 'ws')}/sync/${id}?token=${viewToken}`)).toBe(101)
  })
})
