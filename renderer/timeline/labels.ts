import type { TimelineKind } from '../../shared/schema'

export const KIND_LABELS: Record<TimelineKind, string> = {
  note: 'Note',
  decision: 'Decision',
  action: 'Action',
  observation: 'Observation',
  event: 'Board',
}

/** Alt+key picks the kind in the composer; the same letter works as a `/x` prefix. */
export const KIND_KEYS: Record<Exclude<TimelineKind, 'event'>, string> = {
  note: 'n',
  decision: 'd',
  action: 'a',
  observation: 'o',
}
