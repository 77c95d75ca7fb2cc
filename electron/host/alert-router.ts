// Acts on the routing decisions of shared/alert-routing.ts: each new alert is
// silenced, attached, declared or held for triage at once (so the next alert
// of a storm already sees where its group went), and the incident boards are
// brought in line a moment later, many alerts in one change. The alert store
// is the truth: a board missed by a crash is brought in line when the host
// starts again.
import { type RecentRouting, type RunningIncident, type Silence, activeSilence, classify, routeAlert } from '../../shared/alert-routing'
import type { Alert } from '../../shared/alerts'
import { type AlertOrigin, syncAlerts } from '../../shared/incident-alerts'
import { HOST_AUTHOR } from '../../shared/people'
import type { Severity } from '../../shared/schema'
import { appendEvent } from '../../shared/timeline'
import type { AlertChange, AlertStore } from './alert-store'
import { type DeclareDeps, declareOnHost, prepareIncident } from './declare'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import type { IntegrationRecord } from './records'

/** The longest grouping window an integration may have (NewIntegrationBody). */
const LONGEST_WINDOW_MS = 240 * 60_000

export interface AlertRouterOptions extends DeclareDeps {
  alerts: AlertStore
  now: () => number
  silences: () => readonly Silence[]
  /** How the board names an integration, and whether it checks signatures. */
  integrationOf: (id: string) => AlertOrigin
  onError: (error: unknown) => void
  /** Boards are brought in line this long after an alert (the alerts of that time in one change). */
  boardDelayMs?: number
}

export class AlertRouter {
  private readonly recent: RecentRouting[] = []
  /** Per incident, the services its alerts are about. */
  private readonly alertServices = new Map<string, Set<string>>()
  /** Incidents being declared: running for routing, written once declared. */
  private readonly declaring = new Map<string, Promise<void>>()
  /** Per incident, the alerts its board has yet to show. */
  private readonly pending = new Map<string, Set<string>>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()
  private closed = false

  constructor(private readonly options: AlertRouterOptions) {
    const since = options.now() - LONGEST_WINDOW_MS
    const routed = options.alerts.list().filter((a) => a.incidentId !== undefined)
    for (const alert of routed.reverse()) {
      this.noteService(alert)
      if (alert.firstAt >= since) this.remember(alert, alert.firstAt)
    }
    const running = new Set(options.records.running().map((r) => r.id))
    for (const alert of routed) {
      // Routed to an incident whose declaration a crash cut short: back to the inbox.
      if (!options.records.find(alert.incidentId!)) options.alerts.assign(alert.id, { route: 'triage', incidentId: undefined })
      // Boards of running incidents catch up with anything a crash kept from them.
      else if (running.has(alert.incidentId!)) this.mark(alert.incidentId!, alert.id)
    }
  }

  private noteService(alert: Alert): void {
    if (alert.incidentId === undefined || alert.serviceId === undefined) return
    const services = this.alertServices.get(alert.incidentId) ?? new Set<string>()
    services.add(alert.serviceId)
    this.alertServices.set(alert.incidentId, services)
  }

  private remember(alert: Alert, at: number): void {
    this.recent.push({
      integrationId: alert.integrationId,
      incidentId: alert.incidentId!,
      ...(alert.groupKey !== undefined ? { groupKey: alert.groupKey } : {}),
      ...(alert.serviceId !== undefined ? { serviceId: alert.serviceId } : {}),
      at,
    })
    const since = at - LONGEST_WINDOW_MS
    let old = 0
    while (old < this.recent.length && this.recent[old]!.at < since) old++
    if (old > 0) this.recent.splice(0, old)
  }

  private running(): RunningIncident[] {
    const listed = this.options.records.running()
    const ids = new Set(listed.map((r) => r.id))
    return [
      ...listed.map((r) => ({ id: r.id, services: new Set([...r.affected, ...(this.alertServices.get(r.id) ?? [])]) })),
      ...[...this.declaring.keys()].filter((id) => !ids.has(id)).map((id) => ({ id, services: this.alertServices.get(id) ?? new Set<string>() })),
    ]
  }

  /**
   * Route what one delivery changed. The decisions are made at once, so the
   * next delivery sees where these went; resolves when the incidents they
   * declared exist (declared or, failing that, their alerts back in the inbox).
   */
  route(integration: IntegrationRecord, applied: ReadonlyArray<{ alert: Alert; change: AlertChange }>): Promise<unknown> {
    const declared: Array<Promise<void>> = []
    const now = this.options.now()
    const catalog = this.options.records.catalog()?.services ?? []
    let running: RunningIncident[] | undefined
    for (const { alert, change } of applied) {
      if (change === 'duplicate') continue
      if (change !== 'new') {
        if (alert.incidentId !== undefined) this.mark(alert.incidentId, alert.id)
        continue
      }
      // A resolve for an alert never seen firing is kept, and nothing more.
      if (alert.state === 'resolved') continue
      running ??= this.running()
      const classification = classify(alert, integration.rules, catalog)
      const route = routeAlert(alert, classification, {
        silences: this.options.silences(),
        running,
        recent: this.recent,
        windowMs: integration.windowMinutes * 60_000,
        now,
        serviceName: (id) => catalog.find((s) => s.id === id)?.name,
      })
      const service = classification.serviceId !== undefined ? { serviceId: classification.serviceId } : {}
      if (route.kind === 'silenced') this.options.alerts.assign(alert.id, { route: 'silenced', silenceId: route.silenceId, ...service })
      else if (route.kind === 'triage') this.options.alerts.assign(alert.id, { route: 'triage', ...service })
      else {
        const incidentId = route.kind === 'attach' ? route.incidentId : this.declare(integration, route.title, route.severity, now)
        if (route.kind === 'declare') declared.push(this.declaring.get(incidentId)!.catch(() => undefined))
        const routed = this.options.alerts.assign(alert.id, { route: 'incident', incidentId, ...service })!
        this.noteService(routed)
        this.remember(routed, now)
        this.mark(incidentId, alert.id)
        if (route.kind === 'declare') running = undefined
      }
    }
    return Promise.all(declared)
  }

  /** An alert's own incident from now on (the IC attaches it from the inbox). */
  attach(alertId: string, incidentId: string): Alert | undefined {
    const alert = this.options.alerts.assign(alertId, { route: 'incident', incidentId })
    if (!alert) return undefined
    this.noteService(alert)
    this.mark(incidentId, alertId)
    return alert
  }

  /** A new silence takes matching alerts out of the inbox at once; how many it took. */
  silenceInbox(silence: Silence): number {
    const now = this.options.now()
    let taken = 0
    for (const alert of this.options.alerts.list()) {
      if (alert.route !== 'triage' || alert.state === 'resolved' || !activeSilence(alert, [silence], now)) continue
      this.options.alerts.assign(alert.id, { route: 'silenced', silenceId: silence.id })
      taken++
    }
    return taken
  }

  private declare(integration: IntegrationRecord, title: string, severity: Severity, now: number): string {
    const prepared = prepareIncident(this.options, { title, severity }, now)
    const { id } = prepared.record
    const declared = declareOnHost(this.options, prepared, {
      also: (doc, change) => appendEvent(doc, change, { type: 'incident.declaredByAlert', integrationId: integration.id }, `Declared by an alert from ${integration.name}`),
    })
    this.declaring.set(id, declared)
    declared
      .catch((error: unknown) => {
        // Nothing was declared: its alerts wait in the inbox, where the IC sees them.
        this.options.onError(error)
        for (const alert of this.options.alerts.list({ incidentId: id })) this.options.alerts.assign(alert.id, { route: 'triage', incidentId: undefined })
        this.pending.delete(id)
        this.alertServices.delete(id)
        for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i]!.incidentId === id) this.recent.splice(i, 1)
      })
      .finally(() => this.declaring.delete(id))
    return id
  }

  private mark(incidentId: string, alertId: string): void {
    const set = this.pending.get(incidentId) ?? new Set<string>()
    set.add(alertId)
    this.pending.set(incidentId, set)
    if (!this.closed) this.timer ??= setTimeout(() => void this.flush(), this.options.boardDelayMs ?? 250)
  }

  /** Bring every board with pending alerts in line; resolves when they are. */
  flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    this.flushing = this.flushing.then(() => this.writeBoards())
    return this.flushing
  }

  private async writeBoards(): Promise<void> {
    const work = [...this.pending]
    this.pending.clear()
    for (const [incidentId, alertIds] of work) {
      try {
        await this.declaring.get(incidentId)
        if (!this.options.records.find(incidentId)) continue
        const alerts = [...alertIds].flatMap((id) => {
          const alert = this.options.alerts.get(id)
          return alert && alert.incidentId === incidentId ? [{ alert, ...this.options.integrationOf(alert.integrationId) }] : []
        })
        await this.options.registry.withRoom(incidentId, (room) => {
          room.doc.transact(() => syncAlerts(room.doc, { by: HOST_AUTHOR, at: this.options.now() }, alerts), SYSTEM_ORIGIN)
        })
      } catch (error) {
        // The board is behind the alert store, which keeps them: the next change or start brings it in line.
        this.options.onError(error)
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.allSettled(this.declaring.values())
    await this.flush()
  }
}
