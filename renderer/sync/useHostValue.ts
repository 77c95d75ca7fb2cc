import { useEffect, useState } from 'react'

/** Host settings and other incidents change slowly: asked again this often. */
export const HOST_REFRESH_MS = 60_000

/**
 * A value the board asks the host for over HTTP, kept fresh; `initial` until
 * the first answer, and the last good answer while the host cannot be reached.
 * `load` must be stable (wrap it in useCallback).
 */
export const useHostValue = <T>(load: () => Promise<T>, initial: T, everyMs = HOST_REFRESH_MS): T => {
  const [value, setValue] = useState(initial)
  useEffect(() => {
    let cancelled = false
    const ask = (): void => void load().then((v) => !cancelled && setValue(v), () => undefined)
    ask()
    const timer = setInterval(ask, everyMs)
    return () => {
      cancelled = true
      clearInterval(timer)
    }
  }, [load, everyMs])
  return value
}
