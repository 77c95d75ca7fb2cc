import { askMitigated, dismissMitigatedPrompt } from '../../shared/incident-alerts'
import { setIncidentStatus } from '../../shared/incident'
import { useBoard } from '../board/BoardContext'
import { FormError, useAction } from '../common/useAction'
import { useDocValue } from '../sync/hooks'
import './alerts.css'

/**
 * Every alert of the incident has resolved: the IC is asked, never overruled.
 * "Mark mitigated" moves the incident to monitoring (which sets Mitigated);
 * "Not yet" keeps it as it is until alerts resolve again.
 */
export const MitigationPrompt = () => {
  const { connection, canEdit } = useBoard()
  const { doc } = connection
  const ask = useDocValue(doc, askMitigated)
  const { error, run } = useAction()
  if (!canEdit || !ask) return null
  return (
    <div className="board-prompt mitigation-prompt" role="alert">
      <p>
        <strong>All alerts resolved: mark mitigated?</strong> The incident moves to monitoring; it is not resolved.
      </p>
      <button type="button" className="primary" onClick={() => run(() => setIncidentStatus(doc, connection.change(), 'monitoring'))}>
        Mark mitigated
      </button>
      <button type="button" onClick={() => run(() => dismissMitigatedPrompt(doc, connection.change()))}>
        Not yet
      </button>
      <FormError message={error} />
    </div>
  )
}
