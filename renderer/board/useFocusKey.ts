import { type RefObject, useEffect } from 'react'
import { boardKey, keyFacts } from './keys'

/**
 * A board-wide key that puts focus in a pane's field (`/` the timeline's line,
 * `F` the graph's search). On a laptop the pane may be behind a tab: `show`
 * brings it forward first, and focus follows once it is drawn.
 */
export const useFocusKey = (key: string, field: RefObject<HTMLElement | null>, show: (() => void) | undefined): void => {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (boardKey(keyFacts(e)) !== key || !field.current) return
      e.preventDefault()
      show?.()
      requestAnimationFrame(() => field.current?.focus())
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [key, field, show])
}
