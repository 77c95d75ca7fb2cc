import type { ReactNode } from 'react'
import './pane-state.css'

/** Loading, offline and error states: a sentence and, where useful, an action. */
export const PaneState = ({ kind, title, children }: { kind: 'loading' | 'error' | 'empty'; title: string; children?: ReactNode }) => (
  <div className={`pane-state pane-state--${kind}`} role={kind === 'error' ? 'alert' : 'status'} aria-live="polite">
    {kind === 'loading' && <span className="spinner" aria-hidden="true" />}
    <h2>{title}</h2>
    {children}
  </div>
)
