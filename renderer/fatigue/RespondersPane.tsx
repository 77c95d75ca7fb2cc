import { memo } from 'react'
import { endRest, returnToIncident } from '../../shared/duty'
import { type Fatigue, type FatigueLevel, formatDuration } from '../../shared/fatigue'
import { type Person, readPeople } from '../../shared/people'
import { ROLE_SHORT_LABELS, readRoles, rolesOf } from '../../shared/roles'
import { useBoard } from '../board/BoardContext'
import { FormError, useAction } from '../common/useAction'
import { useDocValue } from '../sync/hooks'
import { FatigueBadge, fatigueLabel } from './FatigueBadge'
import { useFatigue } from './useFatigue'
import './fatigue.css'

const ORDER: Record<FatigueLevel, number> = { overdue: 0, due: 1, fresh: 2, resting: 3, released: 4 }

/** `detail`: a figure the wall screen leaves to the laptops, so that everyone's row fits on it. */
const Figure = ({ label, ms, detail = false }: { label: string; ms: number | undefined; detail?: boolean }) =>
  ms === undefined ? null : (
    <span className={detail ? 'figure figure--detail' : 'figure'}>
      <span className="figure-label">{label}</span> {formatDuration(ms)}
    </span>
  )

const ResponderRow = memo(({ person, fatigue, roles }: { person: Person; fatigue: Fatigue; roles: string }) => {
  const { connection, canEdit, open } = useBoard()
  const { error, run } = useAction()
  const { doc } = connection
  const me = person.id === connection.identity.id
  return (
    <li className={`responder responder--${fatigue.level}`} aria-label={`${person.name}: ${fatigueLabel(fatigue)}${fatigue.reasons.length ? `, ${fatigue.reasons.join(', ')}` : ''}`}>
      <div className="responder-line">
        <span className="responder-name" style={{ color: person.color }} title={person.name}>
          {person.name}
        </span>
        {roles && <span className="responder-roles muted">{roles}</span>}
        <FatigueBadge fatigue={fatigue} />
        {canEdit && (
          <span className="responder-actions">
            {fatigue.level === 'resting' && (
              <button type="button" onClick={() => run(() => endRest(doc, connection.change(), person.id, me ? 'return' : 'recall'))}>
                {me ? 'I am back' : 'Recall'}
              </button>
            )}
            {fatigue.level === 'released' && (
              <button type="button" onClick={() => run(() => returnToIncident(doc, connection.change(), person.id))}>
                Bring back
              </button>
            )}
            {fatigue.level !== 'resting' && fatigue.level !== 'released' && (
              <>
                <button type="button" onClick={() => open({ kind: 'handOver', personId: person.id, then: 'rest' })} aria-label={`Send ${person.name} to rest`}>
                  Rest
                </button>
                <button type="button" onClick={() => open({ kind: 'handOver', personId: person.id, then: 'release' })} aria-label={`Release ${person.name} from the incident`}>
                  Release
                </button>
              </>
            )}
          </span>
        )}
      </div>
      {fatigue.reasons.length > 0 && <p className="responder-reasons">{fatigue.reasons.join(' · ')}</p>}
      <div className="responder-figures">
        <Figure label="On incident" ms={fatigue.onIncidentMs} />
        {fatigue.level !== 'resting' && fatigue.level !== 'released' && <Figure label="Since break" ms={fatigue.sinceBreakMs} />}
        <Figure label="In role" ms={fatigue.inRoleMs} detail />
        <Figure label="24 h" ms={fatigue.last24hMs} detail />
        <Figure label="7 d" ms={fatigue.last7dMs} detail />
      </div>
      <FormError message={error} />
    </li>
  )
})
ResponderRow.displayName = 'ResponderRow'

/** Everyone's condition, live: who is fresh, who is due a break, who is resting until when. */
export const RespondersPane = () => {
  const { connection, canEdit, open } = useBoard()
  const people = useDocValue(connection.doc, readPeople)
  const roles = useDocValue(connection.doc, readRoles)
  const { fatigue } = useFatigue()
  const rows = [...people.values()]
    .filter((p) => fatigue.has(p.id))
    .sort((a, b) => ORDER[fatigue.get(a.id)!.level] - ORDER[fatigue.get(b.id)!.level] || a.name.localeCompare(b.name))
  const tired = rows.filter((p) => ['due', 'overdue'].includes(fatigue.get(p.id)!.level)).length
  return (
    <section className="pane responders-pane" aria-labelledby="responders-heading">
      <div className="pane-header">
        <h2 id="responders-heading">Responders</h2>
        <span className="muted" aria-live="polite">
          {tired > 0 ? `${tired} due a break` : 'everyone fresh'}
        </span>
        {canEdit && (
          <button type="button" className="reduce-scope" onClick={() => open({ kind: 'scope' })}>
            Reduce scope
          </button>
        )}
      </div>
      {/* Focusable: a keyboard can scroll a long list even where it holds no button (a read-only board). */}
      <ul className="responders" aria-label="Responders" tabIndex={0}>
        {rows.map((p) => (
          <ResponderRow key={p.id} person={p} fatigue={fatigue.get(p.id)!} roles={rolesOf(roles, p.id).map((r) => ROLE_SHORT_LABELS[r]).join(', ')} />
        ))}
      </ul>
    </section>
  )
}
