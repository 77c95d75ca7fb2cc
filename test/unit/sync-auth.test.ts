import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYNC_PROTOCOL, syncProtocols, tokenFromProtocols } from '../../shared/sync-auth'
import { type TestHost, removeDir, startTestHost } from './helpers/host'

describe('the token as a subprotocol', () => {
  it('round-trips any token, and finds nothing in a foreign or malformed offer', () => {
    for (const token of ['abcDEF_123-xyz', 'with spaces, commas; and = signs', 'ünïcødé-🔑']) expect(tokenFromProtocols(syncProtocols(token))).toBe(token)
    expect(syncProtocols('a b,c')[1]).toMatch(/^wr-token\.[A-Za-z0-9_-]+$/)
    expect(tokenFromProtocols([SYNC_PROTOCOL])).toBeUndefined()
    expect(tokenFromProtocols(['wr-token.not base64!'])).toBeUndefined()
    expect(tokenFromProtocols(['graphql-ws'])).toBeUndefined()
  })
})

describe('the sync endpoint', () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost()
  })
  afterAll(async () => {
    await host.stop()
    await removeDir(host.dataDir)
  })

  const open = (url: string, protocols?: string[]): Promise<{ status: number; protocol?: string }> =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, protocols)
      ws.on('open', () => {
        resolve({ status: 101, protocol: ws.protocol })
        ws.close()
      })
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0 })
        ws.terminate()
      })
      ws.on('error', () => undefined)
    })

  it('takes the token from the subprotocol, with no token in the URL, and answers with the protocol', async () => {
    const { id, editToken } = await host.createIncident()
    const base = `${host.url.replace('http', 'ws')}/sync/${id}?person=alice`
    expect(await open(base, syncProtocols(editToken))).toEqual({ status: 101, protocol: SYNC_PROTOCOL })
    expect(await open(base, syncProtocols(host.hostToken))).toEqual({ status: 101, protocol: SYNC_PROTOCOL })
    expect((await open(base, syncProtocols('not-a-token'))).status).toBe(401)
    expect((await open(base, [SYNC_PROTOCOL])).status).toBe(401)
    // Stock clients still put it in the query.
    expect((await open(`${base}&token=${editToken}`)).status).toBe(101)
  })
})
