import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDS_FILE } from '../../electron/host/records'
import { signBody } from '../../electron/host/outgoing'
import { readDeliveries } from '../../shared/deliveries'
import { joinIncident } from '../../shared/people'
import { DEFAULT_TEMPLATES } from '../../shared/templates'
import { readTimeline } from '../../shared/timeline'
import { DEFAULT_UPDATE_SETTINGS } from '../../shared/update-settings'
import { boardFacts, editDraftField, fillDraft, readPublishedUpdates } from '../../shared/updates'
import { type TestClient, type TestHost, connectClient, removeDir, startTestHost, tempDir, waitFor } from './helpers/host'
import { startReceiver } from './helpers/receiver'
import { roundTrip } from './helpers/sync'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost({ webhookRetryDelaysMs: [100, 100], allowLocalWebhooks: true })
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

const boardWithDraft = async (text = 'Checkout is failing for some customers.'): Promise<{ id: string; editToken: string; viewToken: string; client: TestClient }> => {
  const { id, editToken, viewToken } = await host.createIncident('Checkout down', 'SEV-1')
  const client = connectClient(host.url, id, editToken, 'lena')
  await client.synced
  joinIncident(client.doc, { by: 'lena', at: Date.now() }, { name: 'Lena' })
  fillDraft(client.doc, { by: 'lena', at: Date.now() }, 'customer', DEFAULT_TEMPLATES.customer, boardFacts(client.doc, Date.now()))
  editDraftField(client.doc, 'customer', 'impact', text)
  // Publishing reads the draft on the host: wait until the host has applied these edits.
  await roundTrip(client)
  return { id, editToken, viewToken, client }
}

describe('publishing', () => {
  it('stores the update as sent on the host and in the document, and answers what it published', async () => {
    const { id, editToken, client } = await boardWithDraft()
    const { status, json } = await host.api(`/api/incidents/${id}/updates`, { token: editToken, body: { audience: 'customer', personId: 'lena' } })
    expect(status).toBe(201)
    expect(json.update).toMatchObject({ audience: 'customer', author: { name: 'Lena' }, publicStatus: 'investigating' })
    expect(json.update.text).toContain('Checkout is failing for some customers.')
    await waitFor(client.doc, () => readPublishedUpdates(client.doc).length === 1)
    expect(readPublishedUpdates(client.doc)[0]).toEqual(json.update)
    const onDisk = JSON.parse(await readFile(join(host.dataDir, RECORDS_FILE), 'utf8'))
    expect(onDisk.published[id]).toEqual([json.update])
    client.close()
  })

  it('refuses view links, strangers, bad bodies and unapproved drafts when approval is on, changing nothing', async () => {
    const { id, editToken, viewToken, client } = await boardWithDraft()
    const post = (token: string | undefined, body: unknown) => host.api(`/api/incidents/${id}/updates`, { ...(token ? { token } : {}), body })
    expect((await post(viewToken, { audience: 'customer', personId: 'lena' })).status).toBe(403)
    expect((await post(undefined, { audience: 'customer', personId: 'lena' })).status).toBe(401)
    expect(await post(editToken, { audience: 'press', personId: 'lena' })).toMatchObject({ status: 400, json: { error: expect.stringContaining('audience') } })
    expect((await post(editToken, { audience: 'customer', personId: 'nobody' })).status).toBe(400)
    await host.api('/api/settings/updates', { method: 'PUT', token: host.hostToken, body: { ...DEFAULT_UPDATE_SETTINGS, requireApproval: true } })
    try {
      expect(await post(editToken, { audience: 'customer', personId: 'lena' })).toMatchObject({ status: 409, json: { error: expect.stringContaining('approve') } })
    } finally {
      await host.api('/api/settings/updates', { method: 'PUT', token: host.hostToken, body: DEFAULT_UPDATE_SETTINGS })
    }
    expect((await host.api(`/api/incidents/${id}/updates`, { token: viewToken })).json.updates).toEqual([])
    expect(readPublishedUpdates(client.doc)).toEqual([])
    client.close()
  })
})

describe('settings and channels', () => {
  it('let only the host token change them, and never show a channel URL or secret', async () => {
    const { editToken } = await host.createIncident()
    const hook = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX'
    const added = await host.api('/api/channels', { token: host.hostToken, body: { name: '#incidents', url: hook, format: 'slack', audiences: ['internal'] } })
    expect(added).toMatchObject({ status: 201, json: { name: '#incidents', destination: 'hooks.slack.com', signed: false } })
    expect((await host.api('/api/channels', { token: editToken, body: { name: 'x', url: hook, format: 'slack', audiences: ['internal'] } })).status).toBe(403)
    for (const url of ['ftp://example.com/x', 'https://user:pw@example.com/x', 'javascript:alert(1)']) {
      expect((await host.api('/api/channels', { token: host.hostToken, body: { name: 'x', url, format: 'json', audiences: ['internal'] } })).status).toBe(400)
    }
    const seen = await host.api('/api/settings/updates', { token: editToken })
    expect(seen.status).toBe(200)
    expect(JSON.stringify(seen.json)).not.toContain('SECRET')
    expect(await readFile(join(host.dataDir, RECORDS_FILE), 'utf8')).not.toContain('SECRET')
    expect((await host.api('/api/settings/updates', { method: 'PUT', token: editToken, body: DEFAULT_UPDATE_SETTINGS })).status).toBe(403)
    expect((await host.api('/api/settings/updates', { method: 'PUT', token: host.hostToken, body: { ...DEFAULT_UPDATE_SETTINGS, requireApproval: 'yes' } })).status).toBe(400)
    expect((await host.api(`/api/channels/${added.json.id}`, { method: 'DELETE', token: host.hostToken })).status).toBe(204)
  })
})

describe('the status page', () => {
  it('shows only what was published, escaped, and needs the link token', async () => {
    const { id, editToken, viewToken, client } = await boardWithDraft('<img src=x onerror=alert(1)> Payments fail')
    const page = () => fetch(`${host.url}/status/${id}?token=${viewToken}`)
    const before = await page()
    expect(before.status).toBe(200)
    expect(before.headers.get('content-security-policy')).toContain("default-src 'none'")
    const empty = await before.text()
    expect(empty).toContain('No update has been published yet')
    expect(empty).not.toContain('Payments fail')
    // It reloads itself only when the reader asks it to, and says how to stop.
    expect(empty).not.toContain('http-equiv="refresh"')
    expect(empty).toContain('Keep this page up to date')
    const reloading = await (await fetch(`${host.url}/status/${id}?token=${viewToken}&refresh=on`)).text()
    expect(reloading).toContain('<meta http-equiv="refresh" content="30">')
    expect(reloading).toContain(`<a href="/status/${id}?token=${viewToken}">Stop reloading</a>`)
    await host.api(`/api/incidents/${id}/updates`, { token: editToken, body: { audience: 'customer', personId: 'lena' } })
    const html = await (await page()).text()
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; Payments fail')
    expect(html).not.toContain('<img')
    expect(html).toContain('Current status: <span class="status status-investigating">Investigating</span>')
    expect(html).toMatch(/Next update by<\/strong> <time/)
    expect(html).not.toContain('<script')
    expect((await fetch(`${host.url}/status/${id}`)).status).toBe(401)
    expect((await fetch(`${host.url}/status/${id}?token=wrong`)).status).toBe(401)
    expect((await fetch(`${host.url}/status/nope?token=${viewToken}`)).status).toBe(401)
    client.close()
  })
})

describe('webhooks', () => {
  it('sign generic bodies with HMAC-SHA256 over the timestamp and body', () => {
    const signature = signBody('a-long-shared-secret', '{"a":1}', 1_700_000_000)
    const expected = createHmac('sha256', 'a-long-shared-secret').update('1700000000.{"a":1}').digest('hex')
    expect(signature).toBe(`t=1700000000,v1=${expected}`)
  })

  it('deliver a signed POST, retry a 500, and log every attempt in the document', async () => {
    const hook = await startReceiver([500, 200], '/hook/s3cr3t-path')
    const secret = 'a-long-shared-secret'
    const channel = await host.api('/api/channels', { token: host.hostToken, body: { name: 'Ops bus', url: hook.url, format: 'json', audiences: ['customer'], secret } })
    try {
      const { id, editToken, client } = await boardWithDraft()
      const published = await host.api(`/api/incidents/${id}/updates`, { token: editToken, body: { audience: 'customer', personId: 'lena' } })
      expect(published.status).toBe(201)
      await waitFor(client.doc, () => readDeliveries(client.doc)[0]?.state === 'delivered', 5000)
      const [delivery] = readDeliveries(client.doc)
      expect(delivery).toMatchObject({ channelName: 'Ops bus', destination: hook.url.split('/')[2], state: 'delivered' })
      expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 200])
      expect(hook.received).toHaveLength(2)
      const { headers, body } = hook.received[1]!
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-warroom-signature']))!
      expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'))
      expect(JSON.parse(body)).toMatchObject({ type: 'update.published', incidentId: id, update: { id: published.json.update.id } })
      expect(JSON.stringify(readDeliveries(client.doc))).not.toContain('s3cr3t-path')
      client.close()
    } finally {
      await host.api(`/api/channels/${channel.json.id}`, { method: 'DELETE', token: host.hostToken })
      await hook.close()
    }
  })

  it('carry on after a restart: a delivery still retrying when the host stopped is delivered when it starts again', async () => {
    const hook = await startReceiver([503, 503, 200])
    const dataDir = await tempDir()
    const first = await startTestHost({ dataDir, webhookRetryDelaysMs: [50, 1500], allowLocalWebhooks: true })
    try {
      await first.api('/api/channels', { token: first.hostToken, body: { name: 'Slow bus', url: hook.url, format: 'json', audiences: ['customer'] } })
      const { id, editToken } = await first.createIncident()
      const client = connectClient(first.url, id, editToken, 'lena')
      await client.synced
      joinIncident(client.doc, { by: 'lena', at: Date.now() }, { name: 'Lena' })
      fillDraft(client.doc, { by: 'lena', at: Date.now() }, 'customer', DEFAULT_TEMPLATES.customer, boardFacts(client.doc, Date.now()))
      await roundTrip(client)
      await first.api(`/api/incidents/${id}/updates`, { token: editToken, body: { audience: 'customer', personId: 'lena' } })
      // Two 503s; the third attempt is due 1.5 s later, after the stop: the next host keeps that time.
      await waitFor(client.doc, () => readDeliveries(client.doc)[0]?.attempts.length === 2)
      client.close()
      await first.stop()
      expect(hook.received).toHaveLength(2)

      const second = await startTestHost({ dataDir, webhookRetryDelaysMs: [50, 50], allowLocalWebhooks: true })
      try {
        const reader = connectClient(second.url, id, editToken, 'reader')
        await reader.synced
        await waitFor(reader.doc, () => readDeliveries(reader.doc)[0]?.state === 'delivered', 5000)
        expect(readDeliveries(reader.doc)[0]!.attempts.map((a) => a.status)).toEqual([503, 503, 200])
        await expect.poll(async () => JSON.parse(await readFile(join(dataDir, RECORDS_FILE), 'utf8')).pendingDeliveries).toEqual([])
        reader.close()
      } finally {
        await second.stop()
      }
    } finally {
      await hook.close()
      await removeDir(dataDir)
    }
  })

  it('give up after the last retry and mark the delivery failed; a 4xx is not retried', async () => {
    const down = await startReceiver([503])
    const wrong = await startReceiver([404])
    const channels = await Promise.all(
      [down, wrong].map((r, i) => host.api('/api/channels', { token: host.hostToken, body: { name: `hook ${i}`, url: r.url, format: 'slack', audiences: ['customer'] } })),
    )
    try {
      const { id, editToken, client } = await boardWithDraft()
      await host.api(`/api/incidents/${id}/updates`, { token: editToken, body: { audience: 'customer', personId: 'lena' } })
      await waitFor(client.doc, () => readDeliveries(client.doc).filter((d) => d.state === 'failed').length === 2, 5000)
      const byName = new Map(readDeliveries(client.doc).map((d) => [d.channelName, d]))
      expect(byName.get('hook 0')!.attempts.map((a) => a.status)).toEqual([503, 503, 503])
      expect(byName.get('hook 1')!.attempts.map((a) => a.status)).toEqual([404])
      expect(JSON.parse(wrong.received[0]!.body)).toMatchObject({ text: expect.stringContaining('Investigating'), blocks: expect.any(Array) })
      await waitFor(client.doc, () => readTimeline(client.doc).filter((e) => e.event?.type === 'update.deliveryFailed').length === 2)
      expect(readTimeline(client.doc).map((e) => e.text)).toEqual(
        expect.arrayContaining(['Update not delivered to hook 0 after 3 attempts (HTTP 503)', 'Update not delivered to hook 1 after 1 attempt (HTTP 404)']),
      )
      client.close()
    } finally {
      for (const c of channels) await host.api(`/api/channels/${c.json.id}`, { method: 'DELETE', token: host.hostToken })
      await down.close()
      await wrong.close()
    }
  })
})
