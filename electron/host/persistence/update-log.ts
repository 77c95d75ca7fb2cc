// The per-incident update log: every document update that reaches the host,
// with its arrival time and author, appended and fsynced in groups. Replay and
// the postmortem read it; docs/ARCHITECTURE.md documents the format.
import { type FileHandle, open, stat } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { syncDirectory } from './files'
import { dirname } from 'node:path'

export const LOG_MAGIC = Buffer.from('WRLOG001', 'latin1')
/** Offset of the first record. */
export const LOG_START = LOG_MAGIC.length
const RECORD_HEADER = 8

/** Which kind of credential made the change: a person's edit link, the host token, or the host itself. */
export type Access = 'edit' | 'host' | 'system'

export interface LoggedUpdate {
  /** Host clock, epoch ms, when the update arrived. */
  at: number
  /** Person id the connection gave ('' when none), or 'host'. */
  author: string
  access: Access
  update: Uint8Array
}

export interface LogRecord extends LoggedUpdate {
  /** Byte offset of the record in the file. */
  offset: number
}

const ACCESS_CODES: Record<Access, number> = { edit: 0, host: 1, system: 2 }
const ACCESS_BY_CODE: Access[] = ['edit', 'host', 'system']

const varUintLength = (n: number): number => {
  let length = 1
  while (n >= 0x80) {
    n = Math.floor(n / 0x80)
    length++
  }
  return length
}

/** Bytes `encodeRecord` will produce, known without encoding. */
export const recordLength = (entry: LoggedUpdate): number => {
  const author = Buffer.byteLength(entry.author, 'utf8')
  return RECORD_HEADER + 8 + varUintLength(author) + author + 1 + varUintLength(entry.update.length) + entry.update.length
}

export const encodeRecord = (entry: LoggedUpdate): Buffer => {
  const encoder = encoding.createEncoder()
  encoding.writeFloat64(encoder, entry.at)
  encoding.writeVarString(encoder, entry.author)
  encoding.writeUint8(encoder, ACCESS_CODES[entry.access])
  encoding.writeVarUint8Array(encoder, entry.update)
  const payload = encoding.toUint8Array(encoder)
  const record = Buffer.allocUnsafe(RECORD_HEADER + payload.length)
  record.writeUInt32LE(payload.length, 0)
  record.writeUInt32LE(crc32(payload), 4)
  record.set(payload, RECORD_HEADER)
  return record
}

const decodePayload = (payload: Uint8Array): LoggedUpdate => {
  const decoder = decoding.createDecoder(payload)
  const at = decoding.readFloat64(decoder)
  const author = decoding.readVarString(decoder)
  const access = ACCESS_BY_CODE[decoding.readUint8(decoder)] ?? 'edit'
  const update = decoding.readVarUint8Array(decoder)
  return { at, author, access, update }
}

/**
 * Decode records from `buffer` (whose first byte is at file offset `base`).
 * Stops at the first record that is incomplete or fails its checksum: after a
 * crash that is the torn tail, and `validEnd` says where good data ends.
 */
export const decodeRecords = (buffer: Buffer, base: number): { records: LogRecord[]; validEnd: number; torn: boolean } => {
  const records: LogRecord[] = []
  let pos = 0
  while (pos + RECORD_HEADER <= buffer.length) {
    const length = buffer.readUInt32LE(pos)
    const checksum = buffer.readUInt32LE(pos + 4)
    const end = pos + RECORD_HEADER + length
    if (end > buffer.length) break
    const payload = buffer.subarray(pos + RECORD_HEADER, end)
    if (crc32(payload) !== checksum) break
    try {
      records.push({ offset: base + pos, ...decodePayload(payload) })
    } catch {
      break
    }
    pos = end
  }
  return { records, validEnd: base + pos, torn: pos !== buffer.length }
}

const readRange = async (handle: FileHandle, from: number, to: number): Promise<Buffer> => {
  const buffer = Buffer.allocUnsafe(Math.max(0, to - from))
  let read = 0
  while (read < buffer.length) {
    const { bytesRead } = await handle.read(buffer, read, buffer.length - read, from + read)
    if (bytesRead === 0) break
    read += bytesRead
  }
  return buffer.subarray(0, read)
}

/** Every record of a log file from `from` on (replay and the postmortem start at LOG_START). */
export const readLog = async (path: string, from = LOG_START): Promise<{ records: LogRecord[]; validEnd: number; torn: boolean }> => {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    await checkMagic(handle, path)
    return decodeRecords(await readRange(handle, from, size), from)
  } finally {
    await handle.close()
  }
}

const checkMagic = async (handle: FileHandle, path: string): Promise<void> => {
  const magic = await readRange(handle, 0, LOG_START)
  if (!magic.equals(LOG_MAGIC)) throw new Error(`${path} is not a War Room update log`)
}

export interface UpdateLogOptions {
  /** Longest a record waits before its group is written and fsynced. */
  flushDelayMs?: number
  onError?: (error: unknown) => void
}

export interface FlushStats {
  flushes: number
  records: number
  /** Longest time a record waited from append to fsync completion, ms. */
  maxDelayMs: number
}

/**
 * Append-only, group-committed log. `append` returns at once; records are
 * written and fdatasynced together at most `flushDelayMs` later (plus the
 * fsync itself), one group at a time and in order.
 */
export class UpdateLog {
  private pending: LoggedUpdate[] = []
  private pendingSince = 0
  private timer: NodeJS.Timeout | undefined
  private inFlight: Promise<void> | undefined
  private durableEnd: number
  private appendedEnd: number
  private waiters: Array<{ offset: number; resolve: () => void }> = []
  private closed = false
  readonly stats: FlushStats = { flushes: 0, records: 0, maxDelayMs: 0 }

  private constructor(
    private readonly handle: FileHandle,
    end: number,
    private readonly flushDelayMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.durableEnd = end
    this.appendedEnd = end
  }

  /**
   * Open (or create) a log and read its records from `from` on. A torn or
   * corrupt tail is cut off so new records follow the last good one.
   */
  static async open(path: string, from: number, options: UpdateLogOptions = {}): Promise<{ log: UpdateLog; tail: LogRecord[]; truncatedBytes: number }> {
    const exists = await stat(path).then(() => true, () => false)
    const handle = await open(path, exists ? 'r+' : 'wx+', 0o600)
    try {
      let size = (await handle.stat()).size
      if (!exists || size < LOG_START) {
        await handle.truncate(0)
        await handle.write(LOG_MAGIC, 0, LOG_START, 0)
        await handle.sync()
        await syncDirectory(dirname(path))
        size = LOG_START
      } else {
        await checkMagic(handle, path)
      }
      const start = Math.min(Math.max(from, LOG_START), size)
      const { records, validEnd } = decodeRecords(await readRange(handle, start, size), start)
      const truncatedBytes = size - validEnd
      if (truncatedBytes > 0) {
        await handle.truncate(validEnd)
        await handle.sync()
      }
      const log = new UpdateLog(handle, validEnd, options.flushDelayMs ?? 20, options.onError ?? (() => undefined))
      return { log, tail: records, truncatedBytes }
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /** Logical end of the log, counting records not yet on disk. */
  get end(): number {
    return this.appendedEnd
  }

  /**
   * Queue a record. Encoding and checksumming wait for the group's flush, so
   * the update handler (which also broadcasts to everyone) stays cheap.
   */
  append(entry: LoggedUpdate): void {
    if (this.closed) throw new Error('update log is closed')
    if (this.pending.length === 0) this.pendingSince = performance.now()
    this.pending.push(entry)
    this.appendedEnd += recordLength(entry)
    this.timer ??= setTimeout(() => void this.flush(), this.flushDelayMs)
  }

  /** Resolves when everything appended so far is on disk. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    while (this.inFlight) await this.inFlight
    if (this.pending.length === 0) return
    const group = this.pending
    const data = Buffer.concat(group.map(encodeRecord))
    const since = this.pendingSince
    this.pending = []
    const position = this.durableEnd
    this.inFlight = (async () => {
      try {
        await this.handle.write(data, 0, data.length, position)
        await this.handle.datasync()
        this.durableEnd = position + data.length
        this.stats.flushes++
        this.stats.records += group.length
        this.stats.maxDelayMs = Math.max(this.stats.maxDelayMs, performance.now() - since)
        this.waiters = this.waiters.filter((w) => (w.offset <= this.durableEnd ? (w.resolve(), false) : true))
      } catch (error) {
        // Keep the group and try again: a full disk must not lose what was sent.
        this.pending.unshift(...group)
        this.onError(error)
        if (!this.closed) this.timer ??= setTimeout(() => void this.flush(), 1000)
      } finally {
        this.inFlight = undefined
      }
    })()
    await this.inFlight
    if (this.pending.length > 0 && !this.closed) this.timer ??= setTimeout(() => void this.flush(), this.flushDelayMs)
  }

  /** Resolves once the log is durable at least up to `offset`. */
  durableAt(offset: number): Promise<void> {
    if (offset <= this.durableEnd) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ offset, resolve }))
  }

  async close(): Promise<void> {
    await this.flush()
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await this.handle.close()
  }
}
