/**
 * CSV (RFC 4180) for spreadsheets and trackers: every cell quoted where it
 * must be, and text that a spreadsheet would run as a formula (= + - @, a tab
 * or a carriage return first) starts with an apostrophe, since titles and
 * names are typed by anyone on an incident.
 */
export type CsvCell = string | number | undefined | null

const cell = (value: CsvCell): string => {
  if (value === undefined || value === null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const toCsv = (header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string =>
  [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
