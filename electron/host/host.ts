// The host: sync endpoint, HTTP API and web UI on one port, records on disk.
// The desktop app embeds it; `npm run serve` runs it headless.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { networkInterfaces } from 'node:os'
import { readDrill } from '../../shared/drill'
import { readMeta } from '../../shared/incident'
import { computeImpact } from '../../shared/impact'
import { readDependencies, readServices } from '../../shared/services'
import { incidentWorkload } from '../../shared/workload'
import { incidentFacts } from '../../shared/analytics'
import { type FollowUp, readFollowUps } from '../../shared/follow-ups'
import { getRequestListener } from '@hono/node-server'
import { type ApiContext, createApi, invitesAnswer } from './api'
import { INJECT_CHECK_MS, fireDueInjects } from './drill-api'
import { contentSecurityPolicy, websocketOriginFor } from './csp'
import type { ResolveHost } from './destinations'
import { inviteBaseUrl } from './network'
import { HostRecords, RECORDS_FILE } from './records'
import { serveWebUi } from './static-files'
import { hasLogTail, needsRepair, readStoredState } from './persistence/durable-incident'
import { HostProblems } from './problems'
import { StorageHealth } from './storage-health'
import { ALERTS_DIR, AlertStore } from './alert-store'
import { AlertRouter } from './alert-router'
import { INTAKE_BURST, INTAKE_RATE } from './intake-api'
import { RateLimit } from './rate-limit'
import { type CertificateFetch, SnsVerifier } from './sns'
import { RoomRegistry } from './sync/registry'
import type { Room } from './sync/room'
import { createUpgradeHandler } from './sync/upgrade'
import { hashToken, loadHostToken, tokenMatchesHash } from './tokens'
import { WebhookDispatcher } from './webhooks'
import { FollowUpWebhooks } from './follow-up-webhooks'
import { Pager } from './pager'

export interface HostLogger {
  info: (message: string) => void
  error: (message: string) => void
}

export interface HostOptions {
  dataDir: string
  /** 0 picks a free port. */
  port: number
  /** Bind address; loopback unless the IC chooses to listen on the LAN. */
  host?: string
  /** The built web UI (out/renderer); without it only the API and sync are served. */
  webRoot?: string
  publicUrl?: string
  maxMessageBytes?: number
  unloadAfterMs?: number
  flushDelayMs?: number
  checkpointEveryRecords?: number
  /** Most bytes of updates an incident may hold back waiting for missing changes (see sync/room.ts). */
  maxPendingBytes?: number
  env?: NodeJS.ProcessEnv
  logger?: HostLogger
  /** How long after start the host folds crash tails into checkpoints (immediate reconnects come first). */
  foldLogTailsAfterMs?: number
  /** Waits before each webhook retry (tests shorten them). */
  webhookRetryDelaysMs?: readonly number[]
  /** Let webhooks reach loopback and link-local addresses (`--allow-local-webhooks`); refused otherwise (destinations.ts). */
  allowLocalWebhooks?: boolean
  /** Resolves webhook host names (tests inject one); dns.lookup by default. */
  webhookLookup?: ResolveHost
  /** Host clock; injectable for tests. */
  now?: () => number
  /** How SNS signing certificates are fetched (tests give a local one). */
  fetchSnsCertificate?: CertificateFetch
  /** How an SNS subscription is confirmed (a GET of its SubscribeURL; tests observe it). */
  confirmSnsSubscription?: (url: string) => Promise<void>
  /** Intake requests a second per integration, and bursts (tests lower them). */
  intakeRate?: { rate: number; burst: number }
  version?: string
}

export interface RunningHost {
  url: string
  port: number
  hostToken: string
  /** Where the host token can be read (a file path, or the environment variable's name). */
  hostTokenFrom: string
  inviteBase: string
  registry: RoomRegistry
  records: HostRecords
  close: () => Promise<void>
}

export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
}

/**
 * Mirror what other views need from an open incident into the records: its
 * title, severity and status for the incident list, and who was on duty and in
 * command when, for fatigue on other boards and the load view.
 */
const mirrorRecords = (records: HostRecords, room: Room, followUpsChanged: (incidentId: string, changed: FollowUp[]) => void): void => {
  const sync = (): void => {
    const meta = readMeta(room.doc)
    const workload = incidentWorkload(room.doc)
    if (meta) {
      const impact = computeImpact(readServices(room.doc).values(), readDependencies(room.doc))
      records.updateSummary(room.id, { ...meta, affected: [...impact.down, ...impact.impacted].sort() })
    }
    if (workload) records.updateWorkload(workload)
    if (meta) {
      const changed = records.updateFollowUps(room.id, readFollowUps(room.doc))
      if (changed.length > 0) followUpsChanged(room.id, changed)
    }
  }
  // Analytics' facts read the whole timeline: every few seconds at most, not on every keystroke.
  const syncFacts = (): void => {
    const facts = incidentFacts(room.doc, records.setting('updates').cadence)
    if (facts) records.updateFacts(facts)
  }
  const timers = [coalesce(sync, 500), coalesce(syncFacts, FACTS_EVERY_MS)]
  sync()
  // Not while the incident opens (a long one's timeline is read whole): a few seconds later.
  timers[1]!.schedule()
  room.doc.on('update', () => {
    for (const t of timers) t.schedule()
  })
  // The last changes before an unload or a stop are mirrored now, not by a timer that outlives the room.
  room.doc.on('destroy', () => {
    for (const t of timers) t.flush()
  })
}

const FACTS_EVERY_MS = 5_000

/** Runs `run` once, `delayMs` after the first of any number of requests; `flush` runs a pending one now. */
const coalesce = (run: () => void, delayMs: number): { schedule: () => void; flush: () => void } => {
  let timer: NodeJS.Timeout | undefined
  const fire = (): void => {
    timer = undefined
    run()
  }
  return {
    schedule: () => {
      timer ??= setTimeout(fire, delayMs)
    },
    flush: () => {
      if (timer === undefined) return
      clearTimeout(timer)
      fire()
    },
  }
}

/**
 * Incident folders the records do not list (warroom.json lost, or replaced by
 * an older copy) are listed again from their documents, with new invite links,
 * and reported: never left orphaned without a word.
 */
const adoptUnlisted = async (dataDir: string, records: HostRecords, registry: RoomRegistry, problems: HostProblems, now: () => number): Promise<void> => {
  for (const id of await records.unlistedIncidents(dataDir)) {
    const file = `incidents/${id}`
    const found = await registry.withRoom(id, (room) => ({ meta: readMeta(room.doc), drill: readDrill(room.doc) })).catch(() => undefined)
    const meta = found?.meta
    if (!meta) {
      problems.report({ file, problem: 'a folder the records do not list, with no readable incident in it: left as it is' })
      continue
    }
    const drill = found.drill
    const adopted = await records.adopt({ id, title: meta.title, severity: meta.severity, status: meta.status, createdAt: meta.milestones.startedAt ?? now(), ...(drill ? { drill } : {}) }).then(
      () => true,
      () => false,
    )
    problems.report({
      file,
      problem: adopted
        ? `"${meta.title}" was on disk but not in ${RECORDS_FILE}: listed again, with new invite links (the old links no longer work)`
        : `"${meta.title}" is on disk but not in ${RECORDS_FILE}, and the host could not save it there (the disk refuses writes): restart the host once there is space`,
    })
  }
}

export const startHost = async (options: HostOptions): Promise<RunningHost> => {
  const logger = options.logger ?? { info: console.log, error: console.error }
  const now = options.now ?? Date.now
  const bindHost = options.host ?? '127.0.0.1'
  const health = new StorageHealth(now)
  /** When the host's settings last changed: boards fetch them again when this moves. */
  let settingsAt = now()
  const hostState = () => ({ ...(health.state.ok ? {} : { storage: health.state }), settingsAt })
  // Set once the registry exists (below); until then there is no board to tell.
  let tellBoards = (): void => undefined
  // Made with the other senders below; rooms load only after.
  let followUpWebhooks: FollowUpWebhooks | undefined = undefined
  const problems = new HostProblems(now, logger.error)
  const records = await HostRecords.open(options.dataDir, health)
  for (const finding of records.findings) problems.report(finding)
  const { token: hostToken, from: hostTokenFrom } = await loadHostToken(options.dataDir, options.env)
  const hostTokenHash = hashToken(hostToken)
  const isHostToken = (token: string): boolean => tokenMatchesHash(token, hostTokenHash)
  const onError = (error: unknown): void => logger.error(describe(error))
  health.subscribe((state) => {
    if (state.ok) logger.info('The host saves again; nothing was lost.')
    else logger.error(`The host cannot save (${state.problem}): changes are kept in memory and on the boards, and writing is retried every second.`)
  })

  const registry = new RoomRegistry({
    dataDir: options.dataDir,
    unloadAfterMs: options.unloadAfterMs ?? 30_000,
    maxBufferedBytes: 64 * 1024 * 1024,
    maxAwarenessBytes: 64 * 1024,
    onError,
    ...(options.maxPendingBytes ? { maxPendingBytes: options.maxPendingBytes } : {}),
    onLoad: (room) => {
      for (const finding of room.durable.findings) problems.report(finding)
      room.setHostState(hostState())
      mirrorRecords(records, room, (id, changed) => followUpWebhooks?.deliver(id, changed))
    },
    durable: {
      now,
      flushDelayMs: options.flushDelayMs ?? 20,
      ...(options.checkpointEveryRecords ? { checkpointEveryRecords: options.checkpointEveryRecords } : {}),
      onError,
      onWriteError: (id, error) => health.failed(`log:${id}`, error),
      onWriteRecovered: (id) => health.recovered(`log:${id}`),
    },
  })
  tellBoards = () => {
    for (const room of registry.loaded()) room.setHostState(hostState())
  }
  // Every board hears at once when the host cannot save, and when it can again.
  health.subscribe(() => tellBoards())

  await adoptUnlisted(options.dataDir, records, registry, problems, now)

  const { store: alerts, findings: alertFindings } = await AlertStore.open(options.dataDir, {
    now,
    onWriteError: (error) => health.failed('alerts', error),
    onWriteRecovered: () => health.recovered('alerts'),
  })
  for (const { problem, setAsideAs } of alertFindings) problems.report({ file: `${ALERTS_DIR}/alerts.log`, problem, ...(setAsideAs ? { setAsideAs: setAsideAs.slice(options.dataDir.length + 1) } : {}) })

  const discardIncident = async (id: string): Promise<void> => {
    await registry.discard(id)
    health.recovered(`log:${id}`)
  }
  const router = new AlertRouter({
    alerts,
    records,
    registry,
    discardIncident,
    now,
    onError,
    silences: () => records.silences(),
    integrationOf: (id) => {
      const integration = records.integrations().find((i) => i.id === id)
      // Only SNS messages carry signatures; an integration told not to check them is unverified.
      return integration ? { integrationName: integration.name, unverified: integration.kind === 'cloudwatch' && !integration.verifySignatures } : { integrationName: 'a removed integration' }
    },
  })

  // Update webhooks and pages go out the same way: the same retries and the same address rules.
  const sending = {
    registry,
    records,
    now,
    onError,
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
    allowLocalDestinations: options.allowLocalWebhooks === true,
    ...(options.webhookLookup ? { lookup: options.webhookLookup } : {}),
  }
  const webhooks = new WebhookDispatcher(sending)
  followUpWebhooks = new FollowUpWebhooks(sending)

  const pager = new Pager({
    ...sending,
    joinLink: (id) => {
      try {
        return invitesAnswer(apiContext, id, records.invites(id)!).links.edit
      } catch {
        // Without its token (seal.key lost): the board asks the person for one.
        return `${inviteBase}/i/${id}`
      }
    },
  })

  let inviteBase = ''
  const apiContext: ApiContext = {
    onError,
    records,
    registry,
    webhooks,
    pager,
    allowLocalWebhooks: options.allowLocalWebhooks === true,
    isHostToken,
    now,
    inviteBase: () => inviteBase,
    dataDir: options.dataDir,
    version: options.version ?? '0.0.0',
    storage: () => health.state,
    alerts,
    sns: new SnsVerifier(options.fetchSnsCertificate),
    intakeLimit: new RateLimit(options.intakeRate?.rate ?? INTAKE_RATE, options.intakeRate?.burst ?? INTAKE_BURST, now),
    confirmSnsSubscription:
      options.confirmSnsSubscription ??
      (async (url: string) => {
        const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) })
        if (!response.ok) throw new Error(`confirming the SNS subscription answered ${response.status}`)
      }),
    settingsChanged: () => {
      settingsAt = now()
      tellBoards()
    },
    problems: () => problems.list(),
    discardIncident,
    router,
  }

  const api = createApi(apiContext)
  const apiListener = getRequestListener(api.fetch)
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
    const { pathname } = new URL(req.url ?? '/', 'http://host.invalid')
    if (pathname.startsWith('/api/') || pathname.startsWith('/status/')) return void apiListener(req, res)
    const serve = async (): Promise<boolean> =>
      options.webRoot !== undefined &&
      serveWebUi(options.webRoot, req, res, (r) => ({
        'Content-Security-Policy': contentSecurityPolicy({ connect: websocketOriginFor(r.headers.host, false) }),
      }))
    serve().then(
      (served) => {
        if (!served) res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.\n')
      },
      (error: unknown) => {
        onError(error)
        if (res.headersSent) res.destroy()
        else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The host hit an internal error.\n')
      },
    )
  })
  server.requestTimeout = 30_000
  server.headersTimeout = 10_000

  const upgrades = createUpgradeHandler({
    registry,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    storedState: (id) => readStoredState(options.dataDir, id),
    authenticate: (id, token) => {
      if (!records.find(id)) return 'unknown-incident'
      return isHostToken(token) ? 'host' : records.authenticate(id, token)
    },
  })
  server.on('upgrade', upgrades.handle)
  server.on('clientError', (_error, socket) => socket.destroy())

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, bindHost, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`
  inviteBase = inviteBaseUrl(bindHost, port, networkInterfaces(), options.publicUrl)
  // Deliveries a stop interrupted carry on now.
  webhooks.resume()
  pager.resume()
  let stopping = false
  // In the background, one incident at a time: check every incident's files
  // (damage anywhere is set aside, repaired and reported) and fold each log tail
  // a crash left into a checkpoint, so a later first open is answered straight
  // from the checkpoint. Not at once: the clients reconnecting right after a
  // restart must not wait behind it, and an incident they open folds its tail
  // when it unloads anyway.
  let folding: Promise<void> = Promise.resolve()
  const foldLogTails = async (): Promise<void> => {
    for (const { id } of records.list()) {
      if (stopping) return
      if (registry.isLoaded(id)) continue
      const repair = await needsRepair(options.dataDir, id)
      if (repair || (await hasLogTail(options.dataDir, id))) await registry.withRoom(id, (room) => room.durable.checkpoint(), repair)
    }
  }
  const foldTimer = setTimeout(() => {
    folding = foldLogTails().catch(onError)
  }, options.foldLogTailsAfterMs ?? 10_000)
  foldTimer.unref()

  // Drills on a schedule fire their injects from here, so a drill runs on with nobody's browser open.
  let firing: Promise<void> = Promise.resolve()
  const injectTimer = setInterval(() => {
    firing = firing.then(() => (stopping ? undefined : fireDueInjects(apiContext))).catch(onError)
  }, INJECT_CHECK_MS)
  injectTimer.unref()

  let closing: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stopping = true
      clearTimeout(foldTimer)
      clearInterval(injectTimer)
      await folding
      await firing
      // Stop taking connections first: clients reconnect the moment theirs closes.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      upgrades.close()
      await webhooks.stop()
      await followUpWebhooks?.stop()
      await pager.stop()
      await router.close()
      await registry.closeAll()
      await alerts.close().catch(onError)
      await records.close()
      upgrades.close()
      server.closeAllConnections()
      await stopped
    })())

  return { url, port, hostToken, hostTokenFrom, inviteBase, registry, records, close }
}
