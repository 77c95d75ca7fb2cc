import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { setTitle } from '../../shared/incident'
import { useAction } from '../common/useAction'
import { useBoard } from './BoardContext'

/**
 * The incident's title, two lines at most, whole on hover and for assistive
 * technology. Whoever may (the IC, or the host's own board) edits it in place:
 * "Edit title" opens an input, Enter saves through the domain (which writes the
 * timeline entry), Escape leaves it as it was.
 */
export const HeaderTitle = ({ title, incidentId, canEditTitle }: { title: string; incidentId: string; canEditTitle: boolean }) => {
  const { connection } = useBoard()
  const [draft, setDraft] = useState<string>()
  const { error, run, setError } = useAction()
  const editButton = useRef<HTMLButtonElement>(null)
  const input = useRef<HTMLInputElement>(null)
  const returnFocus = useRef(false)
  const errorId = useId()
  const editing = draft !== undefined && canEditTitle

  // Someone else took over command mid-edit: the draft goes.
  useEffect(() => {
    if (!canEditTitle) setDraft(undefined)
  }, [canEditTitle])

  useEffect(() => {
    if (editing) input.current?.focus()
    else if (returnFocus.current) {
      returnFocus.current = false
      editButton.current?.focus()
    }
  }, [editing])

  const start = (): void => {
    setError(undefined)
    setDraft(title)
  }
  const finish = (): void => {
    returnFocus.current = true
    setError(undefined)
    setDraft(undefined)
  }
  const save = (event: FormEvent): void => {
    event.preventDefault()
    if (draft === undefined) return
    if (run(() => setTitle(connection.doc, connection.change(), draft))) finish()
    else input.current?.focus()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    event.stopPropagation()
    finish()
  }

  return (
    <div className="header-title">
      {editing ? (
        <>
          <h1 className="visually-hidden">{title}</h1>
          <form className="title-form" onSubmit={save}>
            <input
              ref={input}
              className="title-input"
              aria-label="Incident title"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onKeyDown}
              aria-invalid={error !== undefined}
              {...(error !== undefined ? { 'aria-describedby': errorId } : {})}
            />
            <button type="submit" className="primary">
              Save
            </button>
            <button type="button" onClick={finish}>
              Cancel
            </button>
          </form>
          {error !== undefined && (
            <p id={errorId} role="alert" className="form-error title-error">
              {error}
            </p>
          )}
        </>
      ) : (
        <>
          <h1 title={title}>{title}</h1>
          <div className="header-title-meta">
            <span className="muted incident-id">{incidentId}</span>
            {canEditTitle && (
              <button ref={editButton} type="button" className="title-edit" onClick={start}>
                <span aria-hidden="true">✎ </span>Edit title
              </button>
            )}
          </div>
        </>
      )}
    </div>
  )
}
