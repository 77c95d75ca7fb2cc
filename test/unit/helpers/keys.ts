import type { KeyFacts, TargetFacts } from '../../../renderer/board/keys'

/** A focused element, as the shortcut rules see it. */
export const on = (tagName: string, more: Partial<TargetFacts> = {}): TargetFacts => ({ tagName, isContentEditable: false, role: null, insideOverlay: false, ...more })

/** A key pressed on the page's body, with nothing held, unless `more` says otherwise. */
export const press = (key: string, more: Partial<KeyFacts> = {}): KeyFacts => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  isComposing: false,
  keyCode: key.length === 1 ? key.toUpperCase().charCodeAt(0) : 0,
  defaultPrevented: false,
  target: on('BODY'),
  dialogOpen: false,
  ...more,
})
