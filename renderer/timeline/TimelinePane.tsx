import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { formatDay } from '../../shared/clock'
import { displayName, readPeople } from '../../shared/people'
import { type TimelineEntry, type TimelineFilter, editEntryText, filterEntries, setEntryStarred, setEntryTime } from '../../shared/timeline'
import { PaneState } from '../common/PaneState'
import { FormError, useAction } from '../common/useAction'
import { useBoard } from '../board/BoardContext'
import { useFocusKey } from '../board/useFocusKey'
import { milestoneMarks, readLifecycle } from '../../shared/milestones'
import { useDocValue } from '../sync/hooks'
import { EntryComposer } from './EntryComposer'
import { type EditField, type EntryActions, EntryRow, type Move } from './EntryRow'
import { TimelineFilters } from './TimelineFilters'
import { useEntryAnnouncer } from './useEntryAnnouncer'
import './timeline.css'

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

/** The timeline's entries, for the board's skip link. */
export const TIMELINE_LOG_ID = 'timeline-log'

export const TimelinePane = ({ hidden, onShow }: { hidden?: boolean; onShow?: () => void }) => {
  const { connection, canEdit, replay } = useBoard()
  const { doc, timeline } = connection
  const entries = useSyncExternalStore(timeline.subscribe, timeline.all)
  const people = useDocValue(doc, readPeople)
  const [filter, setFilter] = useState<TimelineFilter>({})
  const [editing, setEditing] = useState<{ id: string; field: EditField }>()
  // Roving focus: one entry is the list's Tab stop (the newest until someone picks another).
  const [activeId, setActiveId] = useState<string>()
  const { error, run } = useAction()
  const composer = useRef<HTMLInputElement>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const following = useRef(true)

  const announcement = useEntryAnnouncer(entries, people, connection.identity.id, replay)
  const lifecycle = useDocValue(doc, readLifecycle)
  const marks = useMemo(() => milestoneMarks(lifecycle, entries), [lifecycle, entries])
  const shown = useMemo(() => filterEntries(entries, filter), [entries, filter])
  const items = useMemo(() => withDays(shown), [shown])
  const active = activeId !== undefined && shown.some((e) => e.id === activeId) ? activeId : shown.at(-1)?.id
  const activeIndex = active === undefined ? -1 : items.findIndex((item) => item.key === active)

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (items[i] && 'day' in items[i] ? 44 : 60),
    getItemKey: (i) => items[i]?.key ?? i,
    overscan: 12,
    // The focused (active) entry stays rendered when it scrolls away, so focus is never dropped and Tab finds it.
    rangeExtractor: (range) => {
      const indexes = defaultRangeExtractor(range)
      return activeIndex < 0 || indexes.includes(activeIndex) ? indexes : [...indexes, activeIndex].sort((a, b) => a - b)
    },
  })

  // Focus an entry: it is rendered (it is the active one) once this render is committed.
  const wantFocus = useRef<string>(undefined)
  const focusEntry = useCallback((id: string | undefined): void => {
    const row = id === undefined ? null : scroller.current?.querySelector<HTMLElement>(`[data-entry-id="${CSS.escape(id)}"]`)
    if (row) row.focus()
    else if (id === undefined) scroller.current?.focus()
    else wantFocus.current = id
    setActiveId(id)
  }, [])
  useEffect(() => {
    const id = wantFocus.current
    if (id === undefined) return
    wantFocus.current = undefined
    scroller.current?.querySelector<HTMLElement>(`[data-entry-id="${CSS.escape(id)}"]`)?.focus()
  })
  // The move action reads the current lists without changing identity, so rows stay memoised.
  const shownNow = useRef(shown)
  const itemsNow = useRef(items)
  shownNow.current = shown
  itemsNow.current = items

  // Follow new entries like a log, unless the reader has scrolled up to look at something.
  useEffect(() => {
    if (following.current && items.length > 0) virtualizer.scrollToIndex(items.length - 1, { align: 'end' })
  }, [items.length, virtualizer])

  // `/` jumps to the scribe's line from anywhere on the board (the board's rule for single keys: keys.ts).
  useFocusKey('/', composer, onShow)

  const actions = useMemo<EntryActions>(
    () => ({
      edit: (id, field) => setEditing(field ? { id, field } : undefined),
      changeText: (id, text) => void run(() => editEntryText(doc, id, text)),
      changeTime: (id, at) => void run(() => setEntryTime(doc, connection.change(), id, at)),
      star: (id, starred) => void run(() => setEntryStarred(doc, id, starred)),
      focused: setActiveId,
      move: (id: string, to: Move) => {
        const list = shownNow.current
        const at = list.findIndex((e) => e.id === id)
        const next = to === 'first' ? 0 : to === 'last' ? list.length - 1 : to === 'previous' ? Math.max(at - 1, 0) : Math.min(at + 1, list.length - 1)
        const target = list[next]
        if (at < 0 || !target || target.id === id) return
        virtualizer.scrollToIndex(itemsNow.current.findIndex((item) => item.key === target.id), { align: 'auto' })
        focusEntry(target.id)
      },
    }),
    [doc, connection, run, virtualizer, focusEntry],
  )

  return (
    <section className="pane timeline-pane" aria-labelledby="timeline-heading" hidden={hidden}>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <div className="pane-header">
        <h2 id="timeline-heading">Timeline</h2>
        <TimelineFilters filter={filter} onChange={setFilter} people={people} shown={shown.length} total={entries.length} />
      </div>
      <FormError message={error} />
      <div
        ref={scroller}
        id={TIMELINE_LOG_ID}
        className="timeline-scroll"
        role="log"
        aria-live="off"
        aria-label="Timeline"
        tabIndex={-1}
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
                      authorColor={people.get(item.entry.authorId)?.color ?? 'var(--muted)'}
                      editing={editing?.id === item.entry.id ? editing.field : undefined}
                      canEdit={canEdit}
                      active={item.entry.id === active}
                      milestones={marks.get(item.entry.id)}
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
        <EntryComposer ref={composer} connection={connection} onLeave={() => focusEntry(active)} />
      ) : (
        <p className="muted read-only-note">
          {replay ? 'Replay: the timeline as it was at this moment.' : 'View only: this link can read the board but not change it.'}
        </p>
      )}
    </section>
  )
}
