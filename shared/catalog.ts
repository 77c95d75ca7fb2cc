// Catalog import: Backstage descriptors (multi-document catalog-info.yaml) or a
// plain JSON file, turned into services and "depends on" edges. The `yaml`
// package parses YAML (with line numbers for errors); valibot checks JSON.
import * as v from 'valibot'
import { parseAllDocuments } from 'yaml'
import { type Catalog, type ServiceKind, safeLinks } from './services'

export interface CatalogFile {
  name: string
  text: string
}

export interface CatalogProblem {
  file: string
  /** 1-based, when known. */
  line?: number
  message: string
}

export interface UnresolvedReference {
  /** The entity that refers to something. */
  from: string
  field: string
  ref: string
}

export interface ParsedCatalog {
  catalog: Catalog
  /** References to entities not in the files: listed, and the import still shows what it could resolve. */
  unresolved: UnresolvedReference[]
  /** Syntax or shape errors: an import with any of these changes nothing. */
  errors: CatalogProblem[]
}

const BACKSTAGE_KINDS: Record<string, ServiceKind | 'other'> = {
  component: 'component',
  resource: 'resource',
  api: 'api',
  system: 'system',
  domain: 'other',
  group: 'other',
  user: 'other',
  location: 'other',
  template: 'other',
}

/**
 * A Backstage entity reference, full (`component:default/foo`) or short
 * (`foo`, `resource:foo`), as a canonical id `kind:namespace/name`.
 */
export const entityRef = (ref: string, defaultKind: string, defaultNamespace = 'default'): string => {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim())
  if (!match) return ref.trim().toLowerCase()
  const [, kind = defaultKind, namespace = defaultNamespace, name] = match
  return `${kind.toLowerCase()}:${namespace.toLowerCase()}/${name!.toLowerCase()}`
}

const asRecord = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {})
const asString = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined)
const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : asString(value) ? [value as string] : [])

interface Entity {
  id: string
  kind: string
  name: string
  namespace: string
  spec: Record<string, unknown>
  title?: string
  description?: string
  links: unknown[]
  annotations: Record<string, unknown>
  file: string
}

/** Relations that matter for impact, with the kind a short reference means in each. */
const RELATIONS: Array<{ field: string; kind: string; edge: (self: string, other: string) => [string, string] }> = [
  { field: 'dependsOn', kind: 'component', edge: (self, other) => [self, other] },
  // A consumer depends on the API, and the API on whoever provides it.
  { field: 'consumesApis', kind: 'api', edge: (self, other) => [self, other] },
  { field: 'providesApis', kind: 'api', edge: (self, other) => [other, self] },
  // A system is only as healthy as its parts; a component as its sub-components.
  { field: 'system', kind: 'system', edge: (self, other) => [other, self] },
  { field: 'subcomponentOf', kind: 'component', edge: (self, other) => [other, self] },
]

const readBackstage = (file: CatalogFile, errors: CatalogProblem[]): Entity[] => {
  const entities: Entity[] = []
  const lineOf = lineIndex(file.text)
  for (const document of parseAllDocuments(file.text, { prettyErrors: false })) {
    for (const error of document.errors) {
      errors.push({ file: file.name, line: lineOf(error.pos[0]), message: error.message.split('\n')[0]! })
    }
    if (document.errors.length > 0) continue
    const value = asRecord(document.toJS())
    if (Object.keys(value).length === 0) continue
    const metadata = asRecord(value.metadata)
    const kind = asString(value.kind)?.toLowerCase()
    const name = asString(metadata.name)
    if (!kind || !name) {
      const line = document.range ? lineOf(document.range[0]) : undefined
      errors.push({ file: file.name, ...(line ? { line } : {}), message: 'An entity needs `kind` and `metadata.name`.' })
      continue
    }
    const namespace = asString(metadata.namespace) ?? 'default'
    entities.push({
      id: entityRef(`${kind}:${namespace}/${name}`, kind),
      kind,
      name,
      namespace,
      spec: asRecord(value.spec),
      ...(asString(metadata.title) ? { title: asString(metadata.title)! } : {}),
      ...(asString(metadata.description) ? { description: asString(metadata.description)! } : {}),
      links: Array.isArray(metadata.links) ? metadata.links : [],
      annotations: asRecord(metadata.annotations),
      file: file.name,
    })
  }
  return entities
}

/**
 * The 1-based line of an offset in `text` (offsets past the end count the
 * newlines before the end). The newlines are found once, on the first call, and
 * each call is a binary search: rescanning from the start for every document
 * made a 21,000-entity file take minutes.
 */
const lineIndex = (text: string): ((offset: number) => number) => {
  let newlines: number[] | undefined
  return (offset) => {
    if (!newlines) {
      newlines = []
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines.push(i)
    }
    // The number of newlines before the offset.
    let low = 0
    let high = newlines.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (newlines[mid]! < offset) low = mid + 1
      else high = mid
    }
    return low + 1
  }
}

const ownerName = (entity: Entity): string | undefined => {
  const owner = asString(entity.spec.owner)
  return owner ? owner.replace(/^(group|user):(default\/)?/i, '') : undefined
}

/** Backstage's PagerDuty plugin annotations: the routing key pages the owner (it stays on the host); the service id names it. */
const pagerdutyOf = (annotations: Record<string, unknown>): Catalog['services'][number]['pagerduty'] => {
  const integrationKey = asString(annotations['pagerduty.com/integration-key'])
  const serviceId = asString(annotations['pagerduty.com/service-id'])
  return integrationKey || serviceId ? { ...(integrationKey ? { integrationKey } : {}), ...(serviceId ? { serviceId } : {}) } : undefined
}

/** Annotations teams use for a runbook or dashboard address ("runbook.example.com/url", "grafana/dashboard-url"). */
const annotationLinks = (annotations: Record<string, unknown>) =>
  Object.entries(annotations).flatMap(([key, value]) => {
    const kind = /runbook/i.test(key) ? 'runbook' : /dashboard/i.test(key) ? 'dashboard' : undefined
    return kind && typeof value === 'string' ? [{ title: kind === 'runbook' ? 'Runbook' : 'Dashboard', url: value.trim(), kind }] : []
  })

/** Backstage links carry `icon` or `type` ("dashboard", "docs"), kept as the link's kind; then runbook and dashboard annotations. */
const backstageLinks = (links: unknown[], annotations: Record<string, unknown>) =>
  safeLinks([
    ...links.map((l) => (typeof l === 'object' && l !== null ? { ...l, kind: (l as { icon?: unknown; type?: unknown }).icon ?? (l as { type?: unknown }).type } : l)),
    ...annotationLinks(annotations),
  ])

const fromBackstage = (entities: readonly Entity[]): { catalog: Catalog; unresolved: UnresolvedReference[] } => {
  const byId = new Map(entities.map((e) => [e.id, e]))
  const services = entities
    .filter((e) => BACKSTAGE_KINDS[e.kind] !== undefined && BACKSTAGE_KINDS[e.kind] !== 'other')
    .map((e) => {
      const owner = ownerName(e)
      const lifecycle = asString(e.spec.lifecycle)
      const links = backstageLinks(e.links, e.annotations)
      const pagerduty = pagerdutyOf(e.annotations)
      return {
        id: e.id,
        name: e.title ?? e.name,
        kind: BACKSTAGE_KINDS[e.kind] as ServiceKind,
        business: e.kind === 'system',
        ...(owner ? { owner } : {}),
        ...(lifecycle ? { tier: lifecycle } : {}),
        ...(e.description ? { description: e.description } : {}),
        ...(links.length > 0 ? { links } : {}),
        ...(pagerduty ? { pagerduty } : {}),
      }
    })
  const serviceIds = new Set(services.map((s) => s.id))
  const edges = new Map<string, { from: string; to: string }>()
  const unresolved: UnresolvedReference[] = []
  for (const entity of entities) {
    if (!serviceIds.has(entity.id)) continue
    for (const relation of RELATIONS) {
      for (const ref of asStrings(entity.spec[relation.field])) {
        const other = entityRef(ref, relation.kind, entity.namespace)
        if (!byId.has(other) || !serviceIds.has(other)) {
          unresolved.push({ from: entity.id, field: `spec.${relation.field}`, ref })
          continue
        }
        const [from, to] = relation.edge(entity.id, other)
        if (from !== to) edges.set(`${from}→${to}`, { from, to })
      }
    }
  }
  return { catalog: { services, dependencies: [...edges.values()] }, unresolved }
}

const JsonServiceSchema = v.object({
  id: v.pipe(v.string(), v.trim(), v.minLength(1, 'id must not be empty'), v.maxLength(200)),
  name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(120))),
  kind: v.optional(v.picklist(['component', 'resource', 'api', 'system']), 'component'),
  owner: v.optional(v.string()),
  tier: v.optional(v.union([v.string(), v.number()])),
  business: v.optional(v.boolean(), false),
  description: v.optional(v.string()),
  dependsOn: v.optional(v.array(v.string()), []),
  links: v.optional(v.array(v.object({ title: v.optional(v.string()), url: v.string(), kind: v.optional(v.string()) }))),
  pagerduty: v.optional(v.object({ integrationKey: v.optional(v.string()), serviceId: v.optional(v.string()) })),
})
const JsonCatalogSchema = v.object({ services: v.array(JsonServiceSchema) })

const jsonLine = (text: string, message: string): number | undefined => {
  const position = /position (\d+)/.exec(message)
  if (position) return lineIndex(text)(Number(position[1]))
  const line = /line (\d+)/.exec(message)
  return line ? Number(line[1]) : undefined
}

const fromJson = (file: CatalogFile, errors: CatalogProblem[]): { catalog: Catalog; unresolved: UnresolvedReference[] } => {
  const empty = { catalog: { services: [], dependencies: [] }, unresolved: [] }
  let data: unknown
  try {
    data = JSON.parse(file.text)
  } catch (error) {
    const message = (error as Error).message
    const line = jsonLine(file.text, message)
    errors.push({ file: file.name, ...(line ? { line } : {}), message })
    return empty
  }
  const parsed = v.safeParse(JsonCatalogSchema, data)
  if (!parsed.success) {
    for (const issue of parsed.issues.slice(0, 10)) errors.push({ file: file.name, message: `${v.getDotPath(issue) ?? 'root'}: ${issue.message}` })
    return empty
  }
  const ids = new Set(parsed.output.services.map((s) => s.id))
  const unresolved: UnresolvedReference[] = []
  const dependencies: Array<{ from: string; to: string }> = []
  for (const service of parsed.output.services) {
    for (const ref of service.dependsOn) {
      if (ids.has(ref) && ref !== service.id) dependencies.push({ from: service.id, to: ref })
      else unresolved.push({ from: service.id, field: 'dependsOn', ref })
    }
  }
  return {
    catalog: {
      services: parsed.output.services.map(({ id, name, kind, owner, tier, business, description, links, pagerduty }) => {
        const safe = safeLinks(links)
        const paging = pagerdutyOf({ 'pagerduty.com/integration-key': pagerduty?.integrationKey, 'pagerduty.com/service-id': pagerduty?.serviceId })
        return {
          id,
          name: name || id,
          kind,
          business,
          ...(owner ? { owner } : {}),
          ...(tier !== undefined ? { tier: String(tier) } : {}),
          ...(description ? { description } : {}),
          ...(safe.length > 0 ? { links: safe } : {}),
          ...(paging ? { pagerduty: paging } : {}),
        }
      }),
      dependencies,
    },
    unresolved,
  }
}

const isJson = (file: CatalogFile): boolean => /\.json$/i.test(file.name) || /^\s*[{[]/.test(file.text)

/**
 * Parse one or more catalog files together (a reference may point into another
 * file). JSON files are the plain format; everything else is Backstage YAML.
 */
export const parseCatalog = (files: readonly CatalogFile[]): ParsedCatalog => {
  const errors: CatalogProblem[] = []
  const entities: Entity[] = []
  const parts: Array<{ catalog: Catalog; unresolved: UnresolvedReference[] }> = []
  for (const file of files) {
    if (isJson(file)) parts.push(fromJson(file, errors))
    // One at a time: spreading a file's entities as arguments overflows the stack for very many.
    else for (const entity of readBackstage(file, errors)) entities.push(entity)
  }
  if (entities.length > 0) parts.push(fromBackstage(entities))
  const services = new Map(parts.flatMap((p) => p.catalog.services).map((s) => [s.id, s]))
  return {
    catalog: { services: [...services.values()], dependencies: parts.flatMap((p) => p.catalog.dependencies) },
    unresolved: parts.flatMap((p) => p.unresolved),
    errors,
  }
}
