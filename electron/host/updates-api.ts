// Stakeholder updates on the host: settings and channels (host token), publishing
// (a responder link), and the read-only status page (any link to the incident).
import { PublishBody } from '../../shared/contract'
import { newId } from '../../shared/ids'
import { readPeople } from '../../shared/people'
import { STATUS_PAGE_CSP, renderStatusPage } from '../../shared/status-page'
import { NewChannelSchema, type PublicUpdateSettings, UpdateSettingsSchema } from '../../shared/update-settings'
import { type PublishedUpdate, UpdateError, preparePublish, recordPublished } from '../../shared/updates'
import { type TokenCheck, decide } from './access'
import type { ApiContext, HostApp } from './api'
import { webhookUrlProblem } from './destinations'
import { HttpError, allow, readJson } from './http-util'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'

const publicSettings = (ctx: ApiContext): PublicUpdateSettings => ({ ...ctx.records.setting('updates'), channels: ctx.records.channels() })

/** Publishes of one incident, one at a time: each checks the draft against the one before. */
const publishing = new Map<string, Promise<unknown>>()

const publish = (ctx: ApiContext, incidentId: string, body: { audience: PublishedUpdate['audience']; personId: string }): Promise<PublishedUpdate> => {
  const settings = ctx.records.setting('updates')
  const previous = publishing.get(incidentId) ?? Promise.resolve()
  const run = previous
    .catch(() => undefined)
    .then(() =>
      ctx.registry.withRoom(incidentId, async (room) => {
        if (!readPeople(room.doc).has(body.personId)) throw new HttpError(400, 'personId: that person has not joined this incident.')
        const change = { by: body.personId, at: ctx.now() }
        let update
        try {
          update = preparePublish(room.doc, change, { id: newId(), audience: body.audience, requireApproval: settings.requireApproval, cadence: settings.cadence })
        } catch (error) {
          if (error instanceof UpdateError) throw new HttpError(409, error.message)
          throw error
        }
        // The status page and the channels read the records' copy: it is on disk before
        // anything else changes, and when the disk refuses it nothing was published.
        await ctx.records.addPublished(incidentId, update)
        room.doc.transact(() => recordPublished(room.doc, change, update), SYSTEM_ORIGIN)
        // The timeline entry is written with the log's next group; if the disk fails now,
        // the log keeps it and retries, and every board says the host cannot save.
        await room.durable.log.flush().catch(() => undefined)
        return update
      }),
    )
  publishing.set(incidentId, run)
  const forget = (): void => {
    if (publishing.get(incidentId) === run) publishing.delete(incidentId)
  }
  run.then(forget, forget)
  return run
}

export const updatesRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/settings/updates', allow(check, 'member'), (c) => c.json(publicSettings(ctx)))
  app.put('/api/settings/updates', allow(check, 'host'), async (c) => {
    await ctx.records.saveSetting('updates', await readJson(c, UpdateSettingsSchema))
    ctx.settingsChanged()
    return c.json(publicSettings(ctx))
  })
  app.get('/api/channels', allow(check, 'host'), (c) => c.json({ channels: ctx.records.channels() }))
  app.post('/api/channels', allow(check, 'host'), async (c) => {
    const channel = await readJson(c, NewChannelSchema)
    const problem = webhookUrlProblem(channel.url, ctx.allowLocalWebhooks)
    if (problem) throw new HttpError(400, `url: ${problem}`)
    return c.json(await ctx.records.addChannel(channel, ctx.now()), 201)
  })
  app.delete('/api/channels/:id', allow(check, 'host'), async (c) => {
    if (!(await ctx.records.removeChannel(c.req.param('id')))) throw new HttpError(404, 'No such channel.')
    ctx.settingsChanged()
    return c.body(null, 204)
  })
  app.get('/api/incidents/:id/updates', allow(check, { incident: 'read', from: 'param' }), (c) => c.json({ updates: ctx.records.published(c.req.param('id')) }))
  app.post('/api/incidents/:id/updates', allow(check, { incident: 'edit', from: 'param' }), async (c) => {
    const incidentId = c.req.param('id')
    const update = await publish(ctx, incidentId, await readJson(c, PublishBody))
    ctx.webhooks.deliver(incidentId, update)
    return c.json({ update }, 201)
  })
}

/**
 * `GET /status/<incidentId>?token=<link>`: plain HTML, no script. The same
 * rule as the API, with the token in the query (a link opened in any browser)
 * and every refusal a short page rather than JSON.
 */
export const statusPageRoute = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/status/:id', (c) => {
    const incidentId = c.req.param('id')
    const token = c.req.query('token')
    // Its own status token, or any link that reads the incident (the host's, a responder's, a view link).
    const allowed = (token !== undefined && ctx.records.isStatusToken(incidentId, token)) || decide({ incident: 'read', from: 'param' }, token, incidentId, check).ok
    const incident = ctx.records.find(incidentId)
    const html =
      allowed && incident
        ? renderStatusPage(incident, ctx.records.published(incidentId), ctx.now(), {
            // Reloading on its own only when the reader asked for it.
            refresh: c.req.query('refresh') === 'on',
            link: `/status/${encodeURIComponent(incidentId)}?token=${encodeURIComponent(token ?? '')}`,
          })
        : '<!doctype html><title>Not allowed</title><p>This status page needs the link you were given, with its token.</p>'
    c.header('Cache-Control', 'no-store')
    c.header('Content-Security-Policy', STATUS_PAGE_CSP)
    return c.html(html, allowed && incident ? 200 : 401)
  })
}
