// A recorded incident for the replay tests: a twenty-minute incident whose
// every update carries the host time it arrived, written as an archive
// (docs/ARCHIVE.md) and imported, as a facilitator brings one from another host.
import * as Y from 'yjs'
import type { Archive } from '../../shared/archive'
import { markPresent } from '../../shared/attendance'
import { declareIncident, setIncidentStatus, setSeverity } from '../../shared/incident'
import { joinIncident } from '../../shared/people'
import { assignRole } from '../../shared/roles'
import { addService, connectServices, setServiceStatus } from '../../shared/services'
import { createTask, reportOnTask } from '../../shared/tasks'
import { addEntry, setEntryStarred } from '../../shared/timeline'
import { archiveFile, importArchiveOn } from '../unit/helpers/archive'
import type { E2eHost } from './host'

/** 20 November 2026, 14:00 UTC: the incident's declaration. */
export const T0 = Date.UTC(2026, 10, 20, 14, 0, 0)

/** What happened, in seconds after T0 (the moments the tests look at). */
export const MOMENTS = {
  commander: 60,
  outage: 120,
  task: 180,
  severity: 300,
  /** The task's 5-minute check-back, missed: Bob reports at 600 s. */
  checkBackDue: 480,
  report: 600,
  recovered: 900,
  resolved: 1200,
} as const

export const recordIncident = (): Archive['records'] => {
  const doc = new Y.Doc()
  const records: Archive['records'] = []
  let arrival = T0
  let author = 'host'
  doc.on('update', (update: Uint8Array) => records.push({ at: arrival, author, access: author === 'host' ? 'host' : 'edit', update }))
  /** A change made `seconds` after T0 by `by`, reaching the host 30 ms later. */
  const at = (seconds: number, by: string) => {
    arrival = T0 + seconds * 1000 + 30
    author = by
    return { by, at: T0 + seconds * 1000 }
  }
  declareIncident(doc, at(0, 'host'), { id: 'recorded', title: 'Checkout failing for card payments', severity: 'SEV-2' })
  for (const [i, [id, name]] of [['alice', 'Alice'], ['bob', 'Bob'], ['carol', 'Carol']].entries()) {
    joinIncident(doc, at(10 + i, id!), { name: name! })
    markPresent(doc, at(10 + i, 'host'), id!)
  }
  const payments = addService(doc, at(20, 'alice'), { name: 'payments-api', kind: 'api', business: true })
  const checkout = addService(doc, at(21, 'alice'), { name: 'checkout-web', kind: 'component', business: true })
  connectServices(doc, at(22, 'alice'), checkout, payments)
  assignRole(doc, at(MOMENTS.commander, 'alice'), 'incidentCommander', 'alice')
  setServiceStatus(doc, at(MOMENTS.outage, 'alice'), payments, 'majorOutage')
  const errors = addEntry(doc, at(MOMENTS.outage + 5, 'carol'), { kind: 'observation', text: 'Card payments failing: 40% of requests answer 502' })
  setEntryStarred(doc, errors, true)
  const task = createTask(doc, at(MOMENTS.task, 'alice'), { title: 'Roll back payments-api to v41', ownerId: 'bob', checkBackMinutes: 5 })
  setSeverity(doc, at(MOMENTS.severity, 'alice'), 'SEV-1')
  reportOnTask(doc, at(MOMENTS.report, 'bob'), task, 'Rolled back; error rate falling')
  setServiceStatus(doc, at(MOMENTS.recovered, 'alice'), payments, 'operational')
  setIncidentStatus(doc, at(MOMENTS.recovered + 1, 'alice'), 'monitoring')
  setIncidentStatus(doc, at(MOMENTS.resolved, 'alice'), 'resolved')
  return records
}

/** Import the recorded incident on `host`; its id and links, as `POST /api/incidents/import` answers. */
export const importRecordedIncident = (host: E2eHost): Promise<{ id: string; editToken: string }> =>
  importArchiveOn(
    host.url,
    host.hostToken,
    archiveFile(
      { id: 'recorded', title: 'Checkout failing for card payments', severity: 'SEV-1', status: 'resolved', createdAt: T0 },
      { alice: 'Alice', bob: 'Bob', carol: 'Carol' },
      recordIncident(),
    ),
  )
