// Impact: what is broken, what it breaks, and where it likely starts.
// A service that is not operational impacts everything that depends on it,
// transitively. Kept incrementally: each failing service remembers what it
// reaches, so a status change walks only that service's dependents instead of
// recomputing the whole graph.
import type { Dependency, Service, ServiceStatus } from './services'

export type ImpactState = 'down' | 'impacted' | 'healthy'

export const isDown = (status: ServiceStatus): boolean => status !== 'operational'

export interface ImpactSummary {
  /** Not operational themselves. */
  down: string[]
  /** Operational, but something they depend on (transitively) is not. */
  impacted: string[]
  /** Down while everything they depend on is operational: where it likely starts. */
  likelyOrigins: string[]
  /** Business services that are down or impacted. */
  businessImpacted: string[]
}

export class ImpactModel {
  private readonly dependents = new Map<string, string[]>()
  private readonly dependencies = new Map<string, string[]>()
  private readonly statuses = new Map<string, ServiceStatus>()
  private readonly business = new Set<string>()
  /** For each service, the failing services whose failure reaches it (never itself). */
  private readonly reachedBy = new Map<string, Set<string>>()

  constructor(services: Iterable<Pick<Service, 'id' | 'status' | 'business'>>, edges: Iterable<Pick<Dependency, 'from' | 'to'>>) {
    for (const service of services) {
      this.statuses.set(service.id, 'operational')
      if (service.business) this.business.add(service.id)
      this.dependents.set(service.id, [])
      this.dependencies.set(service.id, [])
    }
    for (const { from, to } of edges) {
      if (!this.statuses.has(from) || !this.statuses.has(to) || from === to) continue
      this.dependents.get(to)!.push(from)
      this.dependencies.get(from)!.push(to)
    }
    for (const service of services) this.setStatus(service.id, service.status)
  }

  /** Everything that depends on `source`, transitively (not `source` itself). */
  private reach(source: string, visit: (id: string) => void): void {
    const seen = new Set([source])
    const queue = [source]
    for (let i = 0; i < queue.length; i++) {
      for (const next of this.dependents.get(queue[i]!) ?? []) {
        if (seen.has(next)) continue
        seen.add(next)
        queue.push(next)
        visit(next)
      }
    }
  }

  setStatus(id: string, status: ServiceStatus): void {
    const previous = this.statuses.get(id)
    if (previous === undefined || previous === status) return
    this.statuses.set(id, status)
    if (isDown(previous) === isDown(status)) return
    if (isDown(status)) {
      this.reach(id, (node) => {
        let sources = this.reachedBy.get(node)
        if (!sources) this.reachedBy.set(node, (sources = new Set()))
        sources.add(id)
      })
    } else {
      this.reach(id, (node) => {
        const sources = this.reachedBy.get(node)
        sources?.delete(id)
        if (sources?.size === 0) this.reachedBy.delete(node)
      })
    }
  }

  stateOf(id: string): ImpactState {
    const status = this.statuses.get(id)
    if (status !== undefined && isDown(status)) return 'down'
    return this.reachedBy.has(id) ? 'impacted' : 'healthy'
  }

  isLikelyOrigin(id: string): boolean {
    const status = this.statuses.get(id)
    return status !== undefined && isDown(status) && (this.dependencies.get(id) ?? []).every((dep) => !isDown(this.statuses.get(dep)!))
  }

  /** The failing services whose failure reaches `id`: "impacted by the payments DB". */
  causesOf(id: string): string[] {
    return [...(this.reachedBy.get(id) ?? [])]
  }

  summary(): ImpactSummary {
    const down: string[] = []
    const impacted: string[] = []
    const likelyOrigins: string[] = []
    const businessImpacted: string[] = []
    for (const id of this.statuses.keys()) {
      const state = this.stateOf(id)
      if (state === 'down') down.push(id)
      if (state === 'impacted') impacted.push(id)
      if (this.isLikelyOrigin(id)) likelyOrigins.push(id)
      if (state !== 'healthy' && this.business.has(id)) businessImpacted.push(id)
    }
    return { down, impacted, likelyOrigins, businessImpacted }
  }
}

/** The same answer computed from scratch: the reference the incremental model is tested against. */
export const computeImpact = (services: Iterable<Pick<Service, 'id' | 'status' | 'business'>>, edges: Iterable<Pick<Dependency, 'from' | 'to'>>): ImpactSummary => {
  const list = [...services]
  const dependents = new Map<string, string[]>(list.map((s) => [s.id, []]))
  const dependencies = new Map<string, string[]>(list.map((s) => [s.id, []]))
  for (const { from, to } of edges) {
    if (!dependents.has(from) || !dependents.has(to) || from === to) continue
    dependents.get(to)!.push(from)
    dependencies.get(from)!.push(to)
  }
  const status = new Map(list.map((s) => [s.id, s.status]))
  const reached = new Set<string>()
  const queue = list.filter((s) => isDown(s.status)).map((s) => s.id)
  const seen = new Set(queue)
  for (let i = 0; i < queue.length; i++) {
    for (const next of dependents.get(queue[i]!)!) {
      reached.add(next)
      if (!seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  const down = list.filter((s) => isDown(s.status)).map((s) => s.id)
  return {
    down,
    impacted: list.filter((s) => !isDown(s.status) && reached.has(s.id)).map((s) => s.id),
    likelyOrigins: down.filter((id) => dependencies.get(id)!.every((dep) => !isDown(status.get(dep)!))),
    businessImpacted: list.filter((s) => s.business && (isDown(s.status) || reached.has(s.id))).map((s) => s.id),
  }
}
