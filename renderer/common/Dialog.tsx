import { type ReactNode, useEffect, useId, useRef } from 'react'
import './dialog.css'

const FIELDS = 'input:not([type="hidden"]), select, textarea, [contenteditable="true"], [role="textbox"], [role="combobox"]'
const FOCUSABLE = 'button, a[href], [tabindex]:not([tabindex="-1"])'

/**
 * Where focus starts in a dialog: the field marked `data-autofocus`, else its
 * first enabled field (for radio buttons, the checked one), else its first
 * focusable control after the title bar. React's `autoFocus` cannot do this:
 * it runs before `showModal()`, while the dialog is still hidden.
 */
const firstField = (dialog: HTMLDialogElement): HTMLElement | undefined => {
  const usable = (el: HTMLElement): boolean => !el.matches(':disabled') && !el.closest('.dialog-head') && el.getClientRects().length > 0
  const marked = dialog.querySelector<HTMLElement>('[data-autofocus]')
  if (marked && usable(marked)) return marked
  const field = [...dialog.querySelectorAll<HTMLElement>(FIELDS)].find(usable)
  if (field instanceof HTMLInputElement && field.type === 'radio' && field.name) {
    const checked = dialog.querySelector<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(field.name)}"]:checked`)
    if (checked && usable(checked)) return checked
  }
  return field ?? [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].find(usable)
}

/**
 * A modal <dialog>: focus moves to its first field, Escape closes, focus
 * returns where it was. Rendered only while open, so its fields start fresh each time.
 */
export const Dialog = ({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) => {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    const previous = document.activeElement as HTMLElement | null
    if (dialog) {
      dialog.showModal()
      firstField(dialog)?.focus()
    }
    return () => previous?.focus()
  }, [])
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog--wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </div>
      {children}
    </dialog>
  )
}
