// The one rule for who may call what (docs/API.md), checked on every route the
// host has: no token or a token that opens nothing 401; an incident this host
// does not have 404; a valid link that does not reach this far 403; a known
// path with another method 405.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CreatedIncident, type TestHost, removeDir, startTestHost } from './helpers/host'

let host: TestHost
let mine: CreatedIncident
let other: CreatedIncident
/** Issuing new links replaces an incident's tokens: done on this one, so the others' stay valid. */
let spare: CreatedIncident
beforeAll(async () => {
  host = await startTestHost()
  mine = await host.createIncident('Mine')
  other = await host.createIncident('Other')
  spare = await host.createIncident('Spare')
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

type Who = 'none' | 'garbage' | 'view' | 'edit' | 'otherEdit' | 'host'
const token = (who: Who): string | undefined =>
  ({ none: undefined, garbage: 'not-a-token-at-all-0123456789', view: mine.viewToken, edit: mine.editToken, otherEdit: other.editToken, host: host.hostToken })[who]

/** Every route, what it needs, and a body that would pass validation (so only access decides). */
const ROUTES: Array<{ method: string; path: (id: string) => string; needs: 'anyone' | 'host' | 'editor' | 'member' | 'incidentRead' | 'incidentEdit' }> = [
  { method: 'GET', path: () => '/api/health', needs: 'anyone' },
  { method: 'GET', path: () => '/api/time', needs: 'anyone' },
  { method: 'GET', path: () => '/api/problems', needs: 'host' },
  { method: 'GET', path: () => '/api/incidents', needs: 'host' },
  { method: 'POST', path: () => '/api/incidents', needs: 'host' },
  { method: 'GET', path: (id) => `/api/incidents/${id}`, needs: 'incidentRead' },
  { method: 'GET', path: (id) => `/api/incidents/${id}/invites`, needs: 'host' },
  { method: 'POST', path: () => `/api/incidents/${spare?.id ?? ':id'}/invites`, needs: 'host' },
  { method: 'GET', path: (id) => `/api/incidents/${id}/updates`, needs: 'incidentRead' },
  { method: 'POST', path: (id) => `/api/incidents/${id}/updates`, needs: 'incidentEdit' },
  { method: 'GET', path: () => '/api/roster', needs: 'editor' },
  { method: 'POST', path: () => '/api/roster', needs: 'editor' },
  { method: 'PUT', path: () => '/api/roster/someone', needs: 'editor' },
  { method: 'DELETE', path: () => '/api/roster/someone', needs: 'host' },
  { method: 'GET', path: () => '/api/settings/fatigue', needs: 'member' },
  { method: 'PUT', path: () => '/api/settings/fatigue', needs: 'host' },
  { method: 'GET', path: (id) => `/api/workload?incident=${id}`, needs: 'incidentRead' },
  { method: 'GET', path: () => '/api/catalog', needs: 'editor' },
  { method: 'POST', path: () => '/api/catalog', needs: 'host' },
  { method: 'GET', path: () => '/api/settings/updates', needs: 'member' },
  { method: 'PUT', path: () => '/api/settings/updates', needs: 'host' },
  { method: 'GET', path: () => '/api/channels', needs: 'host' },
  { method: 'POST', path: () => '/api/channels', needs: 'host' },
  { method: 'DELETE', path: () => '/api/channels/nothing', needs: 'host' },
  { method: 'GET', path: () => '/api/integrations', needs: 'host' },
  { method: 'POST', path: () => '/api/integrations', needs: 'host' },
  { method: 'DELETE', path: () => '/api/integrations/nothing', needs: 'host' },
  { method: 'GET', path: (id) => `/api/alerts?incident=${id}`, needs: 'incidentEdit' },
  { method: 'POST', path: () => '/api/alerts/declare', needs: 'host' },
  { method: 'POST', path: () => '/api/alerts/attach', needs: 'host' },
  { method: 'GET', path: () => '/api/silences', needs: 'host' },
  { method: 'POST', path: () => '/api/silences', needs: 'host' },
  { method: 'DELETE', path: () => '/api/silences/nothing', needs: 'host' },
  { method: 'GET', path: (id) => `/api/incidents/${id}/archive`, needs: 'incidentEdit' },
  { method: 'GET', path: (id) => `/api/incidents/${id}/replay-notes`, needs: 'incidentEdit' },
  { method: 'POST', path: (id) => `/api/incidents/${id}/replay-notes`, needs: 'incidentEdit' },
  { method: 'DELETE', path: (id) => `/api/incidents/${id}/replay-notes/nothing`, needs: 'incidentEdit' },
  { method: 'GET', path: () => '/api/analytics', needs: 'host' },
  { method: 'GET', path: () => '/api/follow-ups', needs: 'host' },
  { method: 'GET', path: (id) => `/api/incidents/${id}/postmortem.md`, needs: 'incidentEdit' },
]

const allowed = (needs: (typeof ROUTES)[number]['needs'], who: Who): boolean => {
  if (needs === 'anyone') return true
  if (who === 'host') return true
  if (who === 'none' || who === 'garbage') return false
  if (needs === 'member') return true
  if (needs === 'editor') return who === 'edit' || who === 'otherEdit'
  if (needs === 'incidentRead') return who === 'edit' || who === 'view'
  if (needs === 'incidentEdit') return who === 'edit'
  return false
}

const call = (method: string, path: string, who: Who) =>
  fetch(`${host.url}${path}`, {
    method,
    headers: token(who) ? { Authorization: `Bearer ${token(who)}` } : {},
    // A body that fails validation where access passes: a 400, never a change.
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{"this":"is not a valid body"}' }),
  })

describe('who may call what', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path(':id')}`, r] as const))('%s', async (_, route) => {
    for (const who of ['none', 'garbage', 'view', 'edit', 'otherEdit', 'host'] as const) {
      const { status } = await call(route.method, route.path(mine.id), who)
      const expected = allowed(route.needs, who) ? 'allowed' : who === 'none' || who === 'garbage' ? 401 : 403
      if (expected === 'allowed') expect([200, 201, 204, 400, 404, 409], `${who}`).toContain(status)
      else expect(status, `${who}`).toBe(expected)
    }
  })

  it('answers 404 for an incident this host does not have, to any valid token, and 401 to an invalid one', async () => {
    for (const route of ROUTES.filter((r) => r.needs === 'incidentRead' || r.needs === 'incidentEdit')) {
      const path = route.path('20990101-nothere')
      expect((await call(route.method, path, 'host')).status, path).toBe(404)
      expect((await call(route.method, path, 'edit')).status, path).toBe(404)
      expect((await call(route.method, path, 'garbage')).status, path).toBe(401)
    }
  })

  it('answers 405 with Allow for a known path asked with another method, and 404 for an unknown path', async () => {
    const wrong = await call('DELETE', '/api/incidents', 'host')
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, POST, HEAD')
    expect(((await wrong.json()) as { error: string }).error).toMatch(/DELETE is not allowed here/)
    expect((await call('PATCH', `/api/incidents/${mine.id}`, 'host')).status).toBe(405)
    expect((await call('GET', '/api/nothing-here', 'host')).status).toBe(404)
  })
})
