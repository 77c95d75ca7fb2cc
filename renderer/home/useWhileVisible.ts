import { useEffect } from 'react'

/**
 * Call `ask` now, then every `everyMs` while the page is in view, and at once
 * when it comes back into view: a hidden start page asks the host nothing.
 * `ask` must be stable (wrap it in useCallback).
 */
export const useWhileVisible = (ask: () => void, everyMs: number): void => {
  useEffect(() => {
    ask()
    const poll = (): void => {
      if (document.visibilityState === 'visible') ask()
    }
    const timer = setInterval(poll, everyMs)
    document.addEventListener('visibilitychange', poll)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', poll)
    }
  }, [ask, everyMs])
}
