// Loads incidents on first use and unloads them when the last person leaves,
// after their log is flushed and a checkpoint written.
import { rm } from 'node:fs/promises'
import { closeOpenPeriods } from '../../../shared/attendance'
import { DurableIncident, type DurableOptions, SYSTEM_ORIGIN, incidentPaths } from '../persistence/durable-incident'
import { Room, type RoomOptions } from './room'

export interface RegistryOptions extends Omit<RoomOptions, 'onEmpty' | 'now'> {
  dataDir: string
  durable: DurableOptions
  /** How long an incident nobody has open stays in memory. */
  unloadAfterMs: number
  /** Called once per room load, e.g. to mirror the document's title into the records. */
  onLoad?: (room: Room) => void
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<Room>>()
  private readonly ready = new Map<string, Room>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()
  /** Host-side users of a room (for example the API writing to it) that keep it loaded. */
  private readonly holds = new Map<string, number>()
  private readonly heartbeat: NodeJS.Timeout

  constructor(private readonly options: RegistryOptions) {
    this.heartbeat = setInterval(() => {
      for (const room of this.ready.values()) room.heartbeat()
    }, 15_000)
    this.heartbeat.unref()
  }


  /**
   * The room, loaded if needed; the caller must `release` it (or attach a
   * connection and then release). `scanWholeLog`: a load checks and repairs
   * the whole log, not only the tail after the checkpoint.
   */
  async acquire(id: string, scanWholeLog = false): Promise<Room> {
    this.holds.set(id, (this.holds.get(id) ?? 0) + 1)
    this.cancelUnload(id)
    try {
      await this.unloading.get(id)
      let room = this.rooms.get(id)
      if (!room) {
        room = this.load(id, scanWholeLog)
        this.rooms.set(id, room)
        room.catch(() => this.rooms.delete(id))
      }
      return await room
    } catch (error) {
      this.release(id)
      throw error
    }
  }

  release(id: string): void {
    const holds = (this.holds.get(id) ?? 1) - 1
    if (holds > 0) this.holds.set(id, holds)
    else this.holds.delete(id)
    this.maybeScheduleUnload(id)
  }

  /** Run a host-side change against an incident's document. */
  async withRoom<T>(id: string, fn: (room: Room) => T | Promise<T>, scanWholeLog = false): Promise<T> {
    const room = await this.acquire(id, scanWholeLog)
    try {
      // Awaited here, so the room stays held until the work is done.
      return await fn(room)
    } finally {
      this.release(id)
    }
  }

  isLoaded(id: string): boolean {
    return this.ready.has(id)
  }

  /** Every room in memory. */
  loaded(): Room[] {
    return [...this.ready.values()]
  }

  private async load(id: string, scanWholeLog: boolean): Promise<Room> {
    const durable = await DurableIncident.open(this.options.dataDir, id, { ...this.options.durable, scanWholeLog })
    // Nobody is connected yet: whoever the log still shows on the board left when it went quiet.
    durable.doc.transact(() => closeOpenPeriods(durable.doc, durable.lastActivityAt), SYSTEM_ORIGIN)
    const room = new Room(id, durable, {
      now: this.options.durable.now,
      maxBufferedBytes: this.options.maxBufferedBytes,
      maxAwarenessBytes: this.options.maxAwarenessBytes,
      ...(this.options.maxPendingBytes ? { maxPendingBytes: this.options.maxPendingBytes } : {}),
      onError: this.options.onError,
      onEmpty: () => this.maybeScheduleUnload(id),
    })
    this.ready.set(id, room)
    this.options.onLoad?.(room)
    return room
  }

  private cancelUnload(id: string): void {
    const timer = this.unloadTimers.get(id)
    if (timer) clearTimeout(timer)
    this.unloadTimers.delete(id)
  }

  private maybeScheduleUnload(id: string): void {
    const room = this.ready.get(id)
    if (!room || room.connections.size > 0 || this.holds.has(id) || this.unloadTimers.has(id)) return
    const timer = setTimeout(() => void this.unload(id), this.options.unloadAfterMs)
    timer.unref()
    this.unloadTimers.set(id, timer)
  }

  private async unload(id: string): Promise<void> {
    this.unloadTimers.delete(id)
    const room = this.ready.get(id)
    if (!room || room.connections.size > 0 || this.holds.has(id)) return
    // Changes the disk would not take exist only in this room's memory: keep it until they are written.
    const written = await room.durable.log.flush().then(
      () => true,
      () => false,
    )
    if (!written || room.connections.size > 0 || this.holds.has(id) || this.ready.get(id) !== room) return this.maybeScheduleUnload(id)
    this.ready.delete(id)
    this.rooms.delete(id)
    const closing = (async () => {
      room.destroy()
      await room.durable.close()
    })()
    this.unloading.set(id, closing)
    try {
      await closing
    } catch (error) {
      this.options.onError(error)
    } finally {
      this.unloading.delete(id)
    }
  }

  /**
   * Forget an incident that was never announced (creating it failed): close
   * its room without a checkpoint and remove its folder.
   */
  async discard(id: string): Promise<void> {
    this.cancelUnload(id)
    const room = this.ready.get(id)
    this.ready.delete(id)
    this.rooms.delete(id)
    if (room) {
      room.disconnectAll()
      room.destroy()
      await room.durable.close().catch(() => undefined)
    }
    await rm(incidentPaths(this.options.dataDir, id).dir, { recursive: true, force: true })
  }

  /** Shutdown: close every connection, flush every log, write every checkpoint. */
  async closeAll(): Promise<void> {
    clearInterval(this.heartbeat)
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
    const rooms = [...this.ready.values()]
    this.ready.clear()
    this.rooms.clear()
    const closed = await Promise.allSettled(
      rooms.map(async (room) => {
        room.disconnectAll()
        room.destroy()
        await room.durable.close()
      }),
    )
    // A log that could not write says so (how many changes only the boards still hold); the others close regardless.
    for (const result of closed) if (result.status === 'rejected') this.options.onError(result.reason)
    await Promise.all(this.unloading.values())
  }
}
