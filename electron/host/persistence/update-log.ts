// The per-incident update log: every document update that reaches the host,
// with its arrival time and author, appended and fsynced in groups. Replay and
// the postmortem read it; docs/ARCHITECTURE.md documents the format.
//
// Damage never costs good records: records are framed and checksummed, so a
// reader skips what fails its checksum and resynchronises on the next valid
// frame. Opening a log keeps damaged bytes aside (verbatim) before it repairs
// anything, and says what it found.
import { type FileHandle, open, stat } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { plural } from '../../../shared/plural'
import { setAside, setAsideBytes, syncDirectory } from './files'

export const LOG_MAGIC = Buffer.from('WRLOG001', 'latin1')
/** Offset of the first record. */
export const LOG_START = LOG_MAGIC.length
const RECORD_HEADER = 8
/** The smallest payload: a time (8 bytes), an empty author, the access byte, an empty update. */
const MIN_PAYLOAD = 11
/** The smallest record; damage shorter than this cannot be overwritten with a gap record. */
export const MIN_RECORD = RECORD_HEADER + MIN_PAYLOAD

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

/** Bytes that are not a valid record, by file offset. */
export interface ByteRange {
  from: number
  to: number
}

/** Damaged bytes that an earlier open kept aside and replaced with a gap record. */
export interface LogGap extends ByteRange {
  /** Host time of the repair. */
  at: number
  /** The set-aside file holding the original bytes (its name in the log's set-aside folder). */
  setAsideAs: string
}

const ACCESS_CODES: Record<Access, number> = { edit: 0, host: 1, system: 2 }
const ACCESS_BY_CODE: Access[] = ['edit', 'host', 'system']
/** A gap record's access byte: its "update" is padding, never applied. */
const GAP_CODE = 255

const varUintLength = (n: number): number => {
  let length = 1
  while (n >= 0x80) {
    n = Math.floor(n / 0x80)
    length++
  }
  return length
}

const payloadLength = (author: string, updateLength: number): number => {
  const bytes = Buffer.byteLength(author, 'utf8')
  return 8 + varUintLength(bytes) + bytes + 1 + varUintLength(updateLength) + updateLength
}

/** Bytes `encodeRecord` will produce, known without encoding. */
export const recordLength = (entry: LoggedUpdate): number => RECORD_HEADER + payloadLength(entry.author, entry.update.length)

const frame = (at: number, author: string, accessCode: number, update: Uint8Array): Buffer => {
  const encoder = encoding.createEncoder()
  encoding.writeFloat64(encoder, at)
  encoding.writeVarString(encoder, author)
  encoding.writeUint8(encoder, accessCode)
  encoding.writeVarUint8Array(encoder, update)
  const payload = encoding.toUint8Array(encoder)
  const record = Buffer.allocUnsafe(RECORD_HEADER + payload.length)
  record.writeUInt32LE(payload.length, 0)
  record.writeUInt32LE(crc32(payload), 4)
  record.set(payload, RECORD_HEADER)
  return record
}

export const encodeRecord = (entry: LoggedUpdate): Buffer => frame(entry.at, entry.author, ACCESS_CODES[entry.access], entry.update)

/**
 * A record exactly `length` bytes long that readers skip, naming where the
 * bytes it replaces were kept. Undefined when `length` is too short for one.
 */
export const gapRecord = (length: number, at: number, setAsideAs: string): Buffer | undefined => {
  if (length < MIN_RECORD) return undefined
  // A one-byte longer note absorbs the case where the padding's length prefix jumps a byte.
  for (const note of [setAsideAs, `${setAsideAs} `, '', ' ']) {
    // The padding's own length prefix grows with it: find the padding that fits exactly.
    for (let pad = Math.max(0, length - RECORD_HEADER - payloadLength(note, 0)); pad >= 0; pad--) {
      const total = RECORD_HEADER + payloadLength(note, pad)
      if (total === length) return frame(at, note, GAP_CODE, new Uint8Array(pad))
      if (total < length) break
    }
  }
  return undefined
}

type Decoded = { kind: 'update'; entry: LoggedUpdate } | { kind: 'gap'; at: number; setAsideAs: string }

const decodePayload = (payload: Uint8Array): Decoded | undefined => {
  try {
    const decoder = decoding.createDecoder(payload)
    const at = decoding.readFloat64(decoder)
    const author = decoding.readVarString(decoder)
    const code = decoding.readUint8(decoder)
    const update = decoding.readVarUint8Array(decoder)
    if (decoder.pos !== payload.length || !Number.isFinite(at)) return undefined
    if (code === GAP_CODE) return { kind: 'gap', at, setAsideAs: author }
    const access = ACCESS_BY_CODE[code]
    return access ? { kind: 'update', entry: { at, author, access, update } } : undefined
  } catch {
    return undefined
  }
}

/** No record is this big (a WebSocket message is at most a few tens of MiB). */
const MAX_PAYLOAD = 256 * 1024 * 1024
/** Host times from 1970 to about 2286: anything else is not a record's time. */
const MAX_TIME = 1e13
const MAX_AUTHOR_BYTES = 1024

/**
 * Cheap checks on what a record's first bytes must be (a time, an author's
 * length, an access byte) before its checksum is computed: while resynchronising
 * after damage, almost every byte fails these, so a damaged region costs about
 * its length, not its length times the lengths it would claim.
 */
const plausible = (buffer: Buffer, pos: number, end: number): boolean => {
  const at = buffer.readDoubleBE(pos + RECORD_HEADER)
  if (!(at >= 0 && at < MAX_TIME)) return false
  let cursor = pos + RECORD_HEADER + 8
  let authorBytes = 0
  for (let shift = 0; cursor < end; shift += 7) {
    const byte = buffer[cursor++]!
    authorBytes += (byte & 0x7f) * 2 ** shift
    if (byte < 0x80) break
    if (shift > 14) return false
  }
  if (authorBytes > MAX_AUTHOR_BYTES || cursor + authorBytes >= end) return false
  const access = buffer[cursor + authorBytes]!
  return access <= 2 || access === GAP_CODE
}

/**
 * The record starting at `pos`, if one does: its length is plausible, its
 * checksum matches, its payload decodes. `resyncing`: looking for the next
 * record inside damage, where the cheap checks come first.
 */
const recordAt = (buffer: Buffer, pos: number, resyncing: boolean): { end: number; decoded: Decoded } | undefined => {
  if (pos + RECORD_HEADER > buffer.length) return undefined
  const length = buffer.readUInt32LE(pos)
  const end = pos + RECORD_HEADER + length
  if (length < MIN_PAYLOAD || length > MAX_PAYLOAD || end > buffer.length || (resyncing && !plausible(buffer, pos, end))) return undefined
  const payload = buffer.subarray(pos + RECORD_HEADER, end)
  if (crc32(payload) !== buffer.readUInt32LE(pos + 4)) return undefined
  const decoded = decodePayload(payload)
  return decoded && { end, decoded }
}

export interface LogScan {
  records: LogRecord[]
  /** Bytes that are no record; the last one may be a torn end (it reaches `end`). */
  damaged: ByteRange[]
  gaps: LogGap[]
  /** File offset just past the bytes scanned. */
  end: number
}

/**
 * Every record in `buffer` (whose first byte is at file offset `base`). Bytes
 * that are no valid record are skipped one at a time until the next valid
 * frame: a damaged record costs itself, never the records after it.
 */
export const scanRecords = (buffer: Buffer, base: number): LogScan => {
  const records: LogRecord[] = []
  const damaged: ByteRange[] = []
  const gaps: LogGap[] = []
  let pos = 0
  let damageFrom = -1
  while (pos < buffer.length) {
    const found = recordAt(buffer, pos, damageFrom >= 0)
    if (!found) {
      if (damageFrom < 0) damageFrom = pos
      pos++
      continue
    }
    if (damageFrom >= 0) damaged.push({ from: base + damageFrom, to: base + pos })
    damageFrom = -1
    if (found.decoded.kind === 'update') records.push({ offset: base + pos, ...found.decoded.entry })
    else gaps.push({ from: base + pos, to: base + found.end, at: found.decoded.at, setAsideAs: found.decoded.setAsideAs })
    pos = found.end
  }
  if (damageFrom >= 0) damaged.push({ from: base + damageFrom, to: base + buffer.length })
  return { records, damaged, gaps, end: base + buffer.length }
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

/** Write all of `data` at `position`: a short write (a disk filling up) is continued, or fails. */
const writeFully = async (handle: FileHandle, data: Uint8Array, position: number): Promise<void> => {
  let written = 0
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written)
    if (bytesWritten === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })
    written += bytesWritten
  }
}

const hasMagic = (head: Buffer): boolean => head.length >= LOG_START && head.subarray(0, LOG_START).equals(LOG_MAGIC)

/**
 * Every record of a log file from `from` on (replay and the postmortem start
 * at LOG_START), reading past damage. Read-only: it repairs nothing.
 */
export const readLog = async (path: string, from = LOG_START): Promise<LogScan & { magicDamaged: boolean }> => {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const magicDamaged = !hasMagic(await readRange(handle, 0, LOG_START))
    const start = Math.min(Math.max(from, LOG_START), size)
    return { ...scanRecords(await readRange(handle, start, size), start), magicDamaged }
  } finally {
    await handle.close()
  }
}

/** What opening a log found wrong and did about it, for the host's output and the start page. */
export interface LogFinding {
  problem: string
  /** The verbatim copy of what was damaged, if it could be made. */
  setAsideAs?: string
}

export interface UpdateLogOptions {
  /** Longest a record waits before its group is written and fsynced (20 ms). */
  flushDelayMs?: number
  /** A write failed: the group stays in memory and is tried again every `retryMs`. */
  onWriteError?: (error: unknown) => void
  /** A write worked again after failing. */
  onWriteRecovered?: () => void
  retryMs?: number
  /** Host clock, for the names of set-aside files and gap records. */
  now?: () => number
  /** Check and repair from here (LOG_START: the whole log), not only the tail being read. */
  scanFrom?: number
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
 * fsync itself), one group at a time and in order. A write that fails is cut
 * back to the last good record and tried again; nothing appended is dropped.
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
  private failing = false
  readonly stats: FlushStats = { flushes: 0, records: 0, maxDelayMs: 0 }

  private constructor(
    private readonly handle: FileHandle,
    end: number,
    private readonly options: UpdateLogOptions,
  ) {
    this.durableEnd = end
    this.appendedEnd = end
  }

  /**
   * Open (or create) a log and read its records from `from` on. Damage found
   * there is kept aside first, then repaired: a torn end is cut off, damage
   * between records becomes a gap record, an overwritten magic is rewritten.
   * A log shorter than `from` (truncated or lost under its checkpoint) is
   * extended to it, so new records land where the next open reads.
   */
  static async open(path: string, from: number, options: UpdateLogOptions = {}): Promise<{ log: UpdateLog; tail: LogRecord[]; findings: LogFinding[] }> {
    const now = options.now ?? Date.now
    const exists = await stat(path).then(() => true, () => false)
    const handle = await open(path, exists ? 'r+' : 'wx+', 0o600)
    const findings: LogFinding[] = []
    try {
      let size = (await handle.stat()).size
      if (!exists || size === 0) {
        // New, or created just before a crash: nothing was ever in it.
        await writeFully(handle, LOG_MAGIC, 0)
        await handle.sync()
        await syncDirectory(dirname(path))
        size = LOG_START
      } else if (!hasMagic(await readRange(handle, 0, LOG_START))) {
        const setAsideAs = await setAside(path, now(), 'copy').catch(() => undefined)
        await writeFully(handle, LOG_MAGIC, 0)
        size = Math.max(size, LOG_START)
        await handle.sync()
        findings.push({ problem: 'the log did not start with its format marker; the marker was rewritten and the records read', ...(setAsideAs ? { setAsideAs } : {}) })
      }
      if (from > size) {
        // New records must land where the next open reads: extend the log to the
        // checkpoint's offset, marking everything after the last whole record (a
        // partial one, kept aside first) as a gap.
        const kept = scanRecords(await readRange(handle, LOG_START, size), LOG_START)
        const lastEnd = kept.damaged.at(-1)?.to === size ? kept.damaged.at(-1)!.from : size
        const partial = lastEnd < size ? await setAsideBytes(path, now(), lastEnd, await readRange(handle, lastEnd, size)).catch(() => undefined) : undefined
        findings.push({
          problem: `the log was ${plural(from - size, 'byte')} shorter than its checkpoint says (truncated or lost); the board is whole from the checkpoint, but replay lacks that history`,
          ...(partial ? { setAsideAs: partial } : {}),
        })
        await handle.truncate(from)
        const gap = gapRecord(from - lastEnd, now(), partial ? basename(partial) : '')
        if (gap && (partial || lastEnd === size)) await writeFully(handle, gap, lastEnd).catch(() => undefined)
        await handle.sync()
        size = from
      }
      const start = Math.max(Math.min(options.scanFrom ?? from, from), LOG_START)
      const scan = scanRecords(await readRange(handle, start, size), start)
      const end = await repair(handle, path, scan, from, now, findings)
      const log = new UpdateLog(handle, end, options)
      return { log, tail: scan.records.filter((r) => r.offset >= from), findings }
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /** Logical end of the log, counting records not yet on disk. */
  get end(): number {
    return this.appendedEnd
  }

  /** Whether the last write failed (the group is still in memory, being retried). */
  get isFailing(): boolean {
    return this.failing
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
    this.schedule(this.options.flushDelayMs ?? 20)
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      // A failure is reported through onWriteError and retried; nobody awaits this one.
      this.flush().catch(() => undefined)
    }, delayMs)
  }

  /**
   * Resolves when everything appended so far is on disk; rejects when writing
   * it failed (it stays queued and is retried every second).
   */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    while (this.inFlight) await this.inFlight.catch(() => undefined)
    if (this.pending.length === 0) return
    this.inFlight = this.writeGroup()
    try {
      await this.inFlight
    } finally {
      this.inFlight = undefined
    }
    if (this.pending.length > 0) this.schedule(this.options.flushDelayMs ?? 20)
  }

  private async writeGroup(): Promise<void> {
    const group = this.pending
    const since = this.pendingSince
    this.pending = []
    const data = Buffer.concat(group.map(encodeRecord))
    try {
      await writeFully(this.handle, data, this.durableEnd)
      await this.handle.datasync()
    } catch (error) {
      // Nothing half-written may stay behind: cut back to the last good record (which
      // needs no space), keep the group in memory, and try again.
      await this.handle.truncate(this.durableEnd).catch(() => undefined)
      this.pending = [...group, ...this.pending]
      this.pendingSince = since
      this.failing = true
      this.options.onWriteError?.(error)
      if (this.timer) clearTimeout(this.timer)
      this.timer = undefined
      this.schedule(this.options.retryMs ?? 1000)
      throw error
    }
    this.durableEnd += data.length
    this.stats.flushes++
    this.stats.records += group.length
    this.stats.maxDelayMs = Math.max(this.stats.maxDelayMs, performance.now() - since)
    this.waiters = this.waiters.filter((w) => (w.offset <= this.durableEnd ? (w.resolve(), false) : true))
    if (this.failing) {
      this.failing = false
      this.options.onWriteRecovered?.()
    }
  }

  /** Resolves once the log is durable at least up to `offset`. */
  durableAt(offset: number): Promise<void> {
    if (offset <= this.durableEnd) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ offset, resolve }))
  }

  /**
   * Flush and close. When the last write fails, the file is closed anyway and
   * the error says how many changes exist only in memory (and on the boards).
   */
  async close(): Promise<void> {
    let failure: unknown
    await this.flush().catch((error: unknown) => (failure = error))
    const lost = this.pending.length
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.handle.close()
    if (failure !== undefined) throw new Error(`${plural(lost, 'change')} could not be written to the log (${(failure as Error).message}); the boards that made them still hold them`, { cause: failure })
  }
}

/**
 * Keep damaged bytes aside, then make the log clean again: a torn end is cut
 * off, damage between records is overwritten with a gap record of the same
 * length (so offsets stay put). When the copy cannot be made (a full disk),
 * nothing is changed: readers skip the damage anyway. Returns where new
 * records go.
 */
const repair = async (handle: FileHandle, path: string, scan: LogScan, from: number, now: () => number, findings: LogFinding[]): Promise<number> => {
  const last = scan.damaged.at(-1)
  // Only the tail after the checkpoint may be cut: below it, the checkpoint's offset must stay inside the log.
  const tornEnd = last && last.to === scan.end && last.from >= from ? last : undefined
  const between = scan.damaged.filter((range) => range !== tornEnd)
  let end = scan.end
  if (between.length > 0) {
    const bytes = between.reduce((sum, r) => sum + r.to - r.from, 0)
    const setAsideAs = await setAside(path, now(), 'copy').catch(() => undefined)
    if (setAsideAs) {
      for (const range of between) {
        const gap = gapRecord(range.to - range.from, now(), basename(setAsideAs))
        if (gap) await writeFully(handle, gap, range.from)
      }
      await handle.sync()
    }
    findings.push({
      problem: `${plural(bytes, 'damaged byte')} in ${plural(between.length, 'place')} of the log (${between.map((r) => `${r.from}–${r.to}`).join(', ')}) were skipped; every other record was read`,
      ...(setAsideAs ? { setAsideAs } : {}),
    })
  }
  if (tornEnd) {
    const bytes = await readRange(handle, tornEnd.from, tornEnd.to)
    const setAsideAs = await setAsideBytes(path, now(), tornEnd.from, bytes).catch(() => undefined)
    if (setAsideAs) {
      await handle.truncate(tornEnd.from)
      await handle.sync()
      end = tornEnd.from
    }
    findings.push({
      problem: `the log ended in ${plural(bytes.length, 'byte')} that are no complete record (a write cut short by a crash, or damage)`,
      ...(setAsideAs ? { setAsideAs } : {}),
    })
  }
  return end
}
