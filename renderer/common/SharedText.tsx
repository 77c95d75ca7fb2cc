import { type InputHTMLAttributes, type TextareaHTMLAttributes, useLayoutEffect, useRef } from 'react'
import { rebaseCaret } from '../../shared/text'

type Common = { value: string; onText: (next: string) => void }
type Props = (Common & { multiline?: false } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'defaultValue'>) | (Common & { multiline: true } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'defaultValue'>)

/**
 * A field bound to shared text: the person typing keeps their caret while
 * someone else's change to the same text arrives.
 */
export const SharedText = (props: Props) => {
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null)
  const { value, onText, multiline, ...rest } = props
  useLayoutEffect(() => {
    const el = field.current
    if (!el || el.value === value) return
    const start = rebaseCaret(el.value, value, el.selectionStart ?? el.value.length)
    const end = rebaseCaret(el.value, value, el.selectionEnd ?? el.value.length)
    el.value = value
    if (document.activeElement === el) el.setSelectionRange(start, end)
  }, [value])
  const onInput = (e: { currentTarget: { value: string } }): void => onText(e.currentTarget.value)
  return multiline ? (
    <textarea ref={field} defaultValue={value} onInput={onInput} {...(rest as TextareaHTMLAttributes<HTMLTextAreaElement>)} />
  ) : (
    <input ref={field} defaultValue={value} onInput={onInput} {...(rest as InputHTMLAttributes<HTMLInputElement>)} />
  )
}
