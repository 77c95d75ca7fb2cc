import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage } from '../common/useAction'
import { useWhileVisible } from './useWhileVisible'

/** A list from the host as a card shows it: after an error it keeps what it last had, to show with the error. */
export type HostList<T> = { state: 'loading' } | { state: 'ready'; items: T[] } | { state: 'error'; message: string; items?: T[] }

/**
 * A list a start page card asks the host for while the page is in view
 * (useWhileVisible), and again whenever `changed` moves (another card acted).
 * `ask` must be stable (wrap it in useCallback). An older answer arriving
 * after a newer one is dropped: it must not bring back what an action removed.
 */
export const useHostList = <T>(ask: () => Promise<T[]>, everyMs: number, changed?: number): { load: HostList<T>; refresh: () => void } => {
  const [load, setLoad] = useState<HostList<T>>({ state: 'loading' })
  const latest = useRef(0)
  const refresh = useCallback((): void => {
    const asked = ++latest.current
    ask().then(
      (items) => asked === latest.current && setLoad({ state: 'ready', items }),
      (e: unknown) => asked === latest.current && setLoad((was) => ({ state: 'error', message: errorMessage(e), ...(was.state === 'loading' ? {} : { items: was.items }) })),
    )
  }, [ask])
  useWhileVisible(refresh, everyMs)
  useEffect(() => {
    if (changed) refresh()
  }, [changed, refresh])
  return { load, refresh }
}
