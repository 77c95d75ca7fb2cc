// The host's service catalog: imported once (Backstage YAML or plain JSON),
// copied into every new incident.
import { CatalogBody, MAX_CATALOG_BODY } from '../../shared/contract'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { parseCatalogOffThread } from './catalog-parse'
import { HttpError, allow, readJson } from './http-util'

export const catalogRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/catalog', allow(check, 'editor'), (c) => c.json(ctx.records.catalog() ?? { source: null, importedAt: null, services: [], dependencies: [] }))
  app.post('/api/catalog', allow(check, 'host'), async (c) => {
    const { files } = await readJson(c, CatalogBody, MAX_CATALOG_BODY)
    // In a worker thread: a big catalog takes seconds to parse, and this thread serves every board.
    const parsed = await parseCatalogOffThread(files)
    if (parsed.errors.length > 0) {
      // A failed import changes nothing; every problem is listed with its file and line.
      const first = parsed.errors[0]!
      return c.json({ error: `${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}`, errors: parsed.errors, unresolved: parsed.unresolved }, 400)
    }
    if (parsed.catalog.services.length === 0) throw new HttpError(400, 'The files hold no components, resources, APIs or systems.')
    const source = files.map((f) => f.name).join(', ')
    await ctx.records.setCatalog(parsed.catalog, source, ctx.now())
    return c.json({ services: parsed.catalog.services.length, dependencies: parsed.catalog.dependencies.length, unresolved: parsed.unresolved, source })
  })
}
