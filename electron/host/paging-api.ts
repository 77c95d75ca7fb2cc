// Mobilising on the host: paging's setup and the default bridge and chat (host
// token), and the pages a responder sends from the board (a responder link).
// Delivery is the Pager's (pager.ts).
import { PageBody, PagingKeyBody } from '../../shared/contract'
import { GatheringSchema } from '../../shared/gathering'
import { PagingSettingsSchema } from '../../shared/paging'
import { readPeople } from '../../shared/people'
import { readServices, setPageable } from '../../shared/services'
import { catalogRoutingKey } from './pager'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { webhookUrlProblem } from './destinations'
import { HttpError, allow, readJson } from './http-util'

export const pagingRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/settings/paging', allow(check, 'host'), (c) => c.json(ctx.records.setting('paging')))
  app.put('/api/settings/paging', allow(check, 'host'), async (c) => {
    const settings = await readJson(c, PagingSettingsSchema)
    const problem = webhookUrlProblem(settings.eventsUrl, ctx.allowLocalWebhooks)
    if (problem) throw new HttpError(400, `eventsUrl: ${problem}`)
    if (settings.channelId && !ctx.records.channels().some((ch) => ch.id === settings.channelId)) throw new HttpError(400, 'channelId: no such channel (see GET /api/channels)')
    return c.json(await ctx.records.saveSetting('paging', settings))
  })
  app.get('/api/settings/gathering', allow(check, 'host'), (c) => c.json(ctx.records.setting('gathering')))
  app.put('/api/settings/gathering', allow(check, 'host'), async (c) => c.json(await ctx.records.saveSetting('gathering', await readJson(c, GatheringSchema))))
  app.put('/api/incidents/:id/services/:serviceId/paging', allow(check, { incident: 'edit', from: 'param' }), async (c) => {
    const incidentId = c.req.param('id')
    const serviceId = c.req.param('serviceId')
    const body = await readJson(c, PagingKeyBody)
    await ctx.registry.withRoom(incidentId, (room) => {
      if (!readPeople(room.doc).has(body.by)) throw new HttpError(400, 'by: that person has not joined this incident.')
      if (!readServices(room.doc).has(serviceId)) throw new HttpError(404, `No service ${serviceId} on this incident's graph.`)
    })
    // On disk first: the board says "pageable" only once the key is kept. Without one here, the catalog's may still page.
    await ctx.records.setPagingKey(incidentId, serviceId, body.integrationKey ?? undefined, ctx.now())
    const pageable = body.integrationKey !== null || catalogRoutingKey(ctx.records, serviceId) !== undefined
    await ctx.registry.withRoom(incidentId, (room) => {
      if (readServices(room.doc).has(serviceId)) room.doc.transact(() => setPageable(room.doc, { by: body.by, at: ctx.now() }, serviceId, pageable), SYSTEM_ORIGIN)
    })
    return c.json({ pageable })
  })
  app.post('/api/incidents/:id/pages', allow(check, { incident: 'edit', from: 'param' }), async (c) => {
    const incidentId = c.req.param('id')
    const body = await readJson(c, PageBody)
    // A page wakes a real person: a drill pages no one.
    if (ctx.records.drill(incidentId)) throw new HttpError(409, 'This is a drill: it pages no one. Play the page out with the trainees.')
    const joined = await ctx.registry.withRoom(incidentId, (room) => readPeople(room.doc).has(body.by))
    if (!joined) throw new HttpError(400, 'by: that person has not joined this incident.')
    const request = body.serviceId !== undefined ? { serviceId: body.serviceId } : body.personId !== undefined ? { personId: body.personId } : { affected: true as const }
    const result = await ctx.pager.page(incidentId, request, body.by)
    if (result.pages.length > 0) return c.json(result, 202)
    const why = result.skipped.length > 0 ? `Nothing was paged: ${result.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}.` : 'No service is down or degraded: there is no owner to page.'
    return c.json({ error: why, ...result }, 409)
  })
}
