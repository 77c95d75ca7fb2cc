// The worker thread that reads an imported catalog (catalog-parse.ts starts
// it): parsing a big Backstage file takes seconds, which on the host's own
// thread would stall every board. It gets the files as workerData, parses
// them, and hands the result back in slices, one each time the host asks.
import { parentPort, workerData } from 'node:worker_threads'
import { type CatalogFile, parseCatalog } from '../../shared/catalog'
import type { CatalogSlice } from './catalog-parse'

/** About 0.4 MB, a few milliseconds of the host's thread to take in. */
const SLICE = 1000

const parsed = parseCatalog(workerData as CatalogFile[])
const slices: CatalogSlice[] = []
const sliceUp = <F extends CatalogSlice['field']>(field: F, items: Extract<CatalogSlice, { field: F }>['items']): void => {
  for (let i = 0; i < items.length; i += SLICE) slices.push({ field, items: items.slice(i, i + SLICE) } as CatalogSlice)
}
sliceUp('errors', parsed.errors)
sliceUp('unresolved', parsed.unresolved)
sliceUp('services', parsed.catalog.services)
sliceUp('dependencies', parsed.catalog.dependencies)

const next = (): void => parentPort!.postMessage(slices.shift() ?? 'done')
parentPort!.on('message', next)
next()
