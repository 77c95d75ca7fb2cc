import type { LookupAddress } from 'node:dns'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DestinationRefused,
  LOCAL_WEBHOOK_REFUSED,
  type ResolveHost,
  guardedLookup,
  isAllowedDestination,
  refusedKind,
  systemResolve,
  webhookUrlProblem,
} from '../../electron/host/destinations'
import { RECORDS_FILE } from '../../electron/host/records'
import { readDeliveries } from '../../shared/deliveries'
import { joinIncident } from '../../shared/people'
import { DEFAULT_TEMPLATES } from '../../shared/templates'
import { readTimeline } from '../../shared/timeline'
import { boardFacts, fillDraft } from '../../shared/updates'
import { type TestHost, connectClient, removeDir, sleep, startTestHost, tempDir, waitFor } from './helpers/host'
import { startReceiver } from './helpers/receiver'
import { roundTrip } from './helpers/sync'

describe('isAllowedDestination', () => {
  it.each([
    // Refused: loopback, link-local (cloud metadata), unspecified, and the same written as IPv6.
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::127.0.0.1', 'loopback'],
    ['::2', 'unspecified'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['localhost', 'not an IP address'],
    ['evil.example', 'not an IP address'],
    ['', 'not an IP address'],
    // Allowed: the LAN (private ranges) and the internet.
    ['10.1.2.3', undefined],
    ['172.16.0.1', undefined],
    ['172.31.255.255', undefined],
    ['192.168.1.20', undefined],
    ['100.64.0.1', undefined],
    ['128.0.0.1', undefined],
    ['169.253.255.255', undefined],
    ['169.255.0.1', undefined],
    ['1.1.1.1', undefined],
    ['fd12:3456::1', undefined],
    ['fc00::1', undefined],
    ['fec0::1', undefined],
    ['2001:db8::1', undefined],
    ['::ffff:10.0.0.1', undefined],
    ['::ffff:192.168.1.1', undefined],
    ['::a00:1', undefined],
    ['fe7f::1', undefined],
    ['ff02::1', undefined],
  ] as const)('%s → %s', (ip, kind) => {
    expect(refusedKind(ip)).toBe(kind)
    expect(isAllowedDestination(ip)).toBe(kind === undefined)
  })
})

describe('webhookUrlProblem', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data', LOCAL_WEBHOOK_REFUSED],
    ['http://127.0.0.1:9/', LOCAL_WEBHOOK_REFUSED],
    ['http://[::1]/', LOCAL_WEBHOOK_REFUSED],
    ['http://localhost/', LOCAL_WEBHOOK_REFUSED],
    ['http://LOCALHOST:8080/x', LOCAL_WEBHOOK_REFUSED],
    ['http://api.localhost/', LOCAL_WEBHOOK_REFUSED],
    ['http://[::ffff:127.0.0.1]/', LOCAL_WEBHOOK_REFUSED],
    ['http://[fe80::1]/', LOCAL_WEBHOOK_REFUSED],
    ['http://0.0.0.0:80/', LOCAL_WEBHOOK_REFUSED],
    // The URL parser reads these as 127.0.0.1.
    ['http://2130706433/', LOCAL_WEBHOOK_REFUSED],
    ['http://0x7f.1/', LOCAL_WEBHOOK_REFUSED],
    ['http://127.1/', LOCAL_WEBHOOK_REFUSED],
    ['http://[1:2]/', 'not a valid http:// or https:// address'],
    ['http://10.1.2.3/hook', undefined],
    ['https://hooks.slack.com/services/T000/B000/XXXX', undefined],
    ['http://mattermost.lan:8065/hooks/abc', undefined],
    ['http://[fd12::1]/hook', undefined],
    // A name is checked when it is resolved, at delivery.
    ['http://evil.example/', undefined],
  ])('%s', (url, problem) => {
    expect(webhookUrlProblem(url, false)).toBe(problem)
  })

  it('allows everything valid with --allow-local-webhooks', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9/', true)).toBeUndefined()
    expect(webhookUrlProblem('http://169.254.169.254/', true)).toBeUndefined()
    expect(webhookUrlProblem('http://[1:2]/', true)).toBe('not a valid http:// or https:// address')
  })
})

describe('guardedLookup', () => {
  const answering =
    (addresses: LookupAddress[]): ResolveHost =>
    async () =>
      addresses
  const run = (resolve: ResolveHost, all: boolean, allowLocal = false) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number | undefined }>((done) =>
      guardedLookup(resolve, allowLocal)('evil.example', { all }, (error, address, family) => done({ error, address, family })),
    )

  it('hands back only the allowed addresses', async () => {
    const mixed = answering([
      { address: '127.0.0.1', family: 4 },
      { address: '10.0.0.7', family: 4 },
      { address: '::1', family: 6 },
    ])
    expect(await run(mixed, true)).toMatchObject({ error: null, address: [{ address: '10.0.0.7', family: 4 }] })
    expect(await run(mixed, false)).toMatchObject({ error: null, address: '10.0.0.7', family: 4 })
  })

  it('fails with DestinationRefused when every address is refused, unless local addresses are allowed', async () => {
    const metadata = answering([{ address: '169.254.169.254', family: 4 }])
    for (const all of [true, false]) {
      const { error } = await run(metadata, all)
      expect(error).toBeInstanceOf(DestinationRefused)
      expect(error!.message).toBe('the address 169.254.169.254 is not allowed: link-local')
    }
    expect(await run(metadata, false, true)).toMatchObject({ error: null, address: '169.254.169.254' })
  })

  it('passes resolver errors on', async () => {
    const failing: ResolveHost = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND evil.example'), { code: 'ENOTFOUND' }))
    expect((await run(failing, true)).error).toMatchObject({ code: 'ENOTFOUND' })
    expect((await run(answering([]), false)).error).toMatchObject({ code: 'ENOTFOUND' })
  })
})

/** `evil.example` resolves to loopback, as a rebinding DNS server could answer. */
const rebinding: ResolveHost = async (hostname, options) => (hostname === 'evil.example' ? [{ address: '127.0.0.1', family: 4 }] : systemResolve(hostname, options))

const publishOn = async (host: TestHost) => {
  const { id, editToken } = await host.createIncident('Checkout down', 'SEV-1')
  const client = connectClient(host.url, id, editToken, 'lena')
  await client.synced
  joinIncident(client.doc, { by: 'lena', at: Date.now() }, { name: 'Lena' })
  fillDraft(client.doc, { by: 'lena', at: Date.now() }, 'customer', DEFAULT_TEMPLATES.customer, boardFacts(client.doc, Date.now()))
  await roundTrip(client)
  const published = await host.api(`/api/incidents/${id}/updates`, { token: editToken, body: { audience: 'customer', personId: 'lena' } })
  expect(published.status).toBe(201)
  return { id, client }
}

const failures = (doc: Parameters<typeof readTimeline>[0]) => readTimeline(doc).filter((e) => e.event?.type === 'update.deliveryFailed')

describe('channels on a host started without --allow-local-webhooks', () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({ webhookRetryDelaysMs: [50, 50], webhookLookup: rebinding })
  })
  afterAll(async () => {
    await host.stop()
    await removeDir(host.dataDir)
  })

  it('refuse loopback, link-local and unspecified addresses with a 400 naming url, storing nothing; LAN and internet addresses are accepted', async () => {
    const add = (url: string) => host.api('/api/channels', { token: host.hostToken, body: { name: 'hook', url, format: 'json', audiences: ['customer'] } })
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://127.0.0.1:9/', 'http://[::1]/', 'http://localhost/', 'http://[::ffff:127.0.0.1]/']) {
      expect(await add(url), url).toEqual({ status: 400, json: { error: `url: ${LOCAL_WEBHOOK_REFUSED}` } })
    }
    expect((await host.api('/api/channels', { token: host.hostToken })).json.channels).toEqual([])
    expect(await readFile(join(host.dataDir, RECORDS_FILE), 'utf8').catch(() => '')).not.toMatch(/"channels":\[\{/)

    const lan = await add('http://10.1.2.3/hook')
    const slack = await add('https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX')
    expect(lan).toMatchObject({ status: 201, json: { destination: '10.1.2.3' } })
    expect(slack).toMatchObject({ status: 201, json: { destination: 'hooks.slack.com' } })
    for (const c of [lan, slack]) expect((await host.api(`/api/channels/${c.json.id}`, { method: 'DELETE', token: host.hostToken })).status).toBe(204)
  })

  it('refuse at delivery a name that resolves to loopback: final, in the delivery log and on the timeline, and nothing is sent', async () => {
    const receiver = await startReceiver([200])
    const port = new URL(receiver.url).port
    const channel = await host.api('/api/channels', { token: host.hostToken, body: { name: 'Rebound', url: `http://evil.example:${port}/hook`, format: 'json', audiences: ['customer'] } })
    expect(channel.status).toBe(201)
    try {
      const { client } = await publishOn(host)
      await waitFor(client.doc, () => readDeliveries(client.doc)[0]?.state === 'failed')
      const [delivery] = readDeliveries(client.doc)
      expect(delivery!.attempts).toEqual([{ at: expect.any(Number), ms: expect.any(Number), error: 'the address 127.0.0.1 is not allowed: loopback' }])
      await waitFor(client.doc, () => failures(client.doc).length === 1)
      expect(failures(client.doc)[0]!.text).toBe('Update not delivered to Rebound after 1 attempt (the address 127.0.0.1 is not allowed: loopback)')
      // Past the retry delays: still one attempt, and the receiver heard nothing.
      await sleep(300)
      expect(readDeliveries(client.doc)[0]!.attempts).toHaveLength(1)
      expect(receiver.received).toEqual([])
      await expect.poll(async () => JSON.parse(await readFile(join(host.dataDir, RECORDS_FILE), 'utf8')).pendingDeliveries).toEqual([])
      client.close()
    } finally {
      await host.api(`/api/channels/${channel.json.id}`, { method: 'DELETE', token: host.hostToken })
      await receiver.close()
    }
  })
})

describe('a host started with --allow-local-webhooks', () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({ webhookRetryDelaysMs: [50, 50], allowLocalWebhooks: true, webhookLookup: rebinding })
  })
  afterAll(async () => {
    await host.stop()
    await removeDir(host.dataDir)
  })

  it('accepts a loopback channel and delivers to it, through the resolver it was given', async () => {
    const receiver = await startReceiver([200])
    const port = new URL(receiver.url).port
    const literal = await host.api('/api/channels', { token: host.hostToken, body: { name: 'Local', url: receiver.url, format: 'json', audiences: ['internal'] } })
    const named = await host.api('/api/channels', { token: host.hostToken, body: { name: 'Named', url: `http://evil.example:${port}/hook`, format: 'json', audiences: ['customer'] } })
    expect(literal.status).toBe(201)
    expect(named.status).toBe(201)
    try {
      const { client } = await publishOn(host)
      await waitFor(client.doc, () => readDeliveries(client.doc)[0]?.state === 'delivered')
      expect(readDeliveries(client.doc)[0]).toMatchObject({ channelName: 'Named', attempts: [{ status: 200 }] })
      expect(receiver.received).toHaveLength(1)
      expect(receiver.received[0]!.headers).toMatchObject({ host: `evil.example:${port}`, 'content-type': 'application/json', 'user-agent': 'WarRoom-Webhooks/1' })
      client.close()
    } finally {
      for (const c of [literal, named]) await host.api(`/api/channels/${c.json.id}`, { method: 'DELETE', token: host.hostToken })
      await receiver.close()
    }
  })

  it('treats a redirect as the final answer: recorded as HTTP 302 after one attempt, not followed', async () => {
    const receiver = await startReceiver([302])
    const channel = await host.api('/api/channels', { token: host.hostToken, body: { name: 'Moved', url: receiver.url, format: 'json', audiences: ['customer'] } })
    try {
      const { client } = await publishOn(host)
      await waitFor(client.doc, () => readDeliveries(client.doc)[0]?.state === 'failed')
      expect(readDeliveries(client.doc)[0]!.attempts.map((a) => a.status)).toEqual([302])
      await waitFor(client.doc, () => failures(client.doc).length === 1)
      expect(failures(client.doc)[0]!.text).toBe('Update not delivered to Moved after 1 attempt (HTTP 302)')
      await sleep(300)
      expect(receiver.received).toHaveLength(1)
      client.close()
    } finally {
      await host.api(`/api/channels/${channel.json.id}`, { method: 'DELETE', token: host.hostToken })
      await receiver.close()
    }
  })
})

it('a loopback channel added with the flag is refused at delivery once the host runs without it', async () => {
  const receiver = await startReceiver([200])
  const dataDir = await tempDir()
  try {
    const first = await startTestHost({ dataDir, allowLocalWebhooks: true })
    try {
      expect((await first.api('/api/channels', { token: first.hostToken, body: { name: 'Local', url: receiver.url, format: 'json', audiences: ['customer'] } })).status).toBe(201)
    } finally {
      await first.stop()
    }
    const second = await startTestHost({ dataDir, webhookRetryDelaysMs: [50, 50] })
    try {
      const { client } = await publishOn(second)
      await waitFor(client.doc, () => readDeliveries(client.doc)[0]?.state === 'failed')
      expect(readDeliveries(client.doc)[0]!.attempts.map((a) => a.error)).toEqual(['the address 127.0.0.1 is not allowed: loopback'])
      await sleep(300)
      expect(receiver.received).toEqual([])
      client.close()
    } finally {
      await second.stop()
    }
  } finally {
    await receiver.close()
    await removeDir(dataDir)
  }
})
