// The host's service catalog: imported once (Backstage YAML or plain JSON),
// copied into every new incident.
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as v from 'valibot'
import type { ApiContext } from './api'
import { parseCatalogOffThread } from './catalog-parse'
import { HttpError, bearerToken, parseBody, readJson, sendJson } from './http-util'

/** Catalogs are bigger than other bodies: up to 20 files, 8 MiB in all. */
export const MAX_CATALOG_BODY = 8 * 1024 * 1024

export const CatalogBody = v.object({
  files: v.pipe(
    v.array(
      v.object({
        name: v.pipe(v.string('name must be a string'), v.minLength(1, 'a file needs a name'), v.maxLength(200)),
        text: v.string('text must be a string'),
      }),
    ),
    v.minLength(1, 'send at least one file'),
    v.maxLength(20, 'at most 20 files at once'),
  ),
})

export const handleCatalog = async (ctx: ApiContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
  if (pathname !== '/api/catalog') return false
  const token = bearerToken(req)
  const host = token !== undefined && ctx.isHostToken(token)
  if (req.method === 'GET') {
    if (!host && !(token && ctx.records.hasEditAccessAnywhere(token))) throw new HttpError(401, 'The catalog needs the host token or a responder link.')
    sendJson(res, 200, ctx.records.catalog() ?? { source: null, importedAt: null, services: [], dependencies: [] })
    return true
  }
  if (req.method !== 'POST') return false
  if (!host) throw new HttpError(401, 'Importing the catalog needs the host token.')
  const { files } = parseBody(CatalogBody, await readJson(req, MAX_CATALOG_BODY))
  // In a worker thread: a big catalog takes seconds to parse, and this thread serves every board.
  const parsed = await parseCatalogOffThread(files)
  if (parsed.errors.length > 0) {
    // A failed import changes nothing; every problem is listed with its file and line.
    const first = parsed.errors[0]!
    sendJson(res, 400, { error: `${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}`, errors: parsed.errors, unresolved: parsed.unresolved })
    return true
  }
  if (parsed.catalog.services.length === 0) throw new HttpError(400, 'The files hold no components, resources, APIs or systems.')
  const source = files.map((f) => f.name).join(', ')
  await ctx.records.setCatalog(parsed.catalog, source, ctx.now())
  sendJson(res, 200, { services: parsed.catalog.services.length, dependencies: parsed.catalog.dependencies.length, unresolved: parsed.unresolved, source })
  return true
}
