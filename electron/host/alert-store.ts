// Every alert the host ever accepted, in an append-only log with the incident
// logs' machinery (framed, checksummed, group-committed records; damage kept
// aside and reported): each accepted event appends the alert as it now is,
// and opening replays them. Retries of a delivery are recognised by its id
// and change nothing twice.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import * as v from 'valibot'
import { type Alert, type AlertEvent, AlertSchema } from '../../shared/alerts'
import { newId } from '../../shared/ids'
import { asStorageError } from './persistence/files'
import { LOG_START, type LogFinding, UpdateLog } from './persistence/update-log'

export const ALERTS_DIR = 'alerts'

/** Delivery ids remembered for retries (a retry comes within minutes; this is days of a busy host). */
const REMEMBERED_DELIVERIES = 100_000

export type AlertChange = 'new' | 'state' | 'repeat' | 'duplicate'

const StoredSchema = v.object({
  alert: AlertSchema,
  deliveryId: v.optional(v.string()),
  /** An accepted event (counted), not a routing change. */
  event: v.boolean(),
})
type Stored = v.InferOutput<typeof StoredSchema>

const encode = (stored: Stored): Uint8Array => new TextEncoder().encode(JSON.stringify(stored))

export interface AlertStoreOptions {
  now: () => number
  onWriteError?: (error: unknown) => void
  onWriteRecovered?: () => void
}

export class AlertStore {
  private readonly alerts = new Map<string, Alert>()
  /** integration + key → the alert that key names now (a resolved one stays until a new firing replaces it). */
  private readonly byKey = new Map<string, string>()
  private readonly deliveries = new Set<string>()
  private readonly perIntegration = new Map<string, { events: number; lastEventAt: number }>()

  private constructor(
    private readonly log: UpdateLog,
    private readonly now: () => number,
  ) {}

  static async open(dataDir: string, options: AlertStoreOptions): Promise<{ store: AlertStore; findings: LogFinding[] }> {
    const dir = join(dataDir, ALERTS_DIR)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const { log, tail, findings } = await UpdateLog.open(join(dir, 'alerts.log'), LOG_START, {
      now: options.now,
      ...(options.onWriteError ? { onWriteError: options.onWriteError } : {}),
      ...(options.onWriteRecovered ? { onWriteRecovered: options.onWriteRecovered } : {}),
    })
    const store = new AlertStore(log, options.now)
    const decoder = new TextDecoder()
    for (const record of tail) {
      // The checksum vouches for the bytes, not for what an older or other program wrote.
      let parsed: unknown
      try {
        parsed = JSON.parse(decoder.decode(record.update))
      } catch {
        parsed = undefined
      }
      const stored = v.safeParse(StoredSchema, parsed)
      if (stored.success) store.remember(stored.output, record.at)
      else findings.push({ problem: `a record at byte ${record.offset} of the alert log is not an alert and was skipped` })
    }
    return { store, findings }
  }

  private remember({ alert, deliveryId, event }: Stored, at: number): void {
    this.alerts.set(alert.id, alert)
    this.byKey.set(`${alert.integrationId}\u0000${alert.key}`, alert.id)
    if (deliveryId) this.rememberDelivery(`${alert.integrationId}\u0000${deliveryId}`)
    if (!event) return
    const stats = this.perIntegration.get(alert.integrationId) ?? { events: 0, lastEventAt: 0 }
    stats.events++
    stats.lastEventAt = Math.max(stats.lastEventAt, at)
    this.perIntegration.set(alert.integrationId, stats)
  }

  private rememberDelivery(id: string): void {
    this.deliveries.add(id)
    if (this.deliveries.size > REMEMBERED_DELIVERIES) this.deliveries.delete(this.deliveries.values().next().value!)
  }

  private save(alert: Alert, event: { deliveryId?: string } | undefined): void {
    const stored: Stored = { alert, ...(event?.deliveryId ? { deliveryId: event.deliveryId } : {}), event: event !== undefined }
    const at = this.now()
    this.log.append({ at, author: alert.integrationId, access: 'system', update: encode(stored) })
    this.remember(stored, at)
  }

  /**
   * Apply one event: a new alert, a change of state, the same state seen again
   * (`repeat`: last seen and, when firing, the count move on), or a retry of a
   * delivery already applied (`duplicate`: nothing changes). A firing event
   * for a resolved alert starts a new alert, as PagerDuty does.
   */
  apply(integrationId: string, event: AlertEvent): { alert: Alert; change: AlertChange } {
    const now = this.now()
    const existingId = this.byKey.get(`${integrationId}\u0000${event.key}`)
    const existing = existingId === undefined ? undefined : this.alerts.get(existingId)
    if (event.deliveryId && this.deliveries.has(`${integrationId}\u0000${event.deliveryId}`) && existing) return { alert: existing, change: 'duplicate' }
    const fresh = !existing || (existing.state === 'resolved' && event.state === 'firing')
    if (fresh) {
      const alert: Alert = {
        id: newId(),
        integrationId,
        source: event.source,
        key: event.key,
        state: event.state,
        severity: event.severity,
        summary: event.summary,
        labels: event.labels,
        links: event.links,
        firstAt: now,
        lastAt: now,
        ...(event.state === 'resolved' ? { resolvedAt: now } : {}),
        count: event.state === 'firing' ? 1 : 0,
        ...(event.groupKey !== undefined ? { groupKey: event.groupKey } : {}),
      }
      this.save(alert, event)
      return { alert, change: 'new' }
    }
    const repeat = existing.state === event.state
    const alert: Alert = {
      ...existing,
      state: event.state,
      // A resolve carries less than the firing it ends: keep what the alert said.
      ...(event.state === 'resolved' ? {} : { severity: event.severity, summary: event.summary, labels: event.labels, links: event.links }),
      lastAt: now,
      count: existing.count + (event.state === 'firing' ? 1 : 0),
    }
    if (event.state === 'resolved') alert.resolvedAt = existing.resolvedAt ?? now
    else delete alert.resolvedAt
    this.save(alert, event)
    return { alert, change: repeat ? 'repeat' : 'state' }
  }

  /** Where an alert was routed: its service, its incident. */
  assign(alertId: string, patch: Partial<Pick<Alert, 'serviceId' | 'incidentId' | 'route' | 'silenceId'>>): Alert | undefined {
    const existing = this.alerts.get(alertId)
    if (!existing) return undefined
    const alert = { ...existing, ...patch }
    this.save(alert, undefined)
    return alert
  }

  get(alertId: string): Alert | undefined {
    return this.alerts.get(alertId)
  }

  /** Newest first (by last seen). */
  list(filter: { state?: Alert['state']; incidentId?: string; integrationId?: string } = {}): Alert[] {
    return [...this.alerts.values()]
      .filter((a) => (filter.state === undefined || a.state === filter.state) && (filter.incidentId === undefined || a.incidentId === filter.incidentId) && (filter.integrationId === undefined || a.integrationId === filter.integrationId))
      .sort((a, b) => b.lastAt - a.lastAt)
  }

  /** Accepted events (retries not counted) and the last one's host time, per integration. */
  stats(integrationId: string): { events: number; lastEventAt: number | null; alerts: number } {
    const stats = this.perIntegration.get(integrationId)
    return { events: stats?.events ?? 0, lastEventAt: stats?.lastEventAt || null, alerts: this.list({ integrationId }).length }
  }

  /** Resolves when every accepted event is on disk; a refusing disk rejects with a StorageError. */
  async flush(): Promise<void> {
    await this.log.flush().catch((error: unknown) => {
      throw asStorageError(error)
    })
  }

  /** The last write failed: take nothing new until a flush gets through. */
  get isFailing(): boolean {
    return this.log.isFailing
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
