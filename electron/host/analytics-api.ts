// Analytics across incidents (shared/analytics.ts): from the facts the host
// keeps per incident. An incident whose facts are not kept yet (from before
// analytics, just created, or its mirror lost) is read from its document, one at a time.
import * as v from 'valibot'
import { AnalyticsQuerySchema, analyse, incidentFacts } from '../../shared/analytics'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { HttpError, allow } from './http-util'

export const analyticsRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/analytics', allow(check, 'host'), async (c) => {
    const parsed = v.safeParse(AnalyticsQuerySchema, c.req.query())
    if (!parsed.success) throw new HttpError(400, parsed.issues.map((i) => i.message).join('; '))
    const { cadence } = ctx.records.setting('updates')
    for (const id of ctx.records.analyticsFacts().missing) {
      const facts = await ctx.registry.withRoom(id, (room) => incidentFacts(room.doc, cadence)).catch(() => undefined)
      if (facts) ctx.records.updateFacts(facts)
    }
    const names = new Map(ctx.records.roster().map((p) => [p.id, p.name]))
    return c.json(analyse(ctx.records.analyticsFacts().facts, ctx.records.workloads(), parsed.output, ctx.now(), names))
  })
}
