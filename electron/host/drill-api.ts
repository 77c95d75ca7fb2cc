// Drills (docs/API.md, "Drills"): a new incident that re-runs a recorded one,
// from its start or from a moment, marked as a drill everywhere; its script of
// injects (drawn from the original) fires on a schedule or by hand, from the
// host, so a drill runs on even when the facilitator's browser closes.
import type * as Y from 'yjs'
import { DrillScheduleBody, InjectsBody, NewDrillBody } from '../../shared/contract'
import { DRILL_CONTROL, type DrillOrigin, DrillError, type Inject, boardFromMoment, drillTitle, fireInject, injectScript, readDrill, startDrillBoard } from '../../shared/drill'
import { measureIncident } from '../../shared/drill-comparison'
import { readMeta } from '../../shared/incident'
import { readAlerts } from '../../shared/incident-alerts'
import { readServices } from '../../shared/services'
import { readTimeline } from '../../shared/timeline'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { invitesAnswer } from './api'
import { incidentAt } from './archive'
import { prepareIncident, refuseWhileFailing, writeNewIncident } from './declare'
import { HttpError, allow, readJson } from './http-util'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'

/** How often the host looks for injects that are due. */
export const INJECT_CHECK_MS = 1000

/** The script for a drill from `from`: the original's injects after that moment, timed from it. */
const scriptFrom = (original: Y.Doc, startedAt: number, from: DrillOrigin['from']): Inject[] => {
  const skip = from === 'start' ? 0 : from - startedAt
  return injectScript(readTimeline(original), readAlerts(original), startedAt)
    .filter((inject) => inject.offsetMs > skip)
    .map((inject) => ({ ...inject, offsetMs: inject.offsetMs - skip }))
}

const createDrill = async (ctx: ApiContext, of: string, from: DrillOrigin['from']) => {
  if (!ctx.records.find(of)) throw new HttpError(404, `No incident ${of} on this host.`)
  refuseWhileFailing(ctx.storage())
  // From the start, the board is built from the original as it ends (its whole graph and people).
  const { then, now: original, startedAt } = await incidentAt(ctx, of, from === 'start' ? Number.MAX_SAFE_INTEGER : from)
  const meta = readMeta(from === 'start' ? original : then)
  if (!meta) throw new HttpError(409, `The incident ${of} has no declared board to drill from.`)
  const declared = readTimeline(original).find((e) => e.event?.type === 'incident.declared')?.event
  const severity = from === 'start' && typeof declared?.severity === 'string' && /^SEV-[1-5]$/.test(declared.severity) ? (declared.severity as typeof meta.severity) : meta.severity
  const origin: DrillOrigin = { of, from }
  const prepared = prepareIncident(ctx, { title: drillTitle(meta.title), severity }, ctx.now())
  const { record } = prepared
  const change = { by: DRILL_CONTROL.id, at: record.createdAt }
  await writeNewIncident(ctx, { ...record, drill: { ...origin, injects: scriptFrom(original, startedAt, from) } }, (doc) => {
    if (from === 'start') startDrillBoard(doc, change, original, { id: record.id, title: meta.title, severity }, origin)
    else boardFromMoment(doc, then, { id: record.id, title: meta.title, now: record.createdAt }, { of, from })
  })
  return { id: record.id, ...invitesAnswer(ctx, record.id, prepared.tokens) }
}

const requireDrill = (ctx: ApiContext, id: string) => {
  if (!ctx.records.find(id)) throw new HttpError(404, `No incident ${id} on this host.`)
  const drill = ctx.records.drill(id)
  if (!drill) throw new HttpError(409, `${id} is a real incident, not a drill.`)
  return drill
}

/** The script, its schedule, and the services on the drill board (for the facilitator's choices). */
const drillView = async (ctx: ApiContext, id: string) => {
  const { injects, schedule, ...origin } = requireDrill(ctx, id)
  const services = await ctx.registry.withRoom(id, (room) => [...readServices(room.doc).values()].map(({ id: serviceId, name }) => ({ id: serviceId, name })))
  return { id, title: ctx.records.find(id)!.title, origin, injects, ...(schedule ? { schedule } : {}), services, now: ctx.now() }
}

/** Fire one inject on the drill board, then mark it fired. Refused (nothing written) when its service is not on the board. */
export const fire = async (ctx: Pick<ApiContext, 'records' | 'registry' | 'now'>, id: string, injectId: string): Promise<void> => {
  const inject = ctx.records.drill(id)?.injects.find((i) => i.id === injectId)
  if (!inject) throw new HttpError(404, 'There is no such inject in this drill.')
  const at = ctx.now()
  await ctx.registry.withRoom(id, (room) => {
    if (!readDrill(room.doc)) throw new HttpError(409, `${id} is not marked as a drill on its board.`)
    try {
      room.doc.transact(() => fireInject(room.doc, { by: DRILL_CONTROL.id, at }, inject), SYSTEM_ORIGIN)
    } catch (error) {
      if (error instanceof DrillError) throw new HttpError(409, error.message)
      throw error
    }
  })
  await ctx.records.updateDrill(id, (drill) => ({ ...drill, injects: drill.injects.map((i) => (i.id === injectId ? { ...i, firedAt: at } : i)) }))
}

/**
 * Fire what is due in every scheduled drill: an inject is due at the
 * schedule's start plus its offset divided by the speed. One that cannot fire
 * (its service is gone) is marked fired all the same, and reported, so it is
 * not tried every second.
 */
export const fireDueInjects = async (ctx: Pick<ApiContext, 'records' | 'registry' | 'now' | 'onError'>): Promise<void> => {
  const now = ctx.now()
  for (const { id, drill } of ctx.records.scheduledDrills()) {
    const { startedAt, speed } = drill.schedule!
    for (const inject of drill.injects) {
      if (inject.firedAt !== undefined || startedAt + inject.offsetMs / speed > now) continue
      await fire(ctx, id, inject.id).catch(async (error: unknown) => {
        ctx.onError(error)
        await ctx.records.updateDrill(id, (d) => ({ ...d, injects: d.injects.map((i) => (i.id === inject.id ? { ...i, firedAt: now } : i)) })).catch(ctx.onError)
      })
    }
  }
}

/** The drill beside its original (shared/drill-comparison.ts), each from its board as it is now. */
const comparison = async (ctx: ApiContext, id: string) => {
  const { of } = requireDrill(ctx, id)
  if (!ctx.records.find(of)) throw new HttpError(409, `The original incident ${of} is no longer on this host.`)
  const { cadence } = ctx.records.setting('updates')
  const [drill, original] = await Promise.all([id, of].map((incident) => ctx.registry.withRoom(incident, (room) => measureIncident(room.doc, cadence))))
  if (!drill || !original) throw new HttpError(409, 'A board to compare has no declared incident.')
  return { drill, original }
}

export const drillRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  // A new incident from an old one: the host's call, as declaring is.
  app.post('/api/incidents/:id/drills', allow(check, 'host'), async (c) => {
    const { from } = await readJson(c, NewDrillBody)
    return c.json(await createDrill(ctx, c.req.param('id'), from), 201)
  })
  // The script is the facilitator's: trainees on the drill board (its edit links) never see what is coming.
  app.get('/api/incidents/:id/drill', allow(check, 'host'), async (c) => c.json(await drillView(ctx, c.req.param('id'))))
  app.get('/api/incidents/:id/drill/comparison', allow(check, 'host'), async (c) => c.json(await comparison(ctx, c.req.param('id'))))
  app.put('/api/incidents/:id/drill/injects', allow(check, 'host'), async (c) => {
    const id = c.req.param('id')
    requireDrill(ctx, id)
    const { injects } = await readJson(c, InjectsBody)
    if (new Set(injects.map((i) => i.id)).size !== injects.length) throw new HttpError(400, 'injects: two injects have the same id')
    const empty = injects.find((i) => !i.service && !i.text && !i.alert)
    if (empty) throw new HttpError(400, `injects: ${empty.id} neither sets a status, posts an entry nor fires an alert`)
    await ctx.records.updateDrill(id, (drill) => ({ ...drill, injects: [...injects].sort((a, b) => a.offsetMs - b.offsetMs) }))
    return c.json(await drillView(ctx, id))
  })
  app.post('/api/incidents/:id/drill/injects/:injectId/fire', allow(check, 'host'), async (c) => {
    const id = c.req.param('id')
    requireDrill(ctx, id)
    await fire(ctx, id, c.req.param('injectId'))
    return c.json(await drillView(ctx, id))
  })
  // Injects fire on schedule from now, at 1×, 2× or 5×; DELETE stops the schedule (by hand still works).
  app.put('/api/incidents/:id/drill/schedule', allow(check, 'host'), async (c) => {
    const id = c.req.param('id')
    requireDrill(ctx, id)
    const { speed } = await readJson(c, DrillScheduleBody)
    await ctx.records.updateDrill(id, (drill) => ({ ...drill, schedule: { startedAt: ctx.now(), speed } }))
    return c.json(await drillView(ctx, id))
  })
  app.delete('/api/incidents/:id/drill/schedule', allow(check, 'host'), async (c) => {
    const id = c.req.param('id')
    requireDrill(ctx, id)
    await ctx.records.updateDrill(id, ({ schedule: _, ...drill }) => drill)
    return c.json(await drillView(ctx, id))
  })
}
