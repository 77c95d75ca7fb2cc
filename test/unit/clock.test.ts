import { describe, expect, it } from 'vitest'
import { HostClock, estimateOffset, formatElapsed, localDayBound, toDateTimeLocal } from '../../shared/clock'

describe('host clock offset', () => {
  it('trusts the sample with the shortest round trip', () => {
    // Host is 5 s ahead. The slow sample (400 ms) would suggest a different offset.
    const offset = estimateOffset([
      { sentAt: 1000, hostTime: 6300, receivedAt: 1400 },
      { sentAt: 2000, hostTime: 7010, receivedAt: 2020 },
    ])
    expect(offset).toBe(5000)
  })

  it('ignores impossible samples and has no answer without any', () => {
    expect(estimateOffset([{ sentAt: 10, hostTime: 0, receivedAt: 5 }])).toBeUndefined()
    expect(estimateOffset([])).toBeUndefined()
  })

  it('reads host time as local time plus the offset', () => {
    let local = 1000
    const clock = new HostClock(() => local)
    clock.offset = -250
    expect(clock.now()).toBe(750)
    local = 2000
    expect(clock.now()).toBe(1750)
  })
})

describe('formatting', () => {
  it.each([
    [0, '00:00'],
    [59_999, '00:59'],
    [61_000, '01:01'],
    [3_600_000 + 62_000, '1:01:02'],
    [26 * 3_600_000 + 5_000, '1d 02:00:05'],
    [-5000, '00:00'],
  ])('%i ms elapsed reads %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text)
  })

  it('round-trips a datetime-local value in local time', () => {
    const at = new Date(2026, 10, 24, 23, 59, 58).getTime()
    expect(toDateTimeLocal(at)).toBe('2026-11-24T23:59:58')
    expect(new Date(toDateTimeLocal(at)).getTime()).toBe(at)
  })

  it('reads a date field as its local day, from its first to its last millisecond', () => {
    expect(localDayBound('2026-11-24')).toBe(new Date(2026, 10, 24).getTime())
    expect(localDayBound('2026-11-24', true)).toBe(new Date(2026, 10, 25).getTime() - 1)
    expect(localDayBound('2026-12-31', true)).toBe(new Date(2027, 0, 1).getTime() - 1)
    expect(localDayBound('')).toBeUndefined()
    expect(localDayBound('24/11/2026')).toBeUndefined()
  })
})
