import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { SEVERITIES, type Severity } from '../../shared/schema'
import { ApiError, type IncidentSummary, createDrill, createIncident, listIncidents, listRoster } from '../app/api'
import { desktopBridge } from '../app/bridge'
import { navigate } from '../app/router'
import { forgetHostToken, hostToken, loadIdentity, saveHostToken } from '../app/session'
import { identifyAs } from '../join/identify'
import { ConfirmDialog } from '../common/ConfirmDialog'
import { PaneState } from '../common/PaneState'
import { FormError } from '../common/useAction'
import { SEVERITY_HINTS, SeverityBadge } from '../board/SeverityBadge'
import { AlertInbox } from './AlertInbox'
import { HostProblemsCard } from './HostProblemsCard'
import { IntegrationsSettings } from './IntegrationsSettings'
import { MobiliseSettings } from './MobiliseSettings'
import { AnalyticsView } from '../analytics/AnalyticsView'
import { FollowUpsCard } from './FollowUpsCard'
import { RosterEditor } from './RosterEditor'
import { SilencesCard } from './SilencesCard'
import { UpdatesSettings } from './UpdatesSettings'
import '../board/incident-state.css'
import './home.css'

type Load = { state: 'loading' } | { state: 'ready'; incidents: IncidentSummary[] } | { state: 'error'; message: string }

const DeclareForm = ({ token }: { token: string }) => {
  const [title, setTitle] = useState('')
  const [severity, setSeverity] = useState<Severity>('SEV-2')
  // Whoever declares is credited with it, and offered command on the board.
  const [identity] = useState(loadIdentity)
  const [name, setName] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const me = identity ?? (await identifyAs(token, name, await listRoster(token).catch(() => undefined)))
      const created = await createIncident(token, { title, severity, declaredBy: { id: me.id, name: me.name } })
      navigate(`/i/${created.id}`)
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
      setBusy(false)
    }
  }

  return (
    <form className="card declare" onSubmit={(e) => void submit(e)} aria-labelledby="declare-heading">
      <h2 id="declare-heading">Declare an incident</h2>
      <label>
        Title
        <input
          name="title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder="Checkout failing for EU customers"
          required
          maxLength={200}
          autoFocus
        />
      </label>
      <fieldset className="severity-picker">
        <legend>Severity</legend>
        {SEVERITIES.map((s) => (
          <label key={s} className={`severity-option${severity === s ? ' is-selected' : ''}`}>
            <input type="radio" name="severity" value={s} checked={severity === s} onChange={() => setSeverity(s)} />
            <SeverityBadge severity={s} />
            <span className="muted">{SEVERITY_HINTS[s]}</span>
          </label>
        ))}
      </fieldset>
      {identity ? (
        <p className="muted">Declared by {identity.name}.</p>
      ) : (
        <label>
          Your name
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} autoComplete="name" />
        </label>
      )}
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Declaring…' : 'Declare incident'}
      </button>
    </form>
  )
}

/** Ask before a drill is made: from the start of an incident, on a new board. */
const DrillFromStart = ({ incident, token, onClose }: { incident: IncidentSummary; token: string; onClose: () => void }) => (
  <ConfirmDialog
    title={`Run “${incident.title}” as a drill`}
    confirm="Start the drill"
    onClose={onClose}
    onConfirm={async () => {
      const drill = await createDrill(token, incident.id, 'start')
      navigate(`/drill/${drill.id}`)
    }}
  >
    <p>
      A new board marked DRILL, with this incident’s services all operational and its people, and no roles or tasks. Its injects replay what happened;
      you run them from the drill’s control page. A drill pages no one and posts only to channels marked for drills.
    </p>
  </ConfirmDialog>
)

const IncidentRow = ({ incident, onDrill }: { incident: IncidentSummary; onDrill?: () => void }) => (
  <li>
    <a href={`/i/${incident.id}`} onClick={(e) => (e.preventDefault(), navigate(`/i/${incident.id}`))}>
      <SeverityBadge severity={incident.severity} />
      <span className="incident-title" title={incident.title}>
        {incident.title}
      </span>
      {incident.importedFrom && (
        <span className="imported-tag" title={`Imported from an archive of ${incident.importedFrom}`}>
          imported
        </span>
      )}
      <span className={`status-chip status-chip--${incident.status}`}>{incident.status}</span>
      <time dateTime={new Date(incident.createdAt).toISOString()}>{new Date(incident.createdAt).toLocaleString()}</time>
    </a>
    <a className="incident-replay" href={`/replay/${incident.id}`} aria-label={`Replay ${incident.title}`} onClick={(e) => (e.preventDefault(), navigate(`/replay/${incident.id}`))}>
      Replay
    </a>
    {onDrill ? (
      <button type="button" className="incident-drill" aria-label={`Run ${incident.title} as a drill`} onClick={onDrill}>
        Drill
      </button>
    ) : (
      <a className="incident-replay" href={`/drill/${incident.id}`} aria-label={`Drill control for ${incident.title}`} onClick={(e) => (e.preventDefault(), navigate(`/drill/${incident.id}`))}>
        Control
      </a>
    )}
  </li>
)

/** Incidents, then drills apart: a drill is an exercise and never mixes with the real ones. */
const IncidentList = ({ load, token }: { load: Load; token: string }) => {
  const [drilling, setDrilling] = useState<IncidentSummary>()
  if (load.state === 'loading') return <PaneState kind="loading" title="Loading incidents…" />
  if (load.state === 'error') return <PaneState kind="error" title="The incident list could not be loaded"><p>{load.message}</p></PaneState>
  const real = load.incidents.filter((i) => !i.drill)
  const drills = load.incidents.filter((i) => i.drill)
  return (
    <>
      {real.length === 0 ? (
        <PaneState kind="empty" title="No incidents on this host yet" />
      ) : (
        <ul className="incident-list" aria-label="Incidents">
          {real.map((incident) => (
            <IncidentRow key={incident.id} incident={incident} onDrill={() => setDrilling(incident)} />
          ))}
        </ul>
      )}
      {drills.length > 0 && (
        <>
          <h3 id="drills-heading">Drills</h3>
          <ul className="incident-list" aria-labelledby="drills-heading">
            {drills.map((incident) => (
              <IncidentRow key={incident.id} incident={incident} />
            ))}
          </ul>
        </>
      )}
      {drilling && <DrillFromStart incident={drilling} token={token} onClose={() => setDrilling(undefined)} />}
    </>
  )
}

const HostTokenForm = ({ onSaved }: { onSaved: () => void }) => {
  const [value, setValue] = useState('')
  return (
    <form
      className="card"
      aria-labelledby="admin-heading"
      onSubmit={(e) => {
        e.preventDefault()
        saveHostToken(value)
        onSaved()
      }}
    >
      <h2 id="admin-heading">Run this host</h2>
      <p className="muted">
        Paste the host token (the <code>host-token</code> file in the host's data folder) to declare and list incidents.
      </p>
      <label>
        Host token
        <input type="password" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" required />
      </label>
      <button type="submit">Use host token</button>
    </form>
  )
}

export const HomePage = () => {
  const [token, setToken] = useState<string | null>()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  // Bumped when the alert inbox declares an incident: the list asks again.
  const [listVersion, setListVersion] = useState(0)
  // Bumped when the inbox or the Silences card silences alerts: the other asks again.
  const [silenced, setSilenced] = useState(0)
  const bridge = desktopBridge()

  const refreshToken = useCallback(() => void hostToken().then((t) => setToken(t ?? null)), [])
  useEffect(refreshToken, [refreshToken])

  useEffect(() => {
    if (!token) return
    listIncidents(token).then(
      (incidents) => setLoad({ state: 'ready', incidents }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401 && !bridge) {
          forgetHostToken()
          setToken(null)
        }
        setLoad({ state: 'error', message: error instanceof Error ? error.message : String(error) })
      },
    )
  }, [token, bridge, listVersion])

  return (
    <main className="page home">
      <header className="home-header">
        <h1>War Room</h1>
        {bridge && <p className="muted">Hosting on {bridge.hostUrl}</p>}
      </header>
      {token === undefined && <PaneState kind="loading" title="Starting…" />}
      {token === null && (
        <div className="home-grid">
          <section className="card" aria-labelledby="join-heading">
            <h2 id="join-heading">Join an incident</h2>
            <p>Open the invite link the incident commander sent you. It brings you straight to the board.</p>
          </section>
          <HostTokenForm onSaved={refreshToken} />
        </div>
      )}
      {token && (
        <div className="home-grid">
          <HostProblemsCard token={token} />
          <DeclareForm token={token} />
          <section className="card" aria-labelledby="incidents-heading">
            <h2 id="incidents-heading">Incidents</h2>
            <IncidentList load={load} token={token} />
          </section>
          <AlertInbox token={token} onIncidentsChanged={() => setListVersion((n) => n + 1)} onSilenced={() => setSilenced((n) => n + 1)} changed={silenced} />
          <SilencesCard token={token} onSilenced={() => setSilenced((n) => n + 1)} changed={silenced} />
          <FollowUpsCard token={token} />
          <AnalyticsView token={token} />
          <RosterEditor token={token} />
          <UpdatesSettings token={token} />
          <IntegrationsSettings token={token} />
          <MobiliseSettings token={token} />
        </div>
      )}
    </main>
  )
}
