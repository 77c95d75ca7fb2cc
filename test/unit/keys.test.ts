import { describe, expect, it } from 'vitest'
import { belongsToTyping, boardKey, isComposing, isTextEntry, plainKey, shortcutsFor } from '../../renderer/board/keys'
import { on, press } from './helpers/keys'

describe('does a key event belong to a text field', () => {
  it('inputs, textareas, selects and contenteditable are text fields', () => {
    for (const tag of ['INPUT', 'TEXTAREA', 'SELECT', 'input']) expect(isTextEntry(on(tag))).toBe(true)
    expect(isTextEntry(on('DIV', { isContentEditable: true }))).toBe(true)
  })

  it('so are their ARIA equivalents: textbox, combobox, searchbox, spinbutton, listbox and menus', () => {
    for (const role of ['textbox', 'combobox', 'searchbox', 'spinbutton', 'listbox', 'option', 'menu', 'menuitem']) {
      expect(isTextEntry(on('DIV', { role }))).toBe(true)
    }
  })

  it('the page, a button, a focused entry or task are not', () => {
    expect(isTextEntry(undefined)).toBe(false)
    expect(isTextEntry(on('BODY'))).toBe(false)
    expect(isTextEntry(on('BUTTON'))).toBe(false)
    expect(isTextEntry(on('DIV', { role: 'listitem' }))).toBe(false)
  })

  it('an input method composing owns every key, wherever focus is', () => {
    expect(isComposing({ isComposing: true, keyCode: 84 })).toBe(true)
    expect(isComposing({ isComposing: false, keyCode: 229 })).toBe(true)
    expect(isComposing({ isComposing: false, keyCode: 84 })).toBe(false)
    expect(belongsToTyping({ isComposing: true, keyCode: 84, target: on('BODY') })).toBe(true)
    expect(belongsToTyping({ isComposing: false, keyCode: 229, target: on('DIV', { role: 'listitem' }) })).toBe(true)
    expect(belongsToTyping({ isComposing: false, keyCode: 84, target: on('TEXTAREA') })).toBe(true)
    expect(belongsToTyping({ isComposing: false, keyCode: 84, target: on('BODY') })).toBe(false)
  })
})

describe('board-wide single keys', () => {
  it('fire on the page and on a focused item that did not use the key, in lower case', () => {
    expect(boardKey(press('t'))).toBe('t')
    expect(boardKey(press('T'))).toBe('t')
    expect(boardKey(press('?'))).toBe('?')
    expect(boardKey(press('r', { target: on('DIV', { role: 'listitem' }) }))).toBe('r')
  })

  it('never fire while someone types, composes, or a dialog or menu is open', () => {
    expect(boardKey(press('t', { target: on('INPUT') }))).toBeUndefined()
    expect(boardKey(press('t', { target: on('DIV', { isContentEditable: true }) }))).toBeUndefined()
    expect(boardKey(press('t', { target: on('SELECT') }))).toBeUndefined()
    expect(boardKey(press('t', { isComposing: true }))).toBeUndefined()
    expect(boardKey(press('t', { keyCode: 229 }))).toBeUndefined()
    expect(boardKey(press('t', { dialogOpen: true }))).toBeUndefined()
    expect(boardKey(press('t', { target: on('BUTTON', { insideOverlay: true }) }))).toBeUndefined()
  })

  it('leave a key the focused item used, and keys with Ctrl, Alt or Meta, alone', () => {
    expect(boardKey(press('t', { defaultPrevented: true }))).toBeUndefined()
    expect(boardKey(press('t', { ctrlKey: true }))).toBeUndefined()
    expect(boardKey(press('t', { altKey: true }))).toBeUndefined()
    expect(boardKey(press('t', { metaKey: true }))).toBeUndefined()
  })

  it('an item reads its keys the same way: Shift is fine, other modifiers and compositions are not', () => {
    expect(plainKey(press('S'))).toBe('s')
    expect(plainKey(press('Enter'))).toBe('enter')
    expect(plainKey(press('ArrowDown'))).toBe('arrowdown')
    expect(plainKey(press('s', { ctrlKey: true }))).toBeUndefined()
    expect(plainKey(press('s', { isComposing: true }))).toBeUndefined()
  })
})

describe('the ? list', () => {
  it('shows a read-only link only what it can do, and F11 only in the desktop app', () => {
    const keys = (canEdit: boolean, desktop: boolean) => Object.fromEntries(shortcutsFor(canEdit, desktop).map((g) => [g.where, g.keys.map((k) => k.keys)]))
    expect(keys(false, false)).toEqual({
      'Anywhere on the board': ['P', 'U', 'M', 'F', '?'],
      'On a focused timeline entry': ['↑ / ↓', 'Home / End'],
      'On a focused task': ['↑ / ↓', 'Home / End'],
      'On a focused or selected service (graph)': ['Enter or Space', '← ↑ → ↓', 'Escape'],
      'In a dialog': ['Escape'],
    })
    expect(keys(true, false)['Desktop app']).toBeUndefined()
    expect(keys(true, true)['Desktop app']).toEqual(['F11'])
    expect(keys(true, false)['Anywhere on the board']).toEqual(['T', 'R', 'P', 'U', 'M', '/', 'F', '?'])
  })
})
