// GET /api/analytics: the host's answer over real incidents, their tokens, a
// bad query refused, drills left out, and facts read again after a restart.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { AnalyticsResponseSchema } from '../../shared/analytics'
import { setIncidentStatus } from '../../shared/incident'
import { joinIncident } from '../../shared/people'
import { assignRole } from '../../shared/roles'
import { connectClient } from './helpers/host'
import { useTestHost } from './helpers/test-host'
import { roundTrip } from './helpers/sync'

const host = useTestHost()

/** An incident where Lena takes command and resolves it, `minutes` apart on the host's clock as the test set them. */
const handled = async (title: string, severity: string) => {
  const { id, editToken } = await host().createIncident(title, severity)
  const client = connectClient(host().url, id, editToken, 'lena')
  await client.synced
  const declared = Date.now()
  joinIncident(client.doc, { by: 'lena', at: declared }, { name: 'Lena' })
  assignRole(client.doc, { by: 'lena', at: declared + 3 * 60_000 }, 'incidentCommander', 'lena')
  setIncidentStatus(client.doc, { by: 'lena', at: declared + 30 * 60_000 }, 'resolved')
  await roundTrip(client)
  client.close()
  return { id, editToken }
}

const analytics = async (query = '', token = host().hostToken) => {
  const response = await fetch(`${host().url}/api/analytics${query}`, { headers: { Authorization: `Bearer ${token}` } })
  return { status: response.status, body: (await response.json()) as unknown }
}

describe('GET /api/analytics', () => {
  it('answers each incident and the aggregates in its schema; host token only; a bad filter is refused with why', async () => {
    const first = await handled('Checkout down', 'SEV-1')
    await handled('Search slow', 'SEV-3')
    // The mirror writes facts a few seconds after a change; the first answer reads any that are missing.
    await expect.poll(async () => (v.parse(AnalyticsResponseSchema, (await analytics()).body).incidents.find((i) => i.id === first.id)?.durations.toResolveMs), { timeout: 15_000 }).toBeGreaterThan(0)
    const answer = v.parse(AnalyticsResponseSchema, (await analytics()).body)
    expect(answer.summary.count).toBe(2)
    const checkout = answer.incidents.find((i) => i.id === first.id)!
    expect(checkout).toMatchObject({ title: 'Checkout down', peakSeverity: 'SEV-1', responders: 1 })
    // Resolved 30 minutes after the declaration: the durations come from the document, not the wall clock.
    expect(Math.round(checkout.durations.toResolveMs! / 60_000)).toBe(30)
    expect(Math.round(checkout.durations.toAcknowledgeMs! / 60_000)).toBe(3)
    expect(v.parse(AnalyticsResponseSchema, (await analytics('?severity=SEV-1')).body).incidents.map((i) => i.id)).toEqual([first.id])

    expect((await analytics('', first.editToken)).status).toBe(403)
    expect((await analytics('', 'not-a-token-at-all-0123456789')).status).toBe(401)
    const bad = await analytics('?severity=SEV-9&from=yesterday')
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toMatch(/severity must be one of SEV-1/)
  })

  it('leaves drills out', async () => {
    const original = await handled('Payments failing', 'SEV-2')
    const drill = await host().api(`/api/incidents/${original.id}/drills`, { token: host().hostToken, body: { from: 'start' } })
    expect(drill.status).toBe(201)
    const ids = v.parse(AnalyticsResponseSchema, (await analytics()).body).incidents.map((i) => i.id)
    expect(ids).toContain(original.id)
    expect(ids).not.toContain(drill.json.id)
  })
})
