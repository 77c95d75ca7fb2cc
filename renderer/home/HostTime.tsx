import { useEffect, useState } from 'react'
import { formatDay, formatTimeOfDay } from '../../shared/clock'
import { formatDuration } from '../../shared/fatigue'
import { measureHostOffset } from '../app/api'

/**
 * Now on the host clock, moving every `everyMs`: alert and intake times are
 * host times, and this screen may be a browser on another machine. Until the
 * host answers (or if it cannot), the local clock. Read at each render, so a
 * card that re-renders on news (a silence just ended) sees the time of that news.
 */
export const useHostNow = (everyMs: number): number => {
  const [offset, setOffset] = useState(0)
  const [, setTick] = useState(Date.now)
  useEffect(() => {
    let cancelled = false
    measureHostOffset().then(
      (measured) => !cancelled && measured !== undefined && setOffset(measured),
      () => undefined,
    )
    return () => {
      cancelled = true
    }
  }, [])
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return Date.now() + offset
}

const ago = (ms: number): string => (ms < 60_000 ? 'under a minute ago' : `${formatDuration(ms)} ago`)

/** The clock time, with the day when it is not today's. */
const clockTime = (at: number, now: number): string => `${formatDay(at) === formatDay(now) ? '' : `${formatDay(at)} `}${formatTimeOfDay(at)}`

/** A host time as "12 min ago (14:02:05)", with the day when it is not today. */
export const When = ({ at, now }: { at: number; now: number }) => (
  <time dateTime={new Date(at).toISOString()}>
    {ago(now - at)} ({clockTime(at, now)})
  </time>
)

/** A host time to come as "until 17:02:05 (3 h 00 left)", with the day when it is not today. */
export const Until = ({ at, now }: { at: number; now: number }) => (
  <>
    until <time dateTime={new Date(at).toISOString()}>{clockTime(at, now)}</time> ({at - now < 60_000 ? 'under a minute' : formatDuration(at - now)} left)
  </>
)
