// Declaring an incident on the host, for the API (someone declares) and the
// alert router (an alert declares): its first state on disk first, then the
// record that makes it exist. A failure at either step leaves nothing behind,
// not a listed incident without a log, nor a folder without a record.
import type * as Y from 'yjs'
import { type Gathering, isEmptyGathering, setGathering } from '../../shared/gathering'
import type { StorageState } from '../../shared/host-status'
import { declareIncident } from '../../shared/incident'
import { HOST_AUTHOR, joinIncident } from '../../shared/people'
import type { Change, Severity } from '../../shared/schema'
import { loadCatalog } from '../../shared/services'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import { HttpError } from './http-util'
import { asStorageError } from './persistence/files'
import type { HostRecords, IncidentRecord, InviteTokens } from './records'
import type { RoomRegistry } from './sync/registry'

export interface DeclareDeps {
  records: HostRecords
  registry: RoomRegistry
  discardIncident: (id: string) => Promise<void>
}

export interface Prepared {
  record: IncidentRecord
  tokens: InviteTokens
}

/**
 * While the host cannot save, no incident is started: a small new file could
 * still fit in what a refused write left free, and be lost with the next.
 */
export const refuseWhileFailing = (storage: StorageState): void => {
  if (!storage.ok) throw new HttpError(storage.problem === 'disk full' ? 507 : 503, `The host cannot save right now (${storage.problem}); nothing was changed.`)
}

/** The new incident's id and links, known before anything is written. */
export const prepareIncident = (deps: DeclareDeps, fields: { title: string; severity: Severity }, now: number): Prepared => deps.records.prepare({ ...fields, now })

/**
 * A new incident's first state, written by `write` in one transaction, on disk
 * first; then its record. A failure at either step leaves nothing behind.
 */
export const writeNewIncident = async ({ records, registry, discardIncident }: DeclareDeps, record: IncidentRecord, write: (doc: Y.Doc) => void): Promise<void> => {
  try {
    await registry.withRoom(record.id, async (room) => {
      room.doc.transact(() => write(room.doc), SYSTEM_ORIGIN)
      await room.durable.log.flush()
    })
    await records.create(record)
  } catch (error) {
    await discardIncident(record.id)
    throw asStorageError(error)
  }
}

export const declareOnHost = (
  deps: DeclareDeps,
  { record }: Prepared,
  options: { declaredBy?: { id: string; name: string }; gathering?: Gathering; also?: (doc: Y.Doc, change: Change) => void } = {},
): Promise<void> =>
  writeNewIncident(deps, record, (doc) => {
    // Credited to whoever declared it from their app; else to the host itself.
    const change = { by: options.declaredBy?.id ?? HOST_AUTHOR, at: record.createdAt }
    const catalog = deps.records.catalog()
    if (options.declaredBy) joinIncident(doc, change, { name: options.declaredBy.name })
    declareIncident(doc, change, { id: record.id, title: record.title, severity: record.severity })
    // A new incident starts with the host's service graph.
    // The host holds the catalog's routing keys, so its services are pageable here (never from a board's own import).
    if (catalog) {
      const services = catalog.services.map((service) => ({ ...service, pageable: service.pagerduty?.integrationKey !== undefined }))
      loadCatalog(doc, change, { ...catalog, services }, `the host catalog (${catalog.source})`)
    }
    const gathering = options.gathering ?? deps.records.setting('gathering')
    if (!isEmptyGathering(gathering)) setGathering(doc, change, gathering)
    options.also?.(doc, change)
  })
