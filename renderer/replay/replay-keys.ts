// The replay's single keys (docs in the ? list): Space play/pause, ←/→ the
// previous/next moment, [ and ] slower/faster, Home/End the start/end. The
// board's one rule holds (keys.ts): nothing while someone types, a dialog is
// open or a focused item used the key; and Space is left to a focused button.
import { type KeyFacts, boardKey } from '../board/keys'

export type ReplayAction = 'playPause' | 'previous' | 'next' | 'slower' | 'faster' | 'start' | 'end'

const ACTIONS: Record<string, ReplayAction> = {
  ' ': 'playPause',
  arrowleft: 'previous',
  arrowright: 'next',
  '[': 'slower',
  ']': 'faster',
  home: 'start',
  end: 'end',
}

/** Elements Space presses (a button's own action comes first). */
const PRESSABLE = /^(BUTTON|A|SUMMARY)$/i
const PRESSABLE_ROLES = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem'])

export const replayAction = (e: KeyFacts): ReplayAction | undefined => {
  const key = boardKey(e)
  if (key === undefined) return undefined
  const target = e.target
  if (key === ' ' && target && (PRESSABLE.test(target.tagName) || (target.role !== null && PRESSABLE_ROLES.has(target.role)))) return undefined
  return ACTIONS[key]
}

/** The speeds `[` and `]` step through. */
export const SPEED_STEPS = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600] as const

export const slower = (speed: number): number => [...SPEED_STEPS].reverse().find((s) => s < speed) ?? SPEED_STEPS[0]

export const faster = (speed: number): number => SPEED_STEPS.find((s) => s > speed) ?? SPEED_STEPS.at(-1)!

/** The marker before or after `time` (markers in time order). */
export const neighbourMarker = <T extends { at: number }>(markers: readonly T[], time: number, direction: 'previous' | 'next'): T | undefined =>
  direction === 'next' ? markers.find((m) => m.at > time) : markers.findLast((m) => m.at < time)
