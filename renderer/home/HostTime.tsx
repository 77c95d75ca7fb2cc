import { useEffect, useState } from 'react'
import { formatDay, formatTimeOfDay } from '../../shared/clock'
import { formatDuration } from '../../shared/fatigue'
import { measureHostOffset } from '../app/api'

/**
 * Now on the host clock, moving every `everyMs`: alert and intake times are
 * host times, and this screen may be a browser on another machine. Until the
 * host answers (or if it cannot), the local clock.
 */
export const useHostNow = (everyMs: number): number => {
  const [offset, setOffset] = useState(0)
  const [local, setLocal] = useState(Date.now)
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
    const timer = setInterval(() => setLocal(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return local + offset
}

const ago = (ms: number): string => (ms < 60_000 ? 'under a minute ago' : `${formatDuration(ms)} ago`)

/** A host time as "12 min ago (14:02:05)", with the day when it is not today. */
export const When = ({ at, now }: { at: number; now: number }) => (
  <time dateTime={new Date(at).toISOString()}>
    {ago(now - at)} ({formatDay(at) === formatDay(now) ? '' : `${formatDay(at)} `}
    {formatTimeOfDay(at)})
  </time>
)
