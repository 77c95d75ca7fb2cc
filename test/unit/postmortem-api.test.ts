// GET /api/incidents/:id/postmortem.md: the postmortem as written on the boards, for the host or that incident's edit link.
import { describe, expect, it } from 'vitest'
import { joinIncident } from '../../shared/people'
import { generatePostmortem, setPostmortemOwner } from '../../shared/postmortem'
import { addEntry } from '../../shared/timeline'
import { connectClient } from './helpers/host'
import { useTestHost } from './helpers/test-host'
import { roundTrip } from './helpers/sync'

const host = useTestHost()

const get = (id: string, token: string) => fetch(`${host().url}/api/incidents/${id}/postmortem.md`, { headers: { Authorization: `Bearer ${token}` } })

describe('GET /api/incidents/:id/postmortem.md', () => {
  it('answers the current postmortem as text/markdown to the host and that incident’s edit link only', async () => {
    const mine = await host().createIncident('Checkout <b>down</b>', 'SEV-1')
    const other = await host().createIncident('Search slow', 'SEV-3')
    const client = connectClient(host().url, mine.id, mine.editToken, 'lena')
    await client.synced
    const now = () => ({ by: 'lena', at: Date.now() })
    joinIncident(client.doc, now(), { name: 'Lena' })
    addEntry(client.doc, now(), { kind: 'observation', text: 'Gateway | timeouts' })
    setPostmortemOwner(client.doc, now(), 'lena')
    generatePostmortem(client.doc, now(), 'UTC')
    await roundTrip(client)
    client.close()

    const answer = await get(mine.id, mine.editToken)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    const text = await answer.text()
    expect(text.split('\n')[0]).toBe('# Postmortem: Checkout \\<b\\>down\\</b\\>')
    expect(text).toContain('**Postmortem Owner:** Lena')
    expect(text).toContain('## What Happened')
    expect(text).toContain('Gateway \\| timeouts')
    expect((await get(mine.id, host().hostToken)).status).toBe(200)
    expect((await get(mine.id, mine.viewToken)).status).toBe(403)
    expect((await get(mine.id, other.editToken)).status).toBe(403)
    expect((await get('nothing-here', host().hostToken)).status).toBe(404)
  })
})
