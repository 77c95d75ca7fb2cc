// Who was on the board when: the host records each person's connected periods
// (from their first connection to their last one closing). Presence in
// awareness says who is here this second; this is the durable record that
// "left at 14:32", fatigue and replay read. Only the host writes it, and it is
// bookkeeping, not a decision: it writes no timeline entry.
import type * as Y from 'yjs'
import { type Change, attendanceMap, isObject } from './schema'

export interface AttendancePeriod {
  from: number
  /** Absent while the person is still connected. */
  to?: number
}

/** A reconnect within this long continues the same period rather than starting a new one. */
export const RECONNECT_GRACE_MS = 2 * 60_000

const readPeriods = (value: unknown): AttendancePeriod[] => {
  if (!isObject(value) || !Array.isArray(value.periods)) return []
  return value.periods.flatMap((p: unknown) =>
    isObject(p) && typeof p.from === 'number' ? [{ from: p.from, ...(typeof p.to === 'number' ? { to: p.to } : {}) }] : [],
  )
}

export const readAttendance = (doc: Y.Doc): Map<string, AttendancePeriod[]> => {
  const attendance = new Map<string, AttendancePeriod[]>()
  attendanceMap(doc).forEach((value, personId) => attendance.set(personId, readPeriods(value)))
  return attendance
}

const write = (doc: Y.Doc, personId: string, periods: AttendancePeriod[]): void => {
  attendanceMap(doc).set(personId, { periods })
}

/** A person's first connection opened (`change.at` is the host's clock). */
export const markPresent = (doc: Y.Doc, change: Change, personId: string): void => {
  const periods = readPeriods(attendanceMap(doc).get(personId))
  const last = periods.at(-1)
  if (last && last.to === undefined) return
  if (last?.to !== undefined && change.at - last.to <= RECONNECT_GRACE_MS) {
    write(doc, personId, [...periods.slice(0, -1), { from: last.from }])
  } else {
    write(doc, personId, [...periods, { from: change.at }])
  }
}

/** A person's last connection closed. */
export const markAbsent = (doc: Y.Doc, change: Change, personId: string): void => {
  const periods = readPeriods(attendanceMap(doc).get(personId))
  const last = periods.at(-1)
  if (!last || last.to !== undefined) return
  write(doc, personId, [...periods.slice(0, -1), { from: last.from, to: change.at }])
}

/** When the host opens an incident nobody is connected to: close periods a crash left open. */
export const closeOpenPeriods = (doc: Y.Doc, at: number): void => {
  doc.transact(() => {
    for (const [personId, periods] of readAttendance(doc)) {
      const last = periods.at(-1)
      if (last && last.to === undefined) write(doc, personId, [...periods.slice(0, -1), { from: last.from, to: Math.max(last.from, at) }])
    }
  })
}

export const isConnected = (periods: readonly AttendancePeriod[] | undefined): boolean => {
  const last = periods?.at(-1)
  return last !== undefined && last.to === undefined
}

/** When the person was last on the board, if they are not now. */
export const leftAt = (periods: readonly AttendancePeriod[] | undefined): number | undefined => {
  const last = periods?.at(-1)
  return last?.to
}

/** Whose connection is open in this document (a replay's moment shows who was there then). */
export const connectedIds = (doc: Y.Doc): string[] => [...readAttendance(doc)].filter(([, periods]) => isConnected(periods)).map(([id]) => id)
