// Alert intake on the host: integrations, the intake endpoint with real
// payloads (test/fixtures/alerts), retries, SNS signatures and subscriptions.
import { createSign, generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringToSign } from '../../electron/host/sns'
import { type TestHost, removeDir, startTestHost } from './helpers/host'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8')

// A locally made signing key stands in for SNS's certificate.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-local.pem'
const sign = (message: Record<string, unknown>): Record<string, unknown> => {
  const signed = { ...message, SignatureVersion: '2', SigningCertURL: CERT_URL }
  const signer = createSign('RSA-SHA256')
  signer.update(stringToSign(signed)!)
  return { ...signed, Signature: signer.sign(privateKey, 'base64') }
}

let host: TestHost
const fetchedCerts: string[] = []
const confirmed: string[] = []
beforeAll(async () => {
  host = await startTestHost({
    fetchSnsCertificate: async (url) => {
      fetchedCerts.push(url)
      return publicKey.export({ type: 'spki', format: 'pem' }).toString()
    },
    confirmSnsSubscription: async (url) => void confirmed.push(url),
    intakeRate: { rate: 1, burst: 30 },
  })
})
afterAll(async () => {
  await host.stop()
  await removeDir(host.dataDir)
})

const integration = async (kind: string, extra: Record<string, unknown> = {}): Promise<{ id: string; url: string }> => {
  const created = await host.api('/api/integrations', { token: host.hostToken, body: { name: `${kind} prod`, kind, ...extra } })
  expect(created.status).toBe(201)
  return created.json
}

const post = async (url: string, body: string, type = 'application/json') => {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': type }, body })
  return { status: response.status, json: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined, headers: response.headers }
}

describe('integrations', () => {
  it('are created with the host token, with an intake URL holding a key of 256 bits, listed with their counts, and revoked at once', async () => {
    const { id, url } = await integration('alertmanager')
    expect(url).toMatch(new RegExp(`^${host.inviteBase}/api/intake/[A-Za-z0-9_-]{43}$`))
    const { editToken } = await host.createIncident()
    expect((await host.api('/api/integrations', { token: editToken, body: { name: 'x', kind: 'grafana' } })).status).toBe(403)
    expect(await host.api('/api/integrations', { token: host.hostToken, body: { name: 'x', kind: 'nagios' } })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^kind: /) } })
    const batch = JSON.parse(fixture('alertmanager-webhook-v4-firing.json')) as { alerts: unknown[] }
    await post(url, JSON.stringify(batch))
    const listed = (await host.api('/api/integrations', { token: host.hostToken })).json.integrations.find((i: { id: string }) => i.id === id)
    expect(listed).toMatchObject({ url, events: batch.alerts.length, alerts: batch.alerts.length, lastEventAt: expect.any(Number), verifySignatures: true, windowMinutes: 5 })
    expect((await host.api(`/api/integrations/${id}`, { token: host.hostToken, method: 'DELETE' })).status).toBe(204)
    expect((await post(url, fixture('alertmanager-webhook-v4-firing.json'))).status).toBe(404)
  })
})

describe('the intake endpoint', () => {
  it('takes an Alertmanager batch alert by alert; a retry changes nothing; the resolved batch resolves them', async () => {
    const { url } = await integration('alertmanager')
    expect(await post(url, fixture('alertmanager-webhook-v4-firing.pre-v0.19-no-fingerprint.json'))).toMatchObject({ status: 200, json: { accepted: 1, duplicates: 0 } })
    expect(await post(url, fixture('alertmanager-webhook-v4-firing.pre-v0.19-no-fingerprint.json'))).toMatchObject({ status: 200, json: { accepted: 0, duplicates: 1 } })
    await post(url, fixture('alertmanager-webhook-v4-resolved.pre-v0.19-no-fingerprint.json'))
    const alerts = (await host.api('/api/alerts', { token: host.hostToken })).json.alerts.filter((a: { source: string; labels: Record<string, string> }) => a.labels.alertname === 'Fire')
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ state: 'resolved', count: 1, resolvedAt: expect.any(Number) })
  })

  it('answers Events v2 as PagerDuty does: 202 with the dedup key, 400 "invalid event" naming the field; a retry of key + action counts once', async () => {
    const { url } = await integration('pagerduty')
    const trigger = JSON.parse(fixture('pagerduty-events-v2-trigger.dev-docs.json'))
    const answer = await post(url, JSON.stringify(trigger))
    expect(answer).toMatchObject({ status: 202, json: { status: 'success', message: 'Event processed', dedup_key: trigger.dedup_key } })
    await post(url, JSON.stringify(trigger))
    const bad = await post(url, JSON.stringify({ ...trigger, payload: { ...trigger.payload, severity: 'fatal' } }))
    expect(bad).toMatchObject({ status: 400, json: { status: 'invalid event', message: 'Event object is invalid', errors: [expect.stringMatching(/^payload\.severity: /)] } })
    const alert = (await host.api('/api/alerts', { token: host.hostToken })).json.alerts.find((a: { key: string }) => a.key === trigger.dedup_key)
    expect(alert).toMatchObject({ state: 'firing', count: 1 })
  })

  it('refuses an unknown key (404), a body over 512 KiB (413), and a payload that does not parse, naming the field (400)', async () => {
    expect((await post(`${host.url}/api/intake/not-a-key`, '{}')).status).toBe(404)
    const { url } = await integration('grafana')
    expect((await post(url, 'x'.repeat(512 * 1024 + 1))).status).toBe(413)
    expect(await post(url, '{"alerts": [{"status": "pending", "labels": {}}]}')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^alerts\.0\.status: /) } })
  })

  it('limits each integration to its rate, answering 429 with Retry-After, and the others carry on', async () => {
    const busy = await integration('grafana')
    const calm = await integration('grafana')
    let limited
    for (let i = 0; i < 40 && !limited; i++) {
      const answer = await post(busy.url, fixture('grafana-webhook-firing.grafana-docs.json'))
      if (answer.status === 429) limited = answer
    }
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await post(calm.url, fixture('grafana-webhook-firing.grafana-docs.json'))).status).toBe(200)
  })
})

describe('CloudWatch through SNS', () => {
  const alarm = JSON.parse(fixture('cloudwatch-sns-alarm-ALARM.alerta.json')) as Record<string, unknown>

  it('checks the signature with the certificate from an SNS address (fetched once): a good one is taken, a tampered one refused', async () => {
    const { url } = await integration('cloudwatch')
    expect((await post(url, JSON.stringify(sign(alarm)), 'text/plain; charset=UTF-8')).status).toBe(200)
    const tampered = { ...sign(alarm), Message: (alarm.Message as string).replace('ALARM', 'OK') }
    expect(await post(url, JSON.stringify(tampered), 'text/plain')).toMatchObject({ status: 403, json: { error: expect.stringMatching(/signature does not verify.*does not match/) } })
    const elsewhere = { ...sign(alarm), SigningCertURL: 'https://evil.example.com/cert.pem' }
    expect(await post(url, JSON.stringify(elsewhere), 'text/plain')).toMatchObject({ status: 403, json: { error: expect.stringMatching(/SigningCertURL must be an https address on an SNS host/) } })
    expect(fetchedCerts.filter((u) => u === CERT_URL)).toHaveLength(1)
  })

  it('without verification (a LAN without internet) takes the unsigned fixture as it is', async () => {
    const { url } = await integration('cloudwatch', { verifySignatures: false })
    expect((await post(url, fixture('cloudwatch-sns-alarm-ALARM.alerta.json'), 'text/plain')).status).toBe(200)
    const listed = (await host.api('/api/integrations', { token: host.hostToken })).json.integrations.find((i: { url: string }) => i.url === url)
    expect(listed).toMatchObject({ verifySignatures: false, alerts: 1 })
  })

  it('confirms a subscription only at an SNS address; any other is never fetched and waits for the IC', async () => {
    const { url } = await integration('cloudwatch')
    const subscription = JSON.parse(fixture('sns-subscription-confirmation.aws-docs.json')) as Record<string, unknown>
    expect((await post(url, JSON.stringify(sign(subscription)), 'text/plain')).status).toBe(200)
    expect(confirmed).toContain(subscription.SubscribeURL)
    const phishing = sign({ ...subscription, SubscribeURL: 'https://evil.example.com/confirm?x=1' })
    expect((await post(url, JSON.stringify(phishing), 'text/plain')).json).toMatchObject({ subscription: 'waiting for the IC to confirm it by hand' })
    expect(confirmed).not.toContain('https://evil.example.com/confirm?x=1')
    const listed = (await host.api('/api/integrations', { token: host.hostToken })).json.integrations.find((i: { url: string }) => i.url === url)
    expect(listed.pendingConfirmation).toMatchObject({ subscribeUrl: 'https://evil.example.com/confirm?x=1' })
  })
})

describe('GET /api/alerts', () => {
  it('needs the host token, or an edit link with its incident; filters by state', async () => {
    const { id, editToken, viewToken } = await host.createIncident()
    expect((await host.api(`/api/alerts?incident=${id}`, { token: editToken })).status).toBe(200)
    expect((await host.api('/api/alerts', { token: editToken })).status).toBe(403)
    expect((await host.api(`/api/alerts?incident=${id}`, { token: viewToken })).status).toBe(403)
    expect((await host.api('/api/alerts?state=burning', { token: host.hostToken })).status).toBe(400)
    const firing = (await host.api('/api/alerts?state=firing', { token: host.hostToken })).json.alerts as Array<{ state: string }>
    expect(firing.length).toBeGreaterThan(0)
    expect(firing.every((a) => a.state === 'firing')).toBe(true)
  })
})
