// Follow-ups across incidents (shared/follow-ups.ts), overdue first, as JSON or
// CSV for a tracker; drills never count.
import { followUpsCsv } from '../../shared/follow-ups'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { HttpError, allow } from './http-util'

export const followUpsRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/follow-ups', allow(check, 'host'), (c) => {
    const format = c.req.query('format') ?? 'json'
    if (format !== 'json' && format !== 'csv') throw new HttpError(400, 'format must be json or csv')
    const followUps = ctx.records.followUps(ctx.now())
    if (format === 'json') return c.json({ followUps })
    return c.body(followUpsCsv(followUps), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="follow-ups.csv"' })
  })
}
