import { type KeyboardEvent, useId, useMemo, useState } from 'react'
import './picker.css'

export interface Pickable {
  id: string
  name: string
  /** Shown after the name: roles, team, "not on the board yet". */
  note?: string
}

/**
 * Type-ahead for "who" (or "which service"): type a few letters, arrows to move, Enter to pick.
 * An ARIA combobox, so it is announced and usable without a mouse.
 */
export const Picker = ({
  label,
  people,
  value,
  onChange,
  autoFocus,
}: {
  label: string
  people: readonly Pickable[]
  value: string | undefined
  onChange: (personId: string | undefined) => void
  autoFocus?: boolean
}) => {
  const listId = useId()
  const chosen = people.find((p) => p.id === value)
  const [query, setQuery] = useState(chosen?.name ?? '')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase()
    return (q ? people.filter((p) => p.name.toLowerCase().includes(q)) : people).slice(0, 8)
  }, [people, query])

  const pick = (person: Pickable | undefined): void => {
    onChange(person?.id)
    setQuery(person?.name ?? '')
    setOpen(false)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setOpen(true)
      setActive((i) => Math.min(i + 1, matches.length - 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((i) => Math.max(i - 1, 0))
    } else if (e.key === 'Enter' && open && matches[active]) {
      e.preventDefault()
      pick(matches[active])
    } else if (e.key === 'Escape' && open) {
      e.preventDefault()
      e.stopPropagation()
      setOpen(false)
    }
  }

  return (
    <div className="picker">
      <label>
        {label}
        <input
          role="combobox"
          aria-expanded={open && matches.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && matches[active] ? `${listId}-${matches[active].id}` : undefined}
          value={query}
          autoFocus={autoFocus}
          data-autofocus={autoFocus || undefined}
          autoComplete="off"
          onChange={(e) => {
            setQuery(e.target.value)
            setOpen(true)
            setActive(0)
            const exact = people.find((p) => p.name.toLowerCase() === e.target.value.trim().toLowerCase())
            onChange(exact?.id)
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
      </label>
      {open && matches.length > 0 && (
        // Pressing in the list (an option, its scrollbar) keeps focus in the field, so leaving the field can close the list at once.
        <ul id={listId} role="listbox" aria-label={`${label}: suggestions`} className="picker-list" onMouseDown={(e) => e.preventDefault()}>
          {matches.map((p, i) => (
            <li
              key={p.id}
              id={`${listId}-${p.id}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'is-active' : undefined}
              onClick={() => pick(p)}
            >
              {p.name}
              {p.note && <span className="muted"> · {p.note}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
