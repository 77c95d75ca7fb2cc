import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { ReplayLog } from '../../shared/replay'
import { readMeta } from '../../shared/incident'
import { type Marker, replayEnd, replayMarkers } from '../../shared/replay-markers'
import { ApiError, fetchArchive } from '../app/api'
import { navigate } from '../app/router'
import { type Identity, hostToken, incidentToken, loadIdentity } from '../app/session'
import { Board } from '../board/Board'
import { PaneState } from '../common/PaneState'
import { ReplayBar } from './ReplayBar'
import { useReplayNotes } from './ReplayNotes'
import { ReplayController } from './replay-connection'

type Loading =
  | { state: 'downloading'; bytes: number }
  | { state: 'reading'; progress: number }
  | { state: 'ready'; replay: ReplayController; markers: Marker[] }
  | { state: 'failed'; title: string; detail: string }

/** The facilitator, when this browser has no name yet: nobody on the recorded board. */
const FACILITATOR: Identity = { id: 'facilitator', name: 'Facilitator', color: '#90a4ae' }

/** Reading the log waits this long at most between frames, so the page stays responsive. */
const READ_SLICE_MS = 30

const failure = (error: unknown): Loading => ({
  state: 'failed',
  title:
    error instanceof ApiError && error.status === 403
      ? 'A replay needs the host or an edit link'
      : error instanceof ApiError && error.status === 401
        ? 'This link is not valid on this host'
        : error instanceof ApiError && error.status === 404
          ? 'There is no such incident on this host'
          : error instanceof ApiError && error.status === 0
            ? 'The host cannot be reached'
            : 'The replay could not be opened',
  detail: error instanceof Error ? error.message : String(error),
})

/** Download the incident's record, read it into keyframes a slice at a time, then open at `at` (or the start). */
const useReplay = (incidentId: string, at: number | undefined): Loading => {
  const [loading, setLoading] = useState<Loading>({ state: 'downloading', bytes: 0 })
  useEffect(() => {
    let cancelled = false
    let replay: ReplayController | undefined
    const settle = (next: Loading): void => {
      if (!cancelled) setLoading(next)
    }
    void (async () => {
      const token = incidentToken(incidentId) ?? (await hostToken())
      if (!token) return settle({ state: 'failed', title: 'A replay needs the host or an edit link', detail: 'Open it from the start page of the host, or from the edit link to this incident.' })
      const archive = await fetchArchive(incidentId, token, (bytes) => settle({ state: 'downloading', bytes }))
      if (archive.records.length === 0) throw new ApiError(200, 'This incident has no record to replay.')
      const log = new ReplayLog(archive.records)
      while (!cancelled && !log.read(READ_SLICE_MS, () => performance.now())) {
        settle({ state: 'reading', progress: log.progress })
        await new Promise((resolve) => setTimeout(resolve, 0))
      }
      if (cancelled) return
      const total = log.records.length
      const timeline = log.timelineAfter(total)
      const board = log.boardAfter(total)
      const end = replayEnd(timeline, readMeta(board)?.status === 'resolved', log.end, log.arrivedAt)
      const markers = replayMarkers(timeline, board, end, log.arrivedAt).filter((m) => m.at <= end)
      board.destroy()
      replay = new ReplayController(log, end, incidentId, token, loadIdentity() ?? FACILITATOR, at ?? log.start)
      settle({ state: 'ready', replay, markers })
    })().catch((error: unknown) => settle(failure(error)))
    return () => {
      cancelled = true
      replay?.destroy()
    }
    // The moment in the link is where it opens; moving later does not reload.
  }, [incidentId])
  return loading
}

/** The board re-renders when the replay starts a new document; the bar, with every moment. */
const ReplayView = ({ replay, markers }: { replay: ReplayController; markers: Marker[] }) => {
  const frame = useSyncExternalStore(replay.subscribe, () => replay.getState().frame)
  const notes = useReplayNotes(replay.token, replay.incidentId)
  const bar = useMemo(() => <ReplayBar replay={replay} markers={markers} notes={notes} />, [replay, markers, notes])
  return <Board connection={frame} access="view" replay={bar} />
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`

/** `/replay/<id>?at=<ms>`: the whole board as it was at any moment, read-only, with play and the incident's moments. */
export const ReplayPage = ({ incidentId, at }: { incidentId: string; at?: number }) => {
  const loading = useReplay(incidentId, at)
  const back = useMemo(
    () => (
      <p>
        <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
          Go to the start page
        </a>
      </p>
    ),
    [],
  )
  switch (loading.state) {
    case 'downloading':
      return (
        <main className="page">
          <PaneState kind="loading" title="Fetching the incident's record…">
            <p>{mib(loading.bytes)} so far</p>
          </PaneState>
        </main>
      )
    case 'reading':
      return (
        <main className="page">
          <PaneState kind="loading" title="Preparing the replay…">
            <progress max={1} value={loading.progress} aria-label="Records read" />
          </PaneState>
        </main>
      )
    case 'failed':
      return (
        <main className="page">
          <PaneState kind="error" title={loading.title}>
            <p>{loading.detail}</p>
            {back}
          </PaneState>
        </main>
      )
    case 'ready':
      return <ReplayView replay={loading.replay} markers={loading.markers} />
  }
}
