// Paging from the board: a service's owner by PagerDuty Events v2 (the routing
// key from the catalog's `pagerduty.com/integration-key`, kept on the host),
// or anyone (a person of the roster, a service without a key) by the signed
// webhook of the channel chosen for pages. Each page carries the incident's
// join link. Pages and every attempt live in the incident's document (`pages`),
// so a restarted host resumes those still under way from there.
import { newId } from '../../shared/ids'
import { describeGathering, readGathering } from '../../shared/gathering'
import { readMeta } from '../../shared/incident'
import { PAGE_SEVERITY, type Page, readPages, recordPageAttempt, recordPageSent } from '../../shared/paging'
import { HOST_AUTHOR, displayName, readPeople } from '../../shared/people'
import type { PageRequest, PagesResult } from '../../shared/contract'
import { type Service, readServices } from '../../shared/services'
import { escapeSlack } from '../../shared/update-formats'
import type * as Y from 'yjs'
import { HttpError } from './http-util'
import { RetryingSender, SIGNATURE_HEADER, type SenderOptions, UNREADABLE_CHANNEL, signBody } from './outgoing'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import type { HostRecords } from './records'
import type { RoomRegistry } from './sync/registry'

export interface PagerOptions extends SenderOptions {
  registry: RoomRegistry
  records: HostRecords
  /** The link a paged person opens to join the board (the incident's edit link), when it can be shown. */
  joinLink: (incidentId: string) => string
}

/** What one attempt posts, or why it cannot be sent at all. */
type Outgoing = { url: string; headers: Record<string, string>; body: string } | { problem: string }

/** The catalog's routing key for a service's owner (its pagerduty.com/integration-key). */
export const catalogRoutingKey = (records: HostRecords, serviceId: string): string | undefined =>
  records.catalog()?.services.find((s) => s.id === serviceId)?.pagerduty?.integrationKey

const underWay = (page: Page): boolean => page.state === 'sending' || page.state === 'retrying'

const NO_ROUTE =
  'no way to page: add a pagerduty.com/integration-key annotation to the service in the catalog, or choose a channel for pages on the start page'

export class Pager extends RetryingSender {
  constructor(private readonly options: PagerOptions) {
    super(options)
  }

  /**
   * Send the pages asked for (each delivered in the background); what cannot
   * be paged is answered with why. The pages are on disk, in the incident's log
   * and in the records' list of incidents paging, before this resolves, so a
   * page answered is resumed after a crash.
   */
  async page(incidentId: string, request: PageRequest, by: string): Promise<PagesResult> {
    const planned = await this.options.registry.withRoom(incidentId, (room) => this.plan(incidentId, room.doc, request, by))
    if (planned.pages.length === 0) return planned
    await this.options.records.startPaging(incidentId)
    await this.options.registry.withRoom(incidentId, async (room) => {
      const change = { by, at: this.options.now() }
      room.doc.transact(() => {
        for (const page of planned.pages) recordPageSent(room.doc, change, page)
      }, SYSTEM_ORIGIN)
      await room.durable.log.flush()
    })
    for (const page of planned.pages) this.track(this.attempt(incidentId, page))
    return planned
  }

  /** Which pages to send, by which route, and what cannot be paged. */
  private plan(incidentId: string, doc: Y.Doc, request: PageRequest, by: string): PagesResult {
    const now = this.options.now()
    const services = readServices(doc)
    const pages: Page[] = []
    const skipped: PagesResult['skipped'] = []
    const add = (fields: Pick<Page, 'target' | 'name'> & Partial<Page>, route: { route: Page['route']; destination: string } | undefined): void => {
      if (!route) return void skipped.push({ name: fields.name, reason: NO_ROUTE })
      pages.push({ id: newId(), ...route, by, at: now, state: 'sending', attempts: [], ...fields })
    }
    if ('personId' in request) {
      const person = this.options.records.roster().find((p) => p.id === request.personId)
      if (!person) throw new HttpError(404, `No one with id ${request.personId} in the roster.`)
      const channel = this.channel()
      add({ target: 'person', personId: person.id, name: person.name, ...(person.team ? { team: person.team } : {}) }, channel && { route: 'webhook', destination: channel.name })
      return { pages, skipped }
    }
    const chosen: Service[] = []
    if ('serviceId' in request) {
      const service = services.get(request.serviceId)
      if (!service) throw new HttpError(404, `No service ${request.serviceId} on this incident's graph.`)
      chosen.push(service)
    } else {
      // Every service that is itself down, once: one already paged (and not failed) is not paged again.
      const paged = new Set(readPages(doc).filter((p) => p.target === 'service' && p.state !== 'failed').map((p) => p.serviceId))
      for (const service of services.values()) {
        if (service.status === 'operational') continue
        if (paged.has(service.id)) skipped.push({ name: service.name, reason: 'already paged' })
        else chosen.push(service)
      }
    }
    for (const service of chosen) {
      add({ target: 'service', serviceId: service.id, name: service.owner ? `${service.name} (${service.owner})` : service.name, ...(service.owner ? { team: service.owner } : {}) }, this.routeFor(incidentId, service))
    }
    return { pages, skipped }
  }

  /** After a restart: pages still sending or retrying carry on where their log in the document stopped. */
  resume(): void {
    for (const id of this.options.records.pagingIncidents()) {
      this.track(
        (async () => {
          const pending = await this.options.registry.withRoom(id, (room) => readPages(room.doc).filter(underWay))
          if (pending.length === 0) this.options.records.pagingDone(id)
          for (const page of pending) this.later(() => this.attempt(id, page), Math.max(0, (page.nextAttemptAt ?? 0) - this.options.now()))
        })(),
      )
    }
  }

  private channel() {
    const { channelId } = this.options.records.setting('paging')
    return channelId ? this.options.records.channelsWithSecrets().find((c) => c.id === channelId) : undefined
  }

  /** One set on this incident's board wins over the catalog's. */
  private routingKey(incidentId: string, serviceId: string | undefined): string | undefined {
    if (serviceId === undefined) return undefined
    return this.options.records.pagingKey(incidentId, serviceId) ?? catalogRoutingKey(this.options.records, serviceId)
  }

  private routeFor(incidentId: string, service: Service): { route: Page['route']; destination: string } | undefined {
    if (this.routingKey(incidentId, service.id)) return { route: 'pagerduty', destination: new URL(this.options.records.setting('paging').eventsUrl).host }
    const channel = this.channel()
    return channel ? { route: 'webhook', destination: channel.name } : undefined
  }

  /** Built at each attempt: the key, the channel or the incident may have changed since the page was asked for. */
  private outgoing(incidentId: string, doc: Y.Doc, page: Page): Outgoing {
    // Named as they are on the board now: after a restart too.
    const askedBy = displayName(readPeople(doc), page.by)
    const meta = readMeta(doc)
    const join = this.options.joinLink(incidentId)
    const gathering = readGathering(doc)
    const incident = { id: incidentId, title: meta?.title ?? incidentId, severity: meta?.severity ?? 'SEV-3', link: join, ...gathering }
    const meet = describeGathering(gathering)
    const who = page.target === 'service' ? `the owner of ${page.name}` : page.name
    const summary = `${incident.severity} ${incident.title}: ${askedBy} pages ${who} to join the War Room`.slice(0, 1024)
    if (page.route === 'pagerduty') {
      const key = this.routingKey(incidentId, page.serviceId)
      if (!key) return { problem: 'the service has no PagerDuty routing key in the catalog any more' }
      const body = JSON.stringify({
        routing_key: key,
        event_action: 'trigger',
        // One open PagerDuty incident per War Room incident and service: paging again adds to it.
        dedup_key: `warroom/${incidentId}/${page.serviceId}`,
        client: 'War Room',
        client_url: join,
        payload: {
          summary,
          source: 'War Room',
          severity: PAGE_SEVERITY[incident.severity],
          timestamp: new Date(page.at).toISOString(),
          custom_details: { incident: incident.title, severity: incident.severity, service: page.name, join, askedBy, ...(meet ? { meet } : {}) },
        },
        links: [
          { href: join, text: 'Join the War Room board' },
          // PagerDuty's links are web addresses: a tel: bridge is in custom_details.meet.
          ...(gathering.bridgeUrl && /^https?:/i.test(gathering.bridgeUrl) ? [{ href: gathering.bridgeUrl, text: 'Bridge' }] : []),
          ...(gathering.chatUrl ? [{ href: gathering.chatUrl, text: 'Chat' }] : []),
        ],
      })
      return { url: this.options.records.setting('paging').eventsUrl, headers: { 'Content-Type': 'application/json', 'User-Agent': 'WarRoom-Pages/1' }, body }
    }
    const channel = this.channel()
    if (!channel) return { problem: 'no channel is chosen for pages any more' }
    if (channel.url === undefined) return { problem: UNREADABLE_CHANNEL }
    const body = JSON.stringify(
      channel.format === 'slack'
        ? { text: `:rotating_light: ${escapeSlack(summary)}\n<${join}|Join the War Room board>${meet ? `\n${escapeSlack(meet)}` : ''}` }
        : { type: 'page', page: { id: page.id, target: page.target, name: page.name, team: page.team ?? null, askedBy, at: page.at }, incident, summary },
    )
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'WarRoom-Pages/1', 'X-WarRoom-Delivery': `page/${page.id}` }
    if (channel.secret) headers[SIGNATURE_HEADER] = signBody(channel.secret, body, Math.floor(this.options.now() / 1000))
    return { url: channel.url, headers, body }
  }

  private async attempt(incidentId: string, page: Page): Promise<void> {
    if (this.stopping) return
    const out = await this.options.registry.withRoom(incidentId, (room) => this.outgoing(incidentId, room.doc, page))
    const outcome =
      'problem' in out
        ? (page.attempts.push({ at: this.options.now(), ms: 0, error: out.problem }), { state: 'failed' as const, failure: out.problem })
        : await this.send(out.url, out.headers, out.body, page.attempts)
    page.state = outcome.state
    if (outcome.retryInMs !== undefined) page.nextAttemptAt = this.options.now() + outcome.retryInMs
    else delete page.nextAttemptAt
    if (!this.stopped) {
      const more = await this.options.registry.withRoom(incidentId, (room) => {
        room.doc.transact(() => recordPageAttempt(room.doc, { by: HOST_AUTHOR, at: this.options.now() }, page, outcome.failure), SYSTEM_ORIGIN)
        return readPages(room.doc).some(underWay)
      })
      if (!more) this.options.records.pagingDone(incidentId)
    }
    if (outcome.retryInMs !== undefined) this.later(() => this.attempt(incidentId, page), outcome.retryInMs)
  }
}
