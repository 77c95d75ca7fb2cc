// What the host says about itself to every board: whether it can save, and
// when its settings last changed (boards fetch them again). It travels as the
// host's own awareness state (so it reaches every screen at once, view links
// too, and vanishes when the host does); storage also in /api/health.
import * as v from 'valibot'

export const StorageStateSchema = v.variant('ok', [
  v.object({ ok: v.literal(true) }),
  v.object({
    ok: v.literal(false),
    /** "disk full", "no permission to write", "the disk is read-only", "write error". */
    problem: v.pipe(v.string(), v.maxLength(100)),
    /** Host time of the first failed write. */
    since: v.number(),
  }),
])
export type StorageState = v.InferOutput<typeof StorageStateSchema>

/** The host's awareness state; people's states have `user` instead. */
export const HostPresenceSchema = v.object({
  host: v.object({
    /** Only while it cannot save. */
    storage: v.optional(StorageStateSchema),
    /** Host time its settings (fatigue thresholds, update settings, channels) last changed. */
    settingsAt: v.optional(v.number()),
  }),
})
export type HostPresence = v.InferOutput<typeof HostPresenceSchema>
export type HostState = HostPresence['host']

const readHostState = (states: ReadonlyMap<number, unknown>): HostState | undefined => {
  for (const state of states.values()) {
    const parsed = v.safeParse(HostPresenceSchema, state)
    if (parsed.success) return parsed.output.host
  }
  return undefined
}

/** The host's storage state among everyone's presence, when it has something to say (it cannot save). */
export const readHostStorage = (states: ReadonlyMap<number, unknown>): StorageState | undefined => readHostState(states)?.storage

/** When the host's settings last changed, as it says (0 before it has said). */
export const readSettingsAt = (states: ReadonlyMap<number, unknown>): number => readHostState(states)?.settingsAt ?? 0

/**
 * What a board says while the host cannot save. Boards that write keep their
 * changes (IndexedDB) until the host has them; a view link only reads.
 */
export const storageWarning = (state: Extract<StorageState, { ok: false }>, canEdit = true): string =>
  canEdit
    ? `The host cannot save: ${state.problem}. Changes are kept on your screens; do not close them.`
    : `The host cannot save: ${state.problem}. The responders' changes are kept on their screens until it can.`

/** A damaged file the host found and set aside, a lost key, an incident folder it did not know. */
export const ProblemSchema = v.object({
  at: v.number(),
  file: v.string(),
  problem: v.string(),
  setAsideAs: v.optional(v.string()),
})
export type Problem = v.InferOutput<typeof ProblemSchema>

/** `GET /api/problems` (host token). */
export const HostProblemsSchema = v.object({ storage: StorageStateSchema, problems: v.array(ProblemSchema) })
export type HostProblems = v.InferOutput<typeof HostProblemsSchema>
