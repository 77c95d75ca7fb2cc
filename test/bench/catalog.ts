// Catalog import: parsing a 21,000-entity Backstage file (7.5 MiB, near the
// 8 MiB body limit), on this thread and in the worker the host uses, and how
// long this thread's event loop stalls meanwhile.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseCatalog } from '../../shared/catalog'
import { parseCatalogOffThread } from '../../electron/host/catalog-parse'
import { catalogBody, generateBackstageCatalog } from '../unit/helpers/catalog'
import { median, round } from './measure'

export interface CatalogBenchResult {
  entities: number
  mib: number
  services: number
  dependencies: number
  /** The first parseCatalog in this process, cold (as each import's worker is). */
  coldParseMs: number
  /** parseCatalog on this thread once warm, each run and their median. */
  parseMsRuns: number[]
  parseMs: number
  /** parseCatalogOffThread, worker start (from source: with tsx) included. */
  offThreadMsRuns: number[]
  offThreadMs: number
  /** This thread's longest event-loop stall while the worker parsed. */
  offThreadMaxLoopDelayMs: number
}

export const runCatalogBench = async (runs = 3): Promise<CatalogBenchResult> => {
  const generated = generateBackstageCatalog()
  const files = [{ name: 'catalog-info.yaml', text: generated.text }]
  const parseMsRuns: number[] = []
  const coldStart = performance.now()
  let parsed = parseCatalog(files)
  const coldParseMs = round(performance.now() - coldStart)
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    parsed = parseCatalog(files)
    parseMsRuns.push(round(performance.now() - start))
  }
  const offThreadMsRuns: number[] = []
  let maxDelay = 0
  for (let i = 0; i < runs; i++) {
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    const start = performance.now()
    await parseCatalogOffThread(catalogBody(files), Date.now())
    offThreadMsRuns.push(round(performance.now() - start))
    delay.disable()
    maxDelay = Math.max(maxDelay, delay.max / 1e6)
  }
  return {
    entities: generated.entities,
    mib: round(generated.text.length / 1024 / 1024, 2),
    services: parsed.catalog.services.length,
    dependencies: parsed.catalog.dependencies.length,
    coldParseMs,
    parseMsRuns,
    parseMs: median(parseMsRuns),
    offThreadMsRuns,
    offThreadMs: median(offThreadMsRuns),
    offThreadMaxLoopDelayMs: round(maxDelay),
  }
}
