// Fatigue thresholds (a host setting) and load across incidents.
import { FatigueSettingsSchema } from '../../shared/fatigue'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { HttpError, allow, readJson } from './http-util'

export const fatigueRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  // Every board computes fatigue from them, the internal read-only board too.
  app.get('/api/settings/fatigue', allow(check, 'member'), (c) => c.json(ctx.records.setting('fatigue')))
  app.put('/api/settings/fatigue', allow(check, 'host'), async (c) => {
    const settings = await readJson(c, FatigueSettingsSchema)
    if (settings.icHandOverOverdueMinutes < settings.icHandOverDueMinutes || settings.breakOverdueMinutes < settings.breakDueMinutes) {
      throw new HttpError(400, 'An "overdue" threshold must not come before its "due" threshold.')
    }
    const saved = await ctx.records.saveSetting('fatigue', settings)
    ctx.settingsChanged()
    return c.json(saved)
  })
  // A board asks for the people on its own incident (?incident=<id>); the host token sees everyone.
  app.get('/api/workload', allow(check, { incident: 'read', from: 'query' }), (c) => {
    const incidentId = c.req.query('incident')
    const workloads = ctx.records.workloads()
    if (incidentId === undefined) return c.json({ workloads })
    const onBoard = new Set(Object.keys(workloads.find((w) => w.incidentId === incidentId)?.people ?? {}))
    return c.json({ workloads: workloads.map((w) => ({ ...w, people: Object.fromEntries(Object.entries(w.people).filter(([id]) => onBoard.has(id))) })) })
  })
}
