import { useState } from 'react'
import { reduceScope } from '../../shared/handover'
import { readPeople } from '../../shared/people'
import { readRoles, rolesOf } from '../../shared/roles'
import { isOpen } from '../../shared/tasks'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import { useDocValue } from '../sync/hooks'
import { useFatigue } from './useFatigue'
import './fatigue.css'

/** "Reduce scope": tick who stays; everyone else is released at once. */
export const ReduceScopeDialog = ({ onClose }: { onClose: () => void }) => {
  const { connection } = useBoard()
  const { doc } = connection
  const people = useDocValue(doc, readPeople)
  const roles = useDocValue(doc, readRoles)
  const { fatigue } = useFatigue()
  const openTasks = connection.tasks.all().filter((t) => isOpen(t.status))
  const onDuty = [...people.values()].filter((p) => {
    const level = fatigue.get(p.id)?.level
    return level !== undefined && level !== 'released'
  })
  // People with a role or open work stay until they hand it over.
  const busy = (id: string): string | undefined => {
    const held = rolesOf(roles, id).length
    const owned = openTasks.filter((t) => t.ownerId === id).length
    return held || owned ? [held ? `${held} role${held > 1 ? 's' : ''}` : '', owned ? `${owned} open task${owned > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ') : undefined
  }
  const [stays, setStays] = useState(() => new Set(onDuty.filter((p) => busy(p.id)).map((p) => p.id)))
  const { error, run } = useAction()
  const leaving = onDuty.filter((p) => !stays.has(p.id))

  return (
    <Dialog title="Reduce scope: who stays?" onClose={onClose}>
      <div className="dialog-form">
        <fieldset className="scope-list">
          <legend>Stays on the incident</legend>
          {onDuty.map((p) => {
            const why = busy(p.id)
            return (
              <label key={p.id} className="choice">
                <input
                  type="checkbox"
                  checked={stays.has(p.id)}
                  disabled={why !== undefined}
                  onChange={(e) =>
                    setStays((s) => {
                      const next = new Set(s)
                      if (e.target.checked) next.add(p.id)
                      else next.delete(p.id)
                      return next
                    })
                  }
                />
                {p.name}
                {why && <span className="muted"> — holds {why}: hand over first</span>}
              </label>
            )
          })}
        </fieldset>
        <FormError message={error} />
        <div className="dialog-actions">
          <button
            type="button"
            className="primary"
            disabled={leaving.length === 0}
            onClick={() => run(() => reduceScope(doc, connection.change(), { release: leaving.map((p) => p.id) })) && onClose()}
          >
            Release {leaving.length} {leaving.length === 1 ? 'person' : 'people'}
          </button>
        </div>
      </div>
    </Dialog>
  )
}
