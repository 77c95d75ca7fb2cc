import { type FormEvent, useEffect, useState } from 'react'
import type { Gathering } from '../../shared/gathering'
import type { PagingSettings } from '../../shared/paging'
import type { ChannelView } from '../../shared/update-settings'
import { fetchGatheringDefault, fetchPagingSettings, fetchUpdateSettings, saveGatheringDefault, savePagingSettings } from '../app/api'
import { PaneState } from '../common/PaneState'
import { FormError, errorMessage } from '../common/useAction'
import '../common/dialog.css'

interface Loaded {
  paging: PagingSettings
  gathering: Gathering
  channels: ChannelView[]
}

const MEETING_FIELDS: Array<{ key: keyof Gathering; label: string; placeholder: string }> = [
  { key: 'bridgeUrl', label: 'Bridge (video or phone link)', placeholder: 'https://meet.example.com/warroom or tel:+44…' },
  { key: 'bridgePin', label: 'Bridge PIN', placeholder: '4411 #' },
  { key: 'chatName', label: 'Chat channel', placeholder: '#incidents' },
  { key: 'chatUrl', label: 'Chat link', placeholder: 'https://chat.example.com/…' },
]

/**
 * Calling people in: where PagerDuty Events go, which channel carries the
 * other pages (people, services without a routing key), and the bridge and
 * chat a new incident starts with.
 */
export const MobiliseSettings = ({ token }: { token: string }) => {
  const [loaded, setLoaded] = useState<Loaded>()
  const [loadError, setLoadError] = useState<string>()
  const [error, setError] = useState<string>()
  const [saved, setSaved] = useState(false)
  useEffect(() => {
    Promise.all([fetchPagingSettings(token), fetchGatheringDefault(token), fetchUpdateSettings(token)]).then(
      ([paging, gathering, updates]) => setLoaded({ paging, gathering, channels: updates.channels }),
      (e: unknown) => setLoadError(errorMessage(e)),
    )
  }, [token])

  const change = (next: Loaded): void => {
    setLoaded(next)
    setSaved(false)
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (!loaded) return
    Promise.all([savePagingSettings(token, loaded.paging), saveGatheringDefault(token, loaded.gathering)]).then(
      () => {
        setError(undefined)
        setSaved(true)
      },
      (e: unknown) => setError(errorMessage(e)),
    )
  }

  return (
    <section className="card" aria-labelledby="mobilise-heading">
      <h2 id="mobilise-heading">Paging and where we meet</h2>
      {loadError ? (
        <PaneState kind="error" title="The paging settings could not be loaded">
          <p>{loadError}</p>
        </PaneState>
      ) : !loaded ? (
        <PaneState kind="loading" title="Loading the paging settings…" />
      ) : (
        <form onSubmit={submit} className="dialog-form" aria-label="Paging and where we meet">
          <p className="muted">
            A service whose catalog entry has a pagerduty.com/integration-key is paged through PagerDuty Events v2. Everyone else (people of the roster,
            services without a key) is paged through the channel chosen here, signed like update webhooks.
          </p>
          <label>
            PagerDuty Events API address
            <input value={loaded.paging.eventsUrl} onChange={(e) => change({ ...loaded, paging: { ...loaded.paging, eventsUrl: e.target.value } })} />
          </label>
          <label>
            Channel for pages
            <select value={loaded.paging.channelId ?? ''} onChange={(e) => change({ ...loaded, paging: { ...loaded.paging, channelId: e.target.value || null } })}>
              <option value="">None: only PagerDuty routing keys page</option>
              {loaded.channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.destination})
                </option>
              ))}
            </select>
          </label>
          <h3>Every new incident meets at</h3>
          {MEETING_FIELDS.map((f) => (
            <label key={f.key}>
              {f.label}
              <input
                value={loaded.gathering[f.key] ?? ''}
                placeholder={f.placeholder}
                onChange={(e) => change({ ...loaded, gathering: { ...loaded.gathering, [f.key]: e.target.value } })}
              />
            </label>
          ))}
          <FormError message={error} />
          <div className="dialog-actions">
            {saved && (
              <span role="status" className="muted">
                Saved.
              </span>
            )}
            <button type="submit" className="primary">
              Save paging settings
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
