import { useEffect, useRef, useState } from 'react'
import { type Person, displayName } from '../../shared/people'
import type { TimelineEntry } from '../../shared/timeline'

/**
 * What a screen reader hears of the timeline: each entry someone else writes,
 * once, as it arrives. The scrolling list is no live region (its rows come
 * and go as it scrolls, and would be read again as new); this says it instead.
 * What was there when the board opened is not news.
 */
export const useEntryAnnouncer = (entries: readonly TimelineEntry[], people: ReadonlyMap<string, Person>, selfId: string, quiet: boolean): string => {
  const seen = useRef<Set<string> | undefined>(undefined)
  const [announcement, setAnnouncement] = useState('')
  useEffect(() => {
    if (!seen.current) {
      seen.current = new Set(entries.map((e) => e.id))
      return
    }
    const fresh = entries.filter((e) => !seen.current!.has(e.id))
    for (const e of fresh) seen.current.add(e.id)
    const news = fresh.filter((e) => e.authorId !== selfId)
    if (quiet || news.length === 0) return
    const latest = news.at(-1)!
    const more = news.length > 1 ? `${news.length} new entries; the latest ` : 'New entry '
    setAnnouncement(`${more}from ${displayName(people, latest.authorId)}: ${latest.text}`)
  }, [entries, people, selfId, quiet])
  return announcement
}
