// An incident run by the board's own functions to a plan (who takes command
// when, when it is mitigated and resolved, an escalation), with every update
// kept as the host would have logged it: for analytics' known answers, the
// Analytics view's seeded incidents, and the analytics benchmark.
import * as Y from 'yjs'
import type { Archive } from '../../../shared/archive'
import { declareIncident, setIncidentStatus, setSeverity } from '../../../shared/incident'
import { correctMilestone } from '../../../shared/milestones'
import { joinIncident } from '../../../shared/people'
import { assignRole } from '../../../shared/roles'
import type { Severity } from '../../../shared/schema'
import { addService, setServiceStatus } from '../../../shared/services'
import { addEntry } from '../../../shared/timeline'

export const MIN = 60_000
export const DAY = 86_400_000

export interface Plan {
  id: string
  title?: string
  /** When it was declared (host time). */
  start: number
  severity: Severity
  /** Minutes after the declaration: the first person takes command, it is mitigated, resolved; an escalation to SEV-1. */
  ic?: number
  mitigated?: number
  resolved?: number
  sev1At?: number
  /** Detected this many minutes before the declaration. */
  detectedEarlier?: number
  service?: { name: string; owner: string }
  people: string[]
  /** Notes written between the declaration and the resolution (or an hour), evenly. */
  notes?: number
}

export const planId = (name: string): string => name.toLowerCase().replace(/[^a-z]/g, '')

/** Runs the plan on a new document; every update with the time and author it carries. */
export const runPlan = (plan: Plan): { doc: Y.Doc; records: Archive['records'] } => {
  const doc = new Y.Doc()
  const records: Archive['records'] = []
  let arrival = plan.start
  let author = 'host'
  doc.on('update', (update: Uint8Array) => records.push({ at: arrival, author, access: author === 'host' ? 'host' : 'edit', update }))
  const at = (minutes: number, by = 'host') => {
    arrival = plan.start + minutes * MIN + 30
    author = by
    return { by, at: plan.start + minutes * MIN }
  }
  const first = planId(plan.people[0] ?? 'host')
  declareIncident(doc, at(0), { id: plan.id, title: plan.title ?? `Incident ${plan.id}`, severity: plan.severity })
  plan.people.forEach((name, i) => joinIncident(doc, at(i / 60, planId(name)), { name }))
  if (plan.service) setServiceStatus(doc, at(1, first), addService(doc, at(1, first), { name: plan.service.name, kind: 'component', owner: plan.service.owner, business: false }), 'majorOutage')
  if (plan.detectedEarlier !== undefined) correctMilestone(doc, at(2, first), 'detectedAt', plan.start - plan.detectedEarlier * MIN, 'seen in the logs')
  if (plan.ic !== undefined) assignRole(doc, at(plan.ic, first), 'incidentCommander', first)
  if (plan.sev1At !== undefined) setSeverity(doc, at(plan.sev1At, first), 'SEV-1')
  const span = plan.resolved ?? 60
  for (let i = 0; i < (plan.notes ?? 0); i++) addEntry(doc, at(((i + 1) * span) / ((plan.notes ?? 0) + 1), first), { kind: 'note', text: `Note ${i + 1}: error rate still elevated on ${plan.service?.name ?? 'the service'}` })
  if (plan.mitigated !== undefined) setIncidentStatus(doc, at(plan.mitigated, first), 'monitoring')
  if (plan.resolved !== undefined) setIncidentStatus(doc, at(plan.resolved, first), 'resolved')
  return { doc, records }
}
