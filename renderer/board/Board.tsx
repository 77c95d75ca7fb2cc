import { useEffect } from 'react'
import { readMeta } from '../../shared/incident'
import { joinIncident, readPeople } from '../../shared/people'
import type { AccessLevel } from '../app/api'
import { ErrorBoundary } from '../common/ErrorBoundary'
import { PaneState } from '../common/PaneState'
import type { IncidentConnection } from '../sync/connection'
import { useConnectionStatus, useDocValue } from '../sync/hooks'
import { TimelinePane } from '../timeline/TimelinePane'
import { BoardHeader } from './BoardHeader'

export const Board = ({ connection, access }: { connection: IncidentConnection; access: AccessLevel }) => {
  const status = useConnectionStatus(connection)
  const meta = useDocValue(connection.doc, readMeta)
  const canEdit = access !== 'view'
  const { doc, identity } = connection

  // Write "X joined" once the host's copy is here, so it is not written twice from stale local state.
  useEffect(() => {
    if (!canEdit || !status.everSynced || !readMeta(doc)) return
    const me = readPeople(doc).get(identity.id)
    if (!me || me.name !== identity.name) joinIncident(doc, connection.change(), { name: identity.name })
  }, [canEdit, status.everSynced, doc, identity, connection])

  if (!meta) {
    return (
      <main className="page">
        {status.localReady && status.link === 'offline' ? (
          <PaneState kind="error" title="Offline, and this incident was never opened on this device">
            <p>The board will appear as soon as the host can be reached.</p>
          </PaneState>
        ) : (
          <PaneState kind="loading" title="Loading the incident…" />
        )}
      </main>
    )
  }

  return (
    <div className="board">
      <BoardHeader connection={connection} meta={meta} access={access} status={status} />
      <main className="board-main">
        <ErrorBoundary what="the timeline">
          <TimelinePane connection={connection} canEdit={canEdit} />
        </ErrorBoundary>
      </main>
    </div>
  )
}
