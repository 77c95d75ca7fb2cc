import { type FormEvent, type KeyboardEvent, forwardRef, useRef, useState } from 'react'
import { isTyping } from '../../shared/presence'
import { ENTRY_KINDS, type EntryKind } from '../../shared/schema'
import { addEntry, parseEntryInput } from '../../shared/timeline'
import { FormError, useAction } from '../common/useAction'
import type { BoardConnection } from '../sync/board-connection'
import { useHostNow, usePresence } from '../sync/hooks'
import { KIND_KEYS, KIND_LABELS } from './labels'

const TYPING_RENEW_MS = 1500

const TypingLine = ({ connection }: { connection: BoardConnection }) => {
  const now = useHostNow(connection)
  const typing = usePresence(connection).filter((p) => p.user.id !== connection.identity.id && isTyping(p, now))
  return (
    <p className="typing-line muted" aria-live="polite">
      {typing.length === 0 ? '\u00a0' : `${typing.map((p) => p.user.name).join(', ')} ${typing.length === 1 ? 'is' : 'are'} typing…`}
    </p>
  )
}

/**
 * The scribe's line: text and Enter. `/d`, `/a`, `/o`, `/n` or Alt+letter pick the kind.
 * Escape leaves it for the timeline's entries (`onLeave`); what was typed stays.
 */
/** The scribe's line, for the board's skip link. */
export const ENTRY_LINE_ID = 'timeline-entry-line'

export const EntryComposer = forwardRef<HTMLInputElement, { connection: BoardConnection; onLeave: () => void }>(({ connection, onLeave }, ref) => {
  const [kind, setKind] = useState<EntryKind>('note')
  const [text, setText] = useState('')
  const { error, run } = useAction()
  const lastTypingSignal = useRef(0)
  const shownKind = parseEntryInput(text, kind).kind

  const signalTyping = (value: string): void => {
    const now = connection.clock.now()
    if (value === '') {
      lastTypingSignal.current = 0
      connection.setPresence({ typingAt: undefined })
    } else if (now - lastTypingSignal.current > TYPING_RENEW_MS) {
      lastTypingSignal.current = now
      connection.setPresence({ typingAt: now })
    }
  }

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const parsed = parseEntryInput(text, kind)
    if (run(() => addEntry(connection.doc, connection.change(), parsed))) {
      setText('')
      signalTyping('')
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      onLeave()
      return
    }
    if (!event.altKey) return
    const picked = ENTRY_KINDS.find((k) => KIND_KEYS[k] === event.key.toLowerCase())
    if (picked) {
      event.preventDefault()
      setKind(picked)
    }
  }

  return (
    <form className="composer" onSubmit={submit} aria-label="Add to the timeline">
      <div className="kind-picker" role="radiogroup" aria-label="Entry kind">
        {ENTRY_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={shownKind === k}
            className={`kind-button kind--${k}`}
            onClick={() => setKind(k)}
            title={`${KIND_LABELS[k]} (Alt+${KIND_KEYS[k].toUpperCase()} or /${KIND_KEYS[k]})`}
          >
            {KIND_LABELS[k]}
          </button>
        ))}
      </div>
      <div className="composer-line">
        <input
          ref={ref}
          id={ENTRY_LINE_ID}
          className="composer-input"
          aria-label="New timeline entry"
          placeholder="What was said or decided — Enter adds it  (/d decision, /a action, /o observation)"
          value={text}
          maxLength={4100}
          onChange={(e) => {
            setText(e.target.value)
            signalTyping(e.target.value)
          }}
          onBlur={() => signalTyping('')}
          onKeyDown={onKeyDown}
          autoComplete="off"
        />
        <button type="submit" className="primary">
          Add
        </button>
      </div>
      {error ? <FormError message={error} /> : <TypingLine connection={connection} />}
    </form>
  )
})
EntryComposer.displayName = 'EntryComposer'
