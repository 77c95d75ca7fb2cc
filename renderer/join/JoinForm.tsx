import { type FormEvent, useState } from 'react'
import { PeopleError } from '../../shared/people'
import { type Identity, loadIdentity, saveIdentity } from '../app/session'

/** Asked once per device: the name everyone else sees next to your entries. */
export const JoinForm = ({ incidentTitle, onJoined }: { incidentTitle?: string; onJoined: (identity: Identity) => void }) => {
  const [name, setName] = useState(loadIdentity()?.name ?? '')
  const [error, setError] = useState<string>()

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    try {
      onJoined(saveIdentity(name))
    } catch (err) {
      setError(err instanceof PeopleError ? err.message : String(err))
    }
  }

  return (
    <main className="page join">
      <form className="card" onSubmit={submit} aria-labelledby="join-title">
        <h1 id="join-title">Join {incidentTitle ? `“${incidentTitle}”` : 'the incident'}</h1>
        <p className="muted">Your name is shown to everyone on the board and next to everything you write.</p>
        <label>
          Your name
          <input value={name} onChange={(e) => setName(e.target.value)} autoFocus required maxLength={80} autoComplete="name" />
        </label>
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          Join the board
        </button>
      </form>
    </main>
  )
}
