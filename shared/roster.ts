// The host's roster as it crosses the wire: the host stores and serves it, the
// board reads it. One schema for both sides of that boundary.
import * as v from 'valibot'

export const RosterPersonSchema = v.object({
  id: v.string(),
  name: v.string(),
  team: v.optional(v.string()),
  contact: v.optional(v.string()),
  skills: v.array(v.string()),
  createdAt: v.number(),
})

/** Someone who may be called into an incident: their id is their person id on every board. */
export type RosterPerson = v.InferOutput<typeof RosterPersonSchema>
