// The postmortem's first draft, written from the record in the sections of
// PagerDuty's template: overview, what happened, contributing factors,
// resolution, impact, responders, timeline, how we did, action items (the
// follow-ups, open tasks and actions), messaging. What the board knows is filled in; what needs judgement is drawn
// from the observations and decisions and marked for a human to rewrite.
// Everything people typed is escaped for Markdown.
import type * as Y from 'yjs'
import { readFollowUps } from './follow-ups'
import { readMeta } from './incident'
import { MILESTONE_LABELS } from './incident'
import { lifecycleTimes, milestoneMarks, readLifecycle, severityHistory, timeInSeverity } from './milestones'
import { type Person, displayName, readPeople } from './people'
import { ROLE_LABELS, readRoles } from './roles'
import { SEVERITIES } from './schema'
import { SERVICE_STATUSES, SERVICE_STATUS_LABELS, type ServiceStatus, readServices } from './services'
import { isOpen, readTasks } from './tasks'
import { AUDIENCE_LABELS, PUBLIC_STATUS_LABELS, elapsedInWords } from './templates'
import { type TimelineEntry, readTimeline } from './timeline'
import { escapeMarkdown } from './update-formats'
import { readPublishedUpdates } from './updates'

/** A `## ` section: its heading and the Markdown under it. */
export interface DraftSection {
  title: string
  body: string
}

/** The template's sections, in its order. */
export const SECTION_TITLES = [
  'Overview',
  'What Happened',
  'Contributing Factors',
  'Resolution',
  'Impact',
  'Responders',
  'Timeline',
  "How'd We Do?",
  'Action Items',
  'Messaging',
] as const

const REWRITE = '_Drawn from the timeline: rewrite this for readers who were not there._'

/** A table cell: escaped, on one line. */
const cell = (text: string): string => escapeMarkdown(text.replace(/\s+/g, ' ').trim())

const utc = (at: number): string => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')}`

/** "14:05" in `timeZone` (an IANA name), for the local column beside UTC. */
const local = (at: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(at)).replace(',', '')

const bullets = (items: readonly string[], none: string): string => (items.length === 0 ? `_${none}_` : items.map((i) => `- ${i}`).join('\n'))

const said = (e: TimelineEntry, people: ReadonlyMap<string, Person>): string => `${utc(e.at)} UTC, ${escapeMarkdown(displayName(people, e.authorId))}: ${escapeMarkdown(e.text)}`

/** Time each business service spent in each status other than operational, from the timeline's status changes. */
const serviceTimes = (entries: readonly TimelineEntry[], doc: Y.Doc, end: number): Array<{ name: string; times: Partial<Record<ServiceStatus, number>> }> => {
  const business = [...readServices(doc).values()].filter((s) => s.business)
  return business
    .map((service) => {
      const times: Partial<Record<ServiceStatus, number>> = {}
      let since: { status: ServiceStatus; at: number } | undefined
      for (const e of entries) {
        if (e.event?.type !== 'service.status' || e.links.serviceId !== service.id) continue
        const to = SERVICE_STATUSES.find((s) => s === e.event?.to)
        if (since) times[since.status] = (times[since.status] ?? 0) + Math.max(0, e.at - since.at)
        since = to && to !== 'operational' ? { status: to, at: e.at } : undefined
      }
      if (since) times[since.status] = (times[since.status] ?? 0) + Math.max(0, end - since.at)
      return { name: service.name, times }
    })
    .filter((s) => Object.keys(s.times).length > 0)
}

/**
 * The draft's sections from the incident's record. `timeZone` is the zone the
 * timeline's second column is written in (the writer's own); `now` ends what
 * is still going on.
 */
export const draftSections = (doc: Y.Doc, timeZone: string, now: number): DraftSection[] => {
  const meta = readMeta(doc)
  if (!meta) return []
  const entries = readTimeline(doc)
  const people = readPeople(doc)
  const steps = readLifecycle(doc)
  const times = lifecycleTimes(steps)
  const end = times.resolvedAt ?? now
  const detected = times.detectedAt ?? times.startedAt ?? now
  const periods = severityHistory(entries)
  const held = timeInSeverity(periods, end)
  const peak = SEVERITIES.find((s) => held[s] !== undefined) ?? meta.severity
  const services = serviceTimes(entries, doc, end)
  const observations = entries.filter((e) => e.kind === 'observation')
  const decisions = entries.filter((e) => e.kind === 'decision')
  const name = (id: string): string => escapeMarkdown(displayName(people, id))

  const overview = [
    `**${escapeMarkdown(meta.title)}**: a ${peak} incident${times.resolvedAt ? ` that lasted ${elapsedInWords(end - detected)} from detection to resolution` : `, open for ${elapsedInWords(end - detected)} since detection`} (detected ${utc(detected)} UTC${times.resolvedAt ? `, resolved ${utc(times.resolvedAt)} UTC` : ''}).`,
    services.length > 0 ? `Business services impacted: ${services.map((s) => escapeMarkdown(s.name)).join(', ')}.` : 'No business service was marked impacted on the board.',
    '',
    '_Rewrite: a sentence or two on the contributing factors, the timeline and the impact._',
  ].join('\n')

  const impactRows = [
    ...SEVERITIES.filter((s) => held[s] !== undefined).map((s) => `| Time in ${s} | ${elapsedInWords(held[s]!)} |`),
    ...services.flatMap((s) => SERVICE_STATUSES.filter((st) => s.times[st] !== undefined).map((st) => `| ${cell(s.name)}: ${SERVICE_STATUS_LABELS[st]} | ${elapsedInWords(s.times[st]!)} |`)),
  ]
  const impact = ['| | |', '|-|-|', ...impactRows, '| Accounts affected | _?_ |', '| Users affected | _?_ |', '| Support requests raised | _?_ |'].join('\n')

  const roles = readRoles(doc).periods
  // By name: someone who joined from two devices is one person to a reader.
  const holders = new Set(roles.map((r) => displayName(people, r.personId)))
  const others = [...new Set([...people.values()].map((p) => p.name))].filter((n) => !holders.has(n))
  const responders = bullets(
    [
      ...roles.map((p) => `${ROLE_LABELS[p.role]}: ${name(p.personId)}, ${utc(p.from)}–${p.to === undefined ? (times.resolvedAt ? utc(times.resolvedAt) : 'now') : utc(p.to)} UTC`),
      ...others.map((n) => `Also involved: ${escapeMarkdown(n)}`),
    ],
    'Nobody joined the board.',
  )

  // The moments a reader needs: starred entries, milestones, status and severity changes, role hand-overs, published updates.
  const marks = milestoneMarks(steps, entries)
  const key = entries.filter(
    (e) =>
      e.starred ||
      marks.has(e.id) ||
      ['status.changed', 'severity.changed', 'role.assigned', 'role.released', 'update.published'].includes(e.event?.type ?? ''),
  )
  const timeline = [
    `| Time (UTC) | Time (${cell(timeZone)}) | Event |`,
    '| --- | --- | --- |',
    ...key.map((e) => {
      const milestone = marks.get(e.id)
      const prefix = milestone ? `**${milestone.map((m) => MILESTONE_LABELS[m]).join(', ')}**: ` : e.starred ? '★ ' : ''
      return `| ${utc(e.at)} | ${local(e.at, timeZone)} | ${prefix}${cell(e.text)} |`
    }),
  ].join('\n')

  const tasks = readTasks(doc).filter((t) => isOpen(t.status))
  const actions = entries.filter((e) => e.kind === 'action' && !(e.links.taskId && tasks.every((t) => t.id !== e.links.taskId)))
  const followUps = readFollowUps(doc).filter((f) => f.state !== 'wontDo')
  const actionItems = bullets(
    [
      ...followUps.map((f) => `[${f.state === 'done' ? 'x' : ' '}] ${escapeMarkdown(f.title)} (follow-up, ${escapeMarkdown(f.ownerName)}, ${f.priority}${f.dueAt === undefined ? '' : `, due ${utc(f.dueAt).slice(0, 10)}`})`),
      ...tasks.map((t) => `[ ] ${escapeMarkdown(t.title)} (task, ${name(t.ownerId)})`),
      ...actions.map((e) => `[ ] ${escapeMarkdown(e.text)} (action, ${utc(e.at)} UTC)`),
    ],
    'No open task or action.',
  )

  const updates = readPublishedUpdates(doc).sort((a, b) => a.publishedAt - b.publishedAt)
  const messaging =
    updates.length === 0
      ? '_No stakeholder update was published._'
      : updates
          .map((u) => [`### ${AUDIENCE_LABELS[u.audience]}, ${utc(u.publishedAt)} UTC (${PUBLIC_STATUS_LABELS[u.publicStatus]})`, '', ...u.text.split('\n').map((line) => `> ${escapeMarkdown(line)}`)].join('\n'))
          .join('\n\n')

  return [
    { title: 'Overview', body: overview },
    { title: 'What Happened', body: `${REWRITE}\n\n${bullets(observations.map((e) => said(e, people)), 'No observation on the timeline.')}` },
    {
      title: 'Contributing Factors',
      body: `${REWRITE}\n\n${bullets(
        entries.filter((e) => e.kind === 'observation' && e.starred).map((e) => said(e, people)),
        'No starred observation: what made this possible?',
      )}`,
    },
    { title: 'Resolution', body: `${REWRITE}\n\n${bullets(decisions.map((e) => said(e, people)), 'No decision on the timeline.')}` },
    { title: 'Impact', body: impact },
    { title: 'Responders', body: responders },
    { title: 'Timeline', body: timeline },
    { title: "How'd We Do?", body: "### What Went Well?\n\n- \n\n### What Didn't Go So Well?\n\n- " },
    { title: 'Action Items', body: actionItems },
    { title: 'Messaging', body: messaging },
  ]
}
