// One incident's document kept durable: loaded from checkpoint + log tail,
// every later update appended to the log with its arrival time and author.
import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import * as Y from 'yjs'
import { type Checkpoint, readCheckpoint, readCheckpointLogOffset, writeCheckpoint } from './checkpoint'
import { setAside } from './files'
import { encodeStateWithoutPending, heldBackUpdate, pendingBytes } from './pending'
import { plural } from '../../../shared/plural'
import { type Access, LOG_START, type LogRecord, MIN_RECORD, UpdateLog, readLog } from './update-log'

/** Transaction origin for changes that arrive through a connection or from the host. */
export interface ChangeOrigin {
  author: string
  access: Access
}

export const SYSTEM_ORIGIN: ChangeOrigin = { author: 'host', access: 'system' }
const LOAD_ORIGIN = Symbol('load')

const ACCESSES: readonly string[] = ['edit', 'host', 'system'] satisfies Access[]

const isChangeOrigin = (origin: unknown): origin is ChangeOrigin =>
  typeof origin === 'object' &&
  origin !== null &&
  typeof (origin as ChangeOrigin).author === 'string' &&
  ACCESSES.includes((origin as ChangeOrigin).access)

/** Something wrong found in an incident's files, what was kept, and where the damaged bytes went. */
export interface Finding {
  /** Relative to the data folder, e.g. `incidents/<id>/updates.log`. */
  file: string
  problem: string
  setAsideAs?: string
}

export interface DurableOptions {
  /** Host clock. */
  now: () => number
  flushDelayMs?: number
  /** Take a checkpoint after this many records… */
  checkpointEveryRecords?: number
  /** …or this many log bytes, whichever comes first. */
  checkpointEveryBytes?: number
  onError?: (error: unknown) => void
  /** The log could not write (the changes stay in memory and are retried), or writes again. */
  onWriteError?: (incidentId: string, error: unknown) => void
  onWriteRecovered?: (incidentId: string) => void
}

/**
 * The longest log tail a crash can leave: opening replays it record by record
 * (about 35 µs each), and everyone reconnecting after a crash waits for that.
 */
export const CHECKPOINT_EVERY_RECORDS = 2000

export const incidentPaths = (dataDir: string, id: string): { dir: string; log: string; checkpoint: string } => {
  const dir = join(dataDir, 'incidents', id)
  return { dir, log: join(dir, 'updates.log'), checkpoint: join(dir, 'checkpoint.bin') }
}

/**
 * Apply updates in one transaction, one by one: a bad one is skipped and
 * counted, not fatal. (Y.mergeUpdates would be neater but grows quadratically
 * with thousands of small updates.)
 */
const applyAll = (doc: Y.Doc, updates: readonly Uint8Array[]): number => {
  let failed = 0
  doc.transact(() => {
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update, LOAD_ORIGIN)
      } catch {
        failed++
      }
    }
  }, LOAD_ORIGIN)
  return failed
}

/** What is on disk for an incident: its checkpoint and the updates logged after it. */
export interface StoredState {
  checkpoint: Uint8Array
  /** Empty when the incident was unloaded or the host stopped cleanly; after a crash, what came after the checkpoint. */
  tail: Uint8Array[]
}

const CHECKPOINT_EVERY_BYTES = 8 * 1024 * 1024

/**
 * An unloaded incident's state as stored, read without loading it, so a first
 * sync can be answered while the host loads. Undefined whenever loading has
 * something to do first: no readable checkpoint (the whole log must be
 * replayed), damage or held-back updates (opening repairs and reports those),
 * or a tail far longer than checkpoints allow (they have been failing), where
 * thousands of messages would cost the client more than one state after the load.
 */
export const readStoredState = async (dataDir: string, id: string): Promise<StoredState | undefined> => {
  const paths = incidentPaths(dataDir, id)
  const [read, log] = await Promise.all([readCheckpoint(paths.checkpoint).catch(() => undefined), stat(paths.log).catch(() => undefined)])
  if (read?.status !== 'ok' || read.checkpoint.heldBack.length > 0 || !log || log.size < read.checkpoint.logOffset) return undefined
  const { checkpoint } = read
  if (log.size === checkpoint.logOffset) return { checkpoint: checkpoint.state, tail: [] }
  if (log.size - checkpoint.logOffset > 2 * CHECKPOINT_EVERY_BYTES) return undefined
  const tail = await readLog(paths.log, checkpoint.logOffset).catch(() => undefined)
  if (!tail || tail.damaged.length > 0 || tail.magicDamaged || tail.records.length > 2 * CHECKPOINT_EVERY_RECORDS) return undefined
  return { checkpoint: checkpoint.state, tail: tail.records.map((r) => r.update) }
}

/** Whether the log runs past the checkpoint: a crash left a tail that opening must replay. */
export const hasLogTail = async (dataDir: string, id: string): Promise<boolean> => {
  const paths = incidentPaths(dataDir, id)
  const [offset, log] = await Promise.all([readCheckpointLogOffset(paths.checkpoint), stat(paths.log).catch(() => undefined)])
  return log !== undefined && log.size > (offset ?? LOG_START)
}

/**
 * Whether an incident's files need opening to be repaired: a damaged or
 * unreadable checkpoint, a log shorter than it, a damaged marker, or damage
 * anywhere in the log (a full scan: for the host's background check).
 */
export const needsRepair = async (dataDir: string, id: string): Promise<boolean> => {
  const paths = incidentPaths(dataDir, id)
  const read = await readCheckpoint(paths.checkpoint).catch(() => undefined)
  if (!read || read.status === 'damaged') return true
  const log = await readLog(paths.log).catch(() => undefined)
  if (!log) return read.status === 'ok'
  const offset = read.status === 'ok' ? read.checkpoint.logOffset : LOG_START
  // Damage too short for a gap record cannot be repaired: readers skip it, and it was reported when found.
  return log.magicDamaged || log.damaged.some((r) => r.to - r.from >= MIN_RECORD) || log.end < offset
}

export class DurableIncident {
  private recordsSinceCheckpoint: number
  private checkpointOffset: number
  private checkpointing: Promise<void> | undefined
  private closed = false
  /** Logged updates that wait for a change the host lost (see pending.ts). */
  private heldBack: Uint8Array | undefined

  private constructor(
    readonly doc: Y.Doc,
    readonly log: UpdateLog,
    private readonly checkpointPath: string,
    tailRecords: number,
    checkpointOffset: number,
    /** Host time of the last logged change (or checkpoint) when the incident was opened. */
    readonly lastActivityAt: number,
    /** What opening found wrong with the files, and what it did. */
    readonly findings: readonly Finding[],
    private readonly options: Required<Omit<DurableOptions, 'onWriteError' | 'onWriteRecovered'>>,
  ) {
    this.recordsSinceCheckpoint = tailRecords
    this.checkpointOffset = checkpointOffset
    this.heldBack = heldBackUpdate(doc)
    doc.on('update', this.onUpdate)
  }

  /**
   * Open an incident's files. Damage is kept aside and reported in
   * `findings`, never fatal: every readable record is applied. `scanWholeLog`
   * checks (and repairs) the log before the checkpoint too, not just its tail.
   */
  static async open(dataDir: string, id: string, options: DurableOptions & { scanWholeLog?: boolean }): Promise<DurableIncident> {
    const { onWriteError, onWriteRecovered, scanWholeLog, ...rest } = options
    const opts = {
      flushDelayMs: 20,
      checkpointEveryRecords: CHECKPOINT_EVERY_RECORDS,
      checkpointEveryBytes: CHECKPOINT_EVERY_BYTES,
      onError: () => undefined,
      ...rest,
    }
    const paths = incidentPaths(dataDir, id)
    const relative = (path: string): string => path.slice(dataDir.length + 1)
    const findings: Finding[] = []
    await mkdir(paths.dir, { recursive: true, mode: 0o700 })
    const read = await readCheckpoint(paths.checkpoint)
    let checkpoint: Checkpoint | undefined
    if (read.status === 'ok') checkpoint = read.checkpoint
    else if (read.status === 'damaged') {
      // Moved, not copied: the next checkpoint takes its place.
      const setAsideAs = await setAside(paths.checkpoint, opts.now(), 'move').catch(() => undefined)
      findings.push({ file: relative(paths.checkpoint), problem: `${read.problem}; the board was rebuilt from the whole log`, ...(setAsideAs ? { setAsideAs: relative(setAsideAs) } : {}) })
    }
    const from = checkpoint?.logOffset ?? LOG_START
    const { log, tail, findings: logFindings } = await UpdateLog.open(paths.log, from, {
      flushDelayMs: opts.flushDelayMs,
      now: opts.now,
      onWriteError: (error) => onWriteError?.(id, error),
      onWriteRecovered: () => onWriteRecovered?.(id),
      ...(scanWholeLog ? { scanFrom: LOG_START } : {}),
    })
    for (const { problem, setAsideAs } of logFindings) findings.push({ file: relative(paths.log), problem, ...(setAsideAs ? { setAsideAs: relative(setAsideAs) } : {}) })
    const doc = new Y.Doc()
    const failed = applyAll(doc, [...(checkpoint ? [checkpoint.state, ...checkpoint.heldBack] : []), ...tail.map((r: LogRecord) => r.update)])
    if (failed > 0) findings.push({ file: relative(paths.log), problem: `${plural(failed, 'logged update')} could not be applied and ${failed === 1 ? 'was' : 'were'} skipped` })
    const waiting = pendingBytes(doc)
    if (waiting > 0) {
      findings.push({
        file: relative(paths.log),
        problem: `${plural(waiting, 'byte')} of logged changes wait for a change the host lost; a board that still holds it restores it when it reconnects`,
      })
    }
    const lastActivityAt = tail.at(-1)?.at ?? checkpoint?.takenAt ?? opts.now()
    return new DurableIncident(doc, log, paths.checkpoint, tail.length, from, lastActivityAt, findings, opts)
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOAD_ORIGIN || this.closed) return
    const { author, access } = isChangeOrigin(origin) ? origin : SYSTEM_ORIGIN
    this.log.append({ at: this.options.now(), author, access, update })
    this.recordsSinceCheckpoint++
    // While the log cannot write, a checkpoint could not either: retrying one per update would only burn CPU.
    if (this.checkpointDue && !this.log.isFailing) void this.checkpoint()
  }

  private get checkpointDue(): boolean {
    return (
      this.recordsSinceCheckpoint >= this.options.checkpointEveryRecords ||
      this.log.end - this.checkpointOffset >= this.options.checkpointEveryBytes
    )
  }

  /** Nothing since the last checkpoint? Then there is nothing to write. */
  get dirty(): boolean {
    return this.log.end !== this.checkpointOffset
  }

  /** What of the held-back updates the document still lacks (nothing once a board restored the missing change). */
  private heldBackNow(): Uint8Array[] {
    if (this.heldBack && pendingBytes(this.doc) === 0) this.heldBack = undefined
    return this.heldBack ? [Y.diffUpdate(this.heldBack, Y.encodeStateVector(this.doc))] : []
  }

  async checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing
    if (!this.dirty || this.log.isFailing) return
    // State and offset are taken together, synchronously, so they agree. Updates a
    // connection sent whose dependencies never came are not state: left out.
    const logOffset = this.log.end
    const state = encodeStateWithoutPending(this.doc)
    const heldBack = this.heldBackNow()
    const records = this.recordsSinceCheckpoint
    this.checkpointing = (async () => {
      try {
        // Never let a checkpoint claim records the log does not hold yet.
        await this.log.flush()
        await this.log.durableAt(logOffset)
        await writeCheckpoint(this.checkpointPath, { logOffset, takenAt: this.options.now(), state, heldBack })
        this.checkpointOffset = logOffset
        this.recordsSinceCheckpoint -= records
      } catch (error) {
        this.options.onError(error)
      } finally {
        this.checkpointing = undefined
      }
      // A burst that arrived while this one was written gets its own.
      if (this.checkpointDue && !this.closed && !this.log.isFailing) void this.checkpoint()
    })()
    return this.checkpointing
  }

  /** Flush, checkpoint and release the document; throws when changes could not be written. */
  async close(): Promise<void> {
    if (this.closed) return
    // A checkpoint already under way may have begun before the last changes: then one more.
    if (!this.log.isFailing) await this.checkpoint()
    if (this.dirty && !this.log.isFailing) await this.checkpoint()
    this.closed = true
    this.doc.off('update', this.onUpdate)
    try {
      await this.log.close()
    } finally {
      this.doc.destroy()
    }
  }
}
