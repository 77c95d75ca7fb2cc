import { type KeyboardEvent, memo, useRef, useState } from 'react'
import { formatTimeOfDay, toDateTimeLocal } from '../../shared/clock'
import { MILESTONE_LABELS, MILESTONE_SHORT_LABELS } from '../../shared/incident'
import type { Milestone } from '../../shared/schema'
import type { TimelineEntry } from '../../shared/timeline'
import { plainKey } from '../board/keys'
import { SharedText } from '../common/SharedText'
import { KIND_LABELS } from './labels'

export type EditField = 'text' | 'time'

/** Where ↑/↓/Home/End go from an entry. */
export type Move = 'previous' | 'next' | 'first' | 'last'

export interface EntryActions {
  edit: (id: string, field: EditField | undefined) => void
  changeText: (id: string, text: string) => void
  changeTime: (id: string, at: number) => void
  star: (id: string, starred: boolean) => void
  /** This entry got focus: it is the timeline's one Tab stop now. */
  focused: (id: string) => void
  move: (id: string, to: Move) => void
}

const MOVES: Record<string, Move> = { arrowup: 'previous', arrowdown: 'next', home: 'first', end: 'last' }

/**
 * Closing an editor once: by Enter or Escape focus goes back to the entry (so
 * the next key acts on it again); by a click elsewhere it stays where it went.
 */
const useClose = (entry: TimelineEntry, actions: EntryActions) => {
  const closed = useRef(false)
  return (from: HTMLElement, backToEntry: boolean, save?: () => void): void => {
    if (closed.current) return
    closed.current = true
    save?.()
    actions.edit(entry.id, undefined)
    if (backToEntry) from.closest<HTMLElement>('.entry')?.focus()
  }
}

/** The entry's text, shared: several people can correct it at once. */
const TextEditor = ({ entry, actions }: { entry: TimelineEntry; actions: EntryActions }) => {
  const close = useClose(entry, actions)
  return (
    <SharedText
      className="entry-editor"
      aria-label="Entry text"
      value={entry.text}
      autoFocus
      onText={(next) => actions.changeText(entry.id, next)}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== 'Escape') return
        e.preventDefault()
        e.stopPropagation()
        close(e.currentTarget, true)
      }}
      onBlur={(e) => close(e.currentTarget, false)}
    />
  )
}

/** Re-dating: the whole date and time, on its own line under the entry. */
const TimeEditor = ({ entry, actions }: { entry: TimelineEntry; actions: EntryActions }) => {
  const [value, setValue] = useState(toDateTimeLocal(entry.at))
  const close = useClose(entry, actions)
  const save = (): void => {
    const at = new Date(value).getTime()
    if (Number.isFinite(at) && at !== entry.at) actions.changeTime(entry.id, at)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key !== 'Enter' && e.key !== 'Escape') return
    e.preventDefault()
    e.stopPropagation()
    close(e.currentTarget, true, e.key === 'Enter' ? save : undefined)
  }
  return (
    <label className="entry-redate">
      <span className="muted">When it happened</span>
      <input
        type="datetime-local"
        step={1}
        className="time-editor"
        aria-label="When it happened"
        value={value}
        autoFocus
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={(e) => close(e.currentTarget, false, save)}
      />
      <span className="muted">Enter saves, Escape cancels</span>
    </label>
  )
}

export const EntryRow = memo(
  ({
    entry,
    authorName,
    authorColor,
    editing,
    canEdit,
    active,
    milestones,
    actions,
  }: {
    entry: TimelineEntry
    authorName: string
    authorColor: string
    editing: EditField | undefined
    canEdit: boolean
    /** The timeline's one Tab stop (roving focus: ↑/↓ move it). */
    active: boolean
    /** The milestones this entry marks, shown in place of its kind. */
    milestones?: readonly Milestone[] | undefined
    actions: EntryActions
  }) => {
    const editable = canEdit && entry.kind !== 'event'
    const backdated = Math.abs(entry.recordedAt - entry.at) >= 1000
    // The entry's own keys; it marks them handled (preventDefault), so the board's T does not fire too.
    const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
      if (e.target !== e.currentTarget) return
      const key = plainKey(e.nativeEvent)
      if (key === undefined) return
      const move = MOVES[key]
      if (move) {
        e.preventDefault()
        actions.move(entry.id, move)
        return
      }
      if (!canEdit) return
      if (key === 's') {
        e.preventDefault()
        actions.star(entry.id, !entry.starred)
      } else if (key === 'e' || key === 'enter' || key === 't') {
        // Claimed even on an entry the board wrote (which keeps its text and time): T never means "New task" here.
        e.preventDefault()
        if (editable) actions.edit(entry.id, key === 't' ? 'time' : 'text')
      }
    }
    return (
      <div
        className={`entry entry--${entry.kind}${entry.starred ? ' is-starred' : ''}`}
        role="listitem"
        tabIndex={active ? 0 : -1}
        data-entry-id={entry.id}
        onKeyDown={onKeyDown}
        onFocus={(e) => e.target === e.currentTarget && actions.focused(entry.id)}
        aria-label={`${formatTimeOfDay(entry.at)} ${authorName}, ${milestones ? `Milestone ${milestones.map((m) => MILESTONE_LABELS[m]).join(' and ')}` : KIND_LABELS[entry.kind]}: ${entry.text}`}
      >
        <div className="entry-when">
          <button
            type="button"
            className="entry-time"
            disabled={!editable || editing === 'time'}
            onClick={() => actions.edit(entry.id, 'time')}
            aria-label={`${formatTimeOfDay(entry.at)}: change the time of this entry`}
            title={editable ? 'Change the time (T)' : undefined}
          >
            <time dateTime={new Date(entry.at).toISOString()}>{formatTimeOfDay(entry.at)}</time>
          </button>
          {backdated && <span className="entry-recorded muted">recorded {formatTimeOfDay(entry.recordedAt)}</span>}
        </div>
        <span className="entry-author" style={{ color: authorColor }}>
          {authorName}
        </span>
        {milestones ? (
          <span className="entry-kind kind--milestone" title={`Milestone: ${milestones.map((m) => MILESTONE_LABELS[m]).join(', ')}`}>
            ◆ {milestones.map((m) => MILESTONE_SHORT_LABELS[m]).join(' · ')}
          </span>
        ) : (
          <span className={`entry-kind kind--${entry.kind}`}>{KIND_LABELS[entry.kind]}</span>
        )}
        <div className="entry-text">
          {editing === 'text' ? <TextEditor entry={entry} actions={actions} /> : <span>{entry.text}</span>}
        </div>
        <div className="entry-actions">
          {editable && editing !== 'text' && (
            <button type="button" className="icon-button" aria-label="Edit entry text" title="Edit (E)" onClick={() => actions.edit(entry.id, 'text')}>
              ✎
            </button>
          )}
          <button
            type="button"
            className={`icon-button star${entry.starred ? ' is-on' : ''}`}
            aria-label={entry.starred ? 'Unstar key moment' : 'Star as key moment'}
            aria-pressed={entry.starred}
            title="Key moment for the postmortem (S)"
            disabled={!canEdit}
            onClick={() => actions.star(entry.id, !entry.starred)}
          >
            {entry.starred ? '★' : '☆'}
          </button>
        </div>
        {editing === 'time' && <TimeEditor entry={entry} actions={actions} />}
      </div>
    )
  },
)
EntryRow.displayName = 'EntryRow'
