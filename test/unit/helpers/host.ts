import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { type HostOptions, type RunningHost, startHost } from '../../../electron/host/host'

export interface CreatedIncident {
  id: string
  editToken: string
  viewToken: string
  statusToken: string
  links: { edit: string; view: string; statusPage: string }
}

/** POST /api/incidents with the host token, as the IC's app does. */
export const createIncidentOn = async (url: string, hostToken: string, title = 'Checkout down', severity = 'SEV-2'): Promise<CreatedIncident> => {
  const response = await fetch(`${url}/api/incidents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${hostToken}` },
    body: JSON.stringify({ title, severity }),
  })
  if (response.status !== 201) throw new Error(`creating an incident failed: ${response.status} ${await response.text()}`)
  return (await response.json()) as CreatedIncident
}

export const tempDir = (prefix = 'warroom-'): Promise<string> => mkdtemp(join(tmpdir(), prefix))

export const silent = { info: () => undefined, error: () => undefined }

export interface TestHost extends RunningHost {
  dataDir: string
  errors: string[]
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert answers field by field; the contract's schemas check shapes elsewhere
  api: (path: string, init?: { token?: string; method?: string; body?: unknown; raw?: string }) => Promise<{ status: number; json: any }>
  createIncident: (title?: string, severity?: string) => Promise<CreatedIncident>
  stop: () => Promise<void>
}

export const startTestHost = async (options: Partial<HostOptions> = {}): Promise<TestHost> => {
  const dataDir = options.dataDir ?? (await tempDir())
  const errors: string[] = []
  const host = await startHost({
    port: 0,
    env: {},
    logger: { info: () => undefined, error: (m) => errors.push(m) },
    ...options,
    dataDir,
  })
  const api: TestHost['api'] = async (path, init = {}) => {
    const response = await fetch(`${host.url}${path}`, {
      method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
      headers: init.token ? { Authorization: `Bearer ${init.token}` } : {},
      ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    })
    return { status: response.status, json: await response.json().catch(() => undefined) }
  }
  return {
    ...host,
    dataDir,
    errors,
    api,
    createIncident: (title, severity) => createIncidentOn(host.url, host.hostToken, title, severity),
    stop: async () => {
      await host.close()
    },
  }
}

export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  synced: Promise<void>
  close: () => void
}

/** A stock y-websocket client, as the contract promises works. */
export const connectClient = (url: string, incidentId: string, token: string, person = 'tester'): TestClient => {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, incidentId, doc, {
    params: { token, person },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    provider.once('sync', () => resolve())
  })
  return {
    doc,
    provider,
    synced,
    close: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Resolves when `predicate` holds, checking after every document change (or fails after `ms`). */
export const waitFor = (doc: Y.Doc, predicate: () => boolean, ms = 5000): Promise<void> =>
  new Promise((resolve, reject) => {
    if (predicate()) return resolve()
    const timer = setTimeout(() => {
      doc.off('update', check)
      reject(new Error('condition not met in time'))
    }, ms)
    const check = (): void => {
      if (!predicate()) return
      clearTimeout(timer)
      doc.off('update', check)
      resolve()
    }
    doc.on('update', check)
  })

/** A raw WebSocket upgrade attempt: the HTTP status the host answered with, or 101. */
export const upgradeStatus = (url: string): Promise<number> =>
  new Promise((resolve) => {
    const ws = new WebSocket(url)
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', () => undefined)
  })

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
