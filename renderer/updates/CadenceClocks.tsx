import { type CadenceClock, cadenceClocks } from '../../shared/cadence'
import { formatElapsed, formatTimeOfDay } from '../../shared/clock'
import { AUDIENCE_LABELS } from '../../shared/templates'
import { cadenceInput } from '../../shared/updates'
import { useBoard } from '../board/BoardContext'
import { useDocValue, useHostNow } from '../sync/hooks'
import { useUpdateSettings } from './UpdateSettingsProvider'
import './updates.css'

const describe = (clock: CadenceClock, now: number): { value: string; words: string } => {
  if (clock.state === 'done' || clock.dueAt === undefined) return { value: 'done', words: 'no more updates due' }
  const remaining = clock.dueAt - now
  const value = remaining <= 0 ? `−${formatElapsed(-remaining)}` : formatElapsed(remaining)
  const why = clock.reason === 'changed' ? ' (status or severity changed)' : clock.reason === 'first' ? ' (first update)' : ''
  const promised = clock.promisedAt !== undefined && clock.promisedAt !== clock.dueAt ? `, promised for ${formatTimeOfDay(clock.promisedAt)}` : ''
  return { value, words: `${remaining <= 0 ? `overdue by ${formatElapsed(-remaining)}` : `due in ${formatElapsed(remaining)}`}${why}${promised}` }
}

/**
 * "Next update due" per audience, in the header: amber when close, red when
 * overdue. A click opens that audience's draft.
 */
export const CadenceClocks = () => {
  const { connection, open } = useBoard()
  const now = useHostNow(connection)
  const { cadence } = useUpdateSettings()
  const input = useDocValue(connection.doc, cadenceInput)
  if (!input) return null
  return (
    <ul className="cadence" aria-label="Next stakeholder updates">
      {cadenceClocks(cadence, input, now).map((clock) => {
        const { value, words } = describe(clock, now)
        // Its name starts with what it shows, so voice control users can say it.
        const promise = clock.promisedAt !== undefined && clock.promisedAt !== clock.dueAt ? `promised ${formatTimeOfDay(clock.promisedAt).slice(0, 5)}` : undefined
        return (
          <li key={clock.audience}>
            <button
              type="button"
              className={`cadence-clock cadence-clock--${clock.state}`}
              aria-label={`${AUDIENCE_LABELS[clock.audience]} ${value}${promise ? ` ${promise}` : ''}: update ${words}`}
              title={clock.dueAt !== undefined ? `Due at ${formatTimeOfDay(clock.dueAt)}` : undefined}
              onClick={() => open({ kind: 'updates', audience: clock.audience })}
            >
              <span className="cadence-label">{AUDIENCE_LABELS[clock.audience]}</span>{' '}
              <span className="cadence-value">{value}</span>
              {promise && (
                <>
                  {' '}
                  <span className="cadence-promise">{promise}</span>
                </>
              )}
            </button>
          </li>
        )
      })}
    </ul>
  )
}
