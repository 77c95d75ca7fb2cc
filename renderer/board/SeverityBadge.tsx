import type { Severity } from '../../shared/schema'
import './incident-state.css'

/** What each level means, in the PagerDuty severity vocabulary. */
export const SEVERITY_HINTS: Record<Severity, string> = {
  'SEV-1': 'Critical: customer-facing outage, all hands',
  'SEV-2': 'Major: significant customer impact',
  'SEV-3': 'Minor: limited impact, working hours',
  'SEV-4': 'Low: little or no customer impact',
  'SEV-5': 'Informational: cosmetic or internal',
}

/** `label`: say "Severity" before the level to assistive technology (the board's header, where nothing else says it). */
export const SeverityBadge = ({ severity, label = false }: { severity: Severity; label?: boolean }) => (
  <span className={`severity severity--${severity.toLowerCase()}`} title={SEVERITY_HINTS[severity]}>
    {label && <span className="visually-hidden">Severity </span>}
    {severity}
  </span>
)
