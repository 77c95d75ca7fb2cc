// The incident archive (docs/ARCHIVE.md): one file that carries an incident's
// whole update log, each record with its host time and author, between hosts.
// Gzipped lines of JSON: a header, one line per record, a trailer that says how
// many records there were and their digest, so a cut or altered file is known.
import { fromBase64, toBase64 } from 'lib0/buffer'
import * as v from 'valibot'
import { INCIDENT_STATUSES, SEVERITIES } from './schema'

export const ARCHIVE_FORMAT = 'war-room-archive'
export const ARCHIVE_VERSION = 1
/** An archive bigger than this is refused before it is read. */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024

export const ArchiveHeaderSchema = v.object({
  format: v.literal(ARCHIVE_FORMAT),
  version: v.pipe(v.number('version must be a number'), v.integer(), v.minValue(1)),
  exportedAt: v.number(),
  incident: v.object({
    id: v.string(),
    title: v.string(),
    severity: v.picklist(SEVERITIES),
    status: v.picklist(INCIDENT_STATUSES),
    createdAt: v.number(),
  }),
  /** Everyone on the board as named when it was exported: person id → name. */
  people: v.record(v.string(), v.string()),
  /** Records the exporting host could not read (damage it had set aside): left out. */
  skipped: v.number(),
})
export type ArchiveHeader = v.InferOutput<typeof ArchiveHeaderSchema>

export const ArchiveRecordSchema = v.object({
  /** Host time, epoch ms, when the update reached the host. */
  at: v.number(),
  /** Person id ('' when none), or 'host'. */
  author: v.string(),
  access: v.picklist(['edit', 'host', 'system']),
  /** The Yjs update, base64. */
  update: v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'update must be base64')),
})
export type ArchiveRecord = v.InferOutput<typeof ArchiveRecordSchema>

export const ArchiveTrailerSchema = v.object({
  end: v.literal(true),
  records: v.number(),
  /** SHA-256 (hex) of every line before this one, newlines included. */
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
})
export type ArchiveTrailer = v.InferOutput<typeof ArchiveTrailerSchema>

export class ArchiveError extends Error {}

/** The header line, checked: a foreign file or one from a newer host is refused with what it is. */
export const readArchiveHeader = (line: string | undefined): ArchiveHeader => {
  let value: unknown
  try {
    value = JSON.parse(line ?? '')
  } catch {
    throw new ArchiveError('this is not a War Room archive (its first line is not JSON)')
  }
  if ((value as { format?: unknown } | null)?.format !== ARCHIVE_FORMAT) throw new ArchiveError(`this is not a War Room archive (no "${ARCHIVE_FORMAT}" header)`)
  const parsed = v.safeParse(ArchiveHeaderSchema, value)
  if (!parsed.success) throw new ArchiveError(`the archive's header is damaged: ${v.getDotPath(parsed.issues[0]) ?? 'header'}: ${parsed.issues[0].message}`)
  if (parsed.output.version > ARCHIVE_VERSION) {
    throw new ArchiveError(`the archive is version ${parsed.output.version}, newer than this host reads (${ARCHIVE_VERSION}); import it on a newer War Room`)
  }
  return parsed.output
}

export interface Archive {
  header: ArchiveHeader
  records: Array<{ at: number; author: string; access: ArchiveRecord['access']; update: Uint8Array }>
}

/** SHA-256 over the lines, where the platform has it (Node always; a browser only in a secure context). */
export interface ArchiveDigest {
  update: (line: string) => void
  hex: () => string
}

/** An archive's lines (to be gzipped): the header, one per record, the trailer with their count and digest. */
export function* archiveLines(header: ArchiveHeader, records: Archive['records'], digest: ArchiveDigest): Generator<string> {
  const line = (value: unknown): string => {
    const text = `${JSON.stringify(value)}\n`
    digest.update(text)
    return text
  }
  yield line(header)
  for (const r of records) yield line({ at: r.at, author: r.author, access: r.access, update: toBase64(r.update) })
  yield `${JSON.stringify({ end: true, records: records.length, sha256: digest.hex() })}\n`
}

/**
 * An archive's text (unpacked), checked line by line: the header, every
 * record, the trailer and its count, and the digest when one is given. A cut,
 * altered or foreign file is refused with what is wrong.
 */
export const parseArchive = (text: string, digest?: ArchiveDigest): Archive => {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const header = readArchiveHeader(lines[0])
  digest?.update(`${lines[0]}\n`)
  const records: Archive['records'] = []
  let trailer: ArchiveTrailer | undefined
  for (let i = 1; i < lines.length; i++) {
    let value: unknown
    try {
      value = JSON.parse(lines[i]!)
    } catch {
      throw new ArchiveError(`line ${i + 1} of the archive is damaged`)
    }
    const end = v.safeParse(ArchiveTrailerSchema, value)
    if (end.success) {
      if (i !== lines.length - 1) throw new ArchiveError(`the archive goes on after its end (line ${i + 1})`)
      trailer = end.output
      break
    }
    const record = v.safeParse(ArchiveRecordSchema, value)
    if (!record.success) throw new ArchiveError(`line ${i + 1} of the archive is no record: ${record.issues[0].message}`)
    digest?.update(`${lines[i]}\n`)
    records.push({ ...record.output, update: fromBase64(record.output.update) })
  }
  if (!trailer) throw new ArchiveError(`the archive is cut short: it ends after ${records.length} records, without its end line`)
  if (trailer.records !== records.length) throw new ArchiveError(`the archive says ${trailer.records} records and holds ${records.length}`)
  if (digest && trailer.sha256 !== digest.hex()) throw new ArchiveError('the archive was altered: its records do not match their digest')
  return { header, records }
}
