// Host settings for stakeholder updates: whether the IC must approve, the
// templates, the cadence, and the outgoing channels (webhooks). A channel's
// URL and secret never leave the host: boards see only its name and where it goes.
import * as v from 'valibot'
import { CadenceSettingsSchema, DEFAULT_CADENCE } from './cadence'
import { AUDIENCES, DEFAULT_TEMPLATES, TemplatesSchema } from './templates'

export const UpdateSettingsSchema = v.object({
  requireApproval: v.boolean('requireApproval must be true or false'),
  templates: TemplatesSchema,
  cadence: CadenceSettingsSchema,
})

export type UpdateSettings = v.InferOutput<typeof UpdateSettingsSchema>

export const DEFAULT_UPDATE_SETTINGS: UpdateSettings = {
  requireApproval: false,
  templates: DEFAULT_TEMPLATES,
  cadence: DEFAULT_CADENCE,
}

export const CHANNEL_FORMATS = ['slack', 'json'] as const
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number]

/** http(s) only, no credentials in the URL (they would show in logs and proxies). */
const WEBHOOK_URL = /^https?:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:[/?#][^\s]*)?$/i

export const WebhookUrlSchema = v.pipe(
  v.string('url must be a string'),
  v.trim(),
  v.maxLength(2000, 'url is at most 2000 characters'),
  v.regex(WEBHOOK_URL, 'url must be an http:// or https:// address without a user name or password'),
)

export const NewChannelSchema = v.object({
  name: v.pipe(v.string('name must be a string'), v.trim(), v.minLength(1, 'a channel needs a name'), v.maxLength(80)),
  url: WebhookUrlSchema,
  format: v.picklist(CHANNEL_FORMATS, 'format must be "slack" or "json"'),
  audiences: v.pipe(v.array(v.picklist(AUDIENCES, `audiences are ${AUDIENCES.join(', ')}`)), v.minLength(1, 'choose at least one audience')),
  /** Signs every body with HMAC-SHA256; at least 16 characters. */
  secret: v.optional(v.pipe(v.string(), v.minLength(16, 'a secret is at least 16 characters'), v.maxLength(200))),
  /** For drills: a drill's updates go to channels marked so, and only to them. */
  drills: v.optional(v.boolean('drills must be true or false')),
  /** Follow-ups go here too, as they are added and changed (for a tracker). */
  followUps: v.optional(v.boolean('followUps must be true or false')),
})

export type NewChannel = v.InferOutput<typeof NewChannelSchema>

/** What a board may know about a channel. */
export const ChannelViewSchema = v.object({
  id: v.string(),
  name: v.string(),
  format: v.picklist(CHANNEL_FORMATS),
  audiences: v.array(v.picklist(AUDIENCES)),
  /** Only the host name of the URL: the rest of a Slack webhook URL is its secret. */
  destination: v.string(),
  signed: v.boolean(),
  /** Marked for drills (and so the only channels a drill posts to). */
  drills: v.boolean(),
  /** Receives follow-ups as they change. */
  followUps: v.optional(v.boolean()),
})

export type ChannelView = v.InferOutput<typeof ChannelViewSchema>

export const PublicUpdateSettingsSchema = v.object({ ...UpdateSettingsSchema.entries, channels: v.array(ChannelViewSchema) })
export type PublicUpdateSettings = v.InferOutput<typeof PublicUpdateSettingsSchema>
