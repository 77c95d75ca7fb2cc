// The host's service catalog: imported once (Backstage YAML or plain JSON),
// copied into every new incident.
import { MAX_CATALOG_BODY } from '../../shared/contract'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { parseCatalogOffThread } from './catalog-parse'
import { HttpError, allow, readBody } from './http-util'

export const catalogRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/catalog', allow(check, 'editor'), (c) => {
    const catalog = ctx.records.catalog()
    if (!catalog) return c.json({ source: null, importedAt: null, services: [], dependencies: [] })
    // A routing key pages people: it stays on the host. Boards learn only that the owner can be paged.
    const services = catalog.services.map(({ pagerduty, ...service }) => ({
      ...service,
      ...(pagerduty?.serviceId ? { pagerdutyServiceId: pagerduty.serviceId } : {}),
      pageable: pagerduty?.integrationKey !== undefined,
    }))
    return c.json({ ...catalog, services })
  })
  app.post('/api/catalog', allow(check, 'host'), async (c) => {
    // Checked and parsed in a worker thread: a big catalog takes seconds, and this thread serves every board.
    const name = c.req.query('name')
    if (name !== undefined && (name.length === 0 || name.length > 200)) throw new HttpError(400, 'name: a file name is 1 to 200 characters.')
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    const parsed = await parseCatalogOffThread(await readBody(c, MAX_CATALOG_BODY), ctx.now(), { mediaType, ...(name ? { name } : {}) })
    if (parsed.errors.length > 0) {
      // A failed import changes nothing; every problem is listed with its file and line.
      const first = parsed.errors[0]!
      return c.json({ error: `${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}`, errors: parsed.errors, unresolved: parsed.unresolved }, 400)
    }
    if (parsed.catalog.services.length === 0) throw new HttpError(400, 'The files hold no components, resources, APIs or systems.')
    await ctx.records.setCatalog(parsed.stored, parsed.json)
    return c.json({ services: parsed.catalog.services.length, dependencies: parsed.catalog.dependencies.length, unresolved: parsed.unresolved, source: parsed.stored.source })
  })
}
