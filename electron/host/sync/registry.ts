// Loads incidents on first use and unloads them when the last person leaves,
// after their log is flushed and a checkpoint written.
import { closeOpenPeriods } from '../../../shared/attendance'
import { DurableIncident, type DurableOptions, SYSTEM_ORIGIN } from '../persistence/durable-incident'
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


  /** The room, loaded if needed; the caller must `release` it (or attach a connection and then release). */
  async acquire(id: string): Promise<Room> {
    this.holds.set(id, (this.holds.get(id) ?? 0) + 1)
    this.cancelUnload(id)
    try {
      await this.unloading.get(id)
      let room = this.rooms.get(id)
      if (!room) {
        room = this.load(id)
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
  async withRoom<T>(id: string, fn: (room: Room) => T): Promise<T> {
    const room = await this.acquire(id)
    try {
      return fn(room)
    } finally {
      this.release(id)
    }
  }

  isLoaded(id: string): boolean {
    return this.ready.has(id)
  }

  private async load(id: string): Promise<Room> {
    const durable = await DurableIncident.open(this.options.dataDir, id, this.options.durable)
    // Nobody is connected yet: whoever the log still shows on the board left when it went quiet.
    durable.doc.transact(() => closeOpenPeriods(durable.doc, durable.lastActivityAt), SYSTEM_ORIGIN)
    const room = new Room(id, durable, {
      now: this.options.durable.now,
      maxBufferedBytes: this.options.maxBufferedBytes,
      maxAwarenessBytes: this.options.maxAwarenessBytes,
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

  /** Shutdown: close every connection, flush every log, write every checkpoint. */
  async closeAll(): Promise<void> {
    clearInterval(this.heartbeat)
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
    const rooms = [...this.ready.values()]
    this.ready.clear()
    this.rooms.clear()
    await Promise.all(
      rooms.map(async (room) => {
        room.disconnectAll()
        room.destroy()
        await room.durable.close()
      }),
    )
    await Promise.all(this.unloading.values())
  }
}
