// The service graph: impact propagation on a large graph (Node), and 1,000
// services on the board in Chromium (first render, panning, layout).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Page, chromium } from '@playwright/test'
import ELK from 'elkjs/lib/elk.bundled.js'
import { ImpactModel, computeImpact } from '../../shared/impact'
import { type Catalog, type ServiceStatus, loadCatalog, setPositions, setServiceStatus } from '../../shared/services'
import { CHROMIUM_ARGS } from '../e2e/playwright.config'
import { spawnHost } from '../unit/helpers/child-host'
import { connectClient, createIncidentOn, removeDir, sleep, tempDir } from '../unit/helpers/host'
import { seededRandom } from '../unit/helpers/random'
import { median, percentile, round } from './measure'
import { fromElkGraph, nodeSize, toElkGraph } from '../../renderer/graph/layout'

/**
 * An estate like a real catalog: teams' clusters of about twenty services in
 * four tiers (a business service on top, stores at the bottom), depending
 * mostly within their cluster and otherwise on a shared platform cluster;
 * one dependency in a hundred points back up (a cycle).
 */
export const generateCatalog = (services: number, dependencies: number, seed = 42): Catalog => {
  const random = seededRandom(seed)
  const clusterSize = 20
  const tierOf = (i: number): number => Math.min(3, Math.floor(((i % clusterSize) * 4) / clusterSize))
  const list = Array.from({ length: services }, (_, i) => {
    const tier = tierOf(i)
    const business = i % clusterSize === 0
    return { id: `svc-${i}`, name: `Service ${i}`, kind: (business ? 'system' : tier === 3 ? 'resource' : 'component') as Catalog['services'][number]['kind'], business }
  })
  const edges = new Map<string, { from: string; to: string }>()
  const clusters = Math.ceil(services / clusterSize)
  while (edges.size < dependencies) {
    const from = random(services)
    const cluster = random(100) < 15 ? 0 : Math.floor(from / clusterSize)
    const base = cluster * clusterSize
    const to = Math.min(services - 1, base + random(clusterSize))
    const downwards = tierOf(to) > tierOf(from) || cluster !== Math.floor(from / clusterSize)
    if (to !== from && (downwards || random(1000) === 0) && clusters > 0) edges.set(`${from}>${to}`, { from: `svc-${from}`, to: `svc-${to}` })
  }
  return { services: list, dependencies: [...edges.values()] }
}

export interface ImpactBench {
  services: number
  dependencies: number
  buildMs: number
  statusChangeMs: { median: number; p95: number; max: number }
  fromScratchMs: { median: number }
}

export const runImpactBench = (services = 10_000, dependencies = 30_000, changes = 2000): ImpactBench => {
  const catalog = generateCatalog(services, dependencies)
  const status = new Map<string, ServiceStatus>(catalog.services.map((s) => [s.id, 'operational']))
  const nodes = () => catalog.services.map((s) => ({ id: s.id, business: s.business, status: status.get(s.id)! }))
  const start = performance.now()
  const model = new ImpactModel(nodes(), catalog.dependencies)
  const buildMs = performance.now() - start
  const random = seededRandom(3)
  const pick = (): string => catalog.services[random(services)]!.id
  // A handful of services already down, as in a real incident.
  for (let i = 0; i < 5; i++) {
    const id = pick()
    status.set(id, 'majorOutage')
    model.setStatus(id, 'majorOutage')
  }
  const times: number[] = []
  for (let i = 0; i < changes; i++) {
    const id = pick()
    const next: ServiceStatus = status.get(id) === 'operational' ? 'partialOutage' : 'operational'
    status.set(id, next)
    const t = performance.now()
    model.setStatus(id, next)
    times.push(performance.now() - t)
  }
  const scratch: number[] = []
  for (let i = 0; i < 20; i++) {
    const t = performance.now()
    computeImpact(nodes(), catalog.dependencies)
    scratch.push(performance.now() - t)
  }
  return {
    services,
    dependencies: catalog.dependencies.length,
    buildMs: round(buildMs, 1),
    statusChangeMs: { median: round(median(times), 3), p95: round(percentile(times, 95), 3), max: round(Math.max(...times), 2) },
    fromScratchMs: { median: round(median(scratch), 2) },
  }
}

export interface BoardGraphBench {
  services: number
  firstRenderMs: number
  nodesDrawn: number
  panFps: PanFps
  panFpsClose: PanFps
  layout: { ms: number; longTasks: number; longestTaskMs: number }
}

const webRoot = fileURLToPath(new URL('../../out/renderer', import.meta.url))

/** Positions as the board would store them (its own layout), computed here so the first render needs no layout. */
const layoutInNode = async (catalog: Catalog): Promise<Map<string, { x: number; y: number }>> => {
  const request = {
    nodes: catalog.services.map((s) => ({ id: s.id, ...nodeSize(s.business ?? false) })),
    edges: catalog.dependencies.map((d, i) => ({ id: `e${i}`, from: d.from, to: d.to })),
  }
  return new Map(Object.entries(fromElkGraph(await new ELK().layout(toElkGraph(request)))))
}

interface PanFps {
  mean: number
  p5FrameFps: number
  frames: number
}

/** Drags the background for two seconds, counting animation frames in the page. */
const measurePan = async (page: Page): Promise<PanFps> => {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!
  await page.evaluate(() => {
    const w = window as unknown as { frames_: number[]; recording: boolean }
    w.frames_ = []
    w.recording = true
    const tick = (t: number): void => {
      if (!w.recording) return
      w.frames_.push(t)
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  const startX = pane.x + 8
  const startY = pane.y + pane.height / 2
  await page.mouse.move(startX, startY)
  await page.mouse.down()
  const steps = 120
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(startX + (i * 500) / steps, startY + Math.sin(i / 10) * 60)
    await sleep(2000 / steps)
  }
  await page.mouse.up()
  const frames = await page.evaluate(() => {
    const w = window as unknown as { frames_: number[]; recording: boolean }
    w.recording = false
    return w.frames_
  })
  const intervals = frames.slice(1).map((t, i) => t - frames[i]!)
  return {
    mean: round((1000 * intervals.length) / (frames.at(-1)! - frames[0]!), 1),
    p5FrameFps: round(1000 / percentile(intervals, 95), 1),
    frames: frames.length,
  }
}

export const runBoardGraphBench = async (services = 1000, dependencies = 3000): Promise<BoardGraphBench> => {
  if (!existsSync(`${webRoot}/index.html`)) throw new Error('Build the web UI first (npm run build).')
  const dataDir = await tempDir('warroom-bench-')
  const host = await spawnHost(dataDir, 0, 30_000, webRoot)
  const browser = await chromium.launch({ executablePath: process.env.WARROOM_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    const { id } = await createIncidentOn(host.url, host.hostToken, 'Graph bench', 'SEV-1')
    const catalog = generateCatalog(services, dependencies)
    const positions = await layoutInNode(catalog)
    const writer = connectClient(host.url, id, host.hostToken, 'bench-writer')
    await writer.synced
    writer.doc.transact(() => {
      loadCatalog(writer.doc, { by: 'bench-writer', at: Date.now() }, catalog, 'the bench')
      setPositions(writer.doc, positions)
      // Mid-incident: a few services down, so edges carrying impact are drawn too.
      for (const id of ['svc-3', 'svc-19', 'svc-250', 'svc-613', 'svc-987']) setServiceStatus(writer.doc, { by: 'bench-writer', at: Date.now() }, id, 'majorOutage')
    })
    await sleep(1000)
    writer.close()

    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage()
    await page.addInitScript((token) => {
      sessionStorage.setItem('warroom.hostToken', token)
      localStorage.setItem('warroom.identity', JSON.stringify({ id: 'bench-reader', name: 'Bench reader' }))
      ;(window as unknown as { __name: unknown }).__name = (fn: unknown) => fn
    }, host.hostToken)
    await page.goto(`${host.url}/i/${id}`)
    // First render: from navigation until the graph's first fit is applied with its nodes drawn
    // (React Flow draws only the nodes in view; the fit stops where names stay readable, so of
    // 1,000 services only those around the centre are in view and drawn).
    await page.waitForFunction(
      () => {
        const scale = /scale\(([\d.]+)\)/.exec((document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform ?? '')
        return scale !== null && Number(scale[1]) < 1 && document.querySelectorAll('.react-flow__node').length > 0
      },
      undefined,
      { timeout: 60_000, polling: 'raf' },
    )
    const firstRenderMs = await page.evaluate(() => performance.now())
    const nodesDrawn = await page.locator('.react-flow__node').count()
    await sleep(1500)

    // Pan across the whole estate (fitted), then at reading zoom around a service that is down.
    const panFps = await measurePan(page)
    await page.getByRole('searchbox', { name: 'Find a service' }).fill('Service 250')
    await page.getByRole('searchbox', { name: 'Find a service' }).press('Enter')
    await sleep(1000)
    const panFpsClose = await measurePan(page)

    // Layout of all nodes: in the worker; long tasks on the main thread are counted meanwhile.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] }
      w.longTasks = []
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration)
      }).observe({ type: 'longtask' })
    })
    // Timed from the press until the button is back (the board says "Laying out…" meanwhile).
    const layoutStart = Date.now()
    await page.getByRole('button', { name: 'Re-layout' }).click()
    await page.getByRole('button', { name: 'Laying out…' }).waitFor({ timeout: 5_000 })
    await page.getByRole('button', { name: 'Re-layout' }).waitFor({ timeout: 60_000 })
    const layoutMs = Date.now() - layoutStart
    await sleep(1000)
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)
    return {
      services,
      firstRenderMs: round(firstRenderMs),
      nodesDrawn,
      panFps,
      panFpsClose,
      layout: { ms: layoutMs, longTasks: longTasks.filter((d) => d > 50).length, longestTaskMs: round(Math.max(0, ...longTasks)) },
    }
  } finally {
    await browser.close()
    await host.kill('SIGTERM')
    await removeDir(dataDir)
  }
}
