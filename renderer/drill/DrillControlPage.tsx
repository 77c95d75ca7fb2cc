import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { formatElapsed, formatTimeOfDay } from '../../shared/clock'
import { INJECT_SPEEDS, type Inject, describeInject } from '../../shared/drill'
import { SERVICE_STATUSES, SERVICE_STATUS_LABELS, type ServiceStatus, isServiceStatus } from '../../shared/services'
import { type DrillView, type Invites, fetchDrill, fetchInvites, fireInjectNow, saveInjects, startDrillSchedule, stopDrillSchedule } from '../app/api'
import { navigate } from '../app/router'
import { hostToken } from '../app/session'
import { ChoiceRow } from '../common/ChoiceRow'
import { CopyField } from '../common/CopyField'
import { PaneState } from '../common/PaneState'
import { FormError, errorMessage } from '../common/useAction'
import { HostListState } from '../home/HostListState'
import { useHostList } from '../home/useHostList'
import './drill.css'

/** The drill's script refreshes this often, to show what the schedule fired. */
const REFRESH_MS = 2000

const offsetWords = (ms: number): string => `+${formatElapsed(ms)}`

/** When an inject is due on the host clock, once the schedule runs. */
const dueAt = (drill: DrillView, inject: Inject): number | undefined => (drill.schedule ? drill.schedule.startedAt + inject.offsetMs / drill.schedule.speed : undefined)

const newInjectId = (): string => `added-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/**
 * Add an inject, or change one (`editing`): its time, the service and status it
 * sets, the entry it posts. An alert inject keeps its alert.
 */
const InjectForm = ({ drill, editing, onSave, onDone }: { drill: DrillView; editing?: Inject; onSave: (injects: Inject[]) => Promise<void>; onDone: () => void }) => {
  const [minutes, setMinutes] = useState(editing ? String(Math.round((editing.offsetMs / 60_000) * 100) / 100) : '')
  const [serviceId, setServiceId] = useState(editing?.service?.id ?? '')
  const [status, setStatus] = useState<ServiceStatus>(editing?.service?.status ?? 'majorOutage')
  const [text, setText] = useState(editing?.text ?? '')
  const [error, setError] = useState<string>()
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    const offset = Number(minutes)
    if (minutes.trim() === '' || !Number.isFinite(offset) || offset < 0) return setError('At: minutes from the drill’s start, 0 or more.')
    if (!serviceId && !text.trim() && !editing?.alert) return setError('An inject sets a service’s status, posts an entry, or both.')
    const inject: Inject = {
      id: editing?.id ?? newInjectId(),
      offsetMs: Math.round(offset * 60_000),
      ...(serviceId ? { service: { id: serviceId, status } } : {}),
      ...(text.trim() ? { text: text.trim() } : {}),
      ...(editing?.alert ? { alert: editing.alert } : {}),
    }
    const injects = editing ? drill.injects.map((i) => (i.id === editing.id ? inject : i)) : [...drill.injects, inject]
    onSave(injects).then(
      () => {
        setError(undefined)
        setMinutes('')
        setText('')
        onDone()
      },
      (err: unknown) => setError(errorMessage(err)),
    )
  }
  return (
    <form className="drill-add" onSubmit={submit} aria-labelledby="drill-add-heading">
      <h3 id="drill-add-heading">{editing ? 'Change the inject' : 'Add an inject'}</h3>
      <label>
        At (minutes from the start)
        <input type="number" inputMode="decimal" min={0} step="any" value={minutes} onChange={(e) => setMinutes(e.target.value)} required />
      </label>
      <label>
        Service
        <select value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
          <option value="">No service</option>
          {drill.services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Its status
        <select value={status} onChange={(e) => isServiceStatus(e.target.value) && setStatus(e.target.value)} disabled={!serviceId}>
          {SERVICE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {SERVICE_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="drill-add-text">
        Entry from Drill control
        <input value={text} onChange={(e) => setText(e.target.value)} maxLength={4000} placeholder="Support: customers report double charges" />
      </label>
      <button type="submit">{editing ? 'Save the inject' : 'Add inject'}</button>
      {editing && (
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      )}
      <FormError message={error} />
    </form>
  )
}

const DrillControl = ({ drill, token, onChanged }: { drill: DrillView; token: string; onChanged: (next: DrillView) => void }) => {
  const [speed, setSpeed] = useState<number>(drill.schedule?.speed ?? 1)
  const [error, setError] = useState<string>()
  const [invites, setInvites] = useState<Invites>()
  const [editing, setEditing] = useState<Inject>()
  useEffect(() => {
    fetchInvites(drill.id, token).then(setInvites, () => undefined)
  }, [drill.id, token])
  const act = (action: () => Promise<DrillView>): void => {
    action().then(
      (next) => {
        setError(undefined)
        onChanged(next)
      },
      (err: unknown) => setError(errorMessage(err)),
    )
  }
  const save = async (injects: Inject[]): Promise<void> => onChanged(await saveInjects(token, drill.id, injects))
  const name = (id: string): string => drill.services.find((s) => s.id === id)?.name ?? id
  const left = drill.injects.filter((i) => i.firedAt === undefined).length
  return (
    <>
      <section className="card" aria-labelledby="drill-run-heading">
        <h2 id="drill-run-heading">Run it</h2>
        <p>
          <a href={`/i/${drill.id}`} onClick={(e) => (e.preventDefault(), navigate(`/i/${drill.id}`))}>
            Open the drill board
          </a>{' '}
          ·{' '}
          <a href={`/replay/${drill.origin.of}`} onClick={(e) => (e.preventDefault(), navigate(`/replay/${drill.origin.of}`))}>
            Replay the original
          </a>{' '}
          ·{' '}
          <a href={`/drill/${drill.id}/compare`} onClick={(e) => (e.preventDefault(), navigate(`/drill/${drill.id}/compare`))}>
            Compare with the original
          </a>
        </p>
        {invites && <CopyField label="Trainees’ link (can edit)" value={invites.links.edit} hint="Trainees open it and join the drill board with their own names. They never see the script." />}
        <ChoiceRow legend="Injects on schedule">
          {INJECT_SPEEDS.map((s) => (
            <label key={s}>
              <input type="radio" name="drill-speed" checked={speed === s} onChange={() => setSpeed(s)} />
              {s}×
            </label>
          ))}
          <button type="button" className="primary" onClick={() => act(() => startDrillSchedule(token, drill.id, speed))}>
            {drill.schedule ? 'Restart the schedule from now' : 'Start the schedule'}
          </button>
          {drill.schedule && (
            <button type="button" onClick={() => act(() => stopDrillSchedule(token, drill.id))}>
              Stop the schedule
            </button>
          )}
        </ChoiceRow>
        <p role="status">
          {drill.schedule
            ? `Running at ${drill.schedule.speed}× since ${formatTimeOfDay(drill.schedule.startedAt)}: ${left} inject${left === 1 ? '' : 's'} to go.`
            : `Not on a schedule: inject by hand, or start the schedule. ${left} of ${drill.injects.length} still to fire.`}
        </p>
        <FormError message={error} />
      </section>
      <section className="card drill-script" aria-labelledby="drill-script-heading">
        <h2 id="drill-script-heading">Script</h2>
        {drill.injects.length === 0 ? (
          <PaneState kind="empty" title="No injects yet" />
        ) : (
          <ol className="drill-injects" aria-label="Injects">
            {drill.injects.map((inject) => {
              const due = dueAt(drill, inject)
              const what = describeInject(inject, name)
              return (
                <li key={inject.id} className={inject.firedAt !== undefined ? 'is-fired' : undefined}>
                  <span className="drill-offset">{offsetWords(inject.offsetMs)}</span>
                  <span className="drill-what">{what}</span>
                  <span className="drill-state muted">
                    {inject.firedAt !== undefined ? `fired ${formatTimeOfDay(inject.firedAt)}` : due !== undefined ? `due ${formatTimeOfDay(due)}` : 'not fired'}
                  </span>
                  <button type="button" onClick={() => act(() => fireInjectNow(token, drill.id, inject.id))} aria-label={`Inject now: ${what}`}>
                    Inject now
                  </button>
                  <button type="button" onClick={() => setEditing(inject)} aria-label={`Change: ${what}`}>
                    Change
                  </button>
                  <button type="button" onClick={() => void save(drill.injects.filter((i) => i.id !== inject.id)).catch((err: unknown) => setError(errorMessage(err)))} aria-label={`Remove: ${what}`}>
                    Remove
                  </button>
                </li>
              )
            })}
          </ol>
        )}
        {/* A new form for each inject changed, so its fields start from that inject. */}
        <InjectForm key={editing?.id ?? 'new'} drill={drill} {...(editing ? { editing } : {})} onSave={save} onDone={() => setEditing(undefined)} />
      </section>
    </>
  )
}

/** `/drill/<id>`: the facilitator's page for a drill (host token): its script, its schedule, the trainees' link. */
export const DrillControlPage = ({ drillId }: { drillId: string }) => {
  const [token, setToken] = useState<string | null>()
  useEffect(() => {
    void hostToken().then((t) => setToken(t ?? null))
  }, [])
  const ask = useCallback(async (): Promise<DrillView[]> => (token ? [await fetchDrill(token, drillId)] : []), [token, drillId])
  const { load, refresh } = useHostList(ask, REFRESH_MS)
  const [latest, setLatest] = useState<DrillView>()
  // The newer of the last poll and the last action's answer.
  const polled = load.state === 'loading' ? undefined : load.items?.[0]
  const drill = !polled || (latest && latest.now > polled.now) ? latest : polled
  return (
    <main className="page drill-control">
      <header className="home-header">
        <h1>Drill control</h1>
        {drill && (
          <p className="drill-title">
            <strong>{drill.title}</strong> · re-runs {drill.origin.of} {drill.origin.from === 'start' ? 'from its start' : `from ${formatTimeOfDay(drill.origin.from)}`}
          </p>
        )}
        <p>
          <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
            Start page
          </a>
        </p>
      </header>
      {token === null && (
        <PaneState kind="error" title="Drill control needs the host token">
          <p>Open it from the host’s start page.</p>
        </PaneState>
      )}
      {token && !drill && <HostListState load={load} what="the drill" onRetry={refresh} />}
      {token && drill && (
        <div className="home-grid">
          <DrillControl drill={drill} token={token} onChanged={setLatest} />
        </div>
      )}
    </main>
  )
}
