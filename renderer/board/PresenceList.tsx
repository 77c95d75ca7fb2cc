import { useLayoutEffect, useRef, useState } from 'react'
import { type PresentPerson, isTyping } from '../../shared/presence'
import type { BoardConnection } from '../sync/board-connection'
import { usePresence } from '../sync/hooks'
import { useBoard } from './BoardContext'

/**
 * How many chips fit in `room` on one line, the rest behind a "+N" of width
 * `more`. All of them when they fit without it.
 */
export const chipsThatFit = (widths: readonly number[], more: number, gap: number, room: number): number => {
  const all = widths.reduce((sum, w, i) => sum + w + (i > 0 ? gap : 0), 0)
  if (all <= room + 0.5) return widths.length
  let used = more
  let fit = 0
  while (fit < widths.length && used + gap + widths[fit]! <= room + 0.5) {
    used += gap + widths[fit]!
    fit++
  }
  return fit
}

/**
 * Who is here now, on one line: yourself first, then by name. When the line
 * runs out of room the rest collapse into "+N", a button whose name lists them
 * and which opens the People dialog. Chips that do not fit stay in the list,
 * invisible, so they can be measured.
 */
export const PresenceList = ({ connection, now }: { connection: BoardConnection; now: number }) => {
  const { open } = useBoard()
  const present = usePresence(connection)
  const self = connection.identity.id
  const people: PresentPerson[] = [...present.filter((p) => p.user.id === self), ...present.filter((p) => p.user.id !== self)]
  const typing = new Set(people.filter((p) => p.user.id !== self && isTyping(p, now)).map((p) => p.user.id))
  const listRef = useRef<HTMLUListElement>(null)
  const [fit, setFit] = useState(people.length)
  // What changes a chip's width: who, their name, whether they are typing.
  const shape = people.map((p) => `${p.user.id}\u0000${p.user.name}\u0000${typing.has(p.user.id) ? 1 : 0}`).join('\u0001')

  useLayoutEffect(() => {
    const list = listRef.current
    if (!list) return
    const measure = (): void => {
      const chips = [...list.querySelectorAll<HTMLElement>(':scope > .presence-person')]
      const more = list.querySelector<HTMLElement>(':scope > .presence-more')
      const gap = parseFloat(getComputedStyle(list).columnGap) || 0
      setFit(chipsThatFit(chips.map((c) => c.getBoundingClientRect().width), more?.getBoundingClientRect().width ?? 0, gap, list.clientWidth))
    }
    measure()
    let frame = 0
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(measure)
    })
    observer.observe(list)
    for (const child of list.children) observer.observe(child)
    return () => {
      cancelAnimationFrame(frame)
      observer.disconnect()
    }
  }, [shape])

  const shown = Math.min(fit, people.length)
  const hidden = people.slice(shown)
  const hiddenNames = hidden.map((p) => (typing.has(p.user.id) ? `${p.user.name} (typing)` : p.user.name))
  return (
    <ul className="presence" aria-label="Here now" ref={listRef}>
      {people.map((p, i) => (
        <li key={p.user.id} className={`presence-person${i >= shown ? ' is-hidden' : ''}`} style={{ borderColor: p.user.color }} title={p.user.id === self ? `${p.user.name} (you)` : p.user.name}>
          <span className="presence-dot" style={{ background: p.user.color }} aria-hidden="true" />
          <span className="presence-name">{p.user.name}</span>
          {p.user.id === self && <span className="muted"> (you)</span>}
          {typing.has(p.user.id) && <span className="presence-typing"> typing…</span>}
        </li>
      ))}
      <li className={`presence-more${hidden.length === 0 ? ' is-hidden' : ''}`}>
        <button type="button" aria-label={`+${hidden.length} more here: ${hiddenNames.join(', ')}`} title={hiddenNames.join('\n')} onClick={() => open({ kind: 'people' })}>
          +{hidden.length}
        </button>
      </li>
    </ul>
  )
}
