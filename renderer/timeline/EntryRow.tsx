import { type KeyboardEvent, memo, useState } from 'react'
import { formatTimeOfDay, toDateTimeLocal } from '../../shared/clock'
import type { TimelineEntry } from '../../shared/timeline'
import { SharedText } from '../common/SharedText'
import { KIND_LABELS } from './labels'

export type EditField = 'text' | 'time'

export interface EntryActions {
  edit: (id: string, field: EditField | undefined) => void
  changeText: (id: string, text: string) => void
  changeTime: (id: string, at: number) => void
  star: (id: string, starred: boolean) => void
}

/** The entry's text, shared: several people can correct it at once. */
const TextEditor = ({ entry, actions }: { entry: TimelineEntry; actions: EntryActions }) => {
  const done = (): void => actions.edit(entry.id, undefined)
  return (
    <SharedText
      className="entry-editor"
      aria-label="Entry text"
      value={entry.text}
      autoFocus
      onText={(next) => actions.changeText(entry.id, next)}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === 'Escape') && (e.preventDefault(), done())}
      onBlur={done}
    />
  )
}

const TimeEditor = ({ entry, actions }: { entry: TimelineEntry; actions: EntryActions }) => {
  const [value, setValue] = useState(toDateTimeLocal(entry.at))
  const commit = (): void => {
    const at = new Date(value).getTime()
    if (Number.isFinite(at) && at !== entry.at) actions.changeTime(entry.id, at)
    actions.edit(entry.id, undefined)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault()
      commit()
    }
    if (e.key === 'Escape') {
      e.preventDefault()
      actions.edit(entry.id, undefined)
    }
  }
  return (
    <input
      type="datetime-local"
      step={1}
      className="time-editor"
      aria-label="When it happened"
      value={value}
      autoFocus
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={onKeyDown}
      onBlur={commit}
    />
  )
}

export const EntryRow = memo(
  ({
    entry,
    authorName,
    authorColor,
    editing,
    canEdit,
    actions,
  }: {
    entry: TimelineEntry
    authorName: string
    authorColor: string
    editing: EditField | undefined
    canEdit: boolean
    actions: EntryActions
  }) => {
    const editable = canEdit && entry.kind !== 'event'
    const backdated = Math.abs(entry.recordedAt - entry.at) >= 1000
    const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
      if (e.target !== e.currentTarget || !canEdit) return
      if (e.key === 's') actions.star(entry.id, !entry.starred)
      else if ((e.key === 'e' || e.key === 'Enter') && editable) {
        e.preventDefault()
        actions.edit(entry.id, 'text')
      } else if (e.key === 't' && editable) {
        e.preventDefault()
        actions.edit(entry.id, 'time')
      }
    }
    return (
      <div
        className={`entry entry--${entry.kind}${entry.starred ? ' is-starred' : ''}`}
        role="listitem"
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-label={`${formatTimeOfDay(entry.at)} ${authorName}, ${KIND_LABELS[entry.kind]}: ${entry.text}`}
      >
        <div className="entry-when">
          {editing === 'time' ? (
            <TimeEditor entry={entry} actions={actions} />
          ) : (
            <button
              type="button"
              className="entry-time"
              disabled={!editable}
              onClick={() => actions.edit(entry.id, 'time')}
              aria-label={`Change the time of this entry (${formatTimeOfDay(entry.at)})`}
            >
              <time dateTime={new Date(entry.at).toISOString()}>{formatTimeOfDay(entry.at)}</time>
            </button>
          )}
          {backdated && <span className="entry-recorded muted">recorded {formatTimeOfDay(entry.recordedAt)}</span>}
        </div>
        <span className="entry-author" style={{ color: authorColor }}>
          {authorName}
        </span>
        <span className={`entry-kind kind--${entry.kind}`}>{KIND_LABELS[entry.kind]}</span>
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
      </div>
    )
  },
)
EntryRow.displayName = 'EntryRow'
