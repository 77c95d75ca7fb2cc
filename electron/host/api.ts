// The HTTP API (docs/API.md) and the status page, on one Hono app: the route
// table below declares each route's access once; http-util.ts and access.ts
// apply it. Bodies and answers are the schemas of shared/contract.ts.
import { Hono } from 'hono'
import type * as v from 'valibot'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { CreateIncidentBody } from '../../shared/contract'
import type { Problem, StorageState } from '../../shared/host-status'
import type { TokenCheck } from './access'
import type { AlertStore } from './alert-store'
import type { AlertRouter } from './alert-router'
import { catalogRoutes } from './catalog-api'
import { intakeRoutes } from './intake-api'
import { alertRoutes } from './alerts-api'
import type { RateLimit } from './rate-limit'
import type { SnsVerifier } from './sns'
import { fatigueRoutes } from './fatigue-api'
import { type HostEnv, HttpError, allow, readBody, readJson } from './http-util'
import { exportArchive, importArchive, snapshotAt } from './archive'
import { replayNotesRoutes } from './replay-notes-api'
import { drillRoutes } from './drill-api'
import { analyticsRoutes } from './analytics-api'
import { postmortemRoutes } from './postmortem-api'
import { followUpsRoutes } from './follow-ups-api'
import { MAX_ARCHIVE_BYTES } from '../../shared/archive'
import { StorageError } from './persistence/files'
import { declareOnHost, prepareIncident, refuseWhileFailing } from './declare'
import { type HostRecords, type InviteTokens, SealLostError } from './records'
import { rosterRoutes } from './roster-api'
import type { RoomRegistry } from './sync/registry'
import { statusPageRoute, updatesRoutes } from './updates-api'
import type { WebhookDispatcher } from './webhooks'
import type { Pager } from './pager'
import { pagingRoutes } from './paging-api'

export interface ApiContext {
  records: HostRecords
  registry: RoomRegistry
  webhooks: WebhookDispatcher
  pager: Pager
  /** Channels may point at loopback and link-local addresses (--allow-local-webhooks). */
  allowLocalWebhooks: boolean
  isHostToken: (token: string) => boolean
  now: () => number
  /** Base URL for invite links. */
  inviteBase: () => string
  /** The host's data folder (incident logs are read from it for archives and snapshots). */
  dataDir: string
  version: string
  /** Whether the host can save now. */
  storage: () => StorageState
  /** Damaged files found and set aside, and other problems the IC must know of. */
  problems: () => readonly Problem[]
  /** Remove an incident whose creation failed: its room and its folder. */
  discardIncident: (id: string) => Promise<void>
  /** A setting every board reads changed: they are told to fetch them again. */
  settingsChanged: () => void
  /** Alert intake: every alert accepted, SNS signatures, the per-integration rate limit, confirming SNS subscriptions. */
  alerts: AlertStore
  router: AlertRouter
  sns: SnsVerifier
  intakeLimit: RateLimit
  confirmSnsSubscription: (url: string) => Promise<void>
  onError: (error: unknown) => void
}

export type HostApp = Hono<HostEnv>

export const tokenCheck = (ctx: ApiContext): TokenCheck => ({
  isHostToken: ctx.isHostToken,
  linkOf: (token) => ctx.records.linkOf(token),
  incidentExists: (id) => ctx.records.find(id) !== undefined,
})

/** The three links, and their tokens: what POST /api/incidents and the invites routes answer. */
export const invitesAnswer = (ctx: ApiContext, id: string, tokens: InviteTokens) => ({
  ...tokens,
  links: {
    edit: `${ctx.inviteBase()}/i/${id}#token=${tokens.editToken}`,
    view: `${ctx.inviteBase()}/i/${id}#token=${tokens.viewToken}`,
    // A plain page that works without JavaScript: only what was published, and its token opens nothing else.
    statusPage: `${ctx.inviteBase()}/status/${id}?token=${tokens.statusToken}`,
  },
})

/** Declare an incident someone asked for (declare.ts does the writing). */
const createIncident = async (ctx: ApiContext, body: v.InferOutput<typeof CreateIncidentBody>) => {
  refuseWhileFailing(ctx.storage())
  const { declaredBy, gathering, ...fields } = body
  const prepared = prepareIncident(ctx, fields, ctx.now())
  await declareOnHost(ctx, prepared, { ...(declaredBy ? { declaredBy } : {}), ...(gathering ? { gathering } : {}) })
  return { id: prepared.record.id, ...invitesAnswer(ctx, prepared.record.id, prepared.tokens) }
}

const incidentRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  const incident = { incident: 'read', from: 'param' } as const
  app.get('/api/health', allow(check, 'anyone'), (c) => c.json({ ok: true, name: 'war-room', version: ctx.version, storage: ctx.storage() }))
  app.get('/api/time', allow(check, 'anyone'), (c) => c.json({ now: ctx.now() }))
  app.get('/api/problems', allow(check, 'host'), (c) => c.json({ storage: ctx.storage(), problems: ctx.problems() }))
  app.get('/api/incidents', allow(check, 'host'), (c) => c.json({ incidents: ctx.records.list() }))
  app.post('/api/incidents', allow(check, 'host'), async (c) => c.json(await createIncident(ctx, await readJson(c, CreateIncidentBody)), 201))
  app.get('/api/incidents/:id', allow(check, incident), (c) => c.json({ ...ctx.records.find(c.req.param('id'))!, access: c.get('caller') }))
  app.get('/api/incidents/:id/invites', allow(check, 'host'), (c) => {
    const id = c.req.param('id')
    if (!ctx.records.find(id)) throw new HttpError(404, `No incident ${id} on this host.`)
    try {
      return c.json(invitesAnswer(ctx, id, ctx.records.invites(id)!))
    } catch (error) {
      if (error instanceof SealLostError) throw new HttpError(409, error.message)
      throw error
    }
  })
  // Archives and snapshots (archive.ts, docs/ARCHIVE.md): the record, never the view link's business.
  app.post('/api/incidents/import', allow(check, 'host'), async (c) => c.json(await importArchive(ctx, await readBody(c, MAX_ARCHIVE_BYTES)), 201))
  app.get('/api/incidents/:id/archive', allow(check, { incident: 'edit', from: 'param' }), async (c) => {
    const id = c.req.param('id')
    return c.body(await exportArchive(ctx, id), 200, { 'Content-Type': 'application/gzip', 'Content-Disposition': `attachment; filename="${id}.warroom"` })
  })
  app.get('/api/incidents/:id/snapshot', allow(check, { incident: 'edit', from: 'param' }), async (c) => {
    const at = Number(c.req.query('at'))
    if (!Number.isSafeInteger(at)) throw new HttpError(400, 'at: a host time in epoch milliseconds is required')
    const update = await snapshotAt(ctx, c.req.param('id'), at)
    return c.body(new Uint8Array(update).buffer, 200, { 'Content-Type': 'application/octet-stream' })
  })
  // New links; the old ones stop working: the way out when seal.key was lost.
  app.post('/api/incidents/:id/invites', allow(check, 'host'), async (c) => {
    const id = c.req.param('id')
    const tokens = await ctx.records.reissueInvites(id)
    if (!tokens) throw new HttpError(404, `No incident ${id} on this host.`)
    return c.json(invitesAnswer(ctx, id, tokens), 201)
  })
}

/** A known path asked with a method it does not have: 405 with the methods it has. */
const methodNotAllowed = (app: HostApp): void => {
  const methods = new Map<string, Set<string>>()
  for (const route of app.routes) if (route.method !== 'ALL') (methods.get(route.path) ?? methods.set(route.path, new Set()).get(route.path)!).add(route.method)
  for (const [path, allowed] of methods) {
    const list = [...allowed, ...(allowed.has('GET') ? ['HEAD'] : [])].join(', ')
    app.all(path, (c) => c.json({ error: `${c.req.method} is not allowed here; use ${list}.` }, 405, { Allow: list }))
  }
}

export const createApi = (ctx: ApiContext): HostApp => {
  const app = new Hono<HostEnv>()
  const check = tokenCheck(ctx)
  // Answers are about this moment and this caller: never cached.
  app.use('/api/*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  incidentRoutes(app, ctx, check)
  rosterRoutes(app, ctx, check)
  fatigueRoutes(app, ctx, check)
  pagingRoutes(app, ctx, check)
  catalogRoutes(app, ctx, check)
  updatesRoutes(app, ctx, check)
  intakeRoutes(app, ctx, check)
  alertRoutes(app, ctx, check)
  replayNotesRoutes(app, ctx, check)
  drillRoutes(app, ctx, check)
  analyticsRoutes(app, ctx, check)
  postmortemRoutes(app, ctx, check)
  followUpsRoutes(app, ctx, check)
  statusPageRoute(app, ctx, check)
  methodNotAllowed(app)
  app.notFound((c) => c.json({ error: `No ${c.req.method} ${c.req.path} here.` }, 404))
  app.onError((error, c) => {
    c.header('Cache-Control', 'no-store')
    if (error instanceof HttpError) return c.json({ error: error.message }, error.status)
    if (error instanceof StorageError) return c.json({ error: error.message }, error.problem === 'disk full' ? 507 : 503)
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status as ContentfulStatusCode)
    ctx.onError(error)
    return c.json({ error: 'The host hit an internal error; nothing was changed.' }, 500)
  })
  return app
}
