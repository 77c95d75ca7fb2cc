// `npm run bench [-- suite…]`: prints a table per suite and writes
// test/bench/results.json. Quote medians and ratios: machines are noisy.
import { writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { spawnHost, spawnScript } from '../unit/helpers/child-host'
import { createIncidentOn, removeDir, tempDir } from '../unit/helpers/host'
import { runAlertStorm } from './alert-storm'
import { runAnalyticsBench } from './analytics'
import { runPostmortemBench } from './postmortem'
import { runBoardRender } from './board-render'
import { runCatalogBench } from './catalog'
import { runColdOpen } from './cold-open'
import { recordLongIncident, runArchiveAndPlay, runSeekBench } from './replay'
import { type FanoutResult, runFanout } from './fanout'
import { runBoardGraphBench, runImpactBench } from './graph'
import { median, round } from './measure'

const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url))
const stockServer = fileURLToPath(new URL('./stock-server.ts', import.meta.url))

const FANOUT = { clients: 50, entriesPerSecond: 2, seconds: 20 }
const FANOUT_ROUNDS = 3

// Every y-websocket provider in Node adds a process 'exit' listener; 50 are expected here.
process.setMaxListeners(200)

const suites: Record<string, () => Promise<unknown>> = {
  fanout: async () => {
    const runOurs = async (): Promise<FanoutResult> => {
      const dataDir = await tempDir('warroom-bench-')
      const host = await spawnHost(dataDir)
      const created = await createIncidentOn(host.url, host.hostToken, 'Fan-out', 'SEV-1')
      const result = await runFanout({ url: host.url, room: created.id, token: created.editToken, pid: host.process.pid!, ...FANOUT })
      await host.kill('SIGTERM')
      await removeDir(dataDir)
      return result
    }
    const runStock = async (): Promise<FanoutResult> => {
      const stock = await spawnScript<{ url: string }>(stockServer, [])
      const result = await runFanout({ url: stock.info.url, room: 'fanout', token: 'unused', pid: stock.process.pid!, ...FANOUT })
      await stock.kill()
      return result
    }
    // Alternated, so neither server always meets the bench's 50 clients with a cold JIT.
    const ours: FanoutResult[] = []
    const stock: FanoutResult[] = []
    for (let round = 0; round < FANOUT_ROUNDS; round++) {
      ours.push(await runOurs())
      stock.push(await runStock())
    }
    const summary = (runs: FanoutResult[]) => ({
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      cpuPercent: median(runs.map((r) => r.cpuPercent)),
      peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
      lost: runs.reduce((sum, r) => sum + r.lost, 0),
    })
    console.table([
      ...ours.map((r, i) => ({ server: `War Room host, run ${i + 1}`, ...r })),
      ...stock.map((r, i) => ({ server: `@y/websocket-server 0.1.1, run ${i + 1}`, ...r })),
    ])
    const a = summary(ours)
    const b = summary(stock)
    const ratio = { p50: round(a.p50Ms / b.p50Ms, 2), p99: round(a.p99Ms / b.p99Ms, 2), cpu: round(a.cpuPercent / b.cpuPercent, 2) }
    console.log(`medians, ours / stock: p50 ${a.p50Ms} / ${b.p50Ms} ms (${ratio.p50}×), p99 ${a.p99Ms} / ${b.p99Ms} ms (${ratio.p99}×), CPU ${a.cpuPercent} / ${b.cpuPercent} % (${ratio.cpu}×)`)
    return { workload: FANOUT, rounds: FANOUT_ROUNDS, ours: { runs: ours, median: a }, stock: { runs: stock, median: b }, ratio }
  },
  boardRender: async () => {
    const result = await runBoardRender({ tasks: 500, people: 50, samples: 30 })
    console.table({
      'React commit of one status change, whole board (ms)': result.commitMs,
      'status change → other screen (ms)': result.statusChangeToScreenMs,
      'timeline entry → other screen (ms)': result.timelineEntryToScreenMs,
    })
    console.log(`${result.tasks} tasks, ${result.people} people, ${result.samples} samples; target: commit under 16 ms`)
    return result
  },
  impact: async () => {
    const result = runImpactBench()
    console.table({ 'one status change (ms)': result.statusChangeMs, 'from scratch (ms)': result.fromScratchMs })
    console.log(`${result.services} services, ${result.dependencies} dependencies; model built in ${result.buildMs} ms; target: median under 2 ms`)
    return result
  },
  boardGraph: async () => {
    const result = await runBoardGraphBench()
    console.table({
      'first render (ms, target 1500)': { value: result.firstRenderMs },
      'nodes drawn once fitted': { value: result.nodesDrawn },
      'pan whole estate, mean fps (target 55)': { value: result.panFps.mean },
      'pan whole estate, 95th-percentile frame as fps': { value: result.panFps.p5FrameFps },
      'pan at reading zoom, mean fps': { value: result.panFpsClose.mean },
      'pan at reading zoom, 95th-percentile frame as fps': { value: result.panFpsClose.p5FrameFps },
      'layout in the worker (ms)': { value: result.layout.ms },
      'main-thread tasks over 50 ms during layout': { value: result.layout.longTasks },
      'longest main-thread task (ms)': { value: result.layout.longestTaskMs },
    })
    return result
  },
  catalog: async () => {
    const result = await runCatalogBench()
    console.table({
      'parseCatalog on the calling thread, first run (ms)': result.coldParseMs,
      'parseCatalog on the calling thread, warm median (ms)': result.parseMs,
      'parseCatalogOffThread, worker start included (ms)': result.offThreadMs,
      'longest event-loop stall meanwhile (ms)': result.offThreadMaxLoopDelayMs,
    })
    console.log(`${result.entities} entities, ${result.mib} MiB: ${result.services} services, ${result.dependencies} dependencies`)
    return result
  },
  alertStorm: async () => {
    const result = await runAlertStorm({ alerts: 10_000, seconds: 60, services: 50, boardClients: 20 })
    const { fanout, ...intake } = result
    console.table(intake)
    console.table({ quiet: fanout.quiet, storm: fanout.storm })
    console.log(`board fan-out during the storm / without: p50 ${fanout.p50Ratio}×, p99 ${fanout.p99Ratio}×`)
    return result
  },
  replay: async () => {
    const results: Record<string, unknown> = {}
    for (const [name, entryShare] of [
      ['mixed: 10% new entries, the rest corrections and stars', 0.1],
      ['worst case: every update a new entry', 1],
    ] as const) {
      const records = await recordLongIncident(100_000, entryShare)
      const seek = await runSeekBench(records, 200)
      const { archive, play } = await runArchiveAndPlay(records, 10)
      console.log(`\n${name}: ${seek.updates} updates over 24 hours`)
      console.table({
        'read the log on opening (ms)': seek.buildMs,
        'seek to the board document, median / p95 / max (ms)': `${seek.docMs.median} / ${seek.docMs.p95} / ${seek.docMs.max}`,
        'seek to the board ready to render, median / p95 / max (ms)': `${seek.readyMs.median} / ${seek.readyMs.p95} / ${seek.readyMs.max}`,
        'keyframes and the copy’s updates (MiB)': seek.keyframeMiB,
        'archive import / export (ms)': `${archive.importMs} / ${archive.exportMs}`,
        'archive / data folder (bytes)': `${archive.archiveBytes} / ${archive.dataFolderBytes} (${round(archive.archiveBytes / archive.dataFolderBytes, 2)}×)`,
        'Chromium: open the replay (ms)': play.openMs,
        'Chromium: play at 60×, fps (p95 frame as fps, longest frame ms)': `${play.fps} (${play.p95FrameFps}, ${play.longestFrameMs})`,
      })
      results[name] = { seek, archive, play }
    }
    console.log('targets: seek median ≤ 50 ms, p95 ≤ 150 ms; 60× at ≥ 30 fps')
    return results
  },
  analytics: async () => {
    const result = await runAnalyticsBench(1000, 20)
    console.log(`\n${result.incidents} incidents, ${result.updatesPerIncident} updates each (seeded through archives in ${result.seedMs} ms)`)
    console.table({
      'GET /api/analytics, facts kept: median / p95 (ms)': `${result.apiWarmMs.median} / ${result.apiWarmMs.p95}`,
      'GET /api/analytics, no facts kept (every document read) (ms)': result.apiColdMs,
      'answer (bytes)': result.answerBytes,
      'Chromium: start page to the Analytics view drawn, median (ms)': result.viewFirstRenderMs.median,
    })
    return result
  },
  postmortem: async () => {
    const results: Record<string, unknown> = {}
    for (const [name, entryShare] of [
      ['mixed: 10% new entries, the rest corrections and stars', 0.1],
      ['worst case: every update a new entry', 1],
    ] as const) {
      const result = await runPostmortemBench(100_000, entryShare, 5)
      console.log(`\n${name}: ${result.updates} updates`)
      console.table({
        'first draft, median / max (ms)': `${result.firstDraftMs.median} / ${result.firstDraftMs.max}`,
        'regenerate after an edit, median / max (ms)': `${result.regenerateMs.median} / ${result.regenerateMs.max}`,
        'draft (characters)': result.draftChars,
      })
      results[name] = result
    }
    return results
  },
  coldOpen: async () => {
    const results: Record<string, unknown> = {}
    for (const [name, entryShare] of [
      ['mixed: 10% new entries, the rest corrections and stars', 0.1],
      ['worst case: every update a new entry', 1],
    ] as const) {
      const result = await runColdOpen(100_000, entryShare, 5)
      console.log(`\n${name}: ${result.updates} updates, ${result.entries} entries`)
      console.table(result.cases.map(({ firstSyncMsRuns: _, ...row }) => row))
      console.log(`log ${result.logBytes} bytes = ${result.logBytesPer1000Entries} bytes per 1,000 entries; checkpoint ${result.checkpointBytes} bytes`)
      results[name] = result
    }
    return results
  },
}

const wanted = process.argv.slice(2).filter((a) => a !== '--')
const names = wanted.length > 0 ? wanted : Object.keys(suites)
const unknown = names.filter((n) => !(n in suites))
if (unknown.length > 0) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Suites: ${Object.keys(suites).join(', ')}`)
  process.exit(2)
}

const previous = await import(resultsPath, { with: { type: 'json' } }).then((m: { default: { suites?: Record<string, unknown> } }) => m.default.suites ?? {}).catch(() => ({}))
const results: Record<string, unknown> = { ...previous }
// Each suite keeps the machine and time it ran on: suites run at different times may come from different machines.
const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }
for (const name of names) {
  console.log(`\n== ${name} ==`)
  results[name] = { machine, at: new Date().toISOString(), result: await suites[name]!() }
}
await writeFile(resultsPath, `${JSON.stringify({ suites: results }, null, 2)}\n`)
console.log(`\nWrote ${resultsPath}`)
process.exit(0)
