// Host time on every screen: clients estimate their offset from the host on
// connect, and every duration is computed from stored host timestamps.

export interface ClockSample {
  /** Local time the request left. */
  sentAt: number
  /** Host time in the answer. */
  hostTime: number
  /** Local time the answer arrived. */
  receivedAt: number
}

/**
 * Offset to add to the local clock to get host time: the sample with the
 * shortest round trip wins (NTP's rule), assuming the answer was stamped half
 * way through it.
 */
export const estimateOffset = (samples: readonly ClockSample[]): number | undefined => {
  let best: ClockSample | undefined
  for (const s of samples) {
    if (s.receivedAt < s.sentAt) continue
    if (!best || s.receivedAt - s.sentAt < best.receivedAt - best.sentAt) best = s
  }
  if (!best) return undefined
  return best.hostTime + (best.receivedAt - best.sentAt) / 2 - best.receivedAt
}

export class HostClock {
  offset = 0
  constructor(private readonly localNow: () => number = Date.now) {}
  now = (): number => this.localNow() + this.offset
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** "42:07" under an hour, "3:02:07" after, "2d 03:02:07" after a day. */
export const formatElapsed = (ms: number): string => {
  const total = Math.max(0, Math.floor(ms / 1000))
  const days = Math.floor(total / 86_400)
  const hours = Math.floor((total % 86_400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  if (days > 0) return `${days}d ${pad(hours)}:${pad(minutes)}:${pad(seconds)}`
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`
  return `${pad(minutes)}:${pad(seconds)}`
}

/** Local wall-clock time of a host timestamp, "14:02:05". */
export const formatTimeOfDay = (at: number): string => {
  const d = new Date(at)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** Local calendar day of a host timestamp, "2026-11-24": the timeline's date separator. */
export const formatDay = (at: number): string => {
  const d = new Date(at)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Value for an `<input type="datetime-local" step="1">`, in local time. */
export const toDateTimeLocal = (at: number): string => {
  const d = new Date(at)
  return `${formatDay(at)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/**
 * A local calendar day ("2026-11-24", an `<input type="date">` value) as host
 * time: its first millisecond, or with `end` its last (due on a day means by its end).
 */
export const localDayBound = (value: string, end = false): number | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return undefined
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + (end ? 1 : 0)).getTime()
  return end ? day - 1 : day
}
