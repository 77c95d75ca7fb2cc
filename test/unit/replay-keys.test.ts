import { describe, expect, it } from 'vitest'
import { faster, neighbourMarker, replayAction, slower } from '../../renderer/replay/replay-keys'
import { parseRoute } from '../../renderer/app/router'
import { on, press } from './helpers/keys'

describe('the replay keys', () => {
  it('Space plays and pauses, arrows step between moments, [ and ] change speed, Home and End go to the ends', () => {
    expect([' ', 'ArrowLeft', 'ArrowRight', '[', ']', 'Home', 'End'].map((k) => replayAction(press(k)))).toEqual(['playPause', 'previous', 'next', 'slower', 'faster', 'start', 'end'])
  })

  it('does nothing while someone types, a dialog is open, a focused item used the key, or with a modifier', () => {
    expect(replayAction(press(' ', { target: on('INPUT') }))).toBeUndefined()
    expect(replayAction(press('ArrowLeft', { target: on('DIV', { role: 'slider' }) }))).toBeUndefined()
    expect(replayAction(press(']', { dialogOpen: true }))).toBeUndefined()
    expect(replayAction(press('Home', { defaultPrevented: true }))).toBeUndefined()
    expect(replayAction(press('ArrowRight', { ctrlKey: true }))).toBeUndefined()
  })

  it('leaves Space to a focused button or link, which it presses', () => {
    expect(replayAction(press(' ', { target: on('BUTTON') }))).toBeUndefined()
    expect(replayAction(press(' ', { target: on('DIV', { role: 'button' }) }))).toBeUndefined()
    // Other keys still work from a button.
    expect(replayAction(press('ArrowRight', { target: on('BUTTON') }))).toBe('next')
  })

  it('steps speed through the ladder and stops at its ends; a custom speed steps to its neighbours', () => {
    expect(faster(1)).toBe(2)
    expect(faster(60)).toBe(120)
    expect(faster(600)).toBe(600)
    expect(slower(60)).toBe(30)
    expect(slower(0.25)).toBe(0.25)
    expect(faster(7)).toBe(10)
    expect(slower(7)).toBe(5)
  })

  it('finds the moment strictly before or after now', () => {
    const markers = [{ at: 10 }, { at: 20 }, { at: 30 }]
    expect(neighbourMarker(markers, 20, 'next')).toEqual({ at: 30 })
    expect(neighbourMarker(markers, 20, 'previous')).toEqual({ at: 10 })
    expect(neighbourMarker(markers, 25, 'previous')).toEqual({ at: 20 })
    expect(neighbourMarker(markers, 30, 'next')).toBeUndefined()
    expect(neighbourMarker(markers, 10, 'previous')).toBeUndefined()
  })
})

describe('replay addresses', () => {
  it('opens /replay/<id> at the moment in ?at=, and ignores an at that is no number', () => {
    expect(parseRoute('/replay/abc_1', '?at=1795528800000')).toEqual({ page: 'replay', incidentId: 'abc_1', at: 1795528800000 })
    expect(parseRoute('/replay/abc_1', '?at=soon')).toEqual({ page: 'replay', incidentId: 'abc_1' })
    expect(parseRoute('/replay/abc_1', '?at=')).toEqual({ page: 'replay', incidentId: 'abc_1' })
    expect(parseRoute('/replay/abc_1/', '')).toEqual({ page: 'replay', incidentId: 'abc_1' })
    expect(parseRoute('/replay/../etc', '')).toEqual({ page: 'not-found' })
  })
})
