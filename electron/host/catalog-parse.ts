// A catalog import off the host's event loop: decoding and checking the 8 MiB
// body and parsing thousands of entities take seconds, and the host's thread
// also answers every board's sync and API. One worker per import (imports are
// rare), ended after.
import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { ParsedCatalog } from '../../shared/catalog'
import type { StoredCatalog } from './catalog-store'
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
  | { field: 'files'; items: string[] }
  | { field: 'errors'; items: ParsedCatalog['errors'] }
  | { field: 'unresolved'; items: ParsedCatalog['unresolved'] }
  | { field: 'services'; items: ParsedCatalog['catalog']['services'] }
  | { field: 'dependencies'; items: ParsedCatalog['catalog']['dependencies'] }

/** What the worker sends: a slice, that it is done, or why the body was refused. */
export type CatalogMessage = CatalogSlice | 'done' | { refused: { status: HttpError['status']; error: string } } | { json: Uint8Array }

/** The catalog as read, and the names of the files it came from. */
export interface ImportedCatalog extends ParsedCatalog {
  files: string[]
  /** The catalog as it is stored (catalog.json), serialised in the worker too. */
  stored: StoredCatalog
  json: Uint8Array
}

/** What the worker is given: the request body, and the host time of the import. */
export interface CatalogWork {
  body: Uint8Array
  /** The body's Content-Type, without parameters ('' when none). */
  mediaType: string
  /** A bare catalog's file name (`?name=`), if given. */
  name?: string
  importedAt: number
}

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
/**
 * From source only: tsx's API for the worker's bootstrap. Resolved once, when
 * the host starts: resolving goes through the loader's hooks thread, and the
 * host's thread would wait for it in the middle of an import.
 */
const TSX_API = import.meta.url.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined

const startWorker = (options: WorkerOptions): Worker => {
  if (TSX_API === undefined) return new Worker(new URL('./catalog-worker.js', import.meta.url), options)
  const entry = new URL('./catalog-worker.ts', import.meta.url).href
  const tsx = TSX_API
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(bootstrap, { ...options, eval: true, execArgv: withoutTsx(process.execArgv) })
}

/** Read a catalog import's body (JSON `{ files }`, see shared/contract.ts) and parse its files, in a worker. */
export const parseCatalogOffThread = async (
  body: Uint8Array,
  importedAt: number,
  options: CatalogParseOptions & { mediaType?: string; name?: string } = {},
): Promise<ImportedCatalog> => {
  const timeoutMs = options.timeoutMs ?? CATALOG_PARSE_TIMEOUT_MS
  const maxHeapMib = options.maxHeapMib ?? CATALOG_PARSE_MAX_HEAP_MIB
  // Handed over, not copied: the bytes become the worker's.
  const bytes = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : body.slice()
  return new Promise<ImportedCatalog>((resolve, reject) => {
    const worker = startWorker({
      workerData: { body: bytes, importedAt, mediaType: options.mediaType ?? '', ...(options.name ? { name: options.name } : {}) } satisfies CatalogWork,
      transferList: [bytes.buffer as ArrayBuffer],
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
    const parsed: ImportedCatalog = { files: [], catalog: { services: [], dependencies: [] }, unresolved: [], errors: [], json: new Uint8Array(), stored: { source: '', importedAt, services: [], dependencies: [] } }
    worker.on('message', (message: CatalogMessage) => {
      if (message === 'done') {
        parsed.stored = { source: parsed.files.join(', '), importedAt, ...parsed.catalog }
        return settle(() => resolve(parsed))
      }
      if ('refused' in message) return settle(() => reject(new HttpError(message.refused.status, message.refused.error)))
      if ('json' in message) {
        parsed.json = message.json
        return setImmediate(() => worker.postMessage('next'))
      }
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
