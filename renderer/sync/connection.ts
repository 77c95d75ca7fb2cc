// One incident on this device: the shared document, kept in IndexedDB and
// synced with the host over y-websocket, plus the host clock.
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { HostClock } from '../../shared/clock'
import type { Presence } from '../../shared/presence'
import { syncProtocols } from '../../shared/sync-auth'
import type { Change } from '../../shared/schema'
import { type DocIndex, taskIndex, timelineIndex } from '../../shared/doc-index'
import type { Task } from '../../shared/tasks'
import type { TimelineEntry } from '../../shared/timeline'
import { measureHostOffset } from '../app/api'
import type { Identity } from '../app/session'
import type { BoardConnection, ConnectionStatus } from './board-connection'


const OFFSET_KEY = 'warroom.clockOffset'
/** The longest a page waits for its local copy before it connects anyway. */
const LOCAL_COPY_WAIT_MS = 2000

export class IncidentConnection implements BoardConnection {
  readonly doc = new Y.Doc()
  readonly clock = new HostClock()
  readonly provider: WebsocketProvider
  readonly timeline: DocIndex<TimelineEntry>
  readonly tasks: DocIndex<Task>
  private readonly local: IndexeddbPersistence
  private status: ConnectionStatus = { link: 'connecting', localReady: false, everSynced: false }
  private readonly listeners = new Set<() => void>()

  private readonly tickListeners = new Set<() => void>()
  private ticker: ReturnType<typeof setInterval> | undefined
  private tickNow = 0

  constructor(
    readonly incidentId: string,
    readonly token: string,
    readonly identity: Identity,
  ) {
    this.clock.offset = Number(localStorage.getItem(OFFSET_KEY) ?? 0) || 0
    this.timeline = timelineIndex(this.doc)
    this.tasks = taskIndex(this.doc)
    this.local = new IndexeddbPersistence(`warroom:${location.host}:${incidentId}`, this.doc)
    void this.local.whenSynced.then(() => this.update({ localReady: true }))
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
    // The token travels as a subprotocol, never in the URL (proxies and consoles log URLs).
    this.provider = new WebsocketProvider(wsBase, incidentId, this.doc, { params: { person: identity.id }, protocols: syncProtocols(token), connect: false })
    // Connect once the local copy is read, so the host sends only what this device
    // lacks (an empty document's first sync is the whole board, which the host must
    // encode and this page apply again). Without IndexedDB it connects anyway.
    const connect = (): void => {
      if (!this.doc.isDestroyed && !this.provider.shouldConnect) this.provider.connect()
    }
    void this.local.whenSynced.then(connect, connect)
    setTimeout(connect, LOCAL_COPY_WAIT_MS)
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') void this.syncClock()
    })
    // Every failed or lost connection, including attempts that never opened (a reload
    // while the host is down); retries stay "offline" instead of flickering.
    this.provider.on('connection-close', () => this.update({ link: 'offline' }))
    this.provider.on('sync', (synced) => {
      if (synced) this.update({ link: 'live', everSynced: true })
    })
    this.setPresence({})
  }

  /** Who and when for a mutation: this person, now on the host clock. */
  change = (): Change => ({ by: this.identity.id, at: this.clock.now() })

  get awareness(): WebsocketProvider['awareness'] {
    return this.provider.awareness
  }

  /** Merge into this person's presence; a field set to undefined is removed. */
  setPresence(extra: Partial<Omit<Presence, 'user'>> & { dragging?: { id: string; x: number; y: number } }): void {
    const { id, name, color } = this.identity
    const current = (this.awareness.getLocalState() ?? {}) as Record<string, unknown>
    const next: Record<string, unknown> = { ...current, ...extra, user: { id, name, color } }
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key]
    this.awareness.setLocalState(next)
  }

  /** Learn the host clock: the best of a few round trips (kept as it was when the host cannot be reached). */
  private async syncClock(): Promise<void> {
    const offset = await measureHostOffset().catch(() => undefined)
    if (offset === undefined) return
    this.clock.offset = offset
    localStorage.setItem(OFFSET_KEY, String(offset))
  }

  private update(patch: Partial<ConnectionStatus>): void {
    this.status = { ...this.status, ...patch }
    for (const listener of this.listeners) listener()
  }

  getStatus = (): ConnectionStatus => this.status

  /**
   * One shared second-by-second host clock for every countdown on the board.
   * Its value is host time rounded to the second, stable between ticks.
   */
  subscribeTick = (listener: () => void): (() => void) => {
    this.tickListeners.add(listener)
    this.ticker ??= setInterval(() => {
      this.tickNow = Math.floor(this.clock.now() / 1000) * 1000
      for (const l of this.tickListeners) l()
    }, 1000)
    return () => {
      this.tickListeners.delete(listener)
      if (this.tickListeners.size === 0 && this.ticker) {
        clearInterval(this.ticker)
        this.ticker = undefined
      }
    }
  }

  getTick = (): number => {
    if (this.ticker === undefined) this.tickNow = Math.floor(this.clock.now() / 1000) * 1000
    return this.tickNow
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.listeners.clear()
    if (this.ticker) clearInterval(this.ticker)
    this.timeline.destroy()
    this.tasks.destroy()
    this.provider.destroy()
    void this.local.destroy()
    this.doc.destroy()
  }
}
