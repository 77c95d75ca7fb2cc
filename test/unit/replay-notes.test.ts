// Facilitators' notes on a replay: kept with the incident in the host's
// records, never in its document or update log.
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestHost, removeDir, startTestHost } from './helpers/host'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

const notes = (id: string, token: string, init: { method?: string; body?: unknown; path?: string } = {}) =>
  fetch(`${host.url}/api/incidents/${id}/replay-notes${init.path ?? ''}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { Authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })

/** The archive's records (its header says when it was exported, and its trailer's digest covers the header). */
const archiveRecords = async (id: string): Promise<string> => {
  const bytes = await (await fetch(`${host.url}/api/incidents/${id}/archive`, { headers: { Authorization: `Bearer ${host.hostToken}` } })).arrayBuffer()
  return gunzipSync(new Uint8Array(bytes)).toString('utf8').split('\n').slice(1, -2).join('\n')
}

describe('replay notes', () => {
  it('are written at a moment with a name, listed in time order, removed, and never touch the incident record', async () => {
    const { id, editToken } = await host.createIncident('Checkout down', 'SEV-1')
    const before = await archiveRecords(id)
    const late = await notes(id, editToken, { body: { at: 2_000, text: 'The IC should have paged payments here', by: 'Fran' } })
    expect(late.status).toBe(201)
    const early = (await (await notes(id, host.hostToken, { body: { at: 1_000, text: '  First alert ignored  ', by: 'Sam' } })).json()) as { id: string; text: string; createdAt: number }
    expect(early.text).toBe('First alert ignored')
    expect(early.createdAt).toBeGreaterThan(0)
    const listed = (await (await notes(id, editToken)).json()) as { notes: Array<{ at: number; by: string; text: string }> }
    expect(listed.notes.map((n) => [n.at, n.by])).toEqual([
      [1_000, 'Sam'],
      [2_000, 'Fran'],
    ])
    expect(await archiveRecords(id)).toBe(before)

    expect((await notes(id, editToken, { method: 'DELETE', path: `/${early.id}` })).status).toBe(204)
    expect((await notes(id, editToken, { method: 'DELETE', path: `/${early.id}` })).status).toBe(404)
    expect(((await (await notes(id, editToken)).json()) as { notes: unknown[] }).notes).toHaveLength(1)
  })

  it('are each incident’s own: another incident’s link neither reads nor removes them', async () => {
    const mine = await host.createIncident('Mine', 'SEV-2')
    const other = await host.createIncident('Other', 'SEV-2')
    const note = (await (await notes(mine.id, mine.editToken, { body: { at: 5, text: 'Good hand-over', by: 'Fran' } })).json()) as { id: string }
    expect((await notes(mine.id, other.editToken)).status).toBe(403)
    expect((await notes(other.id, other.editToken, { method: 'DELETE', path: `/${note.id}` })).status).toBe(404)
    expect((await notes(mine.id, mine.viewToken)).status).toBe(403)
  })

  it('refuse a note without text, a name or a moment, and change nothing', async () => {
    const { id, editToken } = await host.createIncident('Refusals', 'SEV-3')
    for (const body of [{ at: 1, text: '   ', by: 'Fran' }, { at: 1, text: 'x', by: '' }, { text: 'x', by: 'Fran' }, { at: 'soon', text: 'x', by: 'Fran' }, { at: 1, text: 'x'.repeat(2001), by: 'Fran' }]) {
      const response = await notes(id, editToken, { body })
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: string }).error).toMatch(/text|by|at/)
    }
    expect(((await (await notes(id, editToken)).json()) as { notes: unknown[] }).notes).toEqual([])
  })
})
