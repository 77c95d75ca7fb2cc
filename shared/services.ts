// The service graph in the incident document: services with a status, the
// dependencies between them, and where each sits on the board. Imported from
// the catalog when the incident starts; editable by anyone with edit rights.
import * as Y from 'yjs'
import { newId } from './ids'
import { type Change, dependenciesMap, isObject, positionsMap, readString, servicesMap } from './schema'
import { appendEvent } from './timeline'

/** The Statuspage vocabulary. */
export const SERVICE_STATUSES = ['operational', 'degraded', 'partialOutage', 'majorOutage'] as const
export type ServiceStatus = (typeof SERVICE_STATUSES)[number]

export const SERVICE_STATUS_LABELS: Record<ServiceStatus, string> = {
  operational: 'Operational',
  degraded: 'Degraded performance',
  partialOutage: 'Partial outage',
  majorOutage: 'Major outage',
}

export const SERVICE_KINDS = ['component', 'resource', 'api', 'system'] as const
export type ServiceKind = (typeof SERVICE_KINDS)[number]

export const isServiceStatus = (value: unknown): value is ServiceStatus =>
  typeof value === 'string' && (SERVICE_STATUSES as readonly string[]).includes(value)
const isServiceKind = (value: unknown): value is ServiceKind => typeof value === 'string' && (SERVICE_KINDS as readonly string[]).includes(value)

/** A runbook, dashboard or other page about a service (Backstage `metadata.links`): http(s) only. */
export interface ServiceLink {
  title: string
  url: string
  /** Backstage's icon or type ("dashboard", "docs"), when given. */
  kind?: string
}

export const MAX_SERVICE_LINKS = 10

export interface ServiceFields {
  name: string
  kind: ServiceKind
  owner?: string
  tier?: string
  /** Drawn prominent and counted in "N business services impacted" (Systems always are). */
  business: boolean
  description?: string
  links?: ServiceLink[]
  /** The host holds a PagerDuty routing key for its owner (the key itself never reaches a board). */
  pageable?: boolean
}

/** Only http(s) links with a title, at most MAX_SERVICE_LINKS: they come from catalogs and documents anyone may edit. */
export const safeLinks = (value: unknown): ServiceLink[] =>
  (Array.isArray(value) ? value : [])
    .filter((l): l is Record<string, unknown> => isObject(l) && typeof l.url === 'string' && /^https?:\/\/[^\s]+$/i.test(l.url))
    .slice(0, MAX_SERVICE_LINKS)
    .map((l) => ({
      title: (typeof l.title === 'string' && l.title.trim() ? l.title.trim() : String(l.url)).slice(0, 120),
      url: String(l.url),
      ...(typeof l.kind === 'string' && l.kind ? { kind: l.kind.slice(0, 40) } : {}),
    }))

export interface Service extends ServiceFields {
  id: string
  status: ServiceStatus
  /** Set by hand: alerts no longer change it until someone lets them again. */
  statusPinned: boolean
}

/** `from` depends on `to`: when `to` fails, `from` is impacted. */
export interface Dependency {
  id: string
  from: string
  to: string
}

export interface Position {
  x: number
  y: number
}

export class ServiceError extends Error {}

export const MAX_SERVICE_NAME = 120

export const dependencyId = (from: string, to: string): string => `${from}→${to}`

export const readServices = (doc: Y.Doc): Map<string, Service> => {
  const services = new Map<string, Service>()
  servicesMap(doc).forEach((value, id) => {
    if (!(value instanceof Y.Map)) return
    const kind = value.get('kind')
    const status = value.get('status')
    const owner = readString(value, 'owner')
    const tier = readString(value, 'tier')
    const description = readString(value, 'description')
    const links = safeLinks(value.get('links'))
    services.set(id, {
      id,
      name: readString(value, 'name', id),
      kind: isServiceKind(kind) ? kind : 'component',
      business: value.get('business') === true || kind === 'system',
      status: isServiceStatus(status) ? status : 'operational',
      statusPinned: value.get('statusPinned') === true,
      ...(owner ? { owner } : {}),
      ...(tier ? { tier } : {}),
      ...(description ? { description } : {}),
      ...(links.length > 0 ? { links } : {}),
      ...(value.get('pageable') === true ? { pageable: true } : {}),
    })
  })
  return services
}

export const readDependencies = (doc: Y.Doc): Dependency[] => {
  const services = servicesMap(doc)
  const dependencies: Dependency[] = []
  dependenciesMap(doc).forEach((value, id) => {
    if (!isObject(value) || typeof value.from !== 'string' || typeof value.to !== 'string') return
    // An edge whose end was removed by someone else at the same time is ignored.
    if (services.has(value.from) && services.has(value.to)) dependencies.push({ id, from: value.from, to: value.to })
  })
  return dependencies
}

export const readPositions = (doc: Y.Doc): Map<string, Position> => {
  const positions = new Map<string, Position>()
  positionsMap(doc).forEach((value, id) => {
    if (isObject(value) && typeof value.x === 'number' && typeof value.y === 'number' && Number.isFinite(value.x) && Number.isFinite(value.y)) {
      positions.set(id, { x: value.x, y: value.y })
    }
  })
  return positions
}

const requireService = (doc: Y.Doc, id: string): Service => {
  const service = readServices(doc).get(id)
  if (!service) throw new ServiceError('That service is not on the graph.')
  return service
}

const checkName = (name: string): string => {
  const trimmed = name.trim()
  if (!trimmed) throw new ServiceError('A service needs a name.')
  if (trimmed.length > MAX_SERVICE_NAME) throw new ServiceError(`A service name is at most ${MAX_SERVICE_NAME} characters.`)
  return trimmed
}

const putService = (doc: Y.Doc, id: string, fields: ServiceFields): void => {
  const service = new Y.Map<unknown>()
  service.set('name', checkName(fields.name))
  service.set('kind', fields.kind)
  service.set('business', fields.business || fields.kind === 'system')
  service.set('status', 'operational')
  if (fields.owner) service.set('owner', fields.owner)
  if (fields.tier) service.set('tier', fields.tier)
  if (fields.description) service.set('description', fields.description)
  const links = safeLinks(fields.links)
  if (links.length > 0) service.set('links', links)
  if (fields.pageable) service.set('pageable', true)
  servicesMap(doc).set(id, service)
}

/** Add a service during the incident ("the CDN is in this too"). */
export const addService = (doc: Y.Doc, change: Change, fields: ServiceFields): string => {
  if (!isServiceKind(fields.kind)) throw new ServiceError('Unknown kind of service.')
  const id = `manual:${newId()}`
  doc.transact(() => {
    putService(doc, id, fields)
    appendEvent(doc, change, { type: 'service.added', serviceId: id }, `${checkName(fields.name)} added to the service graph`, { serviceId: id })
  })
  return id
}

export const removeService = (doc: Y.Doc, change: Change, id: string): void => {
  const service = requireService(doc, id)
  doc.transact(() => {
    for (const dependency of readDependencies(doc)) if (dependency.from === id || dependency.to === id) dependenciesMap(doc).delete(dependency.id)
    positionsMap(doc).delete(id)
    servicesMap(doc).delete(id)
    appendEvent(doc, change, { type: 'service.removed', serviceId: id }, `${service.name} removed from the service graph`)
  })
}

/** `from` now depends on `to`. Cycles are allowed: real systems have them. */
export const connectServices = (doc: Y.Doc, change: Change, from: string, to: string): void => {
  if (from === to) throw new ServiceError('A service cannot depend on itself.')
  const a = requireService(doc, from)
  const b = requireService(doc, to)
  const id = dependencyId(from, to)
  if (dependenciesMap(doc).has(id)) throw new ServiceError(`${a.name} already depends on ${b.name}.`)
  doc.transact(() => {
    dependenciesMap(doc).set(id, { from, to })
    appendEvent(doc, change, { type: 'dependency.added', from, to }, `${a.name} depends on ${b.name}`, { serviceId: from })
  })
}

export const disconnectServices = (doc: Y.Doc, change: Change, from: string, to: string): void => {
  const id = dependencyId(from, to)
  if (!dependenciesMap(doc).has(id)) throw new ServiceError('There is no such dependency.')
  const services = readServices(doc)
  doc.transact(() => {
    dependenciesMap(doc).delete(id)
    appendEvent(doc, change, { type: 'dependency.removed', from, to }, `${services.get(from)?.name ?? from} no longer depends on ${services.get(to)?.name ?? to}`, {
      serviceId: from,
    })
  })
}

/**
 * Write a service's status and its timeline entry. `pinned`: set by a person,
 * so alerts leave it alone from now on; `because` ends the entry's text.
 */
export const writeServiceStatus = (doc: Y.Doc, change: Change, service: Service, status: ServiceStatus, pinned: boolean, because = ''): void => {
  const map = servicesMap(doc).get(service.id) as Y.Map<unknown>
  doc.transact(() => {
    if (pinned) map.set('statusPinned', true)
    else if (map.has('statusPinned')) map.delete('statusPinned')
    if (service.status === status) return
    map.set('status', status)
    appendEvent(
      doc,
      change,
      { type: 'service.status', serviceId: service.id, from: service.status, to: status, pinned },
      `${service.name}: ${SERVICE_STATUS_LABELS[service.status]} → ${SERVICE_STATUS_LABELS[status]}${because}`,
      { serviceId: service.id },
    )
  })
}

/** The IC sets a service's status by hand; the timeline says so, and it stands against the service's alerts. */
export const setServiceStatus = (doc: Y.Doc, change: Change, id: string, status: ServiceStatus): void => {
  if (!isServiceStatus(status)) throw new ServiceError(`Unknown status "${String(status)}".`)
  const service = requireService(doc, id)
  if (service.status === status && service.statusPinned) return
  writeServiceStatus(doc, change, service, status, true)
}

/** The host now holds (or no longer holds) a routing key that pages this service's owner: written by the host, never the key. */
export const setPageable = (doc: Y.Doc, change: Change, id: string, pageable: boolean): void => {
  const service = requireService(doc, id)
  const map = servicesMap(doc).get(id) as Y.Map<unknown>
  doc.transact(() => {
    if (pageable) map.set('pageable', true)
    else map.delete('pageable')
    appendEvent(
      doc,
      change,
      { type: 'service.pagingKey', serviceId: id, pageable },
      pageable ? `${service.name}: its owner is paged through PagerDuty` : `${service.name}: no PagerDuty routing key; its owner is paged through the channel for pages, if there is one`,
      { serviceId: id },
    )
  })
}

/**
 * Where nodes sit, shared so every screen shows the same picture. Only final
 * positions are written (after a drag or a layout), never every mouse move.
 */
export const setPositions = (doc: Y.Doc, positions: ReadonlyMap<string, Position>): void => {
  const map = positionsMap(doc)
  doc.transact(() => {
    for (const [id, { x, y }] of positions) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue
      const rounded = { x: Math.round(x), y: Math.round(y) }
      const current = map.get(id)
      if (!isObject(current) || current.x !== rounded.x || current.y !== rounded.y) map.set(id, rounded)
    }
  })
}

/** Where a service's owner is paged (PagerDuty's Backstage annotations). Host-side only: never written to a document. */
export interface PagerDutyTarget {
  integrationKey?: string
  serviceId?: string
}

export interface Catalog {
  services: Array<ServiceFields & { id: string; pagerduty?: PagerDutyTarget }>
  dependencies: Array<{ from: string; to: string }>
}

/** Put a catalog on the board (a new incident starts with the host's). Services already there are kept as they are. */
export const loadCatalog = (doc: Y.Doc, change: Change, catalog: Catalog, source: string): void => {
  const existing = servicesMap(doc)
  doc.transact(() => {
    let added = 0
    for (const service of catalog.services) {
      if (existing.has(service.id)) continue
      putService(doc, service.id, service)
      added++
    }
    let connected = 0
    for (const { from, to } of catalog.dependencies) {
      const id = dependencyId(from, to)
      if (from === to || dependenciesMap(doc).has(id) || !existing.has(from) || !existing.has(to)) continue
      dependenciesMap(doc).set(id, { from, to })
      connected++
    }
    appendEvent(doc, change, { type: 'catalog.loaded', services: added, dependencies: connected }, `Service graph loaded from ${source}: ${added} services, ${connected} dependencies`)
  })
}
