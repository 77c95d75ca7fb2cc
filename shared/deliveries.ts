// The delivery log of outgoing webhooks, written by the host into the document
// (`deliveries`) so every board shows each attempt. Boards only read it.
import type * as Y from 'yjs'
import * as v from 'valibot'
import { deliveriesMap } from './schema'

const AttemptSchema = v.object({
  at: v.number(),
  ms: v.number(),
  /** The receiver's HTTP status, when it answered. */
  status: v.optional(v.number()),
  /** Why there was no answer ("timed out", "could not connect"). */
  error: v.optional(v.string()),
})

/** Where anything the host sends out stands (an update to a channel, a page): its attempts and what comes next. */
export const deliveryProgress = {
  state: v.picklist(['sending', 'retrying', 'delivered', 'failed']),
  attempts: v.array(AttemptSchema),
  nextAttemptAt: v.optional(v.number()),
}

export const DeliverySchema = v.object({
  updateId: v.string(),
  channelId: v.string(),
  channelName: v.string(),
  destination: v.string(),
  ...deliveryProgress,
})

export type Attempt = v.InferOutput<typeof AttemptSchema>
export type Delivery = v.InferOutput<typeof DeliverySchema>
export type DeliveryState = Delivery['state']

export const deliveryKey = (updateId: string, channelId: string): string => `${updateId}/${channelId}`

/** Every delivery, newest first attempt last; anything malformed is skipped. */
export const readDeliveries = (doc: Y.Doc): Delivery[] => {
  const deliveries: Delivery[] = []
  deliveriesMap(doc).forEach((value) => {
    const parsed = v.safeParse(DeliverySchema, value)
    if (parsed.success) deliveries.push(parsed.output)
  })
  return deliveries.sort((a, b) => (a.attempts[0]?.at ?? 0) - (b.attempts[0]?.at ?? 0))
}
