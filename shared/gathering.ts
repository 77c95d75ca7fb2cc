// Where responders gather: the incident's bridge (a video or phone link, with
// its PIN) and its chat channel. Set when the incident is declared (the host's
// default fills what is not given) or later from the board; shown in the
// header, the invite links and every page sent.
import * as v from 'valibot'
import type * as Y from 'yjs'
import { type Change, metaMap } from './schema'
import { appendEvent } from './timeline'

/** A meeting link (http(s), or a phone number as tel:) or a chat link: never javascript: or data:. */
const link = (field: string) =>
  v.pipe(
    v.string(`${field} must be a string`),
    v.trim(),
    v.maxLength(500, `${field} must be at most 500 characters`),
    v.regex(/^(https?:\/\/[^\s]+|tel:\+?[0-9 ()-]+)$/i, `${field} must be an http:// or https:// address or a tel: number`),
  )
const words = (field: string, max: number) => v.pipe(v.string(`${field} must be a string`), v.trim(), v.maxLength(max, `${field} must be at most ${max} characters`))

export const GatheringSchema = v.object({
  bridgeUrl: v.optional(link('bridgeUrl')),
  bridgePin: v.optional(words('bridgePin', 40)),
  chatUrl: v.optional(link('chatUrl')),
  /** "#inc-checkout": how people find the channel without the link. */
  chatName: v.optional(words('chatName', 80)),
})
export type Gathering = v.InferOutput<typeof GatheringSchema>

/** Nothing set that a person could use. */
export const isEmptyGathering = (g: Gathering): boolean => !g.bridgeUrl && !g.chatUrl && !g.chatName

/** Only the fields given with a value: an empty string clears a field. */
const compact = (g: Gathering): Gathering =>
  Object.fromEntries(Object.entries(g).filter(([, value]) => typeof value === 'string' && value !== '')) as Gathering

export const readGathering = (doc: Y.Doc): Gathering => {
  const parsed = v.safeParse(GatheringSchema, metaMap(doc).get('gathering') ?? {})
  return parsed.success ? compact(parsed.output) : {}
}

export class GatheringError extends Error {}

/** One line for the timeline, invites and pages: "Bridge https://meet.example.com/abc (PIN 4411) · Chat #inc-checkout". */
export const describeGathering = (g: Gathering): string =>
  [
    g.bridgeUrl ? `Bridge ${g.bridgeUrl}${g.bridgePin ? ` (PIN ${g.bridgePin})` : ''}` : '',
    g.chatUrl || g.chatName ? `Chat ${[g.chatName, g.chatUrl].filter(Boolean).join(' ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ')

/** Set where people meet (or change it); the timeline says what it is now. */
export const setGathering = (doc: Y.Doc, change: Change, place: unknown): void => {
  const parsed = v.safeParse(GatheringSchema, place)
  if (!parsed.success) throw new GatheringError(parsed.issues[0].message)
  const next = compact(parsed.output)
  const previous = readGathering(doc)
  if (JSON.stringify(next) === JSON.stringify(previous)) return
  doc.transact(() => {
    metaMap(doc).set('gathering', next)
    appendEvent(doc, change, { type: 'gathering.set', ...next }, isEmptyGathering(next) ? 'Bridge and chat cleared' : `Where we meet: ${describeGathering(next)}`)
  })
}
