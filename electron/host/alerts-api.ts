// The alerts the host accepted, and what the IC does with those routing held
// for triage: declare an incident from them, attach them to a running one, or
// silence them. Silences hold matching alerts out of incidents and the inbox.
import { ALERT_ROUTES, ALERT_STATES, type Alert, type AlertRoute, type AlertState } from '../../shared/alerts'
import { AttachAlertsBody, DeclareFromAlertsBody, NewSilenceBody } from '../../shared/contract'
import { newId } from '../../shared/ids'
import { plural } from '../../shared/plural'
import { appendEvent } from '../../shared/timeline'
import type { TokenCheck } from './access'
import { type ApiContext, type HostApp, invitesAnswer } from './api'
import { declareOnHost, prepareIncident, refuseWhileFailing } from './declare'
import { HttpError, allow, readJson } from './http-util'

const oneOf = <T extends string>(list: readonly T[], name: string, value: string | undefined): T | undefined => {
  if (value === undefined) return undefined
  if (!(list as readonly string[]).includes(value)) throw new HttpError(400, `${name}: must be one of ${list.join(', ')}`)
  return value as T
}

/** Every alert named, or a 404 naming the first that is not there. */
const alertsNamed = (ctx: ApiContext, ids: readonly string[]): Alert[] =>
  ids.map((id) => {
    const alert = ctx.alerts.get(id)
    if (!alert) throw new HttpError(404, `No alert ${id} on this host.`)
    return alert
  })

export const alertRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/alerts', allow(check, { incident: 'edit', from: 'query' }), (c) => {
    const state = oneOf<AlertState>(ALERT_STATES, 'state', c.req.query('state'))
    const route = oneOf<AlertRoute>(ALERT_ROUTES, 'route', c.req.query('route'))
    const incidentId = c.req.query('incident')
    const alerts = ctx.alerts.list({ ...(state ? { state } : {}), ...(incidentId ? { incidentId } : {}) })
    return c.json({ alerts: route ? alerts.filter((a) => a.route === route) : alerts })
  })

  app.post('/api/alerts/declare', allow(check, 'host'), async (c) => {
    const body = await readJson(c, DeclareFromAlertsBody)
    refuseWhileFailing(ctx.storage())
    const alerts = alertsNamed(ctx, body.alertIds)
    const first = alerts[0]!
    const prepared = prepareIncident(ctx, { title: body.title ?? first.summary, severity: body.severity ?? 'SEV-2' }, ctx.now())
    await declareOnHost(ctx, prepared, {
      also: (doc, change) => appendEvent(doc, change, { type: 'incident.declaredFromInbox', count: alerts.length }, `Declared from the alert inbox (${plural(alerts.length, 'alert')})`),
    })
    for (const alert of alerts) ctx.router.attach(alert.id, prepared.record.id)
    await ctx.alerts.flush()
    return c.json({ id: prepared.record.id, ...invitesAnswer(ctx, prepared.record.id, prepared.tokens) }, 201)
  })

  app.post('/api/alerts/attach', allow(check, 'host'), async (c) => {
    const body = await readJson(c, AttachAlertsBody)
    const incident = ctx.records.find(body.incidentId)
    if (!incident) throw new HttpError(404, `No incident ${body.incidentId} on this host.`)
    if (incident.status === 'resolved') throw new HttpError(409, 'That incident is resolved: reopen it first, or declare a new one.')
    const alerts = alertsNamed(ctx, body.alertIds)
    for (const alert of alerts) ctx.router.attach(alert.id, incident.id)
    await ctx.alerts.flush()
    return c.json({ attached: alerts.length })
  })

  app.get('/api/silences', allow(check, 'host'), (c) => c.json({ silences: [...ctx.records.silences()].sort((a, b) => b.createdAt - a.createdAt) }))

  app.post('/api/silences', allow(check, 'host'), async (c) => {
    const { minutes, ...fields } = await readJson(c, NewSilenceBody)
    if (fields.integrationId !== undefined && !ctx.records.integrations().some((i) => i.id === fields.integrationId)) throw new HttpError(404, 'No such integration.')
    const now = ctx.now()
    const silence = { id: newId(), ...fields, endsAt: now + minutes * 60_000, createdAt: now, createdBy: 'host' }
    await ctx.records.addSilence(silence)
    const silencedNow = ctx.router.silenceInbox(silence)
    await ctx.alerts.flush()
    return c.json({ silence, silencedNow }, 201)
  })

  app.delete('/api/silences/:id', allow(check, 'host'), async (c) => {
    if (!(await ctx.records.endSilence(c.req.param('id'), ctx.now()))) throw new HttpError(404, 'No running silence by that id.')
    return c.body(null, 204)
  })
}
