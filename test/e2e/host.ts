// Runs the real headless host (`npm run serve`'s entry point) for a test, and
// stops or kills it like an operator or a power cut would.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { type CreatedIncident, createIncidentOn } from '../unit/helpers/host'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface E2eHost {
  url: string
  port: number
  dataDir: string
  hostToken: string
  /** SIGTERM (a clean stop) or SIGKILL (a crash). */
  stop: (signal?: NodeJS.Signals) => Promise<void>
  /** Start again on the same port and data. */
  start: () => Promise<void>
  createIncident: (title: string, severity?: string) => Promise<CreatedIncident>
}

const launch = (dataDir: string, port: number): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    // Webhook receivers in these tests listen on loopback, which a host refuses by default.
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron/host/cli.ts'), '--port', String(port), '--data', dataDir, '--allow-local-webhooks'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    child.once('exit', (code) => reject(new Error(`host exited (${code})`)))
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line)
      if (match) resolve({ child, url: match[1]! })
    })
  })

/** `dataDir`: a folder to use (a small disk, say) instead of a new temp folder. */
export const startE2eHost = async (dataDir?: string): Promise<E2eHost> => {
  dataDir ??= await mkdtemp(join(tmpdir(), 'warroom-e2e-'))
  const first = await launch(dataDir, 0)
  const url = first.url
  let child = first.child
  const port = Number(new URL(url).port)
  const hostToken = (await readFile(join(dataDir, 'host-token'), 'utf8')).trim()
  const stop = (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> =>
    new Promise((done) => {
      child.removeAllListeners('exit')
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', () => done())
      child.kill(signal)
    })
  return {
    url,
    port,
    dataDir,
    hostToken,
    stop,
    start: async () => {
      ;({ child } = await launch(dataDir, port))
    },
    createIncident: (title, severity) => createIncidentOn(url, hostToken, title, severity),
  }
}

export const disposeE2eHost = async (host: E2eHost): Promise<void> => {
  await host.stop()
  await rm(host.dataDir, { recursive: true, force: true })
}

/** Open the host's start page as its operator: with the host token, as pasted into "Run this host". */
export const openStartPage = async (page: Page, host: E2eHost): Promise<void> => {
  await page.addInitScript((token) => localStorage.setItem('warroom.hostToken', token), host.hostToken)
  await page.goto(host.url)
}

/** The host's API with its host token: the status and the JSON answer ({} when there is none). */
export const hostApi = async (host: E2eHost, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(`${host.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { Authorization: `Bearer ${host.hostToken}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> }
}
