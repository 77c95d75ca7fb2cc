import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import { type PresentPerson, presentPeople } from '../../shared/presence'
import type { ConnectionStatus, IncidentConnection } from './connection'

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

export const useConnectionStatus = (connection: IncidentConnection): ConnectionStatus =>
  useSyncExternalStore(connection.subscribe, connection.getStatus)

/** Host time, re-rendered every `intervalMs`: countdowns and elapsed times derive from it. */
export const useHostNow = (connection: IncidentConnection, intervalMs = 1000): number => {
  const [now, setNow] = useState(connection.clock.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(connection.clock.now()), intervalMs)
    return () => clearInterval(timer)
  }, [connection, intervalMs])
  return now
}

export const usePresence = (connection: IncidentConnection): PresentPerson[] => {
  const store = useMemo(() => {
    const { awareness } = connection
    let value = presentPeople(awareness.getStates(), awareness.clientID)
    return {
      subscribe: (onChange: () => void) => {
        const handler = (): void => {
          value = presentPeople(awareness.getStates(), awareness.clientID)
          onChange()
        }
        awareness.on('change', handler)
        return () => awareness.off('change', handler)
      },
      get: () => value,
    }
  }, [connection])
  return useSyncExternalStore(store.subscribe, store.get)
}
