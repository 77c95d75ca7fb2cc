import { useCallback, useEffect, useMemo, useState } from 'react'
import { readMeta } from '../../shared/incident'
import { joinIncident, readPeople } from '../../shared/people'
import type { AccessLevel } from '../app/api'
import { ErrorBoundary } from '../common/ErrorBoundary'
import { PaneState } from '../common/PaneState'
import { DeputyBar } from '../deputy/DeputyBar'
import { HandOverDialog } from '../fatigue/HandOverDialog'
import { ReduceScopeDialog } from '../fatigue/ReduceScopeDialog'
import { RespondersPane } from '../fatigue/RespondersPane'
import { FatigueProvider } from '../fatigue/useFatigue'
import { PeopleDialog } from '../people/PeopleDialog'
import { RoleDialog } from '../roles/RoleDialog'
import type { IncidentConnection } from '../sync/connection'
import { useConnectionStatus, useDocValue } from '../sync/hooks'
import { NewTaskDialog } from '../tasks/NewTaskDialog'
import { TasksPane } from '../tasks/TasksPane'
import { TimelinePane } from '../timeline/TimelinePane'
import { BoardHeader } from './BoardHeader'
import { type Board as BoardValue, BoardProvider, type OpenDialog } from './BoardContext'
import { ShortcutsDialog, useShortcuts } from './Shortcuts'

const Dialogs = ({ dialog, onClose }: { dialog: OpenDialog | undefined; onClose: () => void }) => {
  if (!dialog) return null
  switch (dialog.kind) {
    case 'task':
      return <NewTaskDialog {...(dialog.ownerId ? { ownerId: dialog.ownerId } : {})} {...(dialog.title ? { title: dialog.title } : {})} onClose={onClose} />
    case 'role':
      return <RoleDialog {...(dialog.role ? { initialRole: dialog.role } : {})} onClose={onClose} />
    case 'people':
      return <PeopleDialog onClose={onClose} />
    case 'help':
      return <ShortcutsDialog onClose={onClose} />
    case 'handOver':
      return <HandOverDialog personId={dialog.personId} then={dialog.then} onClose={onClose} />
    case 'scope':
      return <ReduceScopeDialog onClose={onClose} />
  }
}

const Panes = ({ dialog, onClose }: { dialog: OpenDialog | undefined; onClose: () => void }) => {
  useShortcuts(dialog !== undefined)
  return (
    <>
      <DeputyBar />
      <main className="board-main">
        <div className="board-column">
          <ErrorBoundary what="the tasks">
            <TasksPane />
          </ErrorBoundary>
          <ErrorBoundary what="the responders">
            <RespondersPane />
          </ErrorBoundary>
        </div>
        <ErrorBoundary what="the timeline">
          <TimelinePane />
        </ErrorBoundary>
      </main>
      <Dialogs dialog={dialog} onClose={onClose} />
    </>
  )
}

export const Board = ({ connection, access }: { connection: IncidentConnection; access: AccessLevel }) => {
  const status = useConnectionStatus(connection)
  const meta = useDocValue(connection.doc, readMeta)
  const canEdit = access !== 'view'
  const { doc, identity } = connection
  const [dialog, setDialog] = useState<OpenDialog>()
  const close = useCallback(() => setDialog(undefined), [])
  const board = useMemo<BoardValue>(() => ({ connection, canEdit, open: setDialog }), [connection, canEdit])

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
    <BoardProvider value={board}>
      <FatigueProvider connection={connection}>
        <div className="board">
          <BoardHeader meta={meta} access={access} status={status} />
          <Panes dialog={dialog} onClose={close} />
        </div>
      </FatigueProvider>
    </BoardProvider>
  )
}
