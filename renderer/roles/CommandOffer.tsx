import { readMeta } from '../../shared/incident'
import { assignRole, holderOf, readRoles } from '../../shared/roles'
import { useBoard } from '../board/BoardContext'
import { FormError, useAction } from '../common/useAction'
import { useDocValue } from '../sync/hooks'
import './roles.css'

/**
 * Whoever declared the incident is offered command at once, while nobody holds
 * it: take it, or give it to someone (one action, on the timeline either way).
 */
export const CommandOffer = () => {
  const { connection, canEdit, open } = useBoard()
  const { doc, identity } = connection
  const meta = useDocValue(doc, readMeta)
  const roles = useDocValue(doc, readRoles)
  const { error, run } = useAction()
  if (!canEdit || meta?.declaredBy !== identity.id || holderOf(roles, 'incidentCommander') !== undefined) return null
  return (
    <section className="board-prompt command-offer" aria-label="Command">
      <p>You declared this incident. Nobody is Incident Commander yet.</p>
      <button type="button" className="primary" onClick={() => run(() => assignRole(doc, connection.change(), 'incidentCommander', identity.id))}>
        I am IC
      </button>
      <button type="button" onClick={() => open({ kind: 'role', role: 'incidentCommander' })}>
        Assign IC…
      </button>
      <FormError message={error} />
    </section>
  )
}
