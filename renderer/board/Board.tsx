import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react'
import { readMeta } from '../../shared/incident'
import { readAlerts } from '../../shared/incident-alerts'
import { joinIncident, readPeople } from '../../shared/people'
import { AlertsPane } from '../alerts/AlertsPane'
import { MitigationPrompt } from '../alerts/MitigationPrompt'
import type { AccessLevel } from '../app/api'
import { ErrorBoundary } from '../common/ErrorBoundary'
import { PaneState } from '../common/PaneState'
import { DeputyBar } from '../deputy/DeputyBar'
import { HandOverDialog } from '../fatigue/HandOverDialog'
import { ReduceScopeDialog } from '../fatigue/ReduceScopeDialog'
import { RespondersPane } from '../fatigue/RespondersPane'
import { FatigueProvider } from '../fatigue/useFatigue'
import { AddServiceDialog } from '../graph/AddServiceDialog'
import { GraphPane } from '../graph/GraphPane'
import { ImpactProvider } from '../graph/ImpactProvider'
import { ImportCatalogDialog } from '../graph/ImportCatalogDialog'
import { PeopleDialog } from '../people/PeopleDialog'
import { CommandOffer } from '../roles/CommandOffer'
import { RoleDialog } from '../roles/RoleDialog'
import type { BoardConnection } from '../sync/board-connection'
import { useConnectionStatus, useDocValue } from '../sync/hooks'
import { NewTaskDialog } from '../tasks/NewTaskDialog'
import { TasksPane } from '../tasks/TasksPane'
import { ENTRY_LINE_ID } from '../timeline/EntryComposer'
import { TASKS_PANE_ID } from '../tasks/TasksPane'
import { TIMELINE_LOG_ID, TimelinePane } from '../timeline/TimelinePane'
import { ComposerDialog } from '../updates/ComposerDialog'
import { UpdateSettingsProvider } from '../updates/UpdateSettingsProvider'
import { BoardHeader } from './BoardHeader'
import { DrillBanner } from './DrillBanner'
import { GatheringDialog } from './Gathering'
import { MilestonesDialog } from '../milestones/MilestonesDialog'
import { PostmortemDialog } from '../postmortem/PostmortemDialog'
import { PostmortemPrompt } from '../postmortem/PostmortemPrompt'
import { type Board as BoardValue, BoardProvider, type OpenDialog, useBoard } from './BoardContext'
import { ShortcutsDialog, useShortcuts } from './Shortcuts'
import { StorageBanner } from './StorageBanner'
import './board.css'

const Dialogs = ({ dialog, onClose }: { dialog: OpenDialog | undefined; onClose: () => void }) => {
  if (!dialog) return null
  switch (dialog.kind) {
    case 'task':
      return (
        <NewTaskDialog
          {...(dialog.ownerId ? { ownerId: dialog.ownerId } : {})}
          {...(dialog.title ? { title: dialog.title } : {})}
          {...(dialog.serviceId ? { serviceId: dialog.serviceId } : {})}
          onClose={onClose}
        />
      )
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
    case 'addService':
      return <AddServiceDialog onClose={onClose} />
    case 'importCatalog':
      return <ImportCatalogDialog onClose={onClose} />
    case 'updates':
      return <ComposerDialog {...(dialog.audience ? { audience: dialog.audience } : {})} onClose={onClose} />
    case 'gathering':
      return <GatheringDialog onClose={onClose} />
    case 'milestones':
      return <MilestonesDialog onClose={onClose} />
    case 'postmortem':
      return <PostmortemDialog onClose={onClose} />
  }
}

const NARROW = '(max-width: 1600px)'

const useNarrow = (): boolean => {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches)
  useEffect(() => {
    const query = window.matchMedia(NARROW)
    const onChange = (): void => setNarrow(query.matches)
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [])
  return narrow
}

type Tab = 'timeline' | 'graph' | 'alerts'
const TAB_LABELS: Record<Tab, string> = { timeline: 'Timeline', graph: 'Services', alerts: 'Alerts' }

/**
 * The wall display shows the graph and the timeline side by side, with the
 * incident's alerts above the graph once it has any; a laptop shows one at a
 * time, as tabs (all stay mounted, so nothing is lost).
 */
const GraphAndTimeline = () => {
  const narrow = useNarrow()
  const { connection } = useBoard()
  const alerts = useDocValue(connection.doc, readAlerts)
  const [tab, setTab] = useState<Tab>('timeline')
  const tabs: Tab[] = alerts.length > 0 ? ['timeline', 'graph', 'alerts'] : ['timeline', 'graph']
  const shown = tabs.includes(tab) ? tab : 'timeline'
  const firing = alerts.filter((a) => a.state === 'firing').length
  const showGraph = useCallback(() => setTab('graph'), [])
  const showTimeline = useCallback(() => setTab('timeline'), [])
  return (
    <>
      {narrow && (
        <div className="pane-tabs" role="tablist" aria-label="Show">
          {tabs.map((t) => (
            <button key={t} type="button" role="tab" aria-selected={shown === t} onClick={() => setTab(t)}>
              {TAB_LABELS[t]}
              {t === 'alerts' && firing > 0 && <span className="tab-count"> · {firing} firing</span>}
            </button>
          ))}
        </div>
      )}
      <div className={alerts.length > 0 ? 'board-centre board-centre--alerts' : 'board-centre'}>
        {alerts.length > 0 && (
          <ErrorBoundary what="the alerts">
            <AlertsPane hidden={narrow && shown !== 'alerts'} />
          </ErrorBoundary>
        )}
        <ErrorBoundary what="the service graph">
          <GraphPane hidden={narrow && shown !== 'graph'} onShow={showGraph} />
        </ErrorBoundary>
      </div>
      <ErrorBoundary what="the timeline">
        <TimelinePane hidden={narrow && shown !== 'timeline'} onShow={showTimeline} />
      </ErrorBoundary>
    </>
  )
}

const Panes = ({ dialog, onClose }: { dialog: OpenDialog | undefined; onClose: () => void }) => {
  useShortcuts(dialog !== undefined)
  return (
    <>
      <StorageBanner />
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
        <GraphAndTimeline />
      </main>
      <Dialogs dialog={dialog} onClose={onClose} />
    </>
  )
}

/**
 * A first stop for the keyboard, past the header's thirty-odd controls. It focuses,
 * not just scrolls: the next key goes there (in a list, to its current row).
 */
const SkipLink = ({ to, children }: { to: string; children: string }) => (
  <a
    className="skip-link"
    href={`#${to}`}
    onClick={(e) => {
      e.preventDefault()
      const target = document.getElementById(to)
      ;(target?.querySelector<HTMLElement>('[role="listitem"][tabindex="0"]') ?? target)?.focus()
    }}
  >
    {children}
  </a>
)

/**
 * The incident's board. `replay`: the replay bar, shown where a read-only
 * board says so; the board is then read-only and its clocks read the replay's moment.
 */
export const Board = ({ connection, access, replay }: { connection: BoardConnection; access: AccessLevel; replay?: ReactNode }) => {
  const status = useConnectionStatus(connection)
  const meta = useDocValue(connection.doc, readMeta)
  const canEdit = access !== 'view' && !replay
  const { doc, identity } = connection
  const [dialog, setDialog] = useState<OpenDialog>()
  const close = useCallback(() => setDialog(undefined), [])
  const inReplay = replay !== undefined
  const board = useMemo<BoardValue>(() => ({ connection, canEdit, replay: inReplay, open: setDialog }), [connection, canEdit, inReplay])

  // The window's title says which incident and how bad: several boards open at once are told apart.
  useEffect(() => {
    if (!meta) return
    const previous = document.title
    document.title = `${replay ? 'Replay: ' : ''}${meta.severity} ${meta.title} · War Room`
    return () => {
      document.title = previous
    }
  }, [meta, replay])

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
        <ImpactProvider connection={connection}>
          <UpdateSettingsProvider connection={connection}>
            <div className={replay ? 'board board--replay' : 'board'}>
              <SkipLink to={canEdit ? ENTRY_LINE_ID : TIMELINE_LOG_ID}>{canEdit ? 'Skip to the timeline entry line' : 'Skip to the timeline'}</SkipLink>
              <SkipLink to={TASKS_PANE_ID}>Skip to the tasks</SkipLink>
              <DrillBanner />
              <BoardHeader meta={meta} access={access} status={status} replay={replay !== undefined} />
              {replay ?? (
                <>
                  <CommandOffer />
                  <MitigationPrompt />
                  <PostmortemPrompt />
                </>
              )}
              {!canEdit && !replay && (
                <p className="read-only-board" role="note">
                  Read-only board: you see everything as it happens and can change nothing.
                </p>
              )}
              <Panes dialog={dialog} onClose={close} />
            </div>
          </UpdateSettingsProvider>
        </ImpactProvider>
      </FatigueProvider>
    </BoardProvider>
  )
}
