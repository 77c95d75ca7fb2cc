// An archive file (docs/ARCHIVE.md) of recorded updates, as another host would
// export it, and its import into a running host.
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type Archive, type ArchiveHeader, archiveLines } from '../../../shared/archive'

export const archiveFile = (incident: ArchiveHeader['incident'], people: Record<string, string>, records: Archive['records']): Buffer => {
  const digest = createHash('sha256')
  const header: ArchiveHeader = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, exportedAt: records.at(-1)?.at ?? incident.createdAt, incident, people, skipped: 0 }
  return gzipSync([...archiveLines(header, records, { update: (line) => digest.update(line), hex: () => digest.digest('hex') })].join(''))
}

/** `POST /api/incidents/import`; the new incident's id and edit token. */
export const importArchiveOn = async (url: string, hostToken: string, file: Uint8Array): Promise<{ id: string; editToken: string }> => {
  const response = await fetch(`${url}/api/incidents/import`, { method: 'POST', headers: { Authorization: `Bearer ${hostToken}` }, body: new Uint8Array(file) })
  if (response.status !== 201) throw new Error(`import answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as { id: string; editToken: string }
}
