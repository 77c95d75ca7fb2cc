import { useEffect, useRef, useState } from 'react'
import { formatTimeOfDay } from '../../shared/clock'
import { readHostStorage, storageWarning } from '../../shared/host-status'
import { useAwarenessValue } from '../sync/hooks'
import { useBoard } from './BoardContext'

const RECOVERED_SHOWN_MS = 15_000

/**
 * "The host cannot save": on every board at once, announced, until the host
 * writes again; then, briefly, that nothing was lost.
 */
export const StorageBanner = () => {
  const { connection, canEdit } = useBoard()
  // What the host says about its saving, from its own presence entry (undefined: nothing to say).
  const storage = useAwarenessValue(connection, readHostStorage)
  const failing = storage !== undefined && !storage.ok ? storage : undefined
  const [recovered, setRecovered] = useState(false)
  const wasFailing = useRef(false)
  useEffect(() => {
    if (failing) {
      wasFailing.current = true
      setRecovered(false)
      return
    }
    if (!wasFailing.current) return
    wasFailing.current = false
    // A lost connection also clears the host's presence: that says nothing about its disk.
    if (connection.getStatus().link !== 'live') return
    setRecovered(true)
    const timer = setTimeout(() => setRecovered(false), RECOVERED_SHOWN_MS)
    return () => clearTimeout(timer)
  }, [failing, connection])
  // An element with role "alert" is announced when it appears: none is kept while there is nothing to say.
  if (!failing && !recovered) return null
  return (
    <div role="alert" className={failing ? 'storage-banner storage-banner--failing' : 'storage-banner storage-banner--ok'}>
      {failing ? (
        <p>
          <span aria-hidden="true">⚠ </span>
          {storageWarning(failing, canEdit)} <span className="storage-banner-since">Since {formatTimeOfDay(failing.since)}.</span>
        </p>
      ) : (
        <p>
          <span aria-hidden="true">✓ </span>The host saves again: every change is on its disk.
        </p>
      )}
    </div>
  )
}
