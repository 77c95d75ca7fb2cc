// `parseCatalog` off the host's event loop: a catalog import of thousands of
// entities takes seconds to parse, and the host's thread also answers every
// board's sync and API. One worker per import (imports are rare), ended after.
import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { CatalogFile, ParsedCatalog } from '../../shared/catalog'
import { HttpError } from './http-util'

export interface CatalogParseOptions {
  /** The import is abandoned after this long (the worker is stopped). */
  timeoutMs?: number
  /** The worker's heap limit; a catalog that needs more is refused. */
  maxHeapMib?: number
}

/**
 * A part of the result, as the worker sends it. An 8 MiB catalog's result is
 * about as big; taken in one message it would hold this thread for 100 ms, so
 * the worker sends slices and the next only when asked, between other work.
 */
export type CatalogSlice =
  | { field: 'errors'; items: ParsedCatalog['errors'] }
  | { field: 'unresolved'; items: ParsedCatalog['unresolved'] }
  | { field: 'services'; items: ParsedCatalog['catalog']['services'] }
  | { field: 'dependencies'; items: ParsedCatalog['catalog']['dependencies'] }

export const CATALOG_PARSE_TIMEOUT_MS = 60_000
/** A 7.5 MiB catalog of 21,000 entities peaks near 250 MiB of heap. */
export const CATALOG_PARSE_MAX_HEAP_MIB = 1024

/** `--import tsx` and the like, which a worker from source must not get twice. */
const withoutTsx = (execArgv: readonly string[]): string[] => {
  const kept: string[] = []
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!
    if (/^--(import|require|loader|experimental-loader)$/.test(arg) && /tsx/.test(execArgv[i + 1] ?? '')) i++
    else if (!/^--(import|require|loader|experimental-loader)=.*tsx/.test(arg)) kept.push(arg)
  }
  return kept
}

/**
 * The worker: catalog-worker next to this module. In the desktop app's bundle
 * that is out/main/catalog-worker.js next to out/main/main.js (see
 * electron.vite.config.ts). From source (vitest, `node --import tsx`) it is
 * catalog-worker.ts, and a worker thread does not get the parent's tsx loader
 * (tsx registers only on the main thread before Node 22.22 / 24.11, even with
 * `--import tsx` in the worker's execArgv): a two-line bootstrap registers tsx
 * in the worker, then imports the entry.
 */
const startWorker = (options: WorkerOptions): Worker => {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./catalog-worker.js', import.meta.url), options)
  const entry = new URL('./catalog-worker.ts', import.meta.url).href
  const tsx = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(bootstrap, { ...options, eval: true, execArgv: withoutTsx(process.execArgv) })
}

export const parseCatalogOffThread = async (files: readonly CatalogFile[], options: CatalogParseOptions = {}): Promise<ParsedCatalog> => {
  const timeoutMs = options.timeoutMs ?? CATALOG_PARSE_TIMEOUT_MS
  const maxHeapMib = options.maxHeapMib ?? CATALOG_PARSE_MAX_HEAP_MIB
  // The body was just decoded and JSON-parsed on this thread (some 60 ms for
  // 8 MiB), and copying the files to the worker takes some 25 ms more: let the
  // requests that arrived meanwhile through in between.
  await new Promise((resolve) => setImmediate(resolve))
  return new Promise<ParsedCatalog>((resolve, reject) => {
    const worker = startWorker({
      workerData: files,
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMib },
      stdout: false,
      stderr: false,
    })
    let settled = false
    const settle = (outcome: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      // Nothing of the worker outlives the import.
      void worker.terminate()
      outcome()
    }
    const timer = setTimeout(
      () => settle(() => reject(new HttpError(500, `Reading the catalog took longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} and was stopped; nothing was changed. Import it in smaller files.`))),
      timeoutMs,
    )
    const parsed: ParsedCatalog = { catalog: { services: [], dependencies: [] }, unresolved: [], errors: [] }
    worker.on('message', (message: CatalogSlice | 'done') => {
      if (message === 'done') return settle(() => resolve(parsed))
      const into: unknown[] = message.field === 'services' || message.field === 'dependencies' ? parsed.catalog[message.field] : parsed[message.field]
      for (const item of message.items) into.push(item)
      setImmediate(() => worker.postMessage('next'))
    })
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new HttpError(413, `Reading the catalog needs more than ${maxHeapMib} MiB of memory; nothing was changed. Import it in smaller files.`)
            : new HttpError(500, `Reading the catalog failed (${error.message}); nothing was changed.`),
        ),
      ),
    )
    worker.once('exit', (code) => settle(() => reject(new HttpError(500, `Reading the catalog stopped unexpectedly (exit code ${code}); nothing was changed.`))))
  })
}
