// A board with 500 tasks and 50 people in Chromium: React commit time of one
// task's status change (Profiler API, profiling build), and how fast a status
// change and a timeline entry reach another screen.
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import react from '@vitejs/plugin-react'
import { build } from 'vite'
import { addPerson, joinIncident } from '../../shared/people'
import { createTask, transitionTask } from '../../shared/tasks'
import { addEntry } from '../../shared/timeline'
import { CHROMIUM_ARGS } from '../e2e/playwright.config'
import { spawnHost } from '../unit/helpers/child-host'
import { connectClient, createIncidentOn, removeDir, sleep, tempDir } from '../unit/helpers/host'
import { median, percentile, round } from './measure'

declare global {
  interface Window {
    /** Filled by board-profile/main.tsx in the page. */
    benchCommits: Array<{ at: number; actualMs: number }>
  }
}

const entry = fileURLToPath(new URL('./board-profile', import.meta.url))
const outDir = fileURLToPath(new URL('../../out/bench-renderer', import.meta.url))

export const buildProfilingBoard = async (): Promise<string> => {
  await build({
    root: entry,
    base: '/',
    logLevel: 'warn',
    plugins: [react()],
    resolve: { alias: { 'react-dom/client': 'react-dom/profiling' } },
    build: { outDir, emptyOutDir: true },
  })
  return outDir
}

export interface BoardRenderResult {
  tasks: number
  people: number
  samples: number
  commitMs: { median: number; p95: number; max: number }
  statusChangeToScreenMs: { median: number; p95: number }
  timelineEntryToScreenMs: { median: number; p95: number }
}

const summary = (values: number[]) => ({ median: round(median(values), 1), p95: round(percentile(values, 95), 1) })

export const runBoardRender = async (options: { tasks: number; people: number; samples: number }): Promise<BoardRenderResult> => {
  const webRoot = await buildProfilingBoard()
  const dataDir = await tempDir('warroom-bench-')
  const host = await spawnHost(dataDir, 0, 30_000, webRoot)
  const browser = await chromium.launch({ executablePath: process.env.WARROOM_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    const created = await createIncidentOn(host.url, host.hostToken, 'Render bench', 'SEV-1')
    const writer = connectClient(host.url, created.id, created.editToken, 'bench-writer')
    await writer.synced
    const { doc } = writer
    const change = () => ({ by: 'bench-writer', at: Date.now() })
    const taskIds: string[] = []
    doc.transact(() => {
      joinIncident(doc, change(), { name: 'Bench writer' })
      for (let p = 0; p < options.people; p++) addPerson(doc, change(), { id: `person-${p}`, name: `Responder ${String(p).padStart(2, '0')}` })
      for (let t = 0; t < options.tasks; t++) {
        taskIds.push(
          createTask(doc, change(), {
            title: `Bench task ${String(t).padStart(3, '0')}`,
            ownerId: `person-${t % options.people}`,
            ...(t % 3 === 0 ? { checkBackMinutes: 30 + (t % 60) } : {}),
          }),
        )
      }
    })

    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage()
    // tsx compiles this file with esbuild's keepNames, which wraps the functions we
    // send to the page in a __name() helper the page does not have.
    await page.addInitScript('window.__name = (fn) => fn')
    await page.addInitScript((token) => {
      sessionStorage.setItem('warroom.hostToken', token)
      localStorage.setItem('warroom.identity', JSON.stringify({ id: 'bench-reader', name: 'Bench reader' }))
    }, host.hostToken)
    await page.goto(`${host.url}/i/${created.id}`)
    await page.getByText(`${options.tasks} open`).waitFor({ timeout: 60_000 })
    await sleep(1000)

    const commits: number[] = []
    const statusLatency: number[] = []
    const entryLatency: number[] = []
    for (let i = 0; i < options.samples; i++) {
      const title = `Bench task ${String(i * 7).padStart(3, '0')}`
      // Wait in the page until the row says Acknowledged; report when (epoch ms, same machine clock).
      const seen = page.evaluate((label) => {
        window.benchCommits.length = 0
        return new Promise<number>((resolve) => {
          const check = (): boolean => {
            const row = [...document.querySelectorAll('[role="listitem"][aria-label]')].find((el) => el.getAttribute('aria-label')!.startsWith(`${label},`))
            if (!row?.getAttribute('aria-label')!.includes('Acknowledged')) return false
            resolve(Date.now())
            return true
          }
          new MutationObserver((_, observer) => check() && observer.disconnect()).observe(document.body, { subtree: true, attributes: true, childList: true })
        })
      }, title)
      await sleep(50)
      const sentAt = Date.now()
      transitionTask(doc, change(), taskIds[i * 7]!, 'acknowledged')
      statusLatency.push((await seen) - sentAt)
      await sleep(150)
      const durations = await page.evaluate(() => window.benchCommits.map((c) => c.actualMs))
      commits.push(Math.max(...durations))

      const text = `bench note ${i}`
      const entrySeen = page.evaluate(
        (needle) =>
          new Promise<number>((resolve) => {
            const log = document.querySelector('[role="log"]')!
            new MutationObserver((_, observer) => {
              if (!log.textContent?.includes(needle)) return
              observer.disconnect()
              resolve(Date.now())
            }).observe(log, { subtree: true, childList: true, characterData: true })
          }),
        text,
      )
      await sleep(50)
      const entryAt = Date.now()
      addEntry(doc, change(), { kind: 'note', text })
      entryLatency.push((await entrySeen) - entryAt)
      await sleep(100)
    }
    writer.close()
    return {
      tasks: options.tasks,
      people: options.people,
      samples: options.samples,
      commitMs: { ...summary(commits), max: round(Math.max(...commits), 1) },
      statusChangeToScreenMs: summary(statusLatency),
      timelineEntryToScreenMs: summary(entryLatency),
    }
  } finally {
    await browser.close()
    await host.kill('SIGTERM')
    await removeDir(dataDir)
  }
}
