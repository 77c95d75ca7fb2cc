import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { type RosterPerson, addToRoster, listRoster, removeFromRoster, updateRosterPerson } from '../app/api'
import { PaneState } from '../common/PaneState'
import { FormError } from '../common/useAction'
import '../people/people.css'

const skillsOf = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

const PersonRow = ({ person, token, onChanged, onError }: { person: RosterPerson; token: string; onChanged: () => void; onError: (m: string) => void }) => {
  const save = (fields: Parameters<typeof updateRosterPerson>[2]): void =>
    void updateRosterPerson(token, person.id, fields).then(onChanged, (e: unknown) => onError(e instanceof Error ? e.message : String(e)))
  const field = (label: string, value: string, onSave: (v: string) => void) => (
    <td>
      <input aria-label={`${label} of ${person.name}`} defaultValue={value} onBlur={(e) => e.target.value !== value && onSave(e.target.value)} />
    </td>
  )
  return (
    <tr>
      {field('Name', person.name, (name) => save({ name }))}
      {field('Team', person.team ?? '', (team) => save({ team }))}
      {field('Contact', person.contact ?? '', (contact) => save({ contact }))}
      {field('Skills', person.skills.join(', '), (text) => save({ skills: skillsOf(text) }))}
      <td>
        <button type="button" className="danger" onClick={() => void removeFromRoster(token, person.id).then(onChanged, (e: unknown) => onError(String(e)))}>
          Remove {person.name}
        </button>
      </td>
    </tr>
  )
}

/** The host's roster: who may be called in, their team, how to reach them, what they know. */
export const RosterEditor = ({ token }: { token: string }) => {
  const [people, setPeople] = useState<RosterPerson[]>()
  const [error, setError] = useState<string>()
  const [name, setName] = useState('')
  const [team, setTeam] = useState('')
  const [skills, setSkills] = useState('')
  const refresh = useCallback(() => void listRoster(token).then(setPeople, (e: unknown) => setError(e instanceof Error ? e.message : String(e))), [token])
  useEffect(refresh, [refresh])

  const add = (event: FormEvent): void => {
    event.preventDefault()
    addToRoster(token, { name, ...(team ? { team } : {}), skills: skillsOf(skills) }).then(
      () => {
        setName('')
        setTeam('')
        setSkills('')
        setError(undefined)
        refresh()
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    )
  }

  return (
    <section className="card roster" aria-labelledby="roster-heading">
      <h2 id="roster-heading">Roster</h2>
      <p className="muted">Everyone who may be called into an incident. People joining by link are added here; edits save when you leave a field.</p>
      {!people ? (
        <PaneState kind="loading" title="Loading the roster…" />
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Team</th>
              <th scope="col">Contact</th>
              <th scope="col">Skills (comma separated)</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <PersonRow key={`${p.id}:${p.name}:${p.team ?? ''}:${p.contact ?? ''}:${p.skills.join()}`} person={p} token={token} onChanged={refresh} onError={setError} />
            ))}
          </tbody>
        </table>
      )}
      <form className="team-form" onSubmit={add} aria-label="Add to the roster">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
        </label>
        <label>
          Team
          <input value={team} onChange={(e) => setTeam(e.target.value)} maxLength={80} />
        </label>
        <label>
          Skills
          <input value={skills} onChange={(e) => setSkills(e.target.value)} placeholder="postgres, kubernetes" />
        </label>
        <button type="submit">Add to roster</button>
      </form>
      <FormError message={error} />
    </section>
  )
}
