// A replay of a recorded incident behind the board's own connection shape
// (sync/board-connection.ts): the panes read the document, timeline, tasks,
// presence and clock as they were at the replay's moment, and never write.
import { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { connectedIds } from '../../shared/attendance'
import { type SortedView, taskIndex } from '../../shared/doc-index'
import { readPeople } from '../../shared/people'
import type { ReplayLog } from '../../shared/replay'
import type { Change } from '../../shared/schema'
import type { Task } from '../../shared/tasks'
import type { TimelineEntry } from '../../shared/timeline'
import type { Identity } from '../app/session'
import type { BoardConnection, ConnectionStatus } from '../sync/board-connection'

export const REPLAY_SPEEDS = [1, 10, 60] as const
export const MIN_SPEED = 0.25
export const MAX_SPEED = 600

/** While playing, the board moves on at most this often (wall time). */
export const PLAY_STEP_MS = 100

const READY: ConnectionStatus = { link: 'live', localReady: true, everSynced: true }

class Listeners {
  private readonly set = new Set<() => void>()
  add = (listener: () => void): (() => void) => {
    this.set.add(listener)
    return () => this.set.delete(listener)
  }
  notify(): void {
    for (const listener of this.set) listener()
  }
}

/** The timeline at the replay's moment, read from the log's history (never a document). */
class TimelineAt implements SortedView<TimelineEntry> {
  private entries: readonly TimelineEntry[] = []
  private byId: Map<string, TimelineEntry> | undefined
  private readonly listeners = new Listeners()

  constructor(private readonly log: ReplayLog) {}

  show(count: number): void {
    this.entries = this.log.timelineAfter(count)
    this.byId = undefined
    this.listeners.notify()
  }

  all = (): readonly TimelineEntry[] => this.entries
  get = (id: string): TimelineEntry | undefined => (this.byId ??= new Map(this.entries.map((e) => [e.id, e]))).get(id)
  subscribe = this.listeners.add
}

/**
 * One document of the replay: a seek backwards starts a new one (a document
 * only moves forward); playing moves this one forward. Presence is who the
 * host recorded as connected at that moment.
 */
class ReplayFrame implements BoardConnection {
  readonly tasks: SortedView<Task> & { destroy: () => void }
  readonly awareness: Awareness
  readonly clock: { now: () => number }
  private readonly onChange = (): void => this.showPresence()

  constructor(
    private readonly replay: ReplayController,
    readonly doc: Y.Doc,
  ) {
    this.tasks = taskIndex(doc)
    this.awareness = new Awareness(doc)
    // The facilitator is not on the recorded board.
    this.awareness.setLocalState(null)
    this.clock = { now: () => replay.time }
    this.showPresence()
    doc.on('afterTransaction', this.onChange)
  }

  get incidentId(): string {
    return this.replay.incidentId
  }
  get token(): string {
    return this.replay.token
  }
  get identity(): Identity {
    return this.replay.identity
  }
  get timeline(): SortedView<TimelineEntry> {
    return this.replay.timeline
  }

  private showPresence(): void {
    const people = readPeople(this.doc)
    const states = this.awareness.getStates()
    const before = new Set(states.keys())
    const after = new Set<number>()
    connectedIds(this.doc).forEach((id, i) => {
      const person = people.get(id)
      if (!person) return
      // Stand-in client ids, one per person connected then.
      const clientId = i + 1
      after.add(clientId)
      states.set(clientId, { user: { id: person.id, name: person.name, color: person.color } })
    })
    for (const id of before) if (!after.has(id)) states.delete(id)
    this.awareness.emit('change', [{ added: [], updated: [...after], removed: [...before].filter((id) => !after.has(id)) }, 'replay'])
  }

  change = (): Change => ({ by: this.replay.identity.id, at: this.replay.time })
  setPresence = (): void => undefined
  getStatus = (): ConnectionStatus => READY
  subscribe = (): (() => void) => () => undefined
  subscribeTick = (listener: () => void): (() => void) => this.replay.subscribeTick(listener)
  getTick = (): number => Math.floor(this.replay.time / 1000) * 1000

  destroy(): void {
    this.doc.off('afterTransaction', this.onChange)
    this.tasks.destroy()
    this.awareness.destroy()
    this.doc.destroy()
  }
}

export interface ReplayState {
  time: number
  playing: boolean
  speed: number
  frame: BoardConnection
}

/**
 * The replay's moment and playback. `time` is host time; the board shows every
 * record that had arrived by then and every clock reads it.
 */
export class ReplayController {
  readonly timeline: TimelineAt
  time: number
  private count = 0
  private current: ReplayFrame
  private state: ReplayState
  private playing = false
  private speed: number = REPLAY_SPEEDS[0]
  private frameRequest = 0
  private lastFrameAt = 0
  private readonly listeners = new Listeners()
  private readonly ticks = new Listeners()

  constructor(
    readonly log: ReplayLog,
    /** Where the replay ends (replayEnd): its resolution, or the last record. */
    readonly end: number,
    readonly incidentId: string,
    readonly token: string,
    readonly identity: Identity,
    at: number,
  ) {
    this.timeline = new TimelineAt(log)
    this.time = this.clamp(at)
    this.count = log.countAt(this.time)
    this.current = new ReplayFrame(this, log.boardAfter(this.count))
    this.timeline.show(this.count)
    this.state = this.snapshot()
  }

  get start(): number {
    return this.log.start
  }

  private clamp(at: number): number {
    return Math.min(this.end, Math.max(this.log.start, Number.isFinite(at) ? at : this.log.start))
  }

  private snapshot(): ReplayState {
    return { time: this.time, playing: this.playing, speed: this.speed, frame: this.current }
  }

  private changed(): void {
    const second = Math.floor(this.state.time / 1000)
    this.state = this.snapshot()
    this.listeners.notify()
    if (Math.floor(this.time / 1000) !== second) this.ticks.notify()
  }

  subscribe = this.listeners.add
  subscribeTick = this.ticks.add
  getState = (): ReplayState => this.state

  /** Show the board at host time `at`: forward from here when that is shorter, else from the nearest keyframe. */
  seek(at: number): void {
    this.time = this.clamp(at)
    const count = this.log.countAt(this.time)
    if (count < this.count || count - this.count > 2000) {
      const previous = this.current
      this.current = new ReplayFrame(this, this.log.boardAfter(count))
      // After the board has moved to the new document.
      queueMicrotask(() => previous.destroy())
    } else {
      this.log.advance(this.current.doc, this.count, count)
    }
    if (count !== this.count) {
      this.count = count
      this.timeline.show(count)
    }
    this.changed()
  }

  setSpeed(speed: number): void {
    this.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed))
    this.changed()
  }

  /** Play from here; from the start when at the end. */
  play(): void {
    if (this.playing) return
    if (this.time >= this.end) this.seek(this.start)
    this.playing = true
    this.lastFrameAt = performance.now()
    this.frameRequest = requestAnimationFrame(this.step)
    this.changed()
  }

  pause(): void {
    if (!this.playing) return
    this.playing = false
    cancelAnimationFrame(this.frameRequest)
    this.changed()
  }

  /**
   * One animation frame of playing. The board moves on at most every
   * PLAY_STEP_MS of wall time (a second of the replay passes every frame at
   * 60×, and re-drawing every pane for each would drop frames): the moment
   * advances by the wall time since the last step, times the speed.
   */
  private readonly step = (now: number): void => {
    if (!this.playing) return
    if (now - this.lastFrameAt >= PLAY_STEP_MS) {
      const elapsed = now - this.lastFrameAt
      this.lastFrameAt = now
      this.seek(this.time + elapsed * this.speed)
    }
    if (this.time >= this.end) this.pause()
    else this.frameRequest = requestAnimationFrame(this.step)
  }

  destroy(): void {
    this.playing = false
    cancelAnimationFrame(this.frameRequest)
    this.current.destroy()
  }
}
