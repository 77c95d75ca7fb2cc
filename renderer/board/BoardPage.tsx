import { useEffect, useState } from 'react'
import { ApiError, type AccessLevel, fetchIncidentAccess } from '../app/api'
import { navigate } from '../app/router'
import { type Identity, forgetIncidentToken, hostToken, incidentToken, loadIdentity, rememberAccess, rememberedAccess } from '../app/session'
import { PaneState } from '../common/PaneState'
import { JoinForm } from '../join/JoinForm'
import { IncidentConnection } from '../sync/connection'
import { Board } from './Board'

type Gate =
  | { state: 'checking' }
  | { state: 'ready'; token: string; access: AccessLevel; title?: string }
  | { state: 'refused'; title: string; detail: string }

/** Who may see this incident, checked with the host (or remembered, when it cannot be reached). */
const useGate = (incidentId: string): Gate => {
  const [gate, setGate] = useState<Gate>({ state: 'checking' })
  useEffect(() => {
    let cancelled = false
    const settle = (next: Gate): void => {
      if (!cancelled) setGate(next)
    }
    void (async () => {
      const token = incidentToken(incidentId) ?? (await hostToken())
      if (!token) {
        return settle({ state: 'refused', title: 'You need an invite link', detail: 'Ask the incident commander for the link to this incident.' })
      }
      try {
        const { access, title } = await fetchIncidentAccess(incidentId, token)
        rememberAccess(incidentId, access)
        settle({ state: 'ready', token, access, title })
      } catch (error) {
        const remembered = rememberedAccess(incidentId)
        if (error instanceof ApiError && error.status === 0 && remembered) {
          // Offline: the local copy is still there, and so is what this link allowed.
          return settle({ state: 'ready', token, access: remembered })
        }
        if (error instanceof ApiError && error.status === 401) forgetIncidentToken(incidentId)
        settle({
          state: 'refused',
          title:
            error instanceof ApiError && error.status === 401
              ? 'This invite link is not valid'
              : error instanceof ApiError && error.status === 404
                ? 'There is no such incident on this host'
                : 'The host cannot be reached',
          detail: error instanceof Error ? error.message : String(error),
        })
      }
    })()
    return () => {
      cancelled = true
    }
  }, [incidentId])
  return gate
}

const useConnection = (incidentId: string, token: string | undefined, identity: Identity | undefined): IncidentConnection | undefined => {
  const [connection, setConnection] = useState<IncidentConnection>()
  useEffect(() => {
    if (!token || !identity) return
    const next = new IncidentConnection(incidentId, token, identity)
    setConnection(next)
    return () => next.destroy()
  }, [incidentId, token, identity])
  return connection
}

/** Stakeholders with a view link never write, so they are not asked for a name. */
const VIEWER: Identity = { id: 'viewer', name: 'Viewer', color: '#90a4ae' }

export const BoardPage = ({ incidentId }: { incidentId: string }) => {
  const gate = useGate(incidentId)
  const [identity, setIdentity] = useState<Identity | undefined>(loadIdentity)
  const viewer = gate.state === 'ready' && gate.access === 'view'
  const who = viewer ? VIEWER : identity
  const connection = useConnection(incidentId, gate.state === 'ready' ? gate.token : undefined, who)

  if (gate.state === 'checking') return <main className="page"><PaneState kind="loading" title="Opening the incident…" /></main>
  if (gate.state === 'refused') {
    return (
      <main className="page">
        <PaneState kind="error" title={gate.title}>
          <p>{gate.detail}</p>
          <p>
            <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
              Go to the start page
            </a>
          </p>
        </PaneState>
      </main>
    )
  }
  if (!who) return <JoinForm {...(gate.title ? { incidentTitle: gate.title } : {})} token={gate.token} onJoined={setIdentity} />
  if (!connection) return <main className="page"><PaneState kind="loading" title="Opening the incident…" /></main>
  return <Board connection={connection} access={gate.access} />
}
