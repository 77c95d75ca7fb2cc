// Stakeholder updates on the host: settings and channels (host token), publishing
// (a responder link), and the read-only status page (the view link).
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as v from 'valibot'
import { newId } from '../../shared/ids'
import { PERSON_ID, readPeople } from '../../shared/people'
import { AUDIENCES } from '../../shared/templates'
import { NewChannelSchema, type PublicUpdateSettings, UpdateSettingsSchema } from '../../shared/update-settings'
import { UpdateError, preparePublish, recordPublished } from '../../shared/updates'
import type { ApiContext } from './api'
import { HttpError, bearerToken, parseBody, readJson, sendJson } from './http-util'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import { STATUS_PAGE_CSP, renderStatusPage } from '../../shared/status-page'

export const PublishBody = v.object({
  audience: v.picklist(AUDIENCES, `audience must be one of ${AUDIENCES.join(', ')}`),
  personId: v.pipe(v.string('personId must be a string'), v.regex(PERSON_ID, 'personId is not a person id')),
})

type Who = 'host' | 'edit' | 'view'

/** Host token, or a token for this incident (or, without one, an edit token anywhere). */
const who = (ctx: ApiContext, req: IncomingMessage | string | undefined, incidentId: string | null): Who | undefined => {
  const token = typeof req === 'string' || req === undefined ? req : bearerToken(req)
  if (!token) return undefined
  if (ctx.isHostToken(token)) return 'host'
  if (incidentId) return ctx.records.authenticate(incidentId, token)
  return ctx.records.hasEditAccessAnywhere(token) ? 'edit' : undefined
}

const requireHost = (ctx: ApiContext, req: IncomingMessage): void => {
  if (who(ctx, req, null) !== 'host') throw new HttpError(401, 'This needs the host token.')
}

const publicSettings = (ctx: ApiContext): PublicUpdateSettings => ({ ...ctx.records.setting('updates'), channels: ctx.records.channels() })

/** Publishes of one incident, one at a time: each checks the draft against the one before. */
const publishing = new Map<string, Promise<unknown>>()

const publish = async (ctx: ApiContext, req: IncomingMessage, res: ServerResponse, incidentId: string): Promise<void> => {
  const access = who(ctx, req, incidentId)
  if (!access) throw new HttpError(401, 'Publishing needs a responder link or the host token.')
  if (access === 'view') throw new HttpError(403, 'A view link cannot publish.')
  const body = parseBody(PublishBody, await readJson(req))
  const settings = ctx.records.setting('updates')
  const previous = publishing.get(incidentId) ?? Promise.resolve()
  const run = previous.catch(() => undefined).then(() =>
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
  void run.finally(() => {
    if (publishing.get(incidentId) === run) publishing.delete(incidentId)
  }).catch(() => undefined)
  const update = await run
  ctx.webhooks.deliver(incidentId, update)
  sendJson(res, 201, { update })
}

export const handleUpdates = async (ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
  const method = req.method ?? 'GET'
  const { pathname } = url
  if (pathname === '/api/settings/updates') {
    if (method === 'GET') {
      if (!who(ctx, req, url.searchParams.get('incident'))) throw new HttpError(401, 'This needs the host token or a link to an incident.')
      sendJson(res, 200, publicSettings(ctx))
      return true
    }
    if (method === 'PUT') {
      requireHost(ctx, req)
      await ctx.records.saveSetting('updates', parseBody(UpdateSettingsSchema, await readJson(req)))
      sendJson(res, 200, publicSettings(ctx))
      return true
    }
    return false
  }
  if (pathname === '/api/channels') {
    requireHost(ctx, req)
    if (method === 'GET') return (sendJson(res, 200, { channels: ctx.records.channels() }), true)
    if (method === 'POST') return (sendJson(res, 201, await ctx.records.addChannel(parseBody(NewChannelSchema, await readJson(req)), ctx.now())), true)
    return false
  }
  const channel = /^\/api\/channels\/([A-Za-z0-9_-]{1,64})$/.exec(pathname)
  if (channel && method === 'DELETE') {
    requireHost(ctx, req)
    if (!(await ctx.records.removeChannel(channel[1]!))) throw new HttpError(404, 'No such channel.')
    res.writeHead(204).end()
    return true
  }
  const updates = /^\/api\/incidents\/([A-Za-z0-9_-]{1,64})\/updates$/.exec(pathname)
  if (updates) {
    const incidentId = updates[1]!
    if (!ctx.records.find(incidentId)) throw new HttpError(404, `No incident ${incidentId} on this host.`)
    if (method === 'POST') return (await publish(ctx, req, res, incidentId), true)
    if (method === 'GET') {
      if (!who(ctx, req, incidentId)) throw new HttpError(401, 'This needs a link to this incident.')
      sendJson(res, 200, { updates: ctx.records.published(incidentId) })
      return true
    }
  }
  return false
}

/** `GET /status/<incidentId>?token=<view token>`: plain HTML, no script. */
export const handleStatusPage = (ctx: ApiContext, req: IncomingMessage, res: ServerResponse): boolean => {
  const url = new URL(req.url ?? '/', 'http://host.invalid')
  const match = /^\/status\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname)
  if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return false
  const incidentId = match[1]!
  const incident = ctx.records.find(incidentId)
  const allowed = incident !== undefined && who(ctx, url.searchParams.get('token') ?? undefined, incidentId) !== undefined
  const html = allowed
    ? renderStatusPage(incident, ctx.records.published(incidentId), ctx.now())
    : '<!doctype html><title>Not allowed</title><p>This status page needs the link you were given, with its token.</p>'
  res.writeHead(allowed ? 200 : 401, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': STATUS_PAGE_CSP,
  })
  res.end(req.method === 'HEAD' ? undefined : html)
  return true
}
