// The worker thread that reads an imported catalog (catalog-parse.ts starts
// it): decoding the body and parsing a big Backstage file take seconds, which
// on the host's own thread would stall every board. It gets the request body
// as workerData, checks it, parses the files, and hands the result back in
// slices, one each time the host asks.
import { parentPort, workerData } from 'node:worker_threads'
import { type CatalogFile, parseCatalog } from '../../shared/catalog'
import { CatalogBodyError, catalogFilesFromBody } from '../../shared/catalog-body'
import type { CatalogMessage, CatalogSlice, CatalogWork } from './catalog-parse'

/** About 0.4 MB, a few milliseconds of the host's thread to take in. */
const SLICE = 1000

const work = workerData as CatalogWork
const send = (message: CatalogMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(message, transfer)

/** The files the body names, or nothing (and the host told why) when the body is refused. */
const read = (): CatalogFile[] | undefined => {
  try {
    return catalogFilesFromBody(new TextDecoder().decode(work.body), work.mediaType, work.name)
  } catch (error) {
    if (!(error instanceof CatalogBodyError)) throw error
    send({ refused: { status: 400, error: error.message } })
    return undefined
  }
}

const files = read()
if (files) {
  const parsed = parseCatalog(files)
  const slices: CatalogSlice[] = [{ field: 'files', items: files.map((f) => f.name) }]
  const sliceUp = <F extends CatalogSlice['field']>(field: F, items: Extract<CatalogSlice, { field: F }>['items']): void => {
    for (let i = 0; i < items.length; i += SLICE) slices.push({ field, items: items.slice(i, i + SLICE) } as CatalogSlice)
  }
  sliceUp('errors', parsed.errors)
  sliceUp('unresolved', parsed.unresolved)
  sliceUp('services', parsed.catalog.services)
  sliceUp('dependencies', parsed.catalog.dependencies)
  // catalog.json as the host stores it: serialising 8 MB takes the host's thread tens of milliseconds.
  const json = Buffer.from(JSON.stringify({ source: files.map((f) => f.name).join(', '), importedAt: work.importedAt, ...parsed.catalog }))
  const stored = new Uint8Array(json.buffer, json.byteOffset, json.byteLength)
  let jsonSent = false
  const next = (): void => {
    const slice = slices.shift()
    if (slice) return send(slice)
    if (!jsonSent && parsed.errors.length === 0) {
      jsonSent = true
      return send({ json: stored }, json.byteOffset === 0 && json.byteLength === json.buffer.byteLength ? [json.buffer as ArrayBuffer] : [])
    }
    send('done')
  }
  parentPort!.on('message', next)
  next()
}
