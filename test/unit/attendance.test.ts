import { describe, expect, it } from 'vitest'
import { RECONNECT_GRACE_MS, closeOpenPeriods, isConnected, leftAt, markAbsent, markPresent, readAttendance } from '../../shared/attendance'
import { T0, at, declaredDoc } from './helpers/doc'

describe('attendance', () => {
  it('records when someone arrives and leaves; a quick reconnect continues the same period', () => {
    const doc = declaredDoc()
    markPresent(doc, at(0, 'host'), 'alice')
    markPresent(doc, at(5, 'host'), 'alice')
    markAbsent(doc, at(60, 'host'), 'alice')
    expect(leftAt(readAttendance(doc).get('alice'))).toBe(T0 + 60_000)
    markPresent(doc, at(60 + RECONNECT_GRACE_MS / 1000 - 1, 'host'), 'alice')
    expect(readAttendance(doc).get('alice')).toEqual([{ from: T0 }])
    expect(isConnected(readAttendance(doc).get('alice'))).toBe(true)
    markAbsent(doc, at(600, 'host'), 'alice')
    markPresent(doc, at(3600, 'host'), 'alice')
    expect(readAttendance(doc).get('alice')).toEqual([{ from: T0, to: T0 + 600_000 }, { from: T0 + 3_600_000 }])
  })

  it('closes periods a crash left open when the host reopens the incident', () => {
    const doc = declaredDoc()
    markPresent(doc, at(0, 'host'), 'alice')
    markPresent(doc, at(10, 'host'), 'bob')
    markAbsent(doc, at(20, 'host'), 'bob')
    closeOpenPeriods(doc, T0 + 300_000)
    expect(readAttendance(doc)).toEqual(
      new Map([
        ['alice', [{ from: T0, to: T0 + 300_000 }]],
        ['bob', [{ from: T0 + 10_000, to: T0 + 20_000 }]],
      ]),
    )
  })
})
