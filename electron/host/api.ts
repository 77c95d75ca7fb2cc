// The HTTP API (docs/API.md). Administration needs the host token; an incident
// token reads that incident's summary.
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as v from 'valibot'
import { MAX_TITLE_LENGTH, declareIncident } from '../../shared/incident'
import { HOST_AUTHOR } from '../../shared/people'
import { SEVERITIES } from '../../shared/schema'
import { loadCatalog } from '../../shared/services'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import { type HostRecords, SealLostError } from './records'
import { asStorageError } from './persistence/files'
import type { Problem, StorageState } from '../../shared/host-status'
import type { RoomRegistry } from './sync/registry'
import { HttpError, bearerToken, parseBody, readJson, sendJson } from './http-util'
import { handleCatalog } from './catalog-api'
import { handleFatigue } from './fatigue-api'
import { handleRoster } from './roster-api'
import { handleUpdates } from './updates-api'
import type { WebhookDispatcher } from './webhooks'

export const CreateIncidentBody = v.object({
  title: v.pipe(
    v.string('title must be a string'),
    v.trim(),
    v.minLength(1, 'title must not be empty'),
    v.maxLength(MAX_TITLE_LENGTH, `title must be at most ${MAX_TITLE_LENGTH} characters`),
  ),
  severity: v.picklist(SEVERITIES, `severity must be one of ${SEVERITIES.join(', ')}`),
})

export interface ApiContext {
  records: HostRecords
  registry: RoomRegistry
  webhooks: WebhookDispatcher
  isHostToken: (token: string) => boolean
  now: () => number
  /** Base URL for invite links. */
  inviteBase: () => string
  version: string
  /** Whether the host can save now. */
  storage: () => StorageState
  /** Damaged files found and set aside, and other problems the IC must know of. */
  problems: () => readonly Problem[]
  /** Remove an incident whose creation failed: its room and its folder. */
  discardIncident: (id: string) => Promise<void>
}

type Access = 'host' | 'edit' | 'view'

const inviteLinks = (ctx: ApiContext, id: string, tokens: { editToken: string; viewToken: string }) => ({
  edit: `${ctx.inviteBase()}/i/${id}#token=${tokens.editToken}`,
  view: `${ctx.inviteBase()}/i/${id}#token=${tokens.viewToken}`,
  // A plain page that works without JavaScript: only what was published.
  statusPage: `${ctx.inviteBase()}/status/${id}?token=${tokens.viewToken}`,
})

const requireHost = (ctx: ApiContext, req: IncomingMessage): void => {
  const token = bearerToken(req)
  if (!token || !ctx.isHostToken(token)) throw new HttpError(401, 'This needs the host token (Authorization: Bearer <host token>).')
}

const accessTo = (ctx: ApiContext, req: IncomingMessage, id: string): Access => {
  const token = bearerToken(req)
  if (!token) throw new HttpError(401, 'This needs a token (Authorization: Bearer <token>).')
  findIncident(ctx, id)
  if (ctx.isHostToken(token)) return 'host'
  const access = ctx.records.authenticate(id, token)
  if (!access) throw new HttpError(401, 'That token is not valid for this incident.')
  return access
}

const findIncident = (ctx: ApiContext, id: string) => {
  const incident = ctx.records.find(id)
  if (!incident) throw new HttpError(404, `No incident ${id} on this host.`)
  return incident
}

const createIncident = async (ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  requireHost(ctx, req)
  const body = parseBody(CreateIncidentBody, await readJson(req))
  const { record, editToken, viewToken } = ctx.records.prepare({ ...body, now: ctx.now() })
  const { id } = record
  // Its first state on disk first, then the record that makes it exist: a failure
  // at either step leaves nothing behind, not a listed incident without a log.
  try {
    await ctx.registry.withRoom(id, async (room) => {
      const change = { by: HOST_AUTHOR, at: record.createdAt }
      const catalog = ctx.records.catalog()
      room.doc.transact(() => {
        declareIncident(room.doc, change, { id, ...body })
        // A new incident starts with the host's service graph.
        if (catalog) loadCatalog(room.doc, change, catalog, `the host catalog (${catalog.source})`)
      }, SYSTEM_ORIGIN)
      await room.durable.log.flush()
    })
    await ctx.records.create(record)
  } catch (error) {
    await ctx.discardIncident(id)
    throw asStorageError(error)
  }
  sendJson(res, 201, { id, editToken, viewToken, links: inviteLinks(ctx, id, { editToken, viewToken }) })
}

/** Handles /api/*; returns false for anything else. */
export const handleApi = async (ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
  const url = new URL(req.url ?? '/', 'http://host.invalid')
  const { pathname } = url
  if (!pathname.startsWith('/api/')) return false
  const method = req.method ?? 'GET'
  const incidentPath = /^\/api\/incidents\/([A-Za-z0-9_-]{1,64})(\/invites)?$/.exec(pathname)

  if (await handleRoster(ctx, req, res, pathname)) return true
  if (await handleFatigue(ctx, req, res, url)) return true
  if (await handleCatalog(ctx, req, res, pathname)) return true
  if (await handleUpdates(ctx, req, res, url)) return true
  if (pathname === '/api/health' && method === 'GET') {
    sendJson(res, 200, { ok: true, name: 'war-room', version: ctx.version, storage: ctx.storage() })
  } else if (pathname === '/api/time' && method === 'GET') {
    sendJson(res, 200, { now: ctx.now() })
  } else if (pathname === '/api/incidents' && method === 'POST') {
    await createIncident(ctx, req, res)
  } else if (pathname === '/api/incidents' && method === 'GET') {
    requireHost(ctx, req)
    sendJson(res, 200, { incidents: ctx.records.list() })
  } else if (incidentPath && !incidentPath[2] && method === 'GET') {
    const id = incidentPath[1]!
    const access = accessTo(ctx, req, id)
    sendJson(res, 200, { ...findIncident(ctx, id), access })
  } else if (incidentPath && incidentPath[2] && (method === 'GET' || method === 'POST')) {
    requireHost(ctx, req)
    const id = incidentPath[1]!
    findIncident(ctx, id)
    let tokens: { editToken: string; viewToken: string }
    try {
      // POST issues new links (the old ones stop working): the way out when seal.key was lost.
      tokens = method === 'POST' ? (await ctx.records.reissueInvites(id))! : ctx.records.invites(id)!
    } catch (error) {
      if (error instanceof SealLostError) throw new HttpError(409, error.message)
      throw error
    }
    sendJson(res, method === 'POST' ? 201 : 200, { ...tokens, links: inviteLinks(ctx, id, tokens) })
  } else if (pathname === '/api/problems' && method === 'GET') {
    requireHost(ctx, req)
    sendJson(res, 200, { storage: ctx.storage(), problems: ctx.problems() })
  } else {
    throw new HttpError(404, `No ${method} ${pathname} here.`)
  }
  return true
}
