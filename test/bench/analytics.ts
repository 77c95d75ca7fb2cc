// Analytics over 1,000 incidents of about 200 updates each: GET /api/analytics
// with the facts kept (warm) and with none kept (every incident read from its
// document, as after an upgrade), and the start page's Analytics view's first
// render in Chromium.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import type { Severity } from '../../shared/schema'
import { CHROMIUM_ARGS } from '../e2e/playwright.config'
import { archiveFile, importArchiveOn } from '../unit/helpers/archive'
import { spawnHost } from '../unit/helpers/child-host'
import { removeDir, tempDir } from '../unit/helpers/host'
import { DAY, type Plan, planId, runPlan } from '../unit/helpers/planned-incident'
import { median, percentile, round } from './measure'

const SEVERITIES: Severity[] = ['SEV-1', 'SEV-2', 'SEV-2', 'SEV-3', 'SEV-3', 'SEV-3', 'SEV-4']
const SERVICES = Array.from({ length: 20 }, (_, i) => ({ name: `service-${i}`, owner: `team-${i % 5}` }))
const PEOPLE = Array.from({ length: 30 }, (_, i) => `Responder ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? i : ''}`)

/** The n-th of the bench's incidents: varied, repeatable, over the last 180 days, about 200 updates. */
const plan = (n: number, now: number): Plan => {
  const pick = <T>(list: readonly T[], salt: number): T => list[(n * 7 + salt * 13) % list.length]!
  const ic = 1 + ((n * 3) % 15)
  const mitigated = ic + 5 + ((n * 11) % 200)
  return {
    id: `bench-${n}`,
    title: `Bench incident ${n}`,
    start: now - 180 * DAY + Math.floor((n * 180 * DAY) / 1000),
    severity: pick(SEVERITIES, 1),
    ic,
    mitigated,
    resolved: mitigated + 5 + ((n * 17) % 100),
    ...(n % 4 === 0 ? { sev1At: ic + 2 } : {}),
    service: pick(SERVICES, 2),
    people: [...new Set([pick(PEOPLE, 3), pick(PEOPLE, 4), pick(PEOPLE, 5)])],
    notes: 170,
  }
}

export interface AnalyticsBenchResult {
  incidents: number
  updatesPerIncident: number
  seedMs: number
  apiWarmMs: { median: number; p95: number }
  apiColdMs: number
  answerBytes: number
  viewFirstRenderMs: { median: number; runs: number[] }
}

const timeApi = async (url: string, token: string): Promise<{ ms: number; bytes: number }> => {
  const started = performance.now()
  const response = await fetch(`${url}/api/analytics`, { headers: { Authorization: `Bearer ${token}` } })
  const bytes = (await response.arrayBuffer()).byteLength
  if (response.status !== 200) throw new Error(`analytics answered ${response.status}`)
  return { ms: performance.now() - started, bytes }
}

export const runAnalyticsBench = async (count: number, samples: number): Promise<AnalyticsBenchResult> => {
  const dataDir = await tempDir('warroom-bench-')
  const webRoot = fileURLToPath(new URL('../../out/renderer', import.meta.url))
  let host = await spawnHost(dataDir, 0, 5_000, webRoot)
  const browser = await chromium.launch({ executablePath: process.env.WARROOM_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    const now = Date.now()
    let updates = 0
    const seedStarted = performance.now()
    for (let n = 0; n < count; n++) {
      const p = plan(n, now)
      const { records } = runPlan(p)
      updates += records.length
      const people = Object.fromEntries(p.people.map((name) => [planId(name), name]))
      await importArchiveOn(host.url, host.hostToken, archiveFile({ id: p.id, title: p.title!, severity: p.severity, status: 'resolved', createdAt: p.start }, people, records))
    }
    const seedMs = performance.now() - seedStarted

    // Warm: the facts the host keeps, aggregated on each call.
    const warm: number[] = []
    let answerBytes = 0
    for (let i = 0; i < samples; i++) {
      const { ms, bytes } = await timeApi(host.url, host.hostToken)
      warm.push(ms)
      answerBytes = bytes
    }

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.addInitScript((token) => localStorage.setItem('warroom.hostToken', token), host.hostToken)
    const renders: number[] = []
    for (let i = 0; i < 5; i++) {
      const started = performance.now()
      await page.goto(host.url)
      await page.getByRole('region', { name: 'Analytics' }).getByRole('status').filter({ hasText: `${count} incidents` }).waitFor({ timeout: 120_000 })
      await page.getByRole('img', { name: /Minutes to resolve for each incident/ }).waitFor()
      renders.push(performance.now() - started)
    }

    // Cold: the records without facts (a host upgraded from before analytics); the first call reads every document.
    await host.kill('SIGTERM')
    const recordsPath = join(dataDir, 'warroom.json')
    const stored = JSON.parse(await readFile(recordsPath, 'utf8')) as Record<string, unknown>
    delete stored.facts
    await writeFile(recordsPath, JSON.stringify(stored))
    host = await spawnHost(dataDir, 0, 5_000, webRoot)
    const cold = await timeApi(host.url, host.hostToken)

    return {
      incidents: count,
      updatesPerIncident: round(updates / count, 0),
      seedMs: round(seedMs, 0),
      apiWarmMs: { median: round(median(warm), 1), p95: round(percentile(warm, 95), 1) },
      apiColdMs: round(cold.ms, 0),
      answerBytes,
      viewFirstRenderMs: { median: round(median(renders), 0), runs: renders.map((r) => round(r, 0)) },
    }
  } finally {
    await browser.close()
    await host.kill('SIGTERM')
    await removeDir(dataDir)
  }
}
