import { useCallback, useEffect, useState } from 'react'
import { formatTimeOfDay } from '../../shared/clock'
import { MAX_NAME_LENGTH } from '../../shared/people'
import { MAX_REPLAY_NOTE_LENGTH } from '../../shared/contract'
import { type ReplayNote, addReplayNote, listReplayNotes, removeReplayNote } from '../app/api'
import type { Identity } from '../app/session'
import { FormError, errorMessage, useAsyncAction } from '../common/useAction'

export interface ReplayNotesState {
  notes: ReplayNote[]
  /** Why the notes could not be read, if so. */
  loadError: string | undefined
  add: (at: number, text: string, by: string) => Promise<void>
  remove: (id: string) => Promise<void>
}

/** The incident's facilitator notes, from the host (kept with the incident, never in its record). */
export const useReplayNotes = (token: string, incidentId: string): ReplayNotesState => {
  const [notes, setNotes] = useState<ReplayNote[]>([])
  const [loadError, setLoadError] = useState<string>()
  useEffect(() => {
    let cancelled = false
    listReplayNotes(token, incidentId).then(
      (list) => !cancelled && setNotes(list),
      (error: unknown) => !cancelled && setLoadError(errorMessage(error)),
    )
    return () => {
      cancelled = true
    }
  }, [token, incidentId])
  const add = useCallback(
    async (at: number, text: string, by: string): Promise<void> => {
      const note = await addReplayNote(token, incidentId, { at: Math.round(at), text, by })
      setNotes((list) => [...list, note].sort((a, b) => a.at - b.at || a.createdAt - b.createdAt))
    },
    [token, incidentId],
  )
  const remove = useCallback(
    async (id: string): Promise<void> => {
      await removeReplayNote(token, incidentId, id)
      setNotes((list) => list.filter((n) => n.id !== id))
    },
    [token, incidentId],
  )
  return { notes, loadError, add, remove }
}

/**
 * Notes a facilitator leaves on the replay for the debrief: at the moment on
 * the scrubber, with their name. Each is a moment on the scrubber too.
 */
export const ReplayNotes = ({ state, at, identity, onGo }: { state: ReplayNotesState; at: number; identity: Identity; onGo: (at: number) => void }) => {
  const [text, setText] = useState('')
  const [by, setBy] = useState(identity.id === 'facilitator' ? '' : identity.name)
  const { error, busy, run } = useAsyncAction()
  return (
    <details className="replay-notes">
      <summary>Facilitator notes ({state.notes.length})</summary>
      {state.loadError && <p className="form-error">The notes could not be read: {state.loadError}</p>}
      {state.notes.length > 0 && (
        <ol className="replay-notes-list" aria-label="Facilitator notes">
          {state.notes.map((note) => (
            <li key={note.id}>
              <button type="button" className="replay-note-time" onClick={() => onGo(note.at)} aria-label={`Go to ${formatTimeOfDay(note.at)}`}>
                {formatTimeOfDay(note.at)}
              </button>
              <span className="replay-note-by">{note.by}</span>
              <span className="replay-note-text">{note.text}</span>
              <button type="button" onClick={() => void run(() => state.remove(note.id))} aria-label={`Remove the note by ${note.by} at ${formatTimeOfDay(note.at)}`} disabled={busy}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <form
        className="replay-note-form"
        onSubmit={(e) => {
          e.preventDefault()
          void run(() => state.add(at, text.trim(), by.trim())).then((ok) => ok && setText(''))
        }}
      >
        <label className="replay-note-text-field">
          Note at {formatTimeOfDay(at)}
          <textarea value={text} onChange={(e) => setText(e.target.value)} maxLength={MAX_REPLAY_NOTE_LENGTH} rows={2} required />
        </label>
        <label>
          Your name
          <input value={by} onChange={(e) => setBy(e.target.value)} maxLength={MAX_NAME_LENGTH} required autoComplete="name" />
        </label>
        <button type="submit" disabled={busy}>
          Add note
        </button>
        <FormError message={error} />
      </form>
    </details>
  )
}
