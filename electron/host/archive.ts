// Incident archives and snapshots, read from the incident's update log (which
// keeps every record from the start, with its host time and author):
// export as one gzipped file (docs/ARCHIVE.md), import as a new incident, and
// the document as it was at any host time.
import { createHash } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { constants, createGzip, gunzipSync } from 'node:zlib'
import * as Y from 'yjs'
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type Archive, ArchiveError, type ArchiveHeader, archiveLines, parseArchive } from '../../shared/archive'
import { readMeta } from '../../shared/incident'
import { readPeople } from '../../shared/people'
import { metaMap } from '../../shared/schema'
import type { ApiContext } from './api'
import { invitesAnswer } from './api'
import { refuseWhileFailing } from './declare'
import { HttpError } from './http-util'
import { incidentPaths } from './persistence/durable-incident'
import { asStorageError, writeFileDurably } from './persistence/files'
import { LOG_MAGIC, type LogRecord, encodeRecord, readLog } from './persistence/update-log'

/** An archive inflates to at most this (a small file claiming gigabytes is refused, not unpacked); about V8's longest string. */
const MAX_INFLATED = 512 * 1024 * 1024

/** Every readable record of an incident's log, with what is on the board now; its last writes on disk first. */
const loggedRecords = async (ctx: ApiContext, id: string): Promise<{ records: LogRecord[]; skipped: number; doc: Y.Doc }> => {
  if (!ctx.records.find(id)) throw new HttpError(404, `No incident ${id} on this host.`)
  const doc = new Y.Doc()
  const log = await ctx.registry.withRoom(id, async (room) => {
    await room.durable.log.flush()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
    return readLog(incidentPaths(ctx.dataDir, id).log)
  })
  // Damage repaired on an earlier open is a gap record now; a write landing while this read ends is no damage.
  const damaged = log.damaged.filter((range) => range.to < log.end).length
  return { records: log.records, skipped: log.gaps.length + damaged, doc }
}

/** The archive as a stream of gzipped lines: header, records, trailer with their count and digest. */
export const exportArchive = async (ctx: ApiContext, id: string): Promise<ReadableStream<Uint8Array>> => {
  const { records, skipped, doc } = await loggedRecords(ctx, id)
  const incident = ctx.records.find(id)!
  const header: ArchiveHeader = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: ctx.now(),
    incident: { id, title: incident.title, severity: incident.severity, status: incident.status, createdAt: incident.createdAt },
    people: Object.fromEntries([...readPeople(doc).values()].map((p) => [p.id, p.name])),
    skipped,
  }
  const digest = createHash('sha256')
  const lines = archiveLines(header, records, { update: (line) => digest.update(line), hex: () => digest.digest('hex') })
  return Readable.toWeb(Readable.from(lines).pipe(createGzip())) as ReadableStream<Uint8Array>
}

/** Unpack and check an archive completely before anything is written: the header, every record, the trailer. */
const readArchive = (bytes: Uint8Array): Archive => {
  let text: string
  try {
    text = gunzipSync(bytes, { maxOutputLength: MAX_INFLATED, finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ArchiveError(
      code === 'ERR_BUFFER_TOO_LARGE' ? 'the archive unpacks to over 512 MiB' : code === 'Z_DATA_ERROR' ? 'the archive is damaged or not a gzip file' : 'the archive could not be unpacked',
    )
  }
  const digest = createHash('sha256')
  return parseArchive(text, { update: (line) => digest.update(line), hex: () => digest.digest('hex') })
}

/**
 * A new incident from an archive: new id and links; its log holds the
 * archive's records with their times and authors, then one record of the
 * host's that gives the document its new id and says where it came from.
 * Checked in full first; on any failure nothing stays on disk.
 */
export const importArchive = async (ctx: ApiContext, bytes: Uint8Array) => {
  let archive: ReturnType<typeof readArchive>
  try {
    archive = readArchive(bytes)
  } catch (error) {
    if (error instanceof ArchiveError) throw new HttpError(400, error.message)
    throw error
  }
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      for (const r of archive.records) Y.applyUpdate(doc, r.update)
    })
  } catch {
    throw new HttpError(400, 'the archive holds a record that is no Yjs update')
  }
  const meta = readMeta(doc)
  if (!meta) throw new HttpError(400, 'the archive holds no declared incident')
  refuseWhileFailing(ctx.storage())
  const now = ctx.now()
  const { record, tokens } = ctx.records.prepare({ title: meta.title, severity: meta.severity, now })
  const before = Y.encodeStateVector(doc)
  doc.transact(() => {
    metaMap(doc).set('id', record.id)
    metaMap(doc).set('importedFrom', { id: archive.header.incident.id, exportedAt: archive.header.exportedAt, importedAt: now })
  })
  const rename = Y.encodeStateAsUpdate(doc, before)
  const log = Buffer.concat([
    LOG_MAGIC,
    ...archive.records.map((r) => encodeRecord(r)),
    encodeRecord({ at: now, author: 'host', access: 'system', update: rename }),
  ])
  const { dir, log: path } = incidentPaths(ctx.dataDir, record.id)
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await writeFileDurably(path, log)
    await ctx.records.create({ ...record, status: meta.status, importedFrom: archive.header.incident.id })
  } catch (error) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined)
    throw asStorageError(error)
  }
  return { id: record.id, ...invitesAnswer(ctx, record.id, tokens) }
}

/** The document as it was at host time `at`: every record up to it, none after, as one update. */
export const snapshotAt = async (ctx: ApiContext, id: string, at: number): Promise<Uint8Array> => Y.encodeStateAsUpdate((await incidentAt(ctx, id, at)).then)

/** The incident's document as it was at host time `at`, and as it is now. */
export const incidentAt = async (ctx: ApiContext, id: string, at: number): Promise<{ then: Y.Doc; now: Y.Doc; startedAt: number }> => {
  const { records, doc } = await loggedRecords(ctx, id)
  const first = records[0]
  if (!first || at < first.at) throw new HttpError(400, `at: the incident's record starts at ${first ? first.at : 'nothing'}; ${at} is before it`)
  if (at >= records.at(-1)!.at) return { then: doc, now: doc, startedAt: first.at }
  const then = new Y.Doc()
  then.transact(() => {
    for (const r of records) {
      if (r.at > at) continue
      try {
        Y.applyUpdate(then, r.update)
      } catch {
        // A record the live document also skipped on load: the state at that time lacked it too.
      }
    }
  })
  return { then, now: doc, startedAt: first.at }
}
