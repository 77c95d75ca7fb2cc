// The deputy's job, automated: say out loud how long the incident has run, and
// keep the list of check-backs that are due.

export const MARK_EVERY_MINUTES = 10

/** The latest "N-minute mark" passed (10, 20, 30…), or undefined in the first ten minutes. */
export const minuteMark = (startedAt: number, now: number, everyMinutes = MARK_EVERY_MINUTES): number | undefined => {
  const minutes = Math.floor((now - startedAt) / 60_000)
  const mark = Math.floor(minutes / everyMinutes) * everyMinutes
  return mark >= everyMinutes ? mark : undefined
}

/** "the 90-minute mark" reads worse than "the 1 h 30 min mark" on a wall at 3 m. */
export const describeMark = (minutes: number): string => {
  if (minutes < 60) return `${minutes}-minute`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0 ? `${hours}-hour` : `${hours} h ${rest} min`
}

export const markCallout = (minutes: number): string => `The incident is now at the ${describeMark(minutes)} mark.`
