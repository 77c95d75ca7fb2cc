import type { ReactNode } from 'react'
import './choice-row.css'

/** A fieldset of choices on one wrapping row, under its legend (a speed, say). */
export const ChoiceRow = ({ legend, className, children }: { legend: string; className?: string; children: ReactNode }) => (
  <fieldset className={className ? `choice-row ${className}` : 'choice-row'}>
    <legend>{legend}</legend>
    {children}
  </fieldset>
)
