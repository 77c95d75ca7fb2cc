import { useState } from 'react'
import type { PageRequest } from '../../shared/contract'
import { sendPage, setPagingKey } from '../app/api'
import { useBoard } from '../board/BoardContext'
import { errorMessage } from '../common/useAction'

/**
 * Ask the host to page, and say what happened in words: how many were paged,
 * and for each one that could not be, why (the host knows the routes; the
 * board never holds a routing key). Delivery then shows on the timeline.
 */
const usePage = () => {
  const { connection } = useBoard()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; bad: boolean }>()
  const page = async (request: PageRequest): Promise<void> => {
    setBusy(true)
    setMessage(undefined)
    try {
      const { pages, skipped } = await sendPage(connection.token, connection.incidentId, { by: connection.identity.id, ...request })
      const notPaged = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')
      setMessage({ text: `Paged ${pages.map((p) => p.name).join(', ')}.${notPaged ? ` Not paged: ${notPaged}.` : ''}`, bad: false })
    } catch (err) {
      setMessage({ text: errorMessage(err), bad: true })
    } finally {
      setBusy(false)
    }
  }
  return { busy, message, page }
}

const Outcome = ({ message }: { message: { text: string; bad: boolean } | undefined }) => (
  <p role="status" className={message?.bad ? 'page-outcome form-error' : 'page-outcome muted'}>
    {message?.text}
  </p>
)

/** On the Alerts pane: one action calls in the owner of every service that is down. */
export const PageAffectedButton = () => {
  const { busy, message, page } = usePage()
  return (
    <span className="page-action">
      <button type="button" onClick={() => void page({ affected: true })} disabled={busy} aria-busy={busy}>
        Page owners of affected services
      </button>
      <Outcome message={message} />
    </span>
  )
}

/** In a service's details: page its owner. */
export const PageOwnerButton = ({ serviceId, owner }: { serviceId: string; owner: string | undefined }) => {
  const { busy, message, page } = usePage()
  return (
    <div className="page-action">
      <button type="button" onClick={() => void page({ serviceId })} disabled={busy} aria-busy={busy}>
        {owner ? `Page ${owner}` : 'Page owner'}
      </button>
      <Outcome message={message} />
    </div>
  )
}

/** In People: page someone of the roster who is not on the board. */
export const PagePersonButton = ({ personId, name }: { personId: string; name: string }) => {
  const { busy, message, page } = usePage()
  return (
    <span className="page-action">
      <button type="button" onClick={() => void page({ personId })} disabled={busy} aria-busy={busy} aria-label={`Page ${name}`}>
        Page
      </button>
      <Outcome message={message} />
    </span>
  )
}

/** In a service's details: keep a PagerDuty routing key for its owner on the host (it is never shown again). */
export const PagingKeyForm = ({ serviceId, pageable }: { serviceId: string; pageable: boolean }) => {
  const { connection } = useBoard()
  const [key, setKey] = useState('')
  const [message, setMessage] = useState<{ text: string; bad: boolean }>()
  const save = async (integrationKey: string | null): Promise<void> => {
    try {
      const still = await setPagingKey(connection.token, connection.incidentId, serviceId, { by: connection.identity.id, integrationKey })
      setKey('')
      const text = integrationKey ? 'Routing key kept on the host, for this incident.' : still ? "No key set here now; the catalog's key still pages." : 'Routing key removed.'
      setMessage({ text, bad: false })
    } catch (err) {
      setMessage({ text: errorMessage(err), bad: true })
    }
  }
  return (
    <form
      className="paging-key"
      onSubmit={(e) => {
        e.preventDefault()
        void save(key)
      }}
    >
      {pageable ? (
        <p className="muted">
          Its owner is paged through PagerDuty.{' '}
          <button type="button" onClick={() => void save(null)}>
            Remove routing key
          </button>
        </p>
      ) : (
        <>
          <label>
            PagerDuty routing key for its owner
            <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
          </label>
          <button type="submit" disabled={!key.trim()}>
            Keep key
          </button>
        </>
      )}
      <Outcome message={message} />
    </form>
  )
}
