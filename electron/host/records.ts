// The host's own records (lowdb): which incidents exist and their token hashes.
// Incident content lives in the per-incident update log, not here.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import * as v from 'valibot'
import { INCIDENT_STATUSES, type IncidentStatus, SEVERITIES, type Severity } from '../../shared/schema'
import { newId } from '../../shared/ids'
import { DEFAULT_FATIGUE_SETTINGS, FatigueSettingsSchema } from '../../shared/fatigue'
import { type RosterPerson, RosterPersonSchema } from '../../shared/roster'
import { type Catalog, SERVICE_KINDS } from '../../shared/services'
import type { IncidentWorkload } from '../../shared/workload'
import { type PublishedUpdate, PublishedUpdateSchema } from '../../shared/updates'
import { AUDIENCES } from '../../shared/templates'
import { CHANNEL_FORMATS, type ChannelView, DEFAULT_UPDATE_SETTINGS, type NewChannel, UpdateSettingsSchema } from '../../shared/update-settings'
import { TokenSeal, hashToken, newToken, tokenMatchesHash } from './tokens'

const IncidentRecordSchema = v.object({
  id: v.string(),
  title: v.string(),
  severity: v.picklist(SEVERITIES),
  status: v.picklist(INCIDENT_STATUSES),
  createdAt: v.number(),
  editTokenHash: v.string(),
  viewTokenHash: v.string(),
  sealedEditToken: v.string(),
  sealedViewToken: v.string(),
})
export type IncidentRecord = v.InferOutput<typeof IncidentRecordSchema>

const IntervalSchema = v.object({ from: v.number(), to: v.nullable(v.number()) })
const IncidentWorkloadSchema = v.object({
  incidentId: v.string(),
  title: v.string(),
  people: v.record(
    v.string(),
    v.object({ onDuty: v.array(IntervalSchema), asCommander: v.array(IntervalSchema), timesSentToRest: v.number() }),
  ),
})

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
  createdAt: v.number(),
})
type ChannelRecord = v.InferOutput<typeof ChannelRecordSchema>

const channelView = ({ id, name, format, audiences, destination, sealedSecret }: ChannelRecord): ChannelView => ({
  id,
  name,
  format,
  audiences,
  destination,
  signed: sealedSecret !== undefined,
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
    }),
    {},
  ),
  /** Outgoing webhooks; URL and secret sealed like the invite tokens. */
  channels: v.optional(v.array(ChannelRecordSchema), []),
  /** Webhook deliveries not yet delivered or given up: resumed when the host starts. */
  pendingDeliveries: v.optional(v.array(PendingDeliverySchema), []),
  /** Every published update, as sent, per incident: the status page reads these, never the document. */
  published: v.optional(v.record(v.string(), v.array(PublishedUpdateSchema)), {}),
  /** The service catalog every new incident starts with. */
  catalog: v.optional(
    v.object({
      source: v.string(),
      importedAt: v.number(),
      services: v.array(
        v.object({
          id: v.string(),
          name: v.string(),
          kind: v.picklist(SERVICE_KINDS),
          business: v.boolean(),
          owner: v.optional(v.string()),
          tier: v.optional(v.string()),
          description: v.optional(v.string()),
        }),
      ),
      dependencies: v.array(v.object({ from: v.string(), to: v.string() })),
    }),
  ),
  /** Per incident, who was on duty and in command when: for load across incidents. */
  workloads: v.optional(v.record(v.string(), IncidentWorkloadSchema), {}),
})
type HostData = v.InferOutput<typeof HostDataSchema>
type HostSettings = HostData['settings']

export type IncidentAccess = 'edit' | 'view'

/** What lists and the board's header show; never tokens or hashes. */
export interface IncidentSummary {
  id: string
  title: string
  severity: Severity
  status: IncidentStatus
  createdAt: number
}

export const RECORDS_FILE = 'warroom.json'

const summarise = ({ id, title, severity, status, createdAt }: IncidentRecord): IncidentSummary => ({
  id,
  title,
  severity,
  status,
  createdAt,
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
  /** Writes under way, so a stopping host can wait for them before its data folder is touched. */
  private readonly writing = new Set<Promise<void>>()

  private constructor(
    private readonly db: Low<HostData>,
    private readonly seal: TokenSeal,
  ) {}

  private save(): Promise<void> {
    const write = this.db.write()
    this.writing.add(write)
    const done = (): void => void this.writing.delete(write)
    write.then(done, done)
    return write
  }

  /** Resolves when every write started so far has finished (or failed: its caller hears of that). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writing])
  }

  static async open(dataDir: string): Promise<HostRecords> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    const path = join(dataDir, RECORDS_FILE)
    // Not JSONFilePreset: it silently switches to memory when NODE_ENV is "test".
    const db = new Low<HostData>(new JSONFile(path), {
      version: 1,
      incidents: [],
      roster: [],
      settings: { fatigue: DEFAULT_FATIGUE_SETTINGS, updates: DEFAULT_UPDATE_SETTINGS },
      channels: [],
      published: {},
      pendingDeliveries: [],
      workloads: {},
    })
    await db.read()
    const parsed = v.safeParse(HostDataSchema, db.data)
    if (!parsed.success) {
      const issue = parsed.issues[0]
      throw new Error(`${path} is damaged (${v.getDotPath(issue) ?? 'root'}: ${issue.message}); restore it from a backup.`)
    }
    db.data = parsed.output
    return new HostRecords(db, await TokenSeal.open(dataDir))
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

  async create(fields: { title: string; severity: Severity; now: number }): Promise<{ incident: IncidentSummary; editToken: string; viewToken: string }> {
    const editToken = newToken()
    const viewToken = newToken()
    const record: IncidentRecord = {
      id: newIncidentId(fields.now),
      title: fields.title,
      severity: fields.severity,
      status: 'investigating',
      createdAt: fields.now,
      editTokenHash: hashToken(editToken),
      viewTokenHash: hashToken(viewToken),
      sealedEditToken: this.seal.seal(editToken),
      sealedViewToken: this.seal.seal(viewToken),
    }
    this.db.data.incidents.push(record)
    await this.save()
    return { incident: summarise(record), editToken, viewToken }
  }

  /** Which access an incident token grants, if any. Both hashes are always compared. */
  authenticate(id: string, token: string): IncidentAccess | undefined {
    const record = this.record(id)
    if (!record) return undefined
    const edit = tokenMatchesHash(token, record.editTokenHash)
    const view = tokenMatchesHash(token, record.viewTokenHash)
    return edit ? 'edit' : view ? 'view' : undefined
  }

  /** The invite tokens again, for the IC's "copy invite link". */
  invites(id: string): { editToken: string; viewToken: string } | undefined {
    const record = this.record(id)
    if (!record) return undefined
    return { editToken: this.seal.open(record.sealedEditToken), viewToken: this.seal.open(record.sealedViewToken) }
  }

  /** Which incident access a token gives anywhere: for host-wide lists such as the roster. */
  hasEditAccessAnywhere(token: string): boolean {
    return this.db.data.incidents.some((r) => tokenMatchesHash(token, r.editTokenHash))
  }

  roster(): RosterPerson[] {
    return [...this.db.data.roster].sort((a, b) => a.name.localeCompare(b.name))
  }

  async addToRoster(fields: Omit<RosterPerson, 'id' | 'createdAt'>, now: number): Promise<RosterPerson> {
    const person: RosterPerson = { id: newId(), ...fields, createdAt: now }
    this.db.data.roster.push(person)
    await this.save()
    return person
  }

  async updateRosterPerson(id: string, fields: Partial<Omit<RosterPerson, 'id' | 'createdAt'>>): Promise<RosterPerson | undefined> {
    const person = this.db.data.roster.find((p) => p.id === id)
    if (!person) return undefined
    Object.assign(person, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)))
    await this.save()
    return person
  }

  async removeFromRoster(id: string): Promise<boolean> {
    const before = this.db.data.roster.length
    this.db.data.roster = this.db.data.roster.filter((p) => p.id !== id)
    if (this.db.data.roster.length === before) return false
    await this.save()
    return true
  }

  /** One of the host's settings (fatigue thresholds, stakeholder updates). */
  setting<K extends keyof HostSettings>(key: K): HostSettings[K] {
    return this.db.data.settings[key]
  }

  async saveSetting<K extends keyof HostSettings>(key: K, value: HostSettings[K]): Promise<HostSettings[K]> {
    this.db.data.settings[key] = value
    await this.save()
    return value
  }

  channels(): ChannelView[] {
    return this.db.data.channels.map(channelView)
  }

  /** With URL and secret: for the dispatcher only, never for an HTTP answer. */
  channelsWithSecrets(): Channel[] {
    return this.db.data.channels.map((c) => ({
      ...channelView(c),
      url: this.seal.open(c.sealedUrl),
      ...(c.sealedSecret ? { secret: this.seal.open(c.sealedSecret) } : {}),
    }))
  }

  async addChannel(channel: NewChannel, now: number): Promise<ChannelView> {
    const record: ChannelRecord = {
      id: newId(),
      name: channel.name,
      format: channel.format,
      audiences: [...new Set(channel.audiences)],
      destination: new URL(channel.url).host,
      sealedUrl: this.seal.seal(channel.url),
      ...(channel.secret ? { sealedSecret: this.seal.seal(channel.secret) } : {}),
      createdAt: now,
    }
    this.db.data.channels.push(record)
    await this.save()
    return channelView(record)
  }

  async removeChannel(id: string): Promise<boolean> {
    const before = this.db.data.channels.length
    this.db.data.channels = this.db.data.channels.filter((c) => c.id !== id)
    if (before === this.db.data.channels.length) return false
    await this.save()
    return true
  }

  pendingDeliveries(): PendingDelivery[] {
    return [...this.db.data.pendingDeliveries]
  }

  async setDeliveryPending(delivery: PendingDelivery, pending: boolean): Promise<void> {
    const same = (d: PendingDelivery): boolean => d.incidentId === delivery.incidentId && d.updateId === delivery.updateId && d.channelId === delivery.channelId
    const there = this.db.data.pendingDeliveries.some(same)
    if (there === pending) return
    this.db.data.pendingDeliveries = pending ? [...this.db.data.pendingDeliveries, { ...delivery }] : this.db.data.pendingDeliveries.filter((d) => !same(d))
    await this.save()
  }

  published(incidentId: string): readonly PublishedUpdate[] {
    return this.db.data.published[incidentId] ?? []
  }

  /** Append-only: there is no way to change or remove a published update. */
  async addPublished(incidentId: string, update: PublishedUpdate): Promise<void> {
    const list = (this.db.data.published[incidentId] ??= [])
    if (list.some((u) => u.id === update.id)) throw new Error(`Update ${update.id} was already published.`)
    list.push(update)
    await this.save()
  }

  catalog(): (Catalog & { source: string; importedAt: number }) | undefined {
    return this.db.data.catalog
  }

  async setCatalog(catalog: Catalog, source: string, now: number): Promise<void> {
    this.db.data.catalog = { ...catalog, source, importedAt: now }
    await this.save()
  }

  workloads(): IncidentWorkload[] {
    return Object.values(this.db.data.workloads)
  }

  /** Written when an open incident's people, duty or roles change. */
  async updateWorkload(workload: IncidentWorkload): Promise<void> {
    if (JSON.stringify(this.db.data.workloads[workload.incidentId]) === JSON.stringify(workload)) return
    this.db.data.workloads[workload.incidentId] = workload
    await this.save()
  }

  /** Keep the list's title, severity and status in step with the document. */
  async updateSummary(id: string, summary: Pick<IncidentSummary, 'title' | 'severity' | 'status'>): Promise<void> {
    const record = this.record(id)
    if (!record) return
    if (record.title === summary.title && record.severity === summary.severity && record.status === summary.status) return
    Object.assign(record, summary)
    await this.save()
  }
}
