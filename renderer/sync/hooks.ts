import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { type RosterPerson, listRoster } from '../app/api'
import type * as Y from 'yjs'
import { type PresentPerson, presentPeople } from '../../shared/presence'
import type { BoardConnection, ConnectionStatus } from './board-connection'

// Maps are compared by their entries (JSON.stringify would see every Map as {}).
const toJson = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? [...v] : v))
const sameJson = (a: unknown, b: unknown): boolean => a === b || toJson(a) === toJson(b)

/**
 * A value read from the document by a shared/ reader, re-read after each
 * transaction and re-rendered only when it actually changed. `read` must be
 * stable (a module-level function).
 */
export const useDocValue = <T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T => {
  const store = useMemo(() => {
    let value = read(doc)
    return {
      subscribe: (onChange: () => void) => {
        const handler = (): void => {
          const next = read(doc)
          if (sameJson(next, value)) return
          value = next
          onChange()
        }
        doc.on('afterTransaction', handler)
        return () => doc.off('afterTransaction', handler)
      },
      get: () => value,
    }
  }, [doc, read])
  return useSyncExternalStore(store.subscribe, store.get)
}

export const useConnectionStatus = (connection: BoardConnection): ConnectionStatus =>
  useSyncExternalStore(connection.subscribe, connection.getStatus)

/** Host time to the second, shared by every countdown and elapsed time on the board. */
export const useHostNow = (connection: BoardConnection): number =>
  useSyncExternalStore(connection.subscribeTick, connection.getTick)

/**
 * A value read from everyone's presence (awareness), re-read when any state
 * changes and re-rendered only when it actually changed. `read` must be stable.
 */
export const useAwarenessValue = <T>(connection: BoardConnection, read: (states: ReadonlyMap<number, unknown>, selfClientId: number) => T): T => {
  const store = useMemo(() => {
    const { awareness } = connection
    let value = read(awareness.getStates(), awareness.clientID)
    return {
      subscribe: (onChange: () => void) => {
        const handler = (): void => {
          const next = read(awareness.getStates(), awareness.clientID)
          if (sameJson(next, value)) return
          value = next
          onChange()
        }
        awareness.on('change', handler)
        return () => awareness.off('change', handler)
      },
      get: () => value,
    }
  }, [connection, read])
  return useSyncExternalStore(store.subscribe, store.get)
}

export const usePresence = (connection: BoardConnection): PresentPerson[] => useAwarenessValue(connection, presentPeople)

/** The host's roster (for "who" pickers); empty when it cannot be fetched, e.g. offline. */
export const useRoster = (connection: BoardConnection): RosterPerson[] => {
  const [roster, setRoster] = useState<RosterPerson[]>([])
  useEffect(() => {
    let cancelled = false
    listRoster(connection.token).then(
      (people) => !cancelled && setRoster(people),
      () => undefined,
    )
    return () => {
      cancelled = true
    }
  }, [connection])
  return roster
}
