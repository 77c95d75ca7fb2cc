// Outgoing webhooks for published updates: sent from the host, retried with
// backoff (outgoing.ts), every attempt written to the incident's delivery log
// (the document's `deliveries` map) so the board shows it. Deliveries run
// apart from publishing: a slow or failing channel never loses or holds up an update.
import { type Delivery, deliveryKey, readDeliveries } from '../../shared/deliveries'
import { HOST_AUTHOR } from '../../shared/people'
import { plural } from '../../shared/plural'
import { deliveriesMap } from '../../shared/schema'
import { appendEvent } from '../../shared/timeline'
import { genericBody, slackBody } from '../../shared/update-formats'
import type { PublishedUpdate } from '../../shared/updates'
import { RetryingSender, SIGNATURE_HEADER, type SenderOptions, UNREADABLE_CHANNEL, signBody } from './outgoing'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import type { Channel, HostRecords } from './records'
import type { ChannelView } from '../../shared/update-settings'
import type { RoomRegistry } from './sync/registry'

export interface DispatcherOptions extends SenderOptions {
  registry: RoomRegistry
  /** Channels, published updates and the deliveries still under way (so a restart resumes them). */
  records: HostRecords
}

const bodyFor = (records: HostRecords, incidentId: string, channel: Channel, update: PublishedUpdate): string => {
  const drill = records.drill(incidentId) !== undefined
  return JSON.stringify(channel.format === 'slack' ? slackBody(update, drill) : genericBody(incidentId, update, drill))
}

export class WebhookDispatcher extends RetryingSender {
  constructor(private readonly options: DispatcherOptions) {
    super(options)
  }

  /** Start delivering an update to every channel that takes its audience; returns at once. */
  deliver(incidentId: string, update: PublishedUpdate): void {
    const drill = this.options.records.drill(incidentId) !== undefined
    for (const channel of this.options.records.channelsWithSecrets()) {
      // A drill posts only to channels marked for drills; a real incident to every channel of its audience.
      if (!channel.audiences.includes(update.audience) || (drill && !channel.drills)) continue
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
          await this.attempt(incidentId, channel, bodyFor(this.options.records, incidentId, channel, update), delivery)
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
          this.retryLater(pending.incidentId, channel, bodyFor(records, pending.incidentId, channel, update), delivery, Math.max(0, (delivery.nextAttemptAt ?? 0) - this.options.now()))
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
    this.later(() => this.attempt(incidentId, channel, body, delivery), delayMs)
  }

  private async attempt(incidentId: string, channel: Channel, body: string, delivery: Delivery): Promise<void> {
    if (this.stopping) return
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'WarRoom-Webhooks/1',
      'X-WarRoom-Delivery': `${delivery.updateId}/${delivery.channelId}`,
    }
    if (channel.secret) headers[SIGNATURE_HEADER] = signBody(channel.secret, body, Math.floor(this.options.now() / 1000))
    const outcome = await this.send(channel.url, headers, body, delivery.attempts)
    delivery.state = outcome.state
    if (outcome.retryInMs !== undefined) delivery.nextAttemptAt = this.options.now() + outcome.retryInMs
    else delete delivery.nextAttemptAt
    await this.record(incidentId, delivery, outcome.failure)
    if (outcome.retryInMs !== undefined) this.retryLater(incidentId, channel, body, delivery, outcome.retryInMs)
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
}
