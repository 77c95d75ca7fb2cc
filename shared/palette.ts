// The one palette of War Room: the board's colour tokens and the status page's
// colours. The board's stylesheet declares each entry as a custom property
// (`--bg`, `--panel-2`, …) in renderer/tokens.css, which a unit test
// (test/unit/palette.test.ts) holds equal to this file, together with the
// contrast of every pair of text and background the screens use; the status
// page (status-page.ts) builds its inline <style> from these values directly.
// Change a colour here, then in tokens.css: the test says what to write.

export const PALETTE = {
  // Surfaces, lines and text
  bg: '#0b0f14',
  panel: '#121a23',
  'panel-2': '#182330',
  border: '#2b3a4a',
  'border-soft': '#1c2733',
  text: '#eef3f8',
  muted: '#a9b8c8',
  backdrop: '#00000099',
  // Meaning
  accent: '#5cc8ff',
  focus: '#ffd43b',
  danger: '#ff5c5c',
  'danger-text': '#ffb3b3',
  warn: '#ffb020',
  ok: '#5be37d',
  'ok-dim': '#3d7a52',
  progress: '#7ee0b8',
  // The primary button: #eef3f8 on it is 5.2:1 (on the former #1f6feb, 4.15:1)
  primary: '#1b5fd1',
  'primary-border': '#3d8bff',
  // Tinted surfaces behind a state
  'surface-accent': '#0f2230',
  'surface-danger': '#2a1214',
  'surface-danger-strong': '#3a1216',
  'surface-warn': '#2a2410',
  'surface-warn-strong': '#3a2a00',
  'surface-ok': '#0f2a17',
  'surface-focus': '#1d1a10',
  'border-focus': '#4a3f14',
  'surface-starred': '#1a1e14',
  // Severity
  sev1: '#ff4d4f',
  sev2: '#ff8c1a',
  sev3: '#ffd43b',
  sev4: '#69db7c',
  sev5: '#8ecaff',
  // Timeline kinds
  'kind-note': '#c7d2de',
  'kind-decision': '#d0a2ff',
  'kind-action': '#5cc8ff',
  'kind-observation': '#7ee0b8',
  'kind-event': '#ffb74d',
  'event-text': '#ffd8a8',
  // Service graph
  edge: '#5b6b7c',
  'business-ring': '#223246',
  'status-operational': '#1f5135',
  'status-degraded': '#5a4512',
  'status-partial': '#6a2f12',
  'status-major': '#6d1b1e',
  // Charts
  'chart-night': '#1f5f8b',
  // Paper: the postmortem's print page
  'print-paper': '#ffffff',
  'print-ink': '#000000',
  'print-rule': '#999999',
} as const

export type PaletteName = keyof typeof PALETTE

/** The declarations renderer/tokens.css must hold, one a line, in this order. */
export const paletteDeclarations = (): string[] => Object.entries(PALETTE).map(([name, value]) => `--${name}: ${value};`)
