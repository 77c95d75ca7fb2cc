import type { Person } from '../../shared/people'
import type { TimelineKind } from '../../shared/schema'
import type { TimelineFilter } from '../../shared/timeline'
import { KIND_LABELS } from './labels'

const FILTER_KINDS: TimelineKind[] = ['note', 'decision', 'action', 'observation', 'event']

export const TimelineFilters = ({
  filter,
  onChange,
  people,
  shown,
  total,
}: {
  filter: TimelineFilter
  onChange: (filter: TimelineFilter) => void
  people: ReadonlyMap<string, Person>
  shown: number
  total: number
}) => {
  const kinds = filter.kinds ?? new Set<TimelineKind>()
  const toggleKind = (kind: TimelineKind): void => {
    const next = new Set(kinds)
    if (next.has(kind)) next.delete(kind)
    else next.add(kind)
    onChange({ ...filter, kinds: next })
  }
  return (
    <div className="timeline-filters" role="group" aria-label="Filter the timeline">
      {FILTER_KINDS.map((kind) => (
        <button key={kind} type="button" aria-pressed={kinds.has(kind)} className={`chip kind--${kind}`} onClick={() => toggleKind(kind)}>
          {KIND_LABELS[kind]}
        </button>
      ))}
      <select aria-label="Filter by person" value={filter.authorId ?? ''} onChange={(e) => onChange({ ...filter, authorId: e.target.value || undefined })}>
        <option value="">Everyone</option>
        {[...people.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
      </select>
      <button type="button" className="chip" aria-pressed={filter.starredOnly === true} onClick={() => onChange({ ...filter, starredOnly: !filter.starredOnly })}>
        ★ Key moments
      </button>
      <input type="search" aria-label="Search the timeline" placeholder="Search" value={filter.query ?? ''} onChange={(e) => onChange({ ...filter, query: e.target.value })} />
      <span className="muted filter-count" aria-live="polite">
        {shown === total ? `${total} entries` : `${shown} of ${total}`}
      </span>
    </div>
  )
}
