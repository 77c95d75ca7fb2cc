// One incident's document kept durable: loaded from checkpoint + log tail,
// every later update appended to the log with its arrival time and author.
import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import * as Y from 'yjs'
import { readCheckpoint, readCheckpointLogOffset, writeCheckpoint } from './checkpoint'
import { type Access, LOG_START, type LogRecord, UpdateLog, readLog } from './update-log'

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

export interface DurableOptions {
  /** Host clock. */
  now: () => number
  flushDelayMs?: number
  /** Take a checkpoint after this many records… */
  checkpointEveryRecords?: number
  /** …or this many log bytes, whichever comes first. */
  checkpointEveryBytes?: number
  onError?: (error: unknown) => void
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
 * Apply the log tail in one transaction, record by record: a bad record is
 * skipped, not fatal. (Y.mergeUpdates would be neater but grows quadratically
 * with thousands of small updates.)
 */
const applyTail = (doc: Y.Doc, tail: readonly LogRecord[], onError: (error: unknown) => void): void => {
  doc.transact(() => {
    for (const record of tail) {
      try {
        Y.applyUpdate(doc, record.update, LOAD_ORIGIN)
      } catch (error) {
        onError(error)
      }
    }
  }, LOAD_ORIGIN)
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
 * sync can be answered while the host loads. Undefined without a readable
 * checkpoint (the whole log must be replayed then), or when the tail is far
 * longer than checkpoints allow (they have been failing): thousands of
 * messages would cost the client more than one encoded state after the load.
 */
export const readStoredState = async (dataDir: string, id: string): Promise<StoredState | undefined> => {
  const paths = incidentPaths(dataDir, id)
  const [checkpoint, log] = await Promise.all([readCheckpoint(paths.checkpoint), stat(paths.log).catch(() => undefined)])
  if (!checkpoint || !log) return undefined
  if (log.size <= checkpoint.logOffset) return { checkpoint: checkpoint.state, tail: [] }
  if (log.size - checkpoint.logOffset > 2 * CHECKPOINT_EVERY_BYTES) return undefined
  // A log opening cannot read is the load's to report, not this shortcut's.
  const tail = await readLog(paths.log, checkpoint.logOffset).catch(() => undefined)
  if (!tail || tail.records.length > 2 * CHECKPOINT_EVERY_RECORDS) return undefined
  return { checkpoint: checkpoint.state, tail: tail.records.map((r) => r.update) }
}

/** Whether the log runs past the checkpoint: a crash left a tail that opening must replay. */
export const hasLogTail = async (dataDir: string, id: string): Promise<boolean> => {
  const paths = incidentPaths(dataDir, id)
  const [offset, log] = await Promise.all([readCheckpointLogOffset(paths.checkpoint), stat(paths.log).catch(() => undefined)])
  return log !== undefined && log.size > (offset ?? LOG_START)
}

export class DurableIncident {
  private recordsSinceCheckpoint: number
  private checkpointOffset: number
  private checkpointing: Promise<void> | undefined
  private closed = false

  private constructor(
    readonly doc: Y.Doc,
    readonly log: UpdateLog,
    private readonly checkpointPath: string,
    tailRecords: number,
    checkpointOffset: number,
    /** Host time of the last logged change (or checkpoint) when the incident was opened. */
    readonly lastActivityAt: number,
    private readonly options: Required<DurableOptions>,
  ) {
    this.recordsSinceCheckpoint = tailRecords
    this.checkpointOffset = checkpointOffset
    doc.on('update', this.onUpdate)
  }

  static async open(dataDir: string, id: string, options: DurableOptions): Promise<DurableIncident> {
    const opts: Required<DurableOptions> = {
      flushDelayMs: 20,
      checkpointEveryRecords: CHECKPOINT_EVERY_RECORDS,
      checkpointEveryBytes: CHECKPOINT_EVERY_BYTES,
      onError: () => undefined,
      ...options,
    }
    const paths = incidentPaths(dataDir, id)
    await mkdir(paths.dir, { recursive: true, mode: 0o700 })
    const checkpoint = await readCheckpoint(paths.checkpoint)
    const { log, tail } = await UpdateLog.open(paths.log, checkpoint?.logOffset ?? LOG_START, {
      flushDelayMs: opts.flushDelayMs,
      onError: opts.onError,
    })
    const doc = new Y.Doc()
    if (checkpoint) Y.applyUpdate(doc, checkpoint.state, LOAD_ORIGIN)
    applyTail(doc, tail, opts.onError)
    const lastActivityAt = tail.at(-1)?.at ?? checkpoint?.takenAt ?? opts.now()
    return new DurableIncident(doc, log, paths.checkpoint, tail.length, checkpoint?.logOffset ?? LOG_START, lastActivityAt, opts)
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOAD_ORIGIN || this.closed) return
    const { author, access } = isChangeOrigin(origin) ? origin : SYSTEM_ORIGIN
    this.log.append({ at: this.options.now(), author, access, update })
    this.recordsSinceCheckpoint++
    if (this.checkpointDue) void this.checkpoint()
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

  async checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing
    if (!this.dirty) return
    // State and offset are taken together, synchronously, so they agree.
    const logOffset = this.log.end
    const state = Y.encodeStateAsUpdate(this.doc)
    const records = this.recordsSinceCheckpoint
    this.checkpointing = (async () => {
      try {
        // Never let a checkpoint claim records the log does not hold yet.
        await this.log.flush()
        await this.log.durableAt(logOffset)
        await writeCheckpoint(this.checkpointPath, { logOffset, takenAt: this.options.now(), state })
        this.checkpointOffset = logOffset
        this.recordsSinceCheckpoint -= records
      } catch (error) {
        this.options.onError(error)
      } finally {
        this.checkpointing = undefined
      }
      // A burst that arrived while this one was written gets its own.
      if (this.checkpointDue && !this.closed) void this.checkpoint()
    })()
    return this.checkpointing
  }

  /** Flush, checkpoint and release the document. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.checkpoint()
    this.closed = true
    this.doc.off('update', this.onUpdate)
    await this.log.close()
    this.doc.destroy()
  }
}
