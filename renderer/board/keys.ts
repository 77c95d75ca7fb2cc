/**
 * The board's one rule for single keys:
 *
 *   A single key acts on the focused item when one is focused (a timeline
 *   entry: E or Enter edit, T re-date, S star; a task: A acknowledge, Enter
 *   open); a key the focused item does not use is a board-wide shortcut
 *   (T new task, R role, P people, U updates, / the timeline line, ? the list).
 *   No single key does anything while a text field, a select, a menu or a
 *   dialog has focus, nor while an input method is composing.
 *
 * Pure functions over the few facts of a key event they need, so they are
 * tested without a DOM; `keyFacts` reads those facts from a real event.
 */

/** The focused element, as far as shortcuts care. */
export interface TargetFacts {
  tagName: string
  isContentEditable: boolean
  /** Its ARIA role attribute, if any. */
  role: string | null
  /** Inside a <dialog>, a menu or a listbox. */
  insideOverlay: boolean
}

export interface KeyFacts {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  isComposing: boolean
  /** 229 while an input method handles the key (older browsers set only this). */
  keyCode: number
  /** Something nearer the focus (a focused item) already acted on the key. */
  defaultPrevented: boolean
  target: TargetFacts | undefined
  /** A modal dialog is open somewhere on the page. */
  dialogOpen: boolean
}

/** Roles of elements where letters are text or choices, not commands. */
const TYPING_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton', 'slider', 'listbox', 'option', 'menu', 'menubar', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'grid', 'gridcell', 'treegrid', 'tree', 'treeitem'])

/** An input method is composing: every key belongs to the composition. */
export const isComposing = (e: Pick<KeyFacts, 'isComposing' | 'keyCode'>): boolean => e.isComposing || e.keyCode === 229

/** The key goes to a text field (input, textarea, select, contenteditable, or an ARIA equivalent). */
export const isTextEntry = (target: TargetFacts | undefined): boolean =>
  target !== undefined && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/i.test(target.tagName) || (target.role !== null && TYPING_ROLES.has(target.role)))

/** Does this key event belong to someone typing (a field, or a composition under way)? */
export const belongsToTyping = (e: Pick<KeyFacts, 'isComposing' | 'keyCode' | 'target'>): boolean => isComposing(e) || isTextEntry(e.target)

/**
 * The key as a single-key command on the focused item (lower case: `t`, `enter`,
 * `arrowdown`), or undefined when it is not one: a modifier other than Shift
 * is held, or an input method is composing.
 */
export const plainKey = (e: Pick<KeyFacts, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing' | 'keyCode'>): string | undefined =>
  e.ctrlKey || e.metaKey || e.altKey || isComposing(e) ? undefined : e.key.toLowerCase()

/**
 * The key as a board-wide shortcut, or undefined when it must not be one:
 * a focused item used it, someone is typing, a dialog or menu is open, or a
 * modifier is held.
 */
export const boardKey = (e: KeyFacts): string | undefined => {
  if (e.defaultPrevented || e.dialogOpen || belongsToTyping(e) || e.target?.insideOverlay) return undefined
  return plainKey(e)
}

const OVERLAY = 'dialog, [role="dialog"], [role="alertdialog"], [role="menu"], [role="menubar"], [role="listbox"]'

/** The facts of a real key event (the only part that touches the DOM). */
export const keyFacts = (e: KeyboardEvent): KeyFacts => {
  const el = e.target instanceof Element ? e.target : undefined
  return {
    key: e.key,
    ctrlKey: e.ctrlKey,
    metaKey: e.metaKey,
    altKey: e.altKey,
    isComposing: e.isComposing,
    keyCode: e.keyCode,
    defaultPrevented: e.defaultPrevented,
    target: el && {
      tagName: el.tagName,
      isContentEditable: el instanceof HTMLElement && el.isContentEditable,
      role: el.getAttribute('role'),
      insideOverlay: el.closest(OVERLAY) !== null,
    },
    dialogOpen: document.querySelector('dialog[open]') !== null,
  }
}

/** What the `?` list shows: groups by where the keys work. `editOnly`: not on a read-only link. */
export interface ShortcutGroup {
  where: string
  keys: Array<{ keys: string; what: string; editOnly?: boolean }>
  desktopOnly?: boolean
  /** Only in a replay (replay/replay-keys.ts). */
  replayOnly?: boolean
}

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    where: 'Anywhere on the board',
    keys: [
      { keys: 'T', what: 'New task: title, owner, check-back', editOnly: true },
      { keys: 'R', what: 'Assign or hand over a role', editOnly: true },
      { keys: 'P', what: 'People on the incident, sub-teams' },
      { keys: 'U', what: 'Stakeholder updates: drafts, approval, publishing' },
      { keys: 'M', what: 'Milestones: when it was detected, acknowledged, mitigated…; severity history' },
      { keys: '/', what: 'Write on the timeline (the line at the bottom)', editOnly: true },
      { keys: 'F', what: 'Find a service on the graph (Enter: focus on it)' },
      { keys: '?', what: 'This list' },
    ],
  },
  {
    where: 'On a focused timeline entry',
    keys: [
      { keys: 'E or Enter', what: 'Edit its text', editOnly: true },
      { keys: 'T', what: 'Change its time (re-date it)', editOnly: true },
      { keys: 'S', what: 'Star or unstar it as a key moment', editOnly: true },
      { keys: '↑ / ↓', what: 'Previous or next entry' },
      { keys: 'Home / End', what: 'First or last entry' },
    ],
  },
  {
    where: 'While changing an entry',
    keys: [
      { keys: 'Enter', what: 'Done: a new time is saved', editOnly: true },
      { keys: 'Escape', what: 'Done: a new time is dropped (text is shared as you type)', editOnly: true },
    ],
  },
  {
    where: 'On a focused task',
    keys: [
      { keys: 'A', what: 'Acknowledge it (a task of yours, just assigned)', editOnly: true },
      { keys: 'Enter', what: 'Open or close its details', editOnly: true },
      { keys: '↑ / ↓', what: 'Previous or next task in the same list' },
      { keys: 'Home / End', what: 'First or last task in the list' },
    ],
  },
  {
    where: 'On a focused or selected service (graph)',
    keys: [
      { keys: 'Enter or Space', what: 'Open its details' },
      { keys: '← ↑ → ↓', what: 'The next connected service that way (else the nearest that way)' },
      { keys: '1 / 2 / 3 / 4', what: 'Its status: operational, degraded, partial outage, major outage', editOnly: true },
      { keys: 'Escape', what: 'Close its details' },
    ],
  },
  {
    where: 'In the timeline line',
    keys: [
      { keys: 'Enter', what: 'Add the entry', editOnly: true },
      { keys: 'Alt+N / D / A / O', what: 'Kind: note, decision, action, observation', editOnly: true },
      { keys: 'Escape', what: 'Back to the timeline entries', editOnly: true },
    ],
  },
  {
    where: 'In a dialog',
    keys: [
      { keys: 'Escape', what: 'Close it (an open list of suggestions first)' },
      { keys: 'Ctrl+Enter', what: 'In an update draft: publish it', editOnly: true },
    ],
  },
  {
    where: 'In a replay',
    replayOnly: true,
    keys: [
      { keys: 'Space', what: 'Play or pause' },
      { keys: '← / →', what: 'Previous or next moment (starred, status, severity, role, update, task, missed check-back)' },
      { keys: '[ / ]', what: 'Slower or faster' },
      { keys: 'Home / End', what: 'The declaration or the end' },
    ],
  },
  {
    where: 'Desktop app',
    desktopOnly: true,
    keys: [{ keys: 'F11', what: 'Full screen' }],
  },
]

/** The groups and keys that work for this person, here. */
export const shortcutsFor = (canEdit: boolean, desktop: boolean, replay = false): ShortcutGroup[] =>
  SHORTCUT_GROUPS.filter((g) => (desktop || !g.desktopOnly) && (replay || !g.replayOnly))
    .map((g) => ({ ...g, keys: g.keys.filter((k) => canEdit || !k.editOnly) }))
    .filter((g) => g.keys.length > 0)
