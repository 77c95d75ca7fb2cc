// The host's own records (lowdb): which incidents exist and their token hashes.
// Incident content lives in the per-incident update log, not here.
import { chmod, mkdir, readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { type Adapter, Low } from 'lowdb'
import * as v from 'valibot'
import { parseDocument } from 'yaml'
import { plural } from '../../shared/plural'
import { INCIDENT_STATUSES, SEVERITIES, type Severity } from '../../shared/schema'
import { newId } from '../../shared/ids'
import { DEFAULT_FATIGUE_SETTINGS, FatigueSettingsSchema } from '../../shared/fatigue'
import { GatheringSchema } from '../../shared/gathering'
import { DEFAULT_PAGING_SETTINGS, PagingSettingsSchema } from '../../shared/paging'
import { type RosterPerson, RosterPersonSchema } from '../../shared/roster'
import { type IncidentFacts, IncidentFactsSchema } from '../../shared/analytics'
import { type FollowUp, FollowUpSchema, type ListedFollowUp, isOverdue, orderFollowUps } from '../../shared/follow-ups'
import { DrillScheduleSchema, type IncidentSummary, IncidentWorkloadSchema, type NewIntegrationBody as NewIntegrationSchema, type ReplayNote, ReplayNoteSchema, integrationFields } from '../../shared/contract'
import { type Silence, SilenceSchema } from '../../shared/alert-routing'
import { DrillOriginSchema, InjectSchema } from '../../shared/drill'
import type { IncidentWorkload } from '../../shared/workload'
import { type PublishedUpdate, PublishedUpdateSchema } from '../../shared/updates'
import { AUDIENCES } from '../../shared/templates'
import { CHANNEL_FORMATS, type ChannelView, DEFAULT_UPDATE_SETTINGS, type NewChannel, UpdateSettingsSchema } from '../../shared/update-settings'
import { CATALOG_FILE, CatalogStore, StoredCatalogSchema, type StoredCatalog } from './catalog-store'
import { StorageError, writeFileDurably } from './persistence/files'
import type { StorageHealth } from './storage-health'
import { TokenSeal, hashToken, newToken, tokenMatchesHash } from './tokens'

const IncidentRecordSchema = v.object({
  id: v.string(),
  title: v.string(),
  severity: v.picklist(SEVERITIES),
  status: v.picklist(INCIDENT_STATUSES),
  createdAt: v.number(),
  editTokenHash: v.string(),
  viewTokenHash: v.string(),
  /** The status page's own token (opens nothing else). Incidents from before it get one when the host starts. */
  statusTokenHash: v.optional(v.string()),
  sealedEditToken: v.string(),
  sealedViewToken: v.string(),
  sealedStatusToken: v.optional(v.string()),
  /** Services down or impacted on its board (mirrored): an alert for one of them joins this incident. */
  affected: v.optional(v.array(v.string())),
  /** Imported from an archive of this incident (its id on the host that exported it). */
  importedFrom: v.optional(v.string()),
  /** A drill: what it re-runs, its injects and, once started, their schedule. */
  drill: v.optional(
    v.object({
      ...DrillOriginSchema.entries,
      injects: v.array(InjectSchema),
      schedule: v.optional(DrillScheduleSchema),
    }),
  ),
})
export type IncidentRecord = v.InferOutput<typeof IncidentRecordSchema>

/** How long an ended silence stays listed. */
const SILENCE_HISTORY_MS = 30 * 24 * 3600_000

const IntegrationRecordSchema = v.object({
  ...integrationFields,
  /** The intake key, as a hash (checked) and sealed (shown again to the host token). */
  keyHash: v.string(),
  sealedKey: v.string(),
})
export type IntegrationRecord = v.InferOutput<typeof IntegrationRecordSchema>

const PendingDeliverySchema = v.object({ incidentId: v.string(), updateId: v.string(), channelId: v.string() })
export type PendingDelivery = v.InferOutput<typeof PendingDeliverySchema>

const ChannelRecordSchema = v.object({
  id: v.string(),
  name: v.string(),
  format: v.picklist(CHANNEL_FORMATS),
  audiences: v.array(v.picklist(AUDIENCES)),
  destination: v.string(),
  sealedUrl: v.string(),
  sealedSecret: v.optional(v.string()),
  /** Marked for drills: a drill's updates go to these channels only. */
  drills: v.optional(v.boolean()),
  followUps: v.optional(v.boolean()),
  createdAt: v.number(),
})
type ChannelRecord = v.InferOutput<typeof ChannelRecordSchema>

const channelView = ({ id, name, format, audiences, destination, sealedSecret, drills, followUps }: ChannelRecord): ChannelView => ({
  id,
  name,
  format,
  audiences,
  destination,
  signed: sealedSecret !== undefined,
  drills: drills === true,
  ...(followUps ? { followUps: true } : {}),
})

/** A channel as the dispatcher needs it: with its URL and secret. */
export interface Channel extends ChannelView {
  url: string
  secret?: string
}

const HostDataSchema = v.object({
  version: v.literal(1),
  incidents: v.array(IncidentRecordSchema),
  roster: v.optional(v.array(RosterPersonSchema), []),
  settings: v.optional(
    v.object({
      fatigue: v.optional(FatigueSettingsSchema, DEFAULT_FATIGUE_SETTINGS),
      updates: v.optional(UpdateSettingsSchema, DEFAULT_UPDATE_SETTINGS),
      paging: v.optional(PagingSettingsSchema, DEFAULT_PAGING_SETTINGS),
      /** The bridge and chat a new incident starts with, unless its declaration names its own. */
      gathering: v.optional(GatheringSchema, {}),
    }),
    {},
  ),
  /** Outgoing webhooks; URL and secret sealed like the invite tokens. */
  channels: v.optional(v.array(ChannelRecordSchema), []),
  /** Monitoring sources that post alerts to /api/intake/<key>. */
  integrations: v.optional(v.array(IntegrationRecordSchema), []),
  /** Alert silences, kept after they end (what was held out, and why). */
  silences: v.optional(v.array(SilenceSchema), []),
  /** Facilitators' notes on replays, by incident: kept with the incident, never in its record. */
  replayNotes: v.optional(v.array(ReplayNoteSchema), []),
  /** PagerDuty routing keys set on an incident's board for its services, sealed; each counts for that incident only. */
  pagingKeys: v.optional(v.array(v.object({ incidentId: v.string(), serviceId: v.string(), sealedKey: v.string(), setAt: v.number() })), []),
  /** Incidents with pages still being sent: their documents are opened at start to resume them. */
  pagingIncidents: v.optional(v.array(v.string()), []),
  /** Webhook deliveries not yet delivered or given up: resumed when the host starts. */
  pendingDeliveries: v.optional(v.array(PendingDeliverySchema), []),
  /** Every published update, as sent, per incident: the status page reads these, never the document. */
  published: v.optional(v.record(v.string(), v.array(PublishedUpdateSchema)), {}),
  /** Older hosts kept the service catalog here; it now has its own file (catalog-store.ts). */
  catalog: v.optional(StoredCatalogSchema),
  /** Per incident, who was on duty and in command when: for load across incidents. */
  workloads: v.optional(v.record(v.string(), IncidentWorkloadSchema), {}),
  /** Per incident, its lifecycle, severities, services and updates: for analytics (shared/analytics.ts). */
  facts: v.optional(v.record(v.string(), IncidentFactsSchema), {}),
  /** Per incident, its follow-ups as its document has them: for the list across incidents. */
  followUps: v.optional(v.record(v.string(), v.array(FollowUpSchema)), {}),
})
type HostData = v.InferOutput<typeof HostDataSchema>
type HostSettings = HostData['settings']

export type IncidentAccess = 'edit' | 'view'

export const RECORDS_FILE = 'warroom.json'

/**
 * " at line 3, column 17" for broken JSON. JSON.parse on Node 20 names no
 * position; the yaml parser (JSON is YAML) does, for almost every break.
 */
const whereInJson = (text: string): string => {
  const at = parseDocument(text).errors[0]?.linePos?.[0]
  return at ? ` at line ${at.line}, column ${at.col}` : ''
}

/**
 * lowdb's JSON file, made durable: written to a temp file, fsynced, renamed,
 * and the folder fsynced, owner-only (it holds roster contacts and sealed
 * tokens). lowdb's own writer renames without fsync.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    try {
      return JSON.parse(text) as T
    } catch (error) {
      throw new Error(
        `${this.path} is not valid JSON${whereInJson(text)} (${(error as Error).message.split('\n')[0]}). Fix it, or move it aside to start again (incidents on disk are then registered again, with new invite links).`,
        { cause: error },
      )
    }
  }

  write(data: T): Promise<void> {
    return writeFileDurably(this.path, JSON.stringify(data), 0o600)
  }
}

/** An incident folder the records did not know, or a sealed value the seal key cannot open: found at start. */
export interface RecordsFinding {
  file: string
  problem: string
  setAsideAs?: string
}

/** An incident's three links: responders (edit), the internal read-only board (view), the status page (status). */
export interface InviteTokens {
  editToken: string
  viewToken: string
  statusToken: string
}

/** The invite tokens cannot be shown again (seal.key was lost or replaced); new links can be issued. */
export class SealLostError extends Error {}

const summarise = ({ id, title, severity, status, createdAt, importedFrom, drill }: IncidentRecord): IncidentSummary => ({
  id,
  title,
  severity,
  status,
  createdAt,
  ...(importedFrom ? { importedFrom } : {}),
  ...(drill ? { drill: { of: drill.of, from: drill.from } } : {}),
})

const BASE32 = 'abcdefghijkmnpqrstuvwxyz23456789'

/** "20261124-k3f9q2": sortable by day, readable aloud, unguessable enough to be no secret. */
export const newIncidentId = (now: number): string => {
  const d = new Date(now)
  const day = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`
  const suffix = [...randomBytes(6)].map((b) => BASE32[b % BASE32.length]).join('')
  return `${day}-${suffix}`
}

export class HostRecords {
  /** One write at a time, in order; each writes the records as they are when it starts. */
  private queue: Promise<void> = Promise.resolve()
  /** Changes made / changes on disk: the records are dirty while these differ. */
  private version = 0
  private savedVersion = 0
  private retryTimer: NodeJS.Timeout | undefined
  private closed = false

  private constructor(
    private readonly db: Low<HostData>,
    private readonly seal: TokenSeal,
    private readonly health: StorageHealth | undefined,
    private readonly catalogStore: CatalogStore,
    /** What opening found: a damaged catalog, sealed values the key cannot open. */
    readonly findings: readonly RecordsFinding[],
  ) {}

  /** Run `task` after every write queued before it, alone. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task)
    this.queue = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  /** Write the records as they are now (the caller is the queue's current task). */
  private async writeNow(): Promise<void> {
    const version = this.version
    try {
      await this.db.write()
    } catch (error) {
      this.health?.failed('records', error)
      this.retryLater()
      throw error
    }
    this.savedVersion = Math.max(this.savedVersion, version)
    if (this.savedVersion === this.version) this.health?.recovered('records')
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      if (this.version !== this.savedVersion) this.enqueue(() => this.writeNow()).catch(() => undefined)
    }, 1000)
  }

  /**
   * A change someone asked for: applied and written in its turn, alone (so no
   * other request's change can be caught by its undo), on disk before it
   * resolves. When the disk will not take it, it is undone and a StorageError
   * says so: nothing was changed.
   */
  private commit<T>(apply: () => T, undo: (result: T) => void): Promise<T> {
    return this.enqueue(async () => {
      const result = apply()
      this.version++
      try {
        await this.writeNow()
      } catch (error) {
        undo(result)
        this.version++
        throw new StorageError(error)
      }
      return result
    })
  }

  /**
   * A change the host derives from what is already durable (an incident's
   * title, duty periods, deliveries under way): kept in memory at once and
   * written as soon as the disk takes it.
   */
  private keep(apply: () => void): void {
    apply()
    this.version++
    this.enqueue(() => this.writeNow()).catch(() => undefined)
  }

  /** Resolves when every write started so far has finished; stops retrying. */
  async flush(): Promise<void> {
    await this.queue
  }

  /** Stop: one last attempt for what is not on disk yet, then no more retries. */
  async close(): Promise<void> {
    if (this.version !== this.savedVersion) await this.enqueue(() => this.writeNow()).catch(() => undefined)
    await this.queue
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
  }

  static async open(dataDir: string, health?: StorageHealth): Promise<HostRecords> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    const path = join(dataDir, RECORDS_FILE)
    const db = new Low<HostData>(new DurableJsonFile(path), {
      version: 1,
      incidents: [],
      roster: [],
      settings: { fatigue: DEFAULT_FATIGUE_SETTINGS, updates: DEFAULT_UPDATE_SETTINGS, paging: DEFAULT_PAGING_SETTINGS, gathering: {} },
      channels: [],
      integrations: [],
      silences: [],
      replayNotes: [],
      pagingKeys: [],
      pagingIncidents: [],
      published: {},
      pendingDeliveries: [],
      workloads: {},
      facts: {},
      followUps: {},
    })
    await db.read()
    const parsed = v.safeParse(HostDataSchema, db.data)
    if (!parsed.success) {
      const issue = parsed.issues[0]
      throw new Error(`${path} is damaged (${v.getDotPath(issue) ?? 'root'}: ${issue.message}); fix it, restore it from a backup, or move it aside to start again.`)
    }
    db.data = parsed.output
    // Files made before records were created owner-only.
    const mode = await stat(path).then((s) => s.mode & 0o777, () => undefined)
    if (mode !== undefined && mode & 0o077) await chmod(path, 0o600)
    const seal = await TokenSeal.open(dataDir)
    const { store: catalog, finding } = await CatalogStore.open(dataDir, db.data.catalog, Date.now())
    const records = new HostRecords(db, seal.seal, health, catalog, [...(finding ? [finding] : []), ...sealFindings(db.data, seal)])
    records.giveStatusTokens()
    // Moved out of an older host's records once it is in its own file; if the disk refuses now, the next start does it.
    if (db.data.catalog && (await stat(join(dataDir, CATALOG_FILE)).then(() => true, () => false))) {
      await records.commit(() => delete db.data.catalog, () => undefined).catch(() => undefined)
    }
    return records
  }

  /**
   * Incidents from before status tokens get one (their view token keeps
   * opening the status page too); kept at once, written when the disk takes it.
   */
  private giveStatusTokens(): void {
    const without = this.db.data.incidents.filter((r) => r.statusTokenHash === undefined)
    if (without.length === 0) return
    this.keep(() => {
      for (const record of without) {
        const token = newToken()
        Object.assign(record, { statusTokenHash: hashToken(token), sealedStatusToken: this.seal.seal(token) })
      }
    })
  }

  /** Incident folders on disk that the records do not list (warroom.json was lost, or replaced by an older copy). */
  async unlistedIncidents(dataDir: string): Promise<string[]> {
    const names = await readdir(join(dataDir, 'incidents')).catch(() => [] as string[])
    return names.filter((name) => /^[A-Za-z0-9_-]{1,64}$/.test(name) && !this.record(name))
  }

  list(): IncidentSummary[] {
    return this.db.data.incidents.map(summarise).sort((a, b) => b.createdAt - a.createdAt)
  }

  find(id: string): IncidentSummary | undefined {
    const record = this.record(id)
    return record && summarise(record)
  }

  private record(id: string): IncidentRecord | undefined {
    return this.db.data.incidents.find((r) => r.id === id)
  }

  private newInvites(): InviteTokens & Pick<IncidentRecord, 'editTokenHash' | 'viewTokenHash' | 'statusTokenHash' | 'sealedEditToken' | 'sealedViewToken' | 'sealedStatusToken'> {
    const editToken = newToken()
    const viewToken = newToken()
    const statusToken = newToken()
    return {
      editToken,
      viewToken,
      statusToken,
      editTokenHash: hashToken(editToken),
      viewTokenHash: hashToken(viewToken),
      statusTokenHash: hashToken(statusToken),
      sealedEditToken: this.seal.seal(editToken),
      sealedViewToken: this.seal.seal(viewToken),
      sealedStatusToken: this.seal.seal(statusToken),
    }
  }

  /** A new incident's id and tokens, not yet recorded: `create` records them once its files exist. */
  prepare(fields: { title: string; severity: Severity; now: number }): { record: IncidentRecord; tokens: InviteTokens } {
    const { editToken, viewToken, statusToken, ...invites } = this.newInvites()
    const record: IncidentRecord = { id: newIncidentId(fields.now), title: fields.title, severity: fields.severity, status: 'investigating', createdAt: fields.now, ...invites }
    return { record, tokens: { editToken, viewToken, statusToken } }
  }

  async create(record: IncidentRecord): Promise<IncidentSummary> {
    await this.commit(
      () => this.db.data.incidents.push(record),
      () => (this.db.data.incidents = this.db.data.incidents.filter((r) => r !== record)),
    )
    return summarise(record)
  }

  /** Register an incident found on disk (its document gives title, severity, status), with new invite links. */
  async adopt(summary: IncidentSummary): Promise<void> {
    const { editToken: _edit, viewToken: _view, statusToken: _status, ...invites } = this.newInvites()
    // A drill found on disk keeps its mark; its script was in the records, now lost.
    const { drill, ...fields } = summary
    const record: IncidentRecord = { ...fields, ...invites, ...(drill ? { drill: { ...drill, injects: [] } } : {}) }
    await this.commit(
      () => this.db.data.incidents.push(record),
      () => (this.db.data.incidents = this.db.data.incidents.filter((r) => r !== record)),
    )
  }

  /**
   * Which board access an incident token grants, if any (a status token grants
   * none: it opens the status page alone). Both hashes are always compared.
   */
  authenticate(id: string, token: string): IncidentAccess | undefined {
    const record = this.record(id)
    if (!record) return undefined
    const edit = tokenMatchesHash(token, record.editTokenHash)
    const view = tokenMatchesHash(token, record.viewTokenHash)
    return edit ? 'edit' : view ? 'view' : undefined
  }

  /** Whether this is the incident's status-page token. */
  isStatusToken(id: string, token: string): boolean {
    const hash = this.record(id)?.statusTokenHash
    return hash !== undefined && tokenMatchesHash(token, hash)
  }

  /** The invite tokens again, for the IC's "copy invite link". */
  invites(id: string): InviteTokens | undefined {
    const record = this.record(id)
    if (!record) return undefined
    try {
      return {
        editToken: this.seal.open(record.sealedEditToken),
        viewToken: this.seal.open(record.sealedViewToken),
        statusToken: this.seal.open(record.sealedStatusToken!),
      }
    } catch {
      throw new SealLostError(
        'The invite links of this incident cannot be shown again: the key that kept them (seal.key) was lost or replaced. The links people already have still work; issue new links to invite others (the old ones then stop working).',
      )
    }
  }

  /** New edit, view and status tokens for an incident; the old links stop working at once. */
  async reissueInvites(id: string): Promise<InviteTokens | undefined> {
    const record = this.record(id)
    if (!record) return undefined
    const { editToken, viewToken, statusToken, ...invites } = this.newInvites()
    const before = Object.fromEntries(Object.keys(invites).map((key) => [key, record[key as keyof typeof invites]]))
    await this.commit(
      () => Object.assign(record, invites),
      () => Object.assign(record, before),
    )
    return { editToken, viewToken, statusToken }
  }

  /** The incident a link belongs to, and which link it is (every hash compared, in constant time each). */
  linkOf(token: string): { incidentId: string; access: IncidentAccess } | undefined {
    let found: { incidentId: string; access: IncidentAccess } | undefined
    for (const record of this.db.data.incidents) {
      const access = this.authenticate(record.id, token)
      if (access && !found) found = { incidentId: record.id, access }
    }
    return found
  }

  roster(): RosterPerson[] {
    return [...this.db.data.roster].sort((a, b) => a.name.localeCompare(b.name))
  }

  addToRoster(fields: Omit<RosterPerson, 'id' | 'createdAt'>, now: number): Promise<RosterPerson> {
    const person: RosterPerson = { id: newId(), ...fields, createdAt: now }
    return this.commit(
      () => (this.db.data.roster.push(person), person),
      () => (this.db.data.roster = this.db.data.roster.filter((p) => p !== person)),
    )
  }

  // Each change below reads what it changes inside its turn (commit), so its undo restores exactly that.

  async updateRosterPerson(id: string, fields: Partial<Omit<RosterPerson, 'id' | 'createdAt'>>): Promise<RosterPerson | undefined> {
    const changed = await this.commit(
      () => {
        const before = this.db.data.roster
        const person = before.find((p) => p.id === id)
        if (!person) return undefined
        const updated = { ...person, ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) }
        this.db.data.roster = before.map((p) => (p === person ? updated : p))
        return { before, updated }
      },
      (result) => {
        if (result) this.db.data.roster = result.before
      },
    )
    return changed?.updated
  }

  /** Remove the entry with this id from a list of the records; false when there is none. */
  private async removeById(list: 'roster' | 'channels' | 'integrations', id: string): Promise<boolean> {
    const removed = await this.commit(
      () => {
        const before: ReadonlyArray<{ id: string }> = this.db.data[list]
        const after = before.filter((entry) => entry.id !== id)
        if (after.length === before.length) return undefined
        Object.assign(this.db.data, { [list]: after })
        return before
      },
      (before) => {
        if (before) Object.assign(this.db.data, { [list]: before })
      },
    )
    return removed !== undefined
  }

  removeFromRoster(id: string): Promise<boolean> {
    return this.removeById('roster', id)
  }

  /** One of the host's settings (fatigue thresholds, stakeholder updates). */
  setting<K extends keyof HostSettings>(key: K): HostSettings[K] {
    return this.db.data.settings[key]
  }

  async saveSetting<K extends keyof HostSettings>(key: K, value: HostSettings[K]): Promise<HostSettings[K]> {
    await this.commit(
      () => {
        const before = this.db.data.settings[key]
        this.db.data.settings[key] = value
        return before
      },
      (before) => (this.db.data.settings[key] = before),
    )
    return value
  }

  channels(): ChannelView[] {
    return this.db.data.channels.map(channelView)
  }

  /** A routing key set on this incident's board for this service; undefined when none (or seal.key cannot open it). */
  pagingKey(incidentId: string, serviceId: string): string | undefined {
    const entry = this.db.data.pagingKeys.find((k) => k.incidentId === incidentId && k.serviceId === serviceId)
    try {
      return entry ? this.seal.open(entry.sealedKey) : undefined
    } catch {
      return undefined
    }
  }

  /** Set (or, with undefined, remove) the routing key that pages a service's owner in one incident; on disk before it resolves. */
  async setPagingKey(incidentId: string, serviceId: string, key: string | undefined, now: number): Promise<void> {
    await this.commit(
      () => {
        const before = this.db.data.pagingKeys
        const other = (k: (typeof before)[number]): boolean => k.incidentId !== incidentId || k.serviceId !== serviceId
        this.db.data.pagingKeys = [...before.filter(other), ...(key ? [{ incidentId, serviceId, sealedKey: this.seal.seal(key), setAt: now }] : [])]
        return before
      },
      (before) => (this.db.data.pagingKeys = before),
    )
  }

  /**
   * With URL and secret: for the dispatcher only, never for an HTTP answer. A
   * channel the seal key cannot open has no `url` (it must be added again).
   */
  channelsWithSecrets(): Array<Channel | (ChannelView & { url?: undefined })> {
    return this.db.data.channels.map((c) => {
      try {
        return { ...channelView(c), url: this.seal.open(c.sealedUrl), ...(c.sealedSecret ? { secret: this.seal.open(c.sealedSecret) } : {}) }
      } catch {
        return channelView(c)
      }
    })
  }

  addChannel(channel: NewChannel, now: number): Promise<ChannelView> {
    const record: ChannelRecord = {
      id: newId(),
      name: channel.name,
      format: channel.format,
      audiences: [...new Set(channel.audiences)],
      destination: new URL(channel.url).host,
      sealedUrl: this.seal.seal(channel.url),
      ...(channel.secret ? { sealedSecret: this.seal.seal(channel.secret) } : {}),
      ...(channel.drills ? { drills: true } : {}),
      ...(channel.followUps ? { followUps: true } : {}),
      createdAt: now,
    }
    return this.commit(
      () => (this.db.data.channels.push(record), channelView(record)),
      () => (this.db.data.channels = this.db.data.channels.filter((c) => c !== record)),
    )
  }

  removeChannel(id: string): Promise<boolean> {
    return this.removeById('channels', id)
  }

  integrations(): readonly IntegrationRecord[] {
    return this.db.data.integrations
  }

  /** A new integration and its intake key (256 random bits), on disk before it resolves. */
  async addIntegration(fields: v.InferOutput<typeof NewIntegrationSchema>, now: number): Promise<{ record: IntegrationRecord; key: string }> {
    const key = newToken()
    const record: IntegrationRecord = { id: newId(), ...fields, createdAt: now, keyHash: hashToken(key), sealedKey: this.seal.seal(key) }
    await this.commit(
      () => this.db.data.integrations.push(record),
      () => (this.db.data.integrations = this.db.data.integrations.filter((r) => r !== record)),
    )
    return { record, key }
  }

  /** Rename it, or change how its alerts are routed; its key and address stay. Undefined when there is no such integration. */
  async updateIntegration(id: string, fields: Partial<Pick<IntegrationRecord, 'name' | 'rules' | 'verifySignatures' | 'windowMinutes'>>): Promise<IntegrationRecord | undefined> {
    const changed = await this.commit(
      () => {
        const before = this.db.data.integrations
        const record = before.find((r) => r.id === id)
        if (!record) return undefined
        const updated = { ...record, ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) }
        this.db.data.integrations = before.map((r) => (r === record ? updated : r))
        return { before, updated }
      },
      (result) => {
        if (result) this.db.data.integrations = result.before
      },
    )
    return changed?.updated
  }

  /** Its key stops working at once. */
  removeIntegration(id: string): Promise<boolean> {
    return this.removeById('integrations', id)
  }

  /** The integration an intake key opens: every key hash compared, in constant time each. */
  integrationByKey(key: string): IntegrationRecord | undefined {
    let found: IntegrationRecord | undefined
    for (const record of this.db.data.integrations) if (tokenMatchesHash(key, record.keyHash) && !found) found = record
    return found
  }

  /** The intake key again (for the URL the host token is shown), or undefined when the seal key cannot open it. */
  integrationKey(record: IntegrationRecord): string | undefined {
    try {
      return this.seal.open(record.sealedKey)
    } catch {
      return undefined
    }
  }

  /** An SNS subscription to confirm by hand (or none any more): kept at once, written when the disk takes it. */
  setPendingConfirmation(id: string, pending: IntegrationRecord['pendingConfirmation']): void {
    const record = this.db.data.integrations.find((r) => r.id === id)
    if (!record) return
    this.keep(() => {
      if (pending) record.pendingConfirmation = pending
      else delete record.pendingConfirmation
    })
  }

  replayNotes(incidentId: string): ReplayNote[] {
    return this.db.data.replayNotes.filter((n) => n.incidentId === incidentId).sort((a, b) => a.at - b.at || a.createdAt - b.createdAt)
  }

  /** On disk before it resolves. */
  async addReplayNote(note: ReplayNote): Promise<void> {
    const kept = this.db.data.replayNotes
    await this.commit(
      () => (this.db.data.replayNotes = [...kept, note]),
      () => (this.db.data.replayNotes = kept),
    )
  }

  /** False when the incident has no note by that id. */
  async removeReplayNote(incidentId: string, id: string): Promise<boolean> {
    const kept = this.db.data.replayNotes
    if (!kept.some((n) => n.incidentId === incidentId && n.id === id)) return false
    await this.commit(
      () => (this.db.data.replayNotes = kept.filter((n) => !(n.incidentId === incidentId && n.id === id))),
      () => (this.db.data.replayNotes = kept),
    )
    return true
  }

  silences(): readonly Silence[] {
    return this.db.data.silences
  }

  /** On disk before it resolves. Ended silences older than a month are let go. */
  async addSilence(silence: Silence): Promise<void> {
    const kept = this.db.data.silences
    await this.commit(
      () => (this.db.data.silences = [...kept.filter((s) => s.endsAt > silence.createdAt - SILENCE_HISTORY_MS), silence]),
      () => (this.db.data.silences = kept),
    )
  }

  /** End a silence now (it stays listed); false when there is none running by that id. */
  async endSilence(id: string, now: number): Promise<boolean> {
    const silence = this.db.data.silences.find((s) => s.id === id && s.endsAt > now)
    if (!silence) return false
    const endsAt = silence.endsAt
    await this.commit(
      () => (silence.endsAt = now),
      () => (silence.endsAt = endsAt),
    )
    return true
  }

  pendingDeliveries(): PendingDelivery[] {
    return [...this.db.data.pendingDeliveries]
  }

  /** Deliveries under way, so a restart resumes them: kept at once, written when the disk takes it. */
  setDeliveryPending(delivery: PendingDelivery, pending: boolean): void {
    const same = (d: PendingDelivery): boolean => d.incidentId === delivery.incidentId && d.updateId === delivery.updateId && d.channelId === delivery.channelId
    const there = this.db.data.pendingDeliveries.some(same)
    if (there === pending) return
    this.keep(() => {
      this.db.data.pendingDeliveries = pending ? [...this.db.data.pendingDeliveries, { ...delivery }] : this.db.data.pendingDeliveries.filter((d) => !same(d))
    })
  }

  /** Incidents whose pages are still being sent. */
  pagingIncidents(): readonly string[] {
    return this.db.data.pagingIncidents
  }

  /** An incident has pages under way: on disk before it resolves, so a page answered is resumed after a crash. */
  async startPaging(incidentId: string): Promise<void> {
    if (this.db.data.pagingIncidents.includes(incidentId)) return
    await this.commit(
      () => (this.db.data.pagingIncidents = [...this.db.data.pagingIncidents, incidentId]),
      () => (this.db.data.pagingIncidents = this.db.data.pagingIncidents.filter((id) => id !== incidentId)),
    )
  }

  /** None any more: kept at once, written when the disk takes it (at worst a restart looks and finds nothing). */
  pagingDone(incidentId: string): void {
    if (!this.db.data.pagingIncidents.includes(incidentId)) return
    this.keep(() => (this.db.data.pagingIncidents = this.db.data.pagingIncidents.filter((id) => id !== incidentId)))
  }

  published(incidentId: string): readonly PublishedUpdate[] {
    return this.db.data.published[incidentId] ?? []
  }

  /** Append-only: there is no way to change or remove a published update. */
  async addPublished(incidentId: string, update: PublishedUpdate): Promise<void> {
    await this.commit(
      () => {
        if (this.published(incidentId).some((u) => u.id === update.id)) throw new Error(`Update ${update.id} was already published.`)
        const list = (this.db.data.published[incidentId] ??= [])
        list.push(update)
      },
      () => (this.db.data.published[incidentId] = this.published(incidentId).filter((u) => u !== update)),
    )
  }

  catalog(): StoredCatalog | undefined {
    return this.catalogStore.get()
  }

  /** `json`: the stored form, when it was serialised elsewhere (an import's worker). */
  setCatalog(catalog: StoredCatalog, json?: Uint8Array): Promise<void> {
    return this.catalogStore.set(catalog, json)
  }

  /** Load across incidents: a drill never counts. */
  workloads(): IncidentWorkload[] {
    return Object.values(this.db.data.workloads).filter((w) => this.record(w.incidentId)?.drill === undefined)
  }

  /** Mirrored when an open incident's people, duty or roles change. */
  updateWorkload(workload: IncidentWorkload): void {
    if (JSON.stringify(this.db.data.workloads[workload.incidentId]) === JSON.stringify(workload)) return
    this.keep(() => (this.db.data.workloads[workload.incidentId] = workload))
  }

  /** Analytics' facts of every incident but drills, and the incidents (drills aside) whose facts are not kept yet. */
  analyticsFacts(): { facts: IncidentFacts[]; missing: string[] } {
    const incidents = this.db.data.incidents.filter((r) => r.drill === undefined)
    const facts = this.db.data.facts
    return { facts: incidents.flatMap((r) => facts[r.id] ?? []), missing: incidents.filter((r) => !facts[r.id]).map((r) => r.id) }
  }

  /** Mirrored as an incident changes (a few seconds after, not on every keystroke). */
  updateFacts(facts: IncidentFacts): void {
    if (JSON.stringify(this.db.data.facts[facts.id]) === JSON.stringify(facts)) return
    this.keep(() => (this.db.data.facts[facts.id] = facts))
  }

  /** Every follow-up of every incident but drills, with its incident, overdue first. */
  followUps(now: number): ListedFollowUp[] {
    const listed = this.db.data.incidents
      .filter((r) => r.drill === undefined)
      .flatMap((r) => (this.db.data.followUps[r.id] ?? []).map((f) => ({ ...f, incidentId: r.id, incidentTitle: r.title, overdue: isOverdue(f, now) })))
    return orderFollowUps(listed, now)
  }

  /** Mirrored as an incident's follow-ups change; the ones new or changed since the last mirror. */
  updateFollowUps(incidentId: string, followUps: FollowUp[]): FollowUp[] {
    const before = new Map((this.db.data.followUps[incidentId] ?? []).map((f) => [f.id, JSON.stringify(f)]))
    const changed = followUps.filter((f) => before.get(f.id) !== JSON.stringify(f))
    if (changed.length > 0 || before.size !== followUps.length) this.keep(() => (this.db.data.followUps[incidentId] = followUps))
    return changed
  }

  /** Keep the list's title, severity and status in step with the document. */
  updateSummary(id: string, summary: Pick<IncidentSummary, 'title' | 'severity' | 'status'> & { affected: string[] }): void {
    const record = this.record(id)
    if (!record) return
    const sameAffected = (record.affected ?? []).join('\n') === summary.affected.join('\n')
    if (record.title === summary.title && record.severity === summary.severity && record.status === summary.status && sameAffected) return
    this.keep(() => Object.assign(record, { title: summary.title, severity: summary.severity, status: summary.status, affected: summary.affected }))
  }

  /** Incidents not resolved (nor imported), with the services their boards show down or impacted. */
  running(): Array<{ id: string; affected: readonly string[] }> {
    // An imported incident is a record of another host's, a drill an exercise: live alerts never join them.
    return this.db.data.incidents
      .filter((r) => r.status !== 'resolved' && r.importedFrom === undefined && r.drill === undefined)
      .map((r) => ({ id: r.id, affected: r.affected ?? [] }))
  }

  /** A drill's script and schedule (undefined for an incident that is no drill). */
  drill(id: string): IncidentRecord['drill'] {
    return this.record(id)?.drill
  }

  /** Change a drill's script or schedule; on disk before it resolves. */
  async updateDrill(id: string, change: (drill: NonNullable<IncidentRecord['drill']>) => NonNullable<IncidentRecord['drill']>): Promise<NonNullable<IncidentRecord['drill']>> {
    const record = this.record(id)
    if (!record?.drill) throw new Error(`${id} is no drill`)
    const before = record.drill
    const after = change(before)
    await this.commit(
      () => (record.drill = after),
      () => (record.drill = before),
    )
    return after
  }

  /** Drills being run on a schedule, with injects still to fire. */
  scheduledDrills(): Array<{ id: string; drill: NonNullable<IncidentRecord['drill']> }> {
    return this.db.data.incidents.flatMap((r) => (r.drill?.schedule && r.drill.injects.some((i) => i.firedAt === undefined) ? [{ id: r.id, drill: r.drill }] : []))
  }
}

/** Sealed values the key cannot open: the key file was lost (and a new one made) or replaced. */
const sealFindings = (data: HostData, seal: { seal: TokenSeal; created: boolean; setAsideAs?: string }): RecordsFinding[] => {
  const opens = (sealed: string): boolean => {
    try {
      seal.seal.open(sealed)
      return true
    } catch {
      return false
    }
  }
  const incidents = data.incidents.filter((r) => !opens(r.sealedEditToken) || !opens(r.sealedViewToken) || (r.sealedStatusToken !== undefined && !opens(r.sealedStatusToken))).length
  const channels = data.channels.filter((c) => !opens(c.sealedUrl) || (c.sealedSecret !== undefined && !opens(c.sealedSecret))).length
  const keys = data.pagingKeys.filter((k) => !opens(k.sealedKey)).length
  if (incidents === 0 && channels === 0 && keys === 0) return []
  const what = [
    incidents > 0 ? `the invite links of ${plural(incidents, 'incident')} cannot be shown again (the links people have still work; issue new ones from the Invite dialog)` : '',
    channels > 0 ? `${plural(channels, 'webhook channel')} must be added again (their addresses cannot be read)` : '',
    keys > 0 ? `${plural(keys, 'PagerDuty routing key')} set on a board must be set again` : '',
  ].filter(Boolean)
  const how = seal.setAsideAs ? 'damaged (a new one was made)' : seal.created ? 'missing (a new one was made)' : 'replaced'
  return [{ file: 'seal.key', problem: `the key that seals invite links and webhook addresses was ${how}: ${what.join('; ')}`, ...(seal.setAsideAs ? { setAsideAs: seal.setAsideAs } : {}) }]
}
