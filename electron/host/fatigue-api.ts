// Fatigue thresholds (a host setting) and load across incidents.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { FatigueSettingsSchema } from '../../shared/fatigue'
import type { ApiContext } from './api'
import { HttpError, bearerToken, parseBody, readJson, sendJson } from './http-util'

const access = (ctx: ApiContext, req: IncomingMessage, incidentId: string | null): 'host' | 'edit' => {
  const token = bearerToken(req)
  if (token && ctx.isHostToken(token)) return 'host'
  if (token && incidentId && ctx.records.authenticate(incidentId, token) === 'edit') return 'edit'
  if (token && !incidentId && ctx.records.hasEditAccessAnywhere(token)) return 'edit'
  throw new HttpError(401, 'This needs the host token or a responder link.')
}

export const handleFatigue = async (ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
  const method = req.method ?? 'GET'
  if (url.pathname === '/api/settings/fatigue') {
    if (method === 'GET') {
      access(ctx, req, null)
      sendJson(res, 200, ctx.records.setting('fatigue'))
      return true
    }
    if (method === 'PUT') {
      if (access(ctx, req, null) !== 'host') throw new HttpError(403, 'Only the host token changes settings.')
      const settings = parseBody(FatigueSettingsSchema, await readJson(req))
      if (settings.icHandOverOverdueMinutes < settings.icHandOverDueMinutes || settings.breakOverdueMinutes < settings.breakDueMinutes) {
        throw new HttpError(400, 'An "overdue" threshold must not come before its "due" threshold.')
      }
      sendJson(res, 200, await ctx.records.saveSetting('fatigue', settings))
      return true
    }
    return false
  }
  if (url.pathname === '/api/workload' && method === 'GET') {
    // A board asks for the people on its own incident; the host token sees everyone.
    const incidentId = url.searchParams.get('incident')
    const who = access(ctx, req, incidentId)
    const workloads = ctx.records.workloads()
    if (who === 'host' && !incidentId) return (sendJson(res, 200, { workloads }), true)
    const onBoard = new Set(Object.keys(workloads.find((w) => w.incidentId === incidentId)?.people ?? {}))
    sendJson(res, 200, {
      workloads: workloads.map((w) => ({ ...w, people: Object.fromEntries(Object.entries(w.people).filter(([id]) => onBoard.has(id))) })),
    })
    return true
  }
  return false
}
