import type { Severity } from '../../shared/schema'

/** What each level means, in the PagerDuty severity vocabulary. */
export const SEVERITY_HINTS: Record<Severity, string> = {
  'SEV-1': 'Critical: customer-facing outage, all hands',
  'SEV-2': 'Major: significant customer impact',
  'SEV-3': 'Minor: limited impact, working hours',
  'SEV-4': 'Low: little or no customer impact',
  'SEV-5': 'Informational: cosmetic or internal',
}

export const SeverityBadge = ({ severity }: { severity: Severity }) => (
  <span className={`severity severity--${severity.toLowerCase()}`} title={SEVERITY_HINTS[severity]}>
    {severity}
  </span>
)
