import { type ReactNode, useRef, useState } from 'react'
import './copy-field.css'

/** A value to hand on (an invite link, an intake address): read-only, selected on focus, with a Copy button. */
export const CopyField = ({ label, value, hint }: { label: string; value: string; hint: ReactNode }) => {
  const [copied, setCopied] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(value)
    } catch {
      // No clipboard permission (plain http on a LAN): select it for Ctrl+C instead.
      input.current?.select()
      return
    }
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }
  return (
    <div className="copy-field">
      <label>
        {label}
        <input ref={input} readOnly value={value} onFocus={(e) => e.target.select()} />
      </label>
      <button type="button" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
      <p className="muted">{hint}</p>
    </div>
  )
}
