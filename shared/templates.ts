// Stakeholder-update templates: one per audience, in the voice of Statuspage
// and PagerDuty's guidance (the right granularity, never the details). Field
// texts hold {{placeholders}} the board fills from what it knows.
import * as v from 'valibot'
import type { IncidentStatus, Severity } from './schema'

export const AUDIENCES = ['customer', 'internal', 'executive'] as const
export type Audience = (typeof AUDIENCES)[number]

export const AUDIENCE_LABELS: Record<Audience, string> = {
  customer: 'Customers',
  internal: 'Internal engineering',
  executive: 'Executives',
}

export const isAudience = (value: unknown): value is Audience => typeof value === 'string' && (AUDIENCES as readonly string[]).includes(value)

/** The public status words (the Statuspage vocabulary, the same as the incident's lifecycle). */
export const PUBLIC_STATUS_LABELS: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
}

const FieldSchema = v.object({
  key: v.pipe(v.string(), v.regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/, 'a field key is a short word of letters and digits')),
  label: v.pipe(v.string(), v.trim(), v.minLength(1, 'a field needs a label'), v.maxLength(60)),
  text: v.pipe(v.string(), v.maxLength(4000)),
})

const TemplateSchema = v.object({
  fields: v.pipe(
    v.array(FieldSchema),
    v.minLength(1, 'a template needs at least one field'),
    v.maxLength(8, 'a template has at most 8 fields'),
    v.check((fields) => new Set(fields.map((f) => f.key)).size === fields.length, 'field keys must differ'),
  ),
})

export const TemplatesSchema = v.object({ customer: TemplateSchema, internal: TemplateSchema, executive: TemplateSchema })

export type TemplateField = v.InferOutput<typeof FieldSchema>
export type Template = v.InferOutput<typeof TemplateSchema>
export type Templates = v.InferOutput<typeof TemplatesSchema>

export const DEFAULT_TEMPLATES: Templates = {
  customer: {
    fields: [
      {
        key: 'impact',
        label: 'Impact',
        text: 'We are investigating reports of problems affecting {{impactedServices}}. Some customers may see errors or slow responses.',
      },
      {
        key: 'actions',
        label: 'What we are doing',
        text: 'Our engineers are working to find the cause and restore full service.',
      },
    ],
  },
  internal: {
    fields: [
      {
        key: 'conditions',
        label: 'Current conditions',
        text: '{{severity}}, {{status}} for {{elapsed}}. Impacted: {{impactedServices}}. Incident commander: {{commander}}.',
      },
      { key: 'actions', label: 'Actions under way', text: '{{openTasks}}' },
      { key: 'needs', label: 'What we need', text: 'Nothing from other teams at this time.' },
    ],
  },
  executive: {
    fields: [
      {
        key: 'status',
        label: 'Current status',
        text: '{{severity}} incident, {{status}}, {{elapsed}} since it started. {{impactedCount}} business services impacted: {{impactedServices}}.',
      },
      { key: 'overview', label: 'Overview', text: 'What happened and who is affected, in two sentences.' },
      { key: 'nextSteps', label: 'Next steps', text: 'The team is working to restore service. Incident commander: {{commander}}.' },
    ],
  },
}

/** What the board knows that a template can use. */
export interface BoardFacts {
  title: string
  severity: Severity
  status: IncidentStatus
  /** "1 h 25 min". */
  elapsed: string
  /** Business services impacted, by name. */
  impactedServices: readonly string[]
  /** Open tasks, high priority first: "Restart the pool (Alice, high priority)". */
  openTasks: readonly string[]
  commander?: string
}

export const PLACEHOLDERS = ['title', 'severity', 'status', 'elapsed', 'impactedServices', 'impactedCount', 'openTasks', 'commander'] as const

const placeholderValue = (facts: BoardFacts, key: string): string | undefined => {
  switch (key) {
    case 'title':
      return facts.title
    case 'severity':
      return facts.severity
    case 'status':
      return PUBLIC_STATUS_LABELS[facts.status].toLowerCase()
    case 'elapsed':
      return facts.elapsed
    case 'impactedServices':
      return facts.impactedServices.length > 0 ? facts.impactedServices.join(', ') : 'some of our services'
    case 'impactedCount':
      return String(facts.impactedServices.length)
    case 'openTasks':
      return facts.openTasks.length > 0 ? facts.openTasks.map((t) => `- ${t}`).join('\n') : 'No open tasks.'
    case 'commander':
      return facts.commander ?? 'not yet assigned'
    default:
      return undefined
  }
}

/** Fill a template text; an unknown placeholder stays as written, so a typo shows. */
export const fillText = (text: string, facts: BoardFacts): string =>
  text.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (whole, key: string) => placeholderValue(facts, key) ?? whole)

/** "1 h 25 min", "12 min": elapsed time in words for stakeholders. */
export const elapsedInWords = (ms: number): string => {
  const minutes = Math.max(0, Math.floor(ms / 60_000))
  const hours = Math.floor(minutes / 60)
  if (hours === 0) return `${minutes} min`
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
}
