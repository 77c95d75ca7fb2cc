import { type FormEvent, useEffect, useMemo, useState } from 'react'
import { PeopleError } from '../../shared/people'
import { type RosterPerson, listRoster } from '../app/api'
import { type Identity, loadIdentity, saveIdentity } from '../app/session'
import { identifyAs } from './identify'
import { FormError } from '../common/useAction'
import './join.css'

/**
 * Asked once per device: who you are. Matched to the host's roster, so you are
 * the same person on every device and every incident (fatigue counts on it);
 * someone new is added to the roster.
 */
export const JoinForm = ({ incidentTitle, token, onJoined }: { incidentTitle?: string; token: string; onJoined: (identity: Identity) => void }) => {
  const [name, setName] = useState(loadIdentity()?.name ?? '')
  const [roster, setRoster] = useState<RosterPerson[]>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    listRoster(token).then(setRoster, () => setRoster([]))
  }, [token])

  const matches = useMemo(() => {
    const query = name.trim().toLowerCase()
    if (!roster || query.length < 2) return []
    return roster.filter((p) => p.name.toLowerCase().includes(query)).slice(0, 6)
  }, [roster, name])

  const join = (person: RosterPerson): void => onJoined(saveIdentity(person.name, person.id))

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setError(undefined)
    setBusy(true)
    try {
      onJoined(await identifyAs(token, name, roster))
    } catch (err) {
      setBusy(false)
      setError(err instanceof PeopleError ? err.message : String(err))
    }
  }

  return (
    <main className="page join">
      <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="join-title">
        <h1 id="join-title">Join {incidentTitle ? `“${incidentTitle}”` : 'the incident'}</h1>
        <p className="muted">Your name is shown to everyone on the board and next to everything you write.</p>
        <label>
          Your name
          <input value={name} onChange={(e) => setName(e.target.value)} autoFocus required maxLength={80} autoComplete="name" />
        </label>
        {matches.length > 0 && (
          <div className="roster-matches" role="group" aria-label="On the roster">
            <p className="muted">Is this you?</p>
            {matches.map((p) => (
              <button key={p.id} type="button" onClick={() => join(p)}>
                {p.name}
                {p.team && <span className="muted"> · {p.team}</span>}
              </button>
            ))}
          </div>
        )}
        <FormError message={error} />
        <button type="submit" className="primary" disabled={busy}>
          Join the board
        </button>
      </form>
    </main>
  )
}
