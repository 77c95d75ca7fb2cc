import { useEffect, useRef, useState } from 'react'
import { type Announcement, freshAnnouncements } from '../../shared/announcements'

/**
 * The text for a live region: each announcement once, as it appears (several
 * at once in one line). What is there on the first render is not news; nothing
 * is said while `quiet` (a replay), and what appeared meanwhile is not said later.
 * `onFresh` also hears each new one (a native notification).
 */
export const useAnnouncer = <T extends Announcement>(items: readonly T[], quiet: boolean, onFresh?: (fresh: readonly T[]) => void): string => {
  const said = useRef<Set<string> | undefined>(undefined)
  const [text, setText] = useState('')
  const heard = useRef(onFresh)
  heard.current = onFresh
  // The items are usually a new array on every render; their keys say whether anything changed.
  const keys = items.map((a) => a.key).join('\n')
  useEffect(() => {
    if (!said.current) {
      said.current = new Set(items.map((a) => a.key))
      return
    }
    const fresh = freshAnnouncements(items, said.current)
    if (quiet || fresh.length === 0) return
    setText(fresh.map((a) => a.text).join('. '))
    heard.current?.(fresh)
    // `keys` stands for `items`.
  }, [keys, quiet])
  return text
}
