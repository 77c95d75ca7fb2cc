// Replay of a 24-hour, 100,000-update incident: seeking, from the request to
// the board's state ready to render (the board's document at that time and the
// sorted timeline and task views the panes read); its archive's export and
// import; and playing it at 60× on the board in Chromium.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import * as Y from 'yjs'
import { taskIndex } from '../../shared/doc-index'
import { declareIncident } from '../../shared/incident'
import { joinIncident } from '../../shared/people'
import { ROLES, assignRole } from '../../shared/roles'
import { SERVICE_STATUSES, addService, setServiceStatus } from '../../shared/services'
import { createTask, reportOnTask } from '../../shared/tasks'
import { ReplayLog, type ReplayRecord } from '../../shared/replay'
import { CHROMIUM_ARGS } from '../e2e/playwright.config'
import { archiveFile, importArchiveOn } from '../unit/helpers/archive'
import { spawnHost } from '../unit/helpers/child-host'
import { removeDir, tempDir } from '../unit/helpers/host'
import { writeLongIncident } from './long-incident'
import { median, percentile, round } from './measure'

const DAY_MS = 24 * 3600_000

/** The incident's log as the host keeps it: each update with the host time it arrived, over 24 hours. */
export const recordLongIncident = async (updates: number, entryShare: number, start = Date.UTC(2026, 10, 1)): Promise<ReplayRecord[]> => {
  const doc = new Y.Doc()
  const records: ReplayRecord[] = []
  let at = start
  let author = 'host'
  doc.on('update', (update: Uint8Array) => records.push({ at, author, update }))
  declareIncident(doc, { by: 'host', at }, { id: 'replay-bench', title: 'Replay bench', severity: 'SEV-1' })
  // Spread over the day with some bursts: two in three updates come in the busiest third.
  const timeOf = (i: number): number => {
    const share = i / updates
    return start + Math.round((share < 2 / 3 ? share / 2 : 1 / 3 + (share - 2 / 3) * 2) * DAY_MS)
  }
  // The board around the log: 50 people, 30 services; one update in 100 a board
  // change (a service's status, a task, a report back, a role hand-over).
  const as = (by: string) => ({ by, at })
  for (let p = 0; p < 50; p++) joinIncident(doc, as(`person-${p}`), { name: `Person ${p}` })
  const services = Array.from({ length: 30 }, (_, n) => addService(doc, as('person-0'), { name: `service-${n}`, kind: 'component', business: n % 5 === 0 }))
  const tasks: string[] = []
  await writeLongIncident(
    doc,
    updates,
    entryShare,
    (i) => {
      at = timeOf(i)
      author = `person-${i % 50}`
      return at
    },
    (i) => {
      if (i % 100 !== 0) return
      const step = (i / 100) % 4
      if (step === 0) setServiceStatus(doc, as(author), services[i % services.length]!, SERVICE_STATUSES[Math.floor(i / 400) % SERVICE_STATUSES.length]!)
      else if (step === 1) tasks.push(createTask(doc, as(author), { title: `Task ${i}`, ownerId: `person-${Math.floor(i / 100) % 50}`, checkBackMinutes: 15 }))
      else if (step === 2 && tasks.length > 0) reportOnTask(doc, as(author), tasks.at(-1)!, `Still looking (${i})`)
      else if (step === 3) assignRole(doc, as(author), ROLES[Math.floor(i / 400) % 3]!, `person-${Math.floor(i / 400) % 50}`)
    },
  )
  return records
}

export interface SeekResult {
  updates: number
  buildMs: number
  keyframes: number
  keyframeMiB: number
  seeks: number
  /** Reading the log into keyframes and the timeline's history (once, when a replay opens). */
  docMs: { median: number; p95: number; max: number }
  readyMs: { median: number; p95: number; max: number }
}

const summary = (values: number[]) => ({ median: round(median(values), 2), p95: round(percentile(values, 95), 2), max: round(Math.max(...values), 2) })

export const runSeekBench = async (records: ReplayRecord[], seeks: number): Promise<SeekResult> => {
  const started = performance.now()
  const log = new ReplayLog(records)
  log.read()
  const buildMs = performance.now() - started
  const docMs: number[] = []
  const readyMs: number[] = []
  let seed = 12345
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  for (let i = 0; i < seeks; i++) {
    const at = log.start + random() * (log.end - log.start)
    const t0 = performance.now()
    const count = log.countAt(at)
    const doc = log.boardAfter(count)
    const t1 = performance.now()
    log.timelineAfter(count)
    const tasks = taskIndex(doc)
    tasks.all()
    const t2 = performance.now()
    docMs.push(t1 - t0)
    readyMs.push(t2 - t0)
    tasks.destroy()
    doc.destroy()
  }
  return {
    updates: records.length,
    buildMs: round(buildMs),
    keyframes: log.keyframeCount,
    keyframeMiB: round(log.boardBytes / 2 ** 20, 1),
    seeks,
    docMs: summary(docMs),
    readyMs: summary(readyMs),
  }
}

export interface ArchiveResult {
  archiveBytes: number
  /** The incident's folder on the host it was imported to (its update log, before any checkpoint). */
  dataFolderBytes: number
  importMs: number
  exportMs: number
}

export interface PlayResult {
  /** From opening /replay/<id> to the replay bar (download and reading included). */
  openMs: number
  seconds: number
  speed: number
  fps: number
  /** The 95th-percentile frame, as frames per second. */
  p95FrameFps: number
  longestFrameMs: number
}

const folderBytes = async (dir: string): Promise<number> => {
  let total = 0
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size
  return total
}

/** Import the incident's archive on a host, export it again, then play it at 60× in Chromium for `seconds`. */
export const runArchiveAndPlay = async (records: ReplayRecord[], seconds: number): Promise<{ archive: ArchiveResult; play: PlayResult }> => {
  const file = archiveFile(
    { id: 'replay-bench', title: 'Replay bench', severity: 'SEV-1', status: 'investigating', createdAt: records[0]!.at },
    Object.fromEntries(Array.from({ length: 50 }, (_, p) => [`person-${p}`, `Person ${p}`])),
    records.map((r) => ({ ...r, access: 'edit' as const })),
  )
  const dataDir = await tempDir('warroom-bench-')
  // The board as `npm run build` made it (the bench builds nothing itself).
  const host = await spawnHost(dataDir, 0, 30_000, fileURLToPath(new URL('../../out/renderer', import.meta.url)))
  const browser = await chromium.launch({ executablePath: process.env.WARROOM_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    let started = performance.now()
    const { id } = await importArchiveOn(host.url, host.hostToken, file)
    const importMs = performance.now() - started
    started = performance.now()
    const exported = await fetch(`${host.url}/api/incidents/${id}/archive`, { headers: { Authorization: `Bearer ${host.hostToken}` } })
    const exportedBytes = (await exported.arrayBuffer()).byteLength
    const exportMs = performance.now() - started
    const archive = { archiveBytes: exportedBytes, dataFolderBytes: await folderBytes(join(dataDir, 'incidents', id)), importMs: round(importMs), exportMs: round(exportMs) }

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.addInitScript((token) => localStorage.setItem('warroom.hostToken', token), host.hostToken)
    // From the busiest stretch: two in three updates come in the day's first third.
    const from = records[0]!.at + 2 * 3600_000
    started = performance.now()
    await page.goto(`${host.url}/replay/${id}?at=${from}`)
    await page.getByRole('region', { name: 'Replay controls' }).waitFor({ timeout: 120_000 })
    const openMs = performance.now() - started
    await page.getByRole('radio', { name: '60×' }).check()
    await page.getByRole('button', { name: 'Play' }).click()
    // A string, so the bundler's helpers (tsx names functions) are not needed in the page.
    const frames = (await page.evaluate(`new Promise((resolve) => {
      const times = []
      const end = performance.now() + ${seconds * 1000}
      requestAnimationFrame(function frame(now) {
        times.push(now)
        if (now < end) requestAnimationFrame(frame)
        else resolve(times)
      })
    })`)) as number[]
    const gaps = frames.slice(1).map((t, i) => t - frames[i]!)
    const play = {
      openMs: round(openMs),
      seconds,
      speed: 60,
      fps: round((gaps.length / (frames.at(-1)! - frames[0]!)) * 1000, 1),
      p95FrameFps: round(1000 / percentile(gaps, 95), 1),
      longestFrameMs: round(Math.max(...gaps), 1),
    }
    return { archive, play }
  } finally {
    await browser.close()
    await host.kill('SIGTERM')
    await removeDir(dataDir)
  }
}
