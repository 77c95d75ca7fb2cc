// Outgoing webhooks for published updates: sent from the host, retried with
// backoff, every attempt written to the incident's delivery log (the document's
// `deliveries` map) so the board shows it. Deliveries run apart from
// publishing: a slow or failing channel never loses or holds up an update.
// Posted with node:http(s), whose `lookup` is ours: only an allowed address is
// ever connected to (see destinations.ts), and a redirect is never followed.
import { createHmac } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { type Attempt, type Delivery, deliveryKey, readDeliveries } from '../../shared/deliveries'
import { HOST_AUTHOR } from '../../shared/people'
import { plural } from '../../shared/plural'
import { deliveriesMap } from '../../shared/schema'
import { appendEvent } from '../../shared/timeline'
import { genericBody, slackBody } from '../../shared/update-formats'
import type { PublishedUpdate } from '../../shared/updates'
import { DestinationRefused, type ResolveHost, guardedLookup, refuseLiteral, systemResolve } from './destinations'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import type { Channel, HostRecords } from './records'
import type { ChannelView } from '../../shared/update-settings'
import type { RoomRegistry } from './sync/registry'

export const SIGNATURE_HEADER = 'X-WarRoom-Signature'

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe signs:
 * the timestamp inside the signature stops an old body being replayed.
 */
export const signBody = (secret: string, body: string, unixSeconds: number): string =>
  `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`

export interface DispatcherOptions {
  registry: RoomRegistry
  /** Channels, published updates and the deliveries still under way (so a restart resumes them). */
  records: HostRecords
  now: () => number
  onError: (error: unknown) => void
  /** Waits before each retry; the last failure after these is final. */
  retryDelaysMs?: readonly number[]
  timeoutMs?: number
  /** Also post to loopback and link-local addresses (--allow-local-webhooks). */
  allowLocalDestinations?: boolean
  /** Resolves a channel's host name; dns.lookup unless a test injects one. */
  lookup?: ResolveHost
}

const UNREADABLE_CHANNEL = "the channel's address cannot be read (seal.key was lost); add the channel again"

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000]

const bodyFor = (incidentId: string, channel: Channel, update: PublishedUpdate): string =>
  JSON.stringify(channel.format === 'slack' ? slackBody(update) : genericBody(incidentId, update))

/** A receiver's answer worth trying again: it may work in a moment. A 3xx is final, never followed. */
const retryable = (status: number): boolean => status >= 500 || status === 408 || status === 429

/**
 * One POST; resolves with the answer's status. node:http follows no redirect.
 * A literal address is connected to without a lookup, so it is checked first.
 */
const post = (url: URL, headers: Record<string, string>, body: string, signal: AbortSignal, lookup: LookupFunction, allowLocal: boolean): Promise<number> =>
  new Promise((resolve, reject) => {
    refuseLiteral(url.hostname, allowLocal)
    let status: number | undefined
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    // No shared agent: a pooled connection must never skip the address check.
    const request = send(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: false, lookup, signal }, (response) => {
      status = response.statusCode ?? 0
      // The answer's body is not needed; drain it so the connection is freed.
      response.resume()
      response.on('end', () => resolve(status!))
      response.on('close', () => resolve(status!))
    })
    // After the status line, a broken or slow body does not change the answer.
    request.on('error', (error) => (status === undefined ? reject(error) : resolve(status)))
    request.end(body)
  })

export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly inFlight = new Set<Promise<void>>()
  /** Set on shutdown: no new attempts start. */
  private stopping = false
  /** Set once attempts under way have finished: nothing more is written. */
  private stopped = false

  private readonly lookup: LookupFunction

  constructor(private readonly options: DispatcherOptions) {
    this.lookup = guardedLookup(options.lookup ?? systemResolve, options.allowLocalDestinations === true)
  }

  /** Start delivering an update to every channel that takes its audience; returns at once. */
  deliver(incidentId: string, update: PublishedUpdate): void {
    for (const channel of this.options.records.channelsWithSecrets()) {
      if (!channel.audiences.includes(update.audience)) continue
      if (channel.url === undefined) {
        this.track(this.giveUp(incidentId, update.id, channel, UNREADABLE_CHANNEL))
        continue
      }
      const delivery: Delivery = {
        updateId: update.id,
        channelId: channel.id,
        channelName: channel.name,
        destination: channel.destination,
        state: 'sending',
        attempts: [],
      }
      this.track(
        (async () => {
          this.options.records.setDeliveryPending({ incidentId, updateId: update.id, channelId: channel.id }, true)
          await this.attempt(incidentId, channel, bodyFor(incidentId, channel, update), delivery)
        })(),
      )
    }
  }

  /**
   * After a restart: deliveries that were still retrying carry on where their
   * log stopped; one whose channel or update is gone is marked failed.
   */
  resume(): void {
    const { records, registry } = this.options
    for (const pending of records.pendingDeliveries()) {
      this.track(
        (async () => {
          const update = records.published(pending.incidentId).find((u) => u.id === pending.updateId)
          const channel = records.channelsWithSecrets().find((c) => c.id === pending.channelId)
          if (!channel) return this.giveUp(pending.incidentId, pending.updateId, channel, 'the channel was removed')
          if (!update) return this.giveUp(pending.incidentId, pending.updateId, channel, 'the update is not in the records')
          if (channel.url === undefined) return this.giveUp(pending.incidentId, pending.updateId, channel, UNREADABLE_CHANNEL)
          const logged = await registry.withRoom(pending.incidentId, (room) =>
            readDeliveries(room.doc).find((d) => d.updateId === pending.updateId && d.channelId === pending.channelId),
          )
          const delivery: Delivery = logged ?? { ...pending, channelName: channel.name, destination: channel.destination, state: 'sending', attempts: [] }
          this.retryLater(pending.incidentId, channel, bodyFor(pending.incidentId, channel, update), delivery, Math.max(0, (delivery.nextAttemptAt ?? 0) - this.options.now()))
        })(),
      )
    }
  }

  /** A delivery that cannot be made at all: failed at once, on the delivery log and the timeline. */
  private async giveUp(incidentId: string, updateId: string, channel: ChannelView | undefined, reason: string): Promise<void> {
    const channelId = channel?.id ?? ''
    const logged = await this.options.registry.withRoom(incidentId, (room) => readDeliveries(room.doc).find((d) => d.updateId === updateId && d.channelId === channelId))
    const delivery: Delivery = logged ?? { updateId, channelId, channelName: channel?.name ?? 'removed channel', destination: channel?.destination ?? '', state: 'sending', attempts: [] }
    delivery.state = 'failed'
    delivery.attempts.push({ at: this.options.now(), ms: 0, error: reason })
    delete delivery.nextAttemptAt
    await this.record(incidentId, delivery, reason)
    this.options.records.setDeliveryPending({ incidentId, updateId, channelId }, false)
  }

  private retryLater(incidentId: string, channel: Channel, body: string, delivery: Delivery, delayMs: number): void {
    if (this.stopping) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.track(this.attempt(incidentId, channel, body, delivery))
    }, delayMs)
    this.timers.add(timer)
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work)
    void work.catch(this.options.onError).finally(() => this.inFlight.delete(work))
  }

  private async attempt(incidentId: string, channel: Channel, body: string, delivery: Delivery): Promise<void> {
    if (this.stopping) return
    const started = this.options.now()
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'WarRoom-Webhooks/1',
      'X-WarRoom-Delivery': `${delivery.updateId}/${delivery.channelId}`,
    }
    if (channel.secret) headers[SIGNATURE_HEADER] = signBody(channel.secret, body, Math.floor(started / 1000))
    let attempt: Attempt
    let refused = false
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? 10_000)
    try {
      const status = await post(new URL(channel.url), headers, body, signal, this.lookup, this.options.allowLocalDestinations === true)
      attempt = { at: started, ms: this.options.now() - started, status }
    } catch (error) {
      // Never the URL in the message: for Slack it is the secret. A refused address is final.
      refused = error instanceof DestinationRefused
      const reason = error instanceof DestinationRefused ? error.message : signal.aborted ? 'timed out' : 'could not connect'
      attempt = { at: started, ms: this.options.now() - started, error: reason }
    }
    delivery.attempts.push(attempt)
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
    const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300
    const again = !ok && !refused && (attempt.status === undefined || retryable(attempt.status)) && delivery.attempts.length <= delays.length
    delivery.state = ok ? 'delivered' : again ? 'retrying' : 'failed'
    if (again) delivery.nextAttemptAt = this.options.now() + delays[delivery.attempts.length - 1]!
    else delete delivery.nextAttemptAt
    await this.record(incidentId, delivery, delivery.state === 'failed' ? `${attempt.status !== undefined ? `HTTP ${attempt.status}` : attempt.error}` : undefined)
    if (again) this.retryLater(incidentId, channel, body, delivery, delays[delivery.attempts.length - 1]!)
    else this.options.records.setDeliveryPending({ incidentId, updateId: delivery.updateId, channelId: delivery.channelId }, false)
  }

  /** Write the delivery log; a delivery given up also goes on the timeline, for the IC and the postmortem. */
  private async record(incidentId: string, delivery: Delivery, failure?: string): Promise<void> {
    if (this.stopped) return
    const snapshot = structuredClone(delivery)
    await this.options.registry.withRoom(incidentId, (room) =>
      room.doc.transact(() => {
        deliveriesMap(room.doc).set(deliveryKey(delivery.updateId, delivery.channelId), snapshot)
        if (failure !== undefined) {
          appendEvent(
            room.doc,
            { by: HOST_AUTHOR, at: this.options.now() },
            { type: 'update.deliveryFailed', updateId: delivery.updateId, channelId: delivery.channelId },
            `Update not delivered to ${delivery.channelName} after ${plural(delivery.attempts.length, 'attempt')} (${failure})`,
            { updateId: delivery.updateId },
          )
        }
      }, SYSTEM_ORIGIN),
    )
  }

  /** On shutdown: no new attempts; those under way finish writing their result. */
  async stop(): Promise<void> {
    this.stopping = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.inFlight])
    this.stopped = true
  }
}
