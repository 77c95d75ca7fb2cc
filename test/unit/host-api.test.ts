import { readFileSync } from 'node:fs'
import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDS_FILE } from '../../electron/host/records'
import { HOST_TOKEN_FILE, loadHostToken } from '../../electron/host/tokens'
import { readMeta, setTitle } from '../../shared/incident'
import { joinIncident, readPeople } from '../../shared/people'
import { assignRole } from '../../shared/roles'
import { readDependencies, readServices } from '../../shared/services'
import { readTimeline } from '../../shared/timeline'
import { type TestHost, connectClient, removeDir, sleep, startTestHost, tempDir } from './helpers/host'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

describe('HTTP API', () => {
  it('answers health without a token', async () => {
    expect(await host.api('/api/health')).toMatchObject({ status: 200, json: { ok: true } })
  })

  it('gives the host time for clients to learn their offset', async () => {
    const before = Date.now()
    const { json } = await host.api('/api/time')
    expect(json.now).toBeGreaterThanOrEqual(before)
    expect(json.now).toBeLessThanOrEqual(Date.now())
  })

  it('creates an incident with separate edit and view tokens of at least 128 bits', async () => {
    const created = await host.createIncident('Payments degraded', 'SEV-1')
    expect(created.id).toMatch(/^\d{8}-[a-z2-9]{6}$/)
    expect(created.editToken).not.toBe(created.viewToken)
    for (const token of [created.editToken, created.viewToken]) expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16)
    const { json } = await host.api('/api/incidents', { token: host.hostToken })
    expect(json.incidents).toContainEqual(expect.objectContaining({ id: created.id, title: 'Payments degraded', severity: 'SEV-1', status: 'investigating' }))
  })

  it('credits the declaration to whoever declares it, who is on the board at once', async () => {
    const { status, json } = await host.api('/api/incidents', { token: host.hostToken, body: { title: 'Queue stuck', severity: 'SEV-2', declaredBy: { id: 'iris-1', name: 'Iris' } } })
    expect(status).toBe(201)
    const reader = connectClient(host.url, json.id, json.editToken, 'reader')
    await reader.synced
    expect(readMeta(reader.doc)?.declaredBy).toBe('iris-1')
    expect(readPeople(reader.doc).get('iris-1')?.name).toBe('Iris')
    expect(readTimeline(reader.doc).find((e) => e.text.startsWith('Incident declared'))?.authorId).toBe('iris-1')
    reader.close()
    const bad = await host.api('/api/incidents', { token: host.hostToken, body: { title: 'x', severity: 'SEV-2', declaredBy: { id: 'not an id!', name: 'Iris' } } })
    expect(bad).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^declaredBy\.id: /) } })
  })

  it('refuses administration without the host token', async () => {
    const before = (await host.api('/api/incidents', { token: host.hostToken })).json.incidents.length
    expect((await host.api('/api/incidents')).status).toBe(401)
    expect((await host.api('/api/incidents', { token: 'wrong' })).status).toBe(401)
    expect((await host.api('/api/incidents', { body: { title: 'x', severity: 'SEV-1' } })).status).toBe(401)
    const { editToken } = await host.createIncident()
    expect((await host.api('/api/incidents', { token: editToken, body: { title: 'x', severity: 'SEV-1' } })).status).toBe(403)
    expect((await host.api('/api/incidents', { token: host.hostToken })).json.incidents.length).toBe(before + 1)
  })

  it.each([
    ['malformed JSON', '{"title": ', /not valid JSON/],
    ['an empty body', '', /empty/],
    ['a missing title', JSON.stringify({ severity: 'SEV-1' }), /^title/],
    ['an empty title', JSON.stringify({ title: '   ', severity: 'SEV-1' }), /title must not be empty/],
    ['a bad severity', JSON.stringify({ title: 'x', severity: 'SEV-0' }), /severity must be one of SEV-1/],
    ['a JSON array', '[1,2]', /.+/],
  ])('answers %s with 400 and changes nothing', async (_what, raw, message) => {
    const before = (await host.api('/api/incidents', { token: host.hostToken })).json.incidents.length
    const { status, json } = await host.api('/api/incidents', { token: host.hostToken, raw })
    expect(status).toBe(400)
    expect(json.error).toMatch(message)
    expect((await host.api('/api/incidents', { token: host.hostToken })).json.incidents.length).toBe(before)
  })

  it('refuses a body over the limit with 413', async () => {
    const { status } = await host.api('/api/incidents', { token: host.hostToken, raw: JSON.stringify({ title: 'x'.repeat(300_000), severity: 'SEV-1' }) })
    expect(status).toBe(413)
  })

  it('tells an incident token holder what it may do, and nobody else', async () => {
    const { id, editToken, viewToken } = await host.createIncident('Search slow', 'SEV-3')
    expect((await host.api(`/api/incidents/${id}`, { token: editToken })).json).toMatchObject({ id, title: 'Search slow', access: 'edit' })
    expect((await host.api(`/api/incidents/${id}`, { token: viewToken })).json).toMatchObject({ access: 'view' })
    expect((await host.api(`/api/incidents/${id}`, { token: host.hostToken })).json).toMatchObject({ access: 'host' })
    expect((await host.api(`/api/incidents/${id}`)).status).toBe(401)
    const other = await host.createIncident()
    expect((await host.api(`/api/incidents/${id}`, { token: other.editToken })).status).toBe(403)
    expect((await host.api('/api/incidents/20990101-nothere', { token: editToken })).status).toBe(404)
  })

  it('hands the invite links back to the host only', async () => {
    const { id, editToken, viewToken, statusToken } = await host.createIncident()
    const { status, json } = await host.api(`/api/incidents/${id}/invites`, { token: host.hostToken })
    expect(status).toBe(200)
    expect(json).toMatchObject({ editToken, viewToken, statusToken })
    expect(new Set([editToken, viewToken, statusToken]).size).toBe(3)
    expect(json.links.edit).toBe(`${host.inviteBase}/i/${id}#token=${editToken}`)
    expect(json.links.view).toBe(`${host.inviteBase}/i/${id}#token=${viewToken}`)
    expect(json.links.statusPage).toBe(`${host.inviteBase}/status/${id}?token=${statusToken}`)
    expect((await host.api(`/api/incidents/${id}/invites`, { token: editToken })).status).toBe(403)
  })

  it('stores token hashes, never the tokens themselves, in its records', async () => {
    const { editToken, viewToken } = await host.createIncident()
    const records = await readFile(join(host.dataDir, RECORDS_FILE), 'utf8')
    expect(records).not.toContain(editToken)
    expect(records).not.toContain(viewToken)
    expect(records).not.toContain(host.hostToken)
  })

  it('answers unknown API paths with 404 JSON', async () => {
    expect(await host.api('/api/nothing')).toMatchObject({ status: 404, json: { error: expect.any(String) } })
  })
})

describe('host token', () => {
  it('is generated once, kept with mode 0600, and reused', async () => {
    const dir = await tempDir()
    const first = await loadHostToken(dir, {})
    const second = await loadHostToken(dir, {})
    expect(second.token).toBe(first.token)
    expect(Buffer.from(first.token, 'base64url').length).toBe(32)
    expect((await stat(join(dir, HOST_TOKEN_FILE))).mode & 0o777).toBe(0o600)
    await removeDir(dir)
  })

  it('comes from WARROOM_HOST_TOKEN when set, which must be long enough', async () => {
    const dir = await tempDir()
    const token = 'a-long-enough-token-from-the-environment'
    expect(await loadHostToken(dir, { WARROOM_HOST_TOKEN: token })).toEqual({ token, from: 'WARROOM_HOST_TOKEN' })
    await expect(loadHostToken(dir, { WARROOM_HOST_TOKEN: 'short' })).rejects.toThrow(/at least 22/)
    await removeDir(dir)
  })
})

describe('roster', () => {
  it('a responder link reads the roster and adds someone; the person keeps one id', async () => {
    const { editToken, viewToken } = await host.createIncident()
    const added = await host.api('/api/roster', { token: editToken, body: { name: '  Dana Ops ', team: 'SRE', skills: ['postgres', 'k8s'] } })
    expect(added.status).toBe(201)
    expect(added.json).toMatchObject({ name: 'Dana Ops', team: 'SRE', skills: ['postgres', 'k8s'], id: expect.stringMatching(/^[\w-]{16}$/) })
    const list = await host.api('/api/roster', { token: editToken })
    expect(list.json.people).toContainEqual(added.json)
    expect((await host.api('/api/roster', { token: viewToken })).status).toBe(403)
    expect((await host.api('/api/roster')).status).toBe(401)
  })

  it('updates a person, validates fields, and only the host token removes', async () => {
    const { editToken } = await host.createIncident()
    const { json: person } = await host.api('/api/roster', { token: editToken, body: { name: 'Eve' } })
    const updated = await host.api(`/api/roster/${person.id}`, { token: editToken, method: 'PUT', body: { contact: '+1 555 0100' } })
    expect(updated.json).toMatchObject({ name: 'Eve', contact: '+1 555 0100', skills: [] })
    expect((await host.api('/api/roster', { token: editToken, body: { name: '' } })).json.error).toMatch(/name must not be empty/)
    expect((await host.api('/api/roster', { token: editToken, body: { name: 'X', skills: 'all' } })).status).toBe(400)
    expect((await host.api(`/api/roster/${person.id}`, { token: editToken, method: 'DELETE' })).status).toBe(403)
    expect((await host.api(`/api/roster/${person.id}`, { token: host.hostToken, method: 'DELETE' })).status).toBe(204)
    expect((await host.api(`/api/roster/${person.id}`, { token: host.hostToken, method: 'DELETE' })).status).toBe(404)
  })
})

describe('fatigue settings and workload', () => {
  it('ships documented defaults; only the host changes them, and nonsense is refused', async () => {
    const { editToken } = await host.createIncident()
    const { json: defaults } = await host.api('/api/settings/fatigue', { token: editToken })
    expect(defaults).toEqual({ icHandOverDueMinutes: 60, icHandOverOverdueMinutes: 180, breakDueMinutes: 90, breakOverdueMinutes: 150, workRestRatio: 2, longIncidentMarksHours: [3, 6] })
    const changed = { ...defaults, breakDueMinutes: 75 }
    expect((await host.api('/api/settings/fatigue', { token: editToken, method: 'PUT', body: changed })).status).toBe(403)
    expect((await host.api('/api/settings/fatigue', { token: host.hostToken, method: 'PUT', body: { ...defaults, breakOverdueMinutes: 30 } })).json.error).toMatch(/must not come before/)
    expect((await host.api('/api/settings/fatigue', { token: host.hostToken, method: 'PUT', body: { ...defaults, workRestRatio: 'lots' } })).status).toBe(400)
    expect((await host.api('/api/settings/fatigue', { token: host.hostToken, method: 'PUT', body: changed })).json).toEqual(changed)
    expect((await host.api('/api/settings/fatigue', { token: editToken })).json.breakDueMinutes).toBe(75)
    await host.api('/api/settings/fatigue', { token: host.hostToken, method: 'PUT', body: defaults })
  })

  it('keeps who was on duty on each incident, for the load view and other boards', async () => {
    const { id, editToken } = await host.createIncident('Workload')
    const bob = connectClient(host.url, id, editToken, 'bob-1')
    await bob.synced
    joinIncident(bob.doc, { by: 'bob-1', at: Date.now() }, { name: 'Bob' })
    assignRole(bob.doc, { by: 'bob-1', at: Date.now() }, 'incidentCommander', 'bob-1')
    await expect
      .poll(async () => (await host.api('/api/workload', { token: host.hostToken })).json.workloads.find((w: { incidentId: string }) => w.incidentId === id)?.people['bob-1'], { timeout: 5000 })
      .toMatchObject({ onDuty: [{ to: null }], asCommander: [{ to: null }], timesSentToRest: 0 })
    const mine = (await host.api(`/api/workload?incident=${id}`, { token: editToken })).json.workloads
    expect(mine.every((w: { people: Record<string, unknown> }) => Object.keys(w.people).every((p) => p === 'bob-1'))).toBe(true)
    expect((await host.api('/api/workload', { token: editToken })).status).toBe(403)
    expect((await host.api('/api/workload')).status).toBe(401)
    bob.close()
  })

  it('a stopping host mirrors the last rename into its records and writes nothing afterwards', async () => {
    const own = await startTestHost()
    const { id, editToken } = await own.createIncident('Before')
    const client = connectClient(own.url, id, editToken, 'ann')
    await client.synced
    setTitle(client.doc, { by: 'ann', at: Date.now() }, 'After')
    // The host has the change; its 500 ms mirror timer has not fired yet.
    await expect.poll(() => own.registry.withRoom(id, (room) => readMeta(room.doc)?.title), { timeout: 5000, interval: 5 }).toBe('After')
    client.close()
    await own.stop()
    const records = JSON.parse(await readFile(join(own.dataDir, RECORDS_FILE), 'utf8')) as { incidents: Array<{ id: string; title: string }> }
    expect(records.incidents.find((r) => r.id === id)?.title).toBe('After')
    const before = await readdir(own.dataDir)
    // Past the mirror's 500 ms timer: it shares this event loop and was set earlier, so it would fire first.
    await sleep(700)
    expect(await readdir(own.dataDir)).toEqual(before)
    await removeDir(own.dataDir)
  })
})

describe('service catalog', () => {
  const fixture = readFileSync(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url), 'utf8')

  it('imports Backstage YAML with the host token; new incidents start with a copy', async () => {
    const { editToken } = await host.createIncident()
    expect((await host.api('/api/catalog', { token: editToken, body: { files: [{ name: 'catalog-info.yaml', text: fixture }] } })).status).toBe(403)
    const imported = await host.api('/api/catalog', { token: host.hostToken, body: { files: [{ name: 'catalog-info.yaml', text: fixture }] } })
    expect(imported).toMatchObject({ status: 200, json: { services: 22, dependencies: 16, unresolved: [] } })
    const { id } = await host.createIncident('With a graph')
    const client = connectClient(host.url, id, host.hostToken, 'ic')
    await client.synced
    expect(readServices(client.doc).size).toBe(22)
    expect(readDependencies(client.doc)).toHaveLength(16)
    expect(readTimeline(client.doc).map((e) => e.text)).toContain('Service graph loaded from the host catalog (catalog-info.yaml): 22 services, 16 dependencies')
    client.close()
    expect((await host.api('/api/catalog', { token: editToken })).json.services).toHaveLength(22)
  })

  it('a failed import names the file and line and changes nothing', async () => {
    const before = (await host.api('/api/catalog', { token: host.hostToken })).json
    const broken = await host.api('/api/catalog', { token: host.hostToken, body: { files: [{ name: 'broken.yaml', text: 'kind: Component\nmetadata:\n  name: [x\n  a: b\n' }] } })
    expect(broken.status).toBe(400)
    expect(broken.json.error).toMatch(/^broken\.yaml:\d+: /)
    expect((await host.api('/api/catalog', { token: host.hostToken, body: { files: [] } })).json.error).toMatch(/at least one file/)
    expect((await host.api('/api/catalog', { token: host.hostToken })).json).toEqual(before)
  })
})
