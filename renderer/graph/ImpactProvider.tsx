import { type ReactNode, createContext, useContext, useMemo, useRef, useSyncExternalStore } from 'react'
import { ImpactModel, type ImpactSummary } from '../../shared/impact'
import { type Dependency, type Service, readDependencies, readServices } from '../../shared/services'
import type { BoardConnection } from '../sync/board-connection'
import { useDocValue } from '../sync/hooks'

export interface Impact {
  services: Map<string, Service>
  dependencies: Dependency[]
  model: ImpactModel
  summary: ImpactSummary
}

const structureOf = (services: Map<string, Service>, dependencies: Dependency[]): string =>
  `${[...services.values()].map((s) => `${s.id}:${s.business}`).join('|')}#${dependencies.map((d) => d.id).join('|')}`

/**
 * One impact model per board: rebuilt when the graph's shape changes, updated
 * incrementally (only the changed service's dependents) when a status changes.
 */
const useImpactModel = (connection: BoardConnection): Impact => {
  const services = useDocValue(connection.doc, readServices)
  const dependencies = useDocValue(connection.doc, readDependencies)
  const built = useRef<{ structure: string; model: ImpactModel } | undefined>(undefined)
  return useMemo(() => {
    const structure = structureOf(services, dependencies)
    if (built.current?.structure !== structure) built.current = { structure, model: new ImpactModel(services.values(), dependencies) }
    const { model } = built.current
    for (const service of services.values()) model.setStatus(service.id, service.status)
    return { services, dependencies, model, summary: model.summary() }
  }, [services, dependencies])
}

const ImpactContext = createContext<Impact | undefined>(undefined)

export const ImpactProvider = ({ connection, children }: { connection: BoardConnection; children: ReactNode }) => (
  <ImpactContext.Provider value={useImpactModel(connection)}>{children}</ImpactContext.Provider>
)

export const useImpact = (): Impact => {
  const impact = useContext(ImpactContext)
  if (!impact) throw new Error('useImpact outside a board')
  return impact
}

/** Presence of whoever is dragging a node now: `{id, x, y}` in their awareness. */
export const useRemoteDrags = (connection: BoardConnection): Map<string, { x: number; y: number }> => {
  const store = useMemo(() => {
    const { awareness } = connection
    let value = new Map<string, { x: number; y: number }>()
    let key = ''
    const read = (): void => {
      const next = new Map<string, { x: number; y: number }>()
      for (const [clientId, state] of awareness.getStates()) {
        if (clientId === awareness.clientID) continue
        const drag = (state as { dragging?: unknown }).dragging
        if (typeof drag !== 'object' || drag === null) continue
        const { id, x, y } = drag as Record<string, unknown>
        if (typeof id === 'string' && typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) next.set(id, { x, y })
      }
      const nextKey = JSON.stringify([...next])
      if (nextKey !== key) {
        key = nextKey
        value = next
      }
    }
    read()
    return {
      subscribe: (onChange: () => void) => {
        const handler = (): void => {
          const before = value
          read()
          if (value !== before) onChange()
        }
        awareness.on('change', handler)
        return () => awareness.off('change', handler)
      },
      get: () => value,
    }
  }, [connection])
  return useSyncExternalStore(store.subscribe, store.get)
}
