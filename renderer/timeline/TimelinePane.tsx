import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { formatDay } from '../../shared/clock'
import { displayName, readPeople } from '../../shared/people'
import { type TimelineEntry, type TimelineFilter, editEntryText, filterEntries, setEntryStarred, setEntryTime } from '../../shared/timeline'
import { PaneState } from '../common/PaneState'
import { FormError, useAction } from '../common/useAction'
import { useBoard } from '../board/BoardContext'
import { useDocValue } from '../sync/hooks'
import { EntryComposer } from './EntryComposer'
import { type EditField, type EntryActions, EntryRow } from './EntryRow'
import { TimelineFilters } from './TimelineFilters'

type Item = { key: string; day: string } | { key: string; entry: TimelineEntry }

/** Entries with a date line wherever the day changes: multi-day incidents read right. */
const withDays = (entries: readonly TimelineEntry[]): Item[] => {
  const items: Item[] = []
  let day = ''
  for (const entry of entries) {
    const entryDay = formatDay(entry.at)
    if (entryDay !== day) {
      day = entryDay
      items.push({ key: `day-${day}`, day })
    }
    items.push({ key: entry.id, entry })
  }
  return items
}

const NEAR_BOTTOM_PX = 120

export const TimelinePane = ({ hidden }: { hidden?: boolean }) => {
  const { connection, canEdit } = useBoard()
  const { doc, timeline } = connection
  const entries = useSyncExternalStore(timeline.subscribe, timeline.all)
  const people = useDocValue(doc, readPeople)
  const [filter, setFilter] = useState<TimelineFilter>({})
  const [editing, setEditing] = useState<{ id: string; field: EditField }>()
  const { error, run } = useAction()
  const composer = useRef<HTMLInputElement>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const following = useRef(true)

  const shown = useMemo(() => filterEntries(entries, filter), [entries, filter])
  const items = useMemo(() => withDays(shown), [shown])

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (items[i] && 'day' in items[i] ? 44 : 60),
    getItemKey: (i) => items[i]?.key ?? i,
    overscan: 12,
  })

  // Follow new entries like a log, unless the reader has scrolled up to look at something.
  useEffect(() => {
    if (following.current && items.length > 0) virtualizer.scrollToIndex(items.length - 1, { align: 'end' })
  }, [items.length, virtualizer])

  // `/` jumps to the scribe's line from anywhere on the board.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return
      e.preventDefault()
      composer.current?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const actions = useMemo<EntryActions>(
    () => ({
      edit: (id, field) => setEditing(field ? { id, field } : undefined),
      changeText: (id, text) => void run(() => editEntryText(doc, id, text)),
      changeTime: (id, at) => void run(() => setEntryTime(doc, connection.change(), id, at)),
      star: (id, starred) => void run(() => setEntryStarred(doc, id, starred)),
    }),
    [doc, connection, run],
  )

  return (
    <section className="pane timeline-pane" aria-labelledby="timeline-heading" hidden={hidden}>
      <div className="pane-header">
        <h2 id="timeline-heading">Timeline</h2>
        <TimelineFilters filter={filter} onChange={setFilter} people={people} shown={shown.length} total={entries.length} />
      </div>
      <FormError message={error} />
      <div
        ref={scroller}
        className="timeline-scroll"
        role="log"
        aria-label="Timeline"
        onScroll={(e) => {
          const el = e.currentTarget
          following.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX
        }}
      >
        {items.length === 0 ? (
          <PaneState kind="empty" title={entries.length === 0 ? 'Nothing on the timeline yet' : 'No entries match the filter'} />
        ) : (
          <div role="list" aria-label="Timeline entries" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => {
              const item = items[row.index]!
              return (
                <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="timeline-row" style={{ transform: `translateY(${row.start}px)` }}>
                  {'day' in item ? (
                    <div role="listitem" className="day-line">
                      <span>{item.day}</span>
                    </div>
                  ) : (
                    <EntryRow
                      entry={item.entry}
                      authorName={displayName(people, item.entry.authorId)}
                      authorColor={people.get(item.entry.authorId)?.color ?? '#9fb0c3'}
                      editing={editing?.id === item.entry.id ? editing.field : undefined}
                      canEdit={canEdit}
                      actions={actions}
                    />
                  )}
                </div>
              )
            })}
          </div>
        )}
      </div>
      {canEdit ? (
        <EntryComposer ref={composer} connection={connection} />
      ) : (
        <p className="muted read-only-note">View only: this link can read the board but not change it.</p>
      )}
    </section>
  )
}
