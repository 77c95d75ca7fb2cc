import { type KeyboardEvent as ReactKeyboardEvent, memo, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { formatElapsed, formatTimeOfDay } from '../../shared/clock'
import { MARKER_LABELS, type Marker } from '../../shared/replay-markers'
import { createDrill } from '../app/api'
import { navigate } from '../app/router'
import { hostToken } from '../app/session'
import { keyFacts } from '../board/keys'
import { ChoiceRow } from '../common/ChoiceRow'
import { FormError, useAsyncAction } from '../common/useAction'
import { type ReplayController, REPLAY_SPEEDS, MAX_SPEED, MIN_SPEED } from './replay-connection'
import { type ReplayAction, faster, neighbourMarker, replayAction, slower } from './replay-keys'
import { ReplayNotes, type ReplayNotesState } from './ReplayNotes'
import './replay.css'

const share = (at: number, start: number, end: number): number => (end > start ? ((at - start) / (end - start)) * 100 : 0)

/** Time since the first record, to the nearest second (the first record arrives a moment after the declaration's time). */
const sinceStart = (at: number, start: number): string => formatElapsed(Math.round((at - start) / 1000) * 1000)

const momentWords = (at: number, start: number): string => `${formatTimeOfDay(at)}, ${sinceStart(at, start)} after it was declared`

const LOCAL_KEYS: Record<string, ReplayAction> = { ' ': 'playPause', '[': 'slower', ']': 'faster', Home: 'start', End: 'end' }

const speedLabel = (speed: number): string => `${speed}×`

/** A link that opens this replay at this moment. */
const shareLink = (incidentId: string, at: number): string => `${location.origin}/replay/${encodeURIComponent(incidentId)}?at=${Math.round(at)}`

const ShareMoment = ({ incidentId, at }: { incidentId: string; at: number }) => {
  const [shown, setShown] = useState<string>()
  const [copied, setCopied] = useState(false)
  const copy = async (): Promise<void> => {
    const link = shareLink(incidentId, at)
    try {
      await navigator.clipboard.writeText(link)
      setShown(undefined)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      // No clipboard on plain http: show the link to copy by hand.
      setShown(link)
    }
  }
  return (
    <div className="replay-share">
      <button type="button" onClick={() => void copy()}>
        {copied ? 'Link copied' : 'Copy link to this moment'}
      </button>
      {shown && (
        <label className="replay-share-link">
          Link to this moment
          <input readOnly value={shown} onFocus={(e) => e.target.select()} autoFocus />
        </label>
      )}
    </div>
  )
}

/** The moments under the scrubber, for the eye and the mouse (the keyboard steps through them with ←/→); drawn again only when they change. */
const MarkerStrip = memo(({ markers, start, end, onSeek }: { markers: readonly Marker[]; start: number; end: number; onSeek: (at: number) => void }) => (
  <ol className="replay-markers" aria-hidden="true">
    {markers.map((m, i) => (
      <li
        key={`${m.at}-${i}`}
        className={`replay-marker replay-marker--${m.kind}`}
        style={{ left: `${share(m.at, start, end)}%` }}
        title={`${MARKER_LABELS[m.kind]} · ${formatTimeOfDay(m.at)}\n${m.text}`}
        onClick={() => onSeek(m.at)}
      />
    ))}
  </ol>
))

/** "What if the IC had…": a new drill board with the whole board as it was at this moment. */
const DrillFromHere = ({ incidentId, at }: { incidentId: string; at: number }) => {
  const { error, busy, run } = useAsyncAction()
  const start = (): Promise<boolean> =>
    run(async () => {
      const token = await hostToken()
      if (!token) throw new Error('Starting a drill needs the host token: open the replay from the host’s start page.')
      const drill = await createDrill(token, incidentId, at)
      navigate(`/drill/${drill.id}`)
    })
  return (
    <>
      <button type="button" onClick={() => void start()} disabled={busy}>
        Run as a drill from here
      </button>
      <FormError message={error} />
    </>
  )
}

/**
 * The facilitator's controls over the board: play and pause, speed, the
 * scrubber with the incident's moments on it, and the previous/next moment.
 * The board below is the IC's own layout at the replay's time.
 */
export const ReplayBar = ({ replay, markers: recorded, notes }: { replay: ReplayController; markers: readonly Marker[]; notes: ReplayNotesState }) => {
  const state = useSyncExternalStore(replay.subscribe, replay.getState)
  const { start, end } = replay
  const markers = useMemo(
    () => [...recorded, ...notes.notes.map((n): Marker => ({ at: n.at, kind: 'note', text: `${n.by}: ${n.text}` }))].sort((a, b) => a.at - b.at),
    [recorded, notes.notes],
  )
  const [announced, setAnnounced] = useState('')
  const [custom, setCustom] = useState('')

  const seek = useCallback((at: number) => replay.seek(at), [replay])
  const jump = (direction: 'previous' | 'next'): void => {
    const marker = neighbourMarker(markers, replay.time, direction)
    if (!marker) return setAnnounced(direction === 'next' ? 'No later moment' : 'No earlier moment')
    replay.seek(marker.at)
    setAnnounced(`${MARKER_LABELS[marker.kind]} at ${formatTimeOfDay(marker.at)}: ${marker.text}`)
  }

  const run = (action: ReplayAction): void => {
    switch (action) {
      case 'playPause':
        return state.playing ? replay.pause() : replay.play()
      case 'previous':
      case 'next':
        return jump(action)
      case 'slower':
        return replay.setSpeed(slower(state.speed))
      case 'faster':
        return replay.setSpeed(faster(state.speed))
      case 'start':
        return replay.seek(start)
      case 'end':
        return replay.seek(end)
    }
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = replayAction(keyFacts(e))
      if (!action) return
      e.preventDefault()
      run(action)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  const preset = (REPLAY_SPEEDS as readonly number[]).includes(state.speed)
  // On the scrubber and the speeds the arrows are theirs; Space, [, ], Home and End work there too.
  const ownKeys = (e: ReactKeyboardEvent): void => {
    const action = e.ctrlKey || e.metaKey || e.altKey ? undefined : LOCAL_KEYS[e.key]
    if (!action) return
    e.preventDefault()
    run(action)
  }
  return (
    <section className="replay-bar" aria-label="Replay controls">
      <div className="replay-row">
        <span className="replay-badge" aria-hidden="true">
          REPLAY
        </span>
        <button type="button" className="replay-play primary" onClick={() => (state.playing ? replay.pause() : replay.play())} aria-keyshortcuts="Space">
          {state.playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => jump('previous')} aria-keyshortcuts="ArrowLeft">
          Previous moment
        </button>
        <button type="button" onClick={() => jump('next')} aria-keyshortcuts="ArrowRight">
          Next moment
        </button>
        <ChoiceRow legend="Speed" className="replay-speed">
          {REPLAY_SPEEDS.map((speed) => (
            <label key={speed} className={state.speed === speed ? 'is-selected' : undefined}>
              <input type="radio" name="replay-speed" checked={state.speed === speed} onChange={() => replay.setSpeed(speed)} onKeyDown={ownKeys} />
              {speedLabel(speed)}
            </label>
          ))}
          <label className={preset ? undefined : 'is-selected'}>
            Other
            <input
              type="number"
              inputMode="decimal"
              min={MIN_SPEED}
              max={MAX_SPEED}
              step="any"
              placeholder={preset ? '×' : String(state.speed)}
              value={custom}
              aria-label={`Other speed, ${MIN_SPEED} to ${MAX_SPEED} times`}
              onChange={(e) => {
                setCustom(e.target.value)
                const speed = Number(e.target.value)
                if (e.target.value !== '' && Number.isFinite(speed) && speed >= MIN_SPEED && speed <= MAX_SPEED) replay.setSpeed(speed)
              }}
            />
          </label>
          <span className="muted replay-speed-now">now {speedLabel(state.speed)}</span>
        </ChoiceRow>
        <span className="replay-time" role="timer" aria-label="Replay moment">
          {formatTimeOfDay(state.time)} <span className="muted">· +{sinceStart(state.time, start)}</span>
        </span>
        <ShareMoment incidentId={replay.incidentId} at={state.time} />
        <DrillFromHere incidentId={replay.incidentId} at={state.time} />
      </div>
      <div className="replay-scrubber">
        <input
          type="range"
          min={start}
          max={end}
          step={1000}
          value={Math.round(state.time)}
          aria-label="Replay moment"
          aria-valuetext={momentWords(state.time, start)}
          onChange={(e) => replay.seek(Number(e.target.value))}
          onKeyDown={ownKeys}
        />
        <MarkerStrip markers={markers} start={start} end={end} onSeek={seek} />
      </div>
      <ReplayNotes state={notes} at={state.time} identity={replay.identity} onGo={(at) => replay.seek(at)} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announced}
      </p>
    </section>
  )
}
