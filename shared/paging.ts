// Pages: calling people in. Someone on the board asks the host to page a
// service's owner or a person of the roster; the host sends it (PagerDuty
// Events v2, or the signed webhook of a channel) with retries, and writes each
// page and every attempt into the document (`pages`), so every board shows who
// was called, how, whether it arrived and whether they came.
import * as v from 'valibot'
import type * as Y from 'yjs'
import { deliveryProgress } from './deliveries'
import type { Person } from './people'
import { plural } from './plural'
import { type Change, pagesMap } from './schema'
import { appendEvent } from './timeline'

export const PAGE_ROUTES = ['pagerduty', 'webhook'] as const
export type PageRoute = (typeof PAGE_ROUTES)[number]

export const PAGE_ROUTE_LABELS: Record<PageRoute, string> = { pagerduty: 'PagerDuty', webhook: 'webhook' }

export const PageSchema = v.object({
  id: v.string(),
  /** A service's owner, or one person of the roster. */
  target: v.picklist(['service', 'person']),
  serviceId: v.optional(v.string()),
  personId: v.optional(v.string()),
  /** What was paged, as named then: "payments-api (team-payments)", "Bob". */
  name: v.string(),
  /** The owning team, for a service page: whoever of that team joins came for it. */
  team: v.optional(v.string()),
  route: v.picklist(PAGE_ROUTES),
  /** Where it went, without secrets: "events.pagerduty.com", the channel's name. */
  destination: v.string(),
  by: v.string(),
  at: v.number(),
  ...deliveryProgress,
})
export type Page = v.InferOutput<typeof PageSchema>

/** Every page, oldest first; anything malformed is skipped. */
export const readPages = (doc: Y.Doc): Page[] => {
  const pages: Page[] = []
  pagesMap(doc).forEach((value) => {
    const parsed = v.safeParse(PageSchema, value)
    if (parsed.success) pages.push(parsed.output)
  })
  return pages.sort((a, b) => a.at - b.at)
}

/** Yjs keeps the object it is given: the sender goes on changing its own. */
const copy = (page: Page): Page => ({ ...page, attempts: page.attempts.map((a) => ({ ...a })) })

/** A page is sent: on the board and the timeline at once, before its first attempt. */
export const recordPageSent = (doc: Y.Doc, change: Change, page: Page): void => {
  doc.transact(() => {
    pagesMap(doc).set(page.id, copy(page))
    appendEvent(
      doc,
      change,
      { type: 'page.sent', pageId: page.id, target: page.target, route: page.route },
      `Paged ${page.target === 'service' ? `the owner of ${page.name}` : page.name} by ${PAGE_ROUTE_LABELS[page.route]}`,
      page.serviceId ? { serviceId: page.serviceId } : page.personId ? { personId: page.personId } : undefined,
    )
  })
}

/** An attempt's outcome. Delivered and failed go on the timeline: the IC needs to know whether the call got out. */
export const recordPageAttempt = (doc: Y.Doc, change: Change, page: Page, failure?: string): void => {
  doc.transact(() => {
    pagesMap(doc).set(page.id, copy(page))
    const who = page.target === 'service' ? `the owner of ${page.name}` : page.name
    if (page.state === 'delivered') {
      appendEvent(doc, change, { type: 'page.delivered', pageId: page.id }, `Page to ${who} delivered (${page.destination})`)
    } else if (page.state === 'failed') {
      appendEvent(
        doc,
        change,
        { type: 'page.failed', pageId: page.id },
        `Page to ${who} not delivered after ${plural(page.attempts.length, 'attempt')} (${failure ?? 'failed'})`,
      )
    }
  })
}

/** Who came after a page: the person paged, or anyone of the service's owning team (by the roster). */
export const joinedAfter = (page: Page, people: ReadonlyMap<string, Person>, teamOf: (personId: string) => string | undefined): Person[] =>
  [...people.values()].filter((p) => p.joinedAt >= page.at && (page.target === 'person' ? p.id === page.personId : page.team !== undefined && teamOf(p.id) === page.team))

/** The page that called a person in, if they were paged (the latest one). */
export const latestPageFor = (pages: readonly Page[], personId: string): Page | undefined =>
  pages.filter((p) => p.target === 'person' && p.personId === personId).at(-1)

const minutes = (ms: number): string => `${Math.max(0, Math.floor(ms / 60_000))} min`

/** "paged 4 min ago, not joined", "paged 4 min ago, joined after 3 min", "page failed". */
export const pageStanding = (page: Page, joined: readonly Person[], now: number): string => {
  if (page.state === 'failed') return `page failed ${minutes(now - page.at)} ago`
  const first = joined.reduce<Person | undefined>((a, p) => (!a || p.joinedAt < a.joinedAt ? p : a), undefined)
  const sent = page.state === 'delivered' ? 'paged' : 'paging'
  return first ? `${sent} ${minutes(now - page.at)} ago, joined after ${minutes(first.joinedAt - page.at)}` : `${sent} ${minutes(now - page.at)} ago, not joined`
}

/** PagerDuty's Events API v2; a LAN without internet may point it at a relay. */
export const DEFAULT_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue'

/** The host's paging setup: where Events v2 triggers go, and which channel's signed webhook carries every other page. */
export const PagingSettingsSchema = v.object({
  eventsUrl: v.optional(v.pipe(v.string('eventsUrl must be a string'), v.regex(/^https?:\/\/[^\s]+$/i, 'eventsUrl must be an http:// or https:// address')), DEFAULT_EVENTS_URL),
  /** A channel (see /api/channels): pages to people, and to services without a PagerDuty routing key, go there signed. */
  channelId: v.optional(v.nullable(v.string())),
})
export type PagingSettings = v.InferOutput<typeof PagingSettingsSchema>
export const DEFAULT_PAGING_SETTINGS: PagingSettings = { eventsUrl: DEFAULT_EVENTS_URL }

/** PagerDuty's severities for an incident's: SEV-1 and SEV-2 wake people. */
export const PAGE_SEVERITY = { 'SEV-1': 'critical', 'SEV-2': 'critical', 'SEV-3': 'error', 'SEV-4': 'warning', 'SEV-5': 'info' } as const
