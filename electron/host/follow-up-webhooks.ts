// Follow-ups to a tracker: each follow-up added or changed goes, signed, to
// the channels marked "Follow-ups too", with the same retries and address
// rules as updates (outgoing.ts). A delivery given up is said on the
// incident's timeline. Drills never send. Unlike updates, an attempt still
// retrying when the host stops is not resumed: the next change sends the follow-up again.
import type { FollowUp } from '../../shared/follow-ups'
import { HOST_AUTHOR } from '../../shared/people'
import { plural } from '../../shared/plural'
import { appendEvent } from '../../shared/timeline'
import type { Attempt } from '../../shared/deliveries'
import { RetryingSender, SIGNATURE_HEADER, type SenderOptions, signBody } from './outgoing'
import { SYSTEM_ORIGIN } from './persistence/durable-incident'
import type { Channel, HostRecords } from './records'
import type { RoomRegistry } from './sync/registry'

export interface FollowUpSenderOptions extends SenderOptions {
  registry: RoomRegistry
  records: HostRecords
}

/** The body a tracker receives: JSON, or Slack's text for a Slack channel. */
export const followUpBody = (channel: Pick<Channel, 'format'>, incident: { id: string; title: string }, followUp: FollowUp): string =>
  JSON.stringify(
    channel.format === 'slack'
      ? { text: `Follow-up (${followUp.state}) for ${followUp.ownerName}: ${followUp.title} (${followUp.priority}${followUp.dueAt === undefined ? '' : `, due ${new Date(followUp.dueAt).toISOString().slice(0, 10)}`}) from "${incident.title}"` }
      : { type: 'followUp.changed', incidentId: incident.id, incidentTitle: incident.title, followUp },
  )

export class FollowUpWebhooks extends RetryingSender {
  constructor(private readonly options: FollowUpSenderOptions) {
    super(options)
  }

  /** Send these follow-ups of an incident to every channel that takes follow-ups; returns at once. */
  deliver(incidentId: string, followUps: readonly FollowUp[]): void {
    const { records } = this.options
    const incident = records.find(incidentId)
    if (!incident || records.drill(incidentId) !== undefined) return
    for (const channel of records.channelsWithSecrets()) {
      if (!channel.followUps || channel.url === undefined) continue
      for (const followUp of followUps) this.track(this.attempt(incidentId, channel, followUp, followUpBody(channel, incident, followUp), []))
    }
  }

  private async attempt(incidentId: string, channel: Channel, followUp: FollowUp, body: string, attempts: Attempt[]): Promise<void> {
    if (this.stopping) return
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'WarRoom-Webhooks/1', 'X-WarRoom-Delivery': `followUp/${followUp.id}/${channel.id}` }
    if (channel.secret) headers[SIGNATURE_HEADER] = signBody(channel.secret, body, Math.floor(this.options.now() / 1000))
    const outcome = await this.send(channel.url, headers, body, attempts)
    if (outcome.retryInMs !== undefined) return this.later(() => this.attempt(incidentId, channel, followUp, body, attempts), outcome.retryInMs)
    if (outcome.state !== 'failed' || this.stopped) return
    await this.options.registry.withRoom(incidentId, (room) =>
      room.doc.transact(() => {
        appendEvent(
          room.doc,
          { by: HOST_AUTHOR, at: this.options.now() },
          { type: 'followUp.deliveryFailed', followUpId: followUp.id, channelId: channel.id },
          `Follow-up “${followUp.title}” not delivered to ${channel.name} after ${plural(attempts.length, 'attempt')} (${outcome.failure ?? 'failed'})`,
        )
      }, SYSTEM_ORIGIN),
    )
  }
}
