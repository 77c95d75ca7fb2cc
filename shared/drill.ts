// Drills: a new incident that re-runs a recorded one for trainees. Marked in
// its document (`meta.drill`), so every screen shows it is an exercise; its
// injects, drawn from the original, change the drill board as "Drill control".
import * as v from 'valibot'
import type * as Y from 'yjs'
import { MAX_TITLE_LENGTH, declareIncident, readMeta } from './incident'
import { addPerson, readPeople } from './people'
import { type Alert, AlertSchema } from './alerts'
import { type BoardAlert, readAlerts, syncAlerts } from './incident-alerts'
import { type PlainTransform, copyDocument } from './replay-mirror'
import { type Change, type Severity, isObject, metaMap } from './schema'
import { SERVICE_STATUSES, SERVICE_STATUS_LABELS, isServiceStatus, loadCatalog, readDependencies, readPositions, readServices, setPositions, writeServiceStatus } from './services'
import { type TimelineEntry, addEntry } from './timeline'

/** Who injects write as on the drill board. */
export const DRILL_CONTROL = { id: 'drill-control', name: 'Drill control' } as const

export const DRILL_PREFIX = 'DRILL: '

/** Where a drill comes from: the original incident, from its start or from a moment (host time). */
export interface DrillOrigin {
  of: string
  from: 'start' | number
}

export const DrillOriginSchema = v.object({ of: v.string(), from: v.union([v.literal('start'), v.number()]) })

/** The drill's title: the original's, marked (and cut to fit). */
export const drillTitle = (title: string): string => (title.startsWith(DRILL_PREFIX) ? title : `${DRILL_PREFIX}${title}`).slice(0, MAX_TITLE_LENGTH)

export const readDrill = (doc: Y.Doc): DrillOrigin | undefined => {
  const value = metaMap(doc).get('drill')
  const parsed = v.safeParse(DrillOriginSchema, value)
  return parsed.success ? parsed.output : undefined
}

/** Keys that hold a host time: `at`, `from`, `to`, `until`, `…At`, and a timeline entry's re-dating (`<id>/at`). */
const TIME_KEY = /(^|\/)(at|from|to|until)$|At$/
/** Epoch milliseconds between 2001 and 5138: a time, not a count or a duration. */
const isTime = (value: unknown): value is number => typeof value === 'number' && value > 1e12 && value < 1e14

/**
 * A copy's transform that moves every stored time by `shiftMs`: a drill from
 * a moment of an old incident runs now, its clocks and countdowns where they
 * stood at that moment (every duration is from stored times).
 */
export const shiftTimes =
  (shiftMs: number): PlainTransform =>
  (key, value) => {
    if (Array.isArray(value)) return value.map((v) => shiftTimes(shiftMs)(undefined, v))
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftTimes(shiftMs)(k, v)]))
    return key !== undefined && TIME_KEY.test(key) && isTime(value) ? value + shiftMs : value
  }

/**
 * A drill from a moment: the whole board as it was then (`then`), its times
 * moved to now, given the drill's id and title and marked as a drill.
 */
export const boardFromMoment = (doc: Y.Doc, then: Y.Doc, fields: { id: string; title: string; now: number }, origin: DrillOrigin & { from: number }): void => {
  doc.transact(() => {
    copyDocument(then, doc, shiftTimes(fields.now - origin.from))
    markAsDrill(doc, fields, origin)
  })
}

/** Give a board the drill's id and title, and mark it as a drill. */
const markAsDrill = (doc: Y.Doc, fields: { id: string; title: string }, origin: DrillOrigin): void => {
  doc.transact(() => {
    const meta = metaMap(doc)
    meta.set('id', fields.id)
    meta.set('title', drillTitle(fields.title))
    meta.set('drill', { ...origin })
  })
}

/**
 * A drill from the start: the original's service graph with every service
 * operational (and none pageable: a drill pages no one), its people on the
 * board, no roles and no tasks.
 */
export const startDrillBoard = (doc: Y.Doc, change: Change, original: Y.Doc, fields: { id: string; title: string; severity: Severity }, origin: DrillOrigin): void => {
  doc.transact(() => {
    declareIncident(doc, change, { id: fields.id, title: drillTitle(fields.title), severity: fields.severity })
    metaMap(doc).set('drill', { ...origin })
    addPerson(doc, change, DRILL_CONTROL)
    const services = [...readServices(original).values()].map(({ status: _s, statusPinned: _p, pageable: _g, ...service }) => service)
    loadCatalog(doc, change, { services, dependencies: readDependencies(original) }, `the incident ${origin.of}`)
    setPositions(doc, readPositions(original))
    for (const person of readPeople(original).values()) if (person.id !== DRILL_CONTROL.id) addPerson(doc, change, { id: person.id, name: person.name })
  })
}

export const InjectSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'id: letters, digits, - and _')),
  /** When it fires, from the drill's start, at 1× (ms). */
  offsetMs: v.pipe(v.number('offsetMs must be a number'), v.integer(), v.minValue(0), v.maxValue(7 * 24 * 3600_000)),
  /** A service's status to set, if any. */
  service: v.optional(v.object({ id: v.pipe(v.string(), v.minLength(1)), status: v.picklist(SERVICE_STATUSES) })),
  /** A timeline entry to post from Drill control, if any. */
  text: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(4000, 'text: at most 4000 characters'))),
  /** One of the original's alerts, firing or resolved, as it reached the board (with its integration's name). */
  alert: v.optional(
    v.object({
      ...v.pick(AlertSchema, ['id', 'source', 'key', 'severity', 'summary', 'labels', 'links', 'serviceId']).entries,
      state: v.picklist(['firing', 'resolved']),
      integrationName: v.pipe(v.string(), v.maxLength(200)),
    }),
  ),
  /** Host time it fired (by schedule or by hand); absent until then. */
  firedAt: v.optional(v.number()),
})
export type Inject = v.InferOutput<typeof InjectSchema>

export const INJECT_SPEEDS = [1, 2, 5] as const

/**
 * The facilitator's script, drawn from the original: each service status
 * change, each starred entry and each alert (when it fired, and when it
 * resolved), with its offset from the original's start.
 */
export const injectScript = (timeline: readonly TimelineEntry[], alerts: readonly BoardAlert[], startedAt: number): Inject[] => {
  const injects: Inject[] = []
  for (const a of alerts) {
    const alert = { id: a.id, source: a.source, key: a.key, severity: a.severity, summary: a.summary, labels: a.labels, links: a.links, ...(a.serviceId ? { serviceId: a.serviceId } : {}), integrationName: a.integrationName }
    injects.push({ id: `alert-${a.id}`, offsetMs: Math.max(0, a.firstAt - startedAt), alert: { ...alert, state: 'firing' } })
    if (a.resolvedAt !== undefined) injects.push({ id: `alert-${a.id}-resolved`, offsetMs: Math.max(0, a.resolvedAt - startedAt), alert: { ...alert, state: 'resolved' } })
  }
  for (const entry of timeline) {
    const offsetMs = Math.max(0, entry.at - startedAt)
    const event = entry.event
    // A status a person set; one that followed alerts comes again with the alert injects.
    if (event?.type === 'service.status' && event.pinned !== false && typeof event.serviceId === 'string' && isServiceStatus(event.to)) {
      injects.push({ id: `status-${entry.id}`, offsetMs, service: { id: event.serviceId, status: event.to } })
    } else if (entry.starred) {
      injects.push({ id: `entry-${entry.id}`, offsetMs, text: entry.text })
    }
  }
  return injects.sort((a, b) => a.offsetMs - b.offsetMs)
}

export class DrillError extends Error {}

/** What an inject does, in words (for the facilitator's list and the timeline). */
export const describeInject = (inject: Inject, serviceName: (id: string) => string): string =>
  [
    inject.service ? `${serviceName(inject.service.id)} → ${SERVICE_STATUS_LABELS[inject.service.status]}` : '',
    inject.text ? `“${inject.text}”` : '',
    inject.alert ? `alert ${inject.alert.state}: ${inject.alert.summary}` : '',
  ]
    .filter(Boolean)
    .join(' and ')

/**
 * An alert inject reaches the drill board as a live alert would (syncAlerts:
 * its entry, services that follow their alerts): firing now, or resolved now
 * after it fired. A service it names that is not on the board is left out.
 */
const fireAlert = (doc: Y.Doc, change: Change, { integrationName, state, serviceId, ...fields }: NonNullable<Inject['alert']>): void => {
  const before = readAlerts(doc).find((a) => a.id === fields.id)
  const onBoard = serviceId !== undefined && readServices(doc).has(serviceId) ? { serviceId } : {}
  const alert: Alert = {
    ...fields,
    ...onBoard,
    integrationId: 'drill',
    state,
    firstAt: before?.firstAt ?? change.at,
    lastAt: change.at,
    ...(state === 'resolved' ? { resolvedAt: change.at } : {}),
    count: (before?.count ?? 0) + 1,
  }
  syncAlerts(doc, change, [{ alert, integrationName }])
}

/**
 * Fire an inject on the drill board, as Drill control: the service's status
 * (and its own timeline entry), then the entry. A service not on the board
 * is refused before anything is written.
 */
export const fireInject = (doc: Y.Doc, change: Change, inject: Inject): void => {
  const service = inject.service ? readServices(doc).get(inject.service.id) : undefined
  if (inject.service && !service) throw new DrillError(`The service ${inject.service.id} is not on this drill's board.`)
  if (!readMeta(doc)) throw new DrillError('The drill board has not loaded.')
  doc.transact(() => {
    if (!readPeople(doc).has(DRILL_CONTROL.id)) addPerson(doc, change, DRILL_CONTROL)
    if (service && inject.service) writeServiceStatus(doc, change, service, inject.service.status, true, ' (inject)')
    if (inject.text) addEntry(doc, change, { kind: 'observation', text: inject.text })
    if (inject.alert) fireAlert(doc, change, inject.alert)
  })
}
