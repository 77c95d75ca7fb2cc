import { useCallback } from 'react'
import { formatDay, formatTimeOfDay } from '../../shared/clock'
import { type HostProblems, storageWarning } from '../../shared/host-status'
import { fetchHostProblems } from '../app/api'
import { useHostValue } from '../sync/useHostValue'

/** The start page asks often: a full disk must not wait a minute to show. */
const PROBLEMS_REFRESH_MS = 5000

/**
 * What the host found wrong with its files (set aside, repaired, or needing
 * the IC), and whether it can save now. Shown only when there is something to say.
 */
export const HostProblemsCard = ({ token }: { token: string }) => {
  const load = useCallback(() => fetchHostProblems(token), [token])
  const value = useHostValue<HostProblems | undefined>(load, undefined, PROBLEMS_REFRESH_MS)
  if (!value) return null
  const { storage, problems } = value
  if (storage.ok && problems.length === 0) return null
  return (
    <section className="card host-problems" aria-labelledby="problems-heading">
      <h2 id="problems-heading">The host needs your attention</h2>
      {!storage.ok && (
        <p role="alert" className="host-problems-storage">
          {storageWarning(storage)}
        </p>
      )}
      {problems.length > 0 && (
        <ul aria-label="Problems found in the host's files">
          {problems.map((p) => (
            <li key={`${p.file}-${p.problem}-${p.setAsideAs ?? ''}`}>
              <code>{p.file}</code>: {p.problem}.
              {p.setAsideAs && (
                <>
                  {' '}
                  The damaged bytes are kept in <code>{p.setAsideAs}</code>.
                </>
              )}{' '}
              <time className="muted" dateTime={new Date(p.at).toISOString()}>
                Found {formatDay(p.at)} {formatTimeOfDay(p.at)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
