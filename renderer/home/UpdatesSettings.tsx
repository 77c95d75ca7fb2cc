import { type FormEvent, useCallback, useEffect, useState } from 'react'
import type { SeverityBand } from '../../shared/cadence'
import { AUDIENCES, AUDIENCE_LABELS, type Audience, PLACEHOLDERS } from '../../shared/templates'
import { CHANNEL_FORMATS, type ChannelFormat, type PublicUpdateSettings, type UpdateSettings } from '../../shared/update-settings'
import { addChannel, fetchUpdateSettings, removeChannel, saveUpdateSettings } from '../app/api'
import { PaneState } from '../common/PaneState'
import { FormError } from '../common/useAction'

const BANDS: Array<[SeverityBand, string]> = [
  ['high', 'SEV-1/2'],
  ['medium', 'SEV-3'],
  ['low', 'SEV-4/5'],
]

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const Minutes = ({ label, value, onChange, min = 1 }: { label: string; value: number; onChange: (n: number) => void; min?: number }) => (
  <td>
    <input type="number" aria-label={label} min={min} max={1440} value={value} onChange={(e) => onChange(Number(e.target.value))} />
  </td>
)

/** Approval, templates and cadence: edited here, saved together. */
const SettingsForm = ({ token, initial, onSaved }: { token: string; initial: UpdateSettings; onSaved: (s: PublicUpdateSettings) => void }) => {
  const [draft, setDraft] = useState<UpdateSettings>(initial)
  const [error, setError] = useState<string>()
  const [saved, setSaved] = useState(false)
  const change = (next: UpdateSettings): void => {
    setDraft(next)
    setSaved(false)
  }
  const setField = (audience: Audience, index: number, key: 'label' | 'text', value: string): void =>
    change({
      ...draft,
      templates: { ...draft.templates, [audience]: { fields: draft.templates[audience].fields.map((f, i) => (i === index ? { ...f, [key]: value } : f)) } },
    })
  const setCadence = (audience: Audience, patch: Partial<UpdateSettings['cadence']['audiences'][Audience]>): void =>
    change({ ...draft, cadence: { ...draft.cadence, audiences: { ...draft.cadence.audiences, [audience]: { ...draft.cadence.audiences[audience], ...patch } } } })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    saveUpdateSettings(token, draft).then(
      (s) => {
        setError(undefined)
        setSaved(true)
        onSaved(s)
      },
      (e: unknown) => setError(message(e)),
    )
  }
  return (
    <form onSubmit={submit} aria-label="Update settings">
      <label className="checkbox">
        <input type="checkbox" checked={draft.requireApproval} onChange={(e) => change({ ...draft, requireApproval: e.target.checked })} />
        The incident commander approves every update before it is published
      </label>
      <h3>Cadence (minutes)</h3>
      <table className="cadence-table">
        <thead>
          <tr>
            <th scope="col">Audience</th>
            <th scope="col">First within</th>
            <th scope="col">Then after</th>
            {BANDS.map(([band, label]) => (
              <th key={band} scope="col">
                Every, {label}
              </th>
            ))}
            {BANDS.map(([band, label]) => (
              <th key={band} scope="col">
                After {draft.cadence.longIncidentAfterMinutes / 60} h, {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {AUDIENCES.map((audience) => {
            const c = draft.cadence.audiences[audience]
            const name = AUDIENCE_LABELS[audience]
            return (
              <tr key={audience}>
                <th scope="row">{name}</th>
                <Minutes label={`${name}: first update within`} value={c.firstMinutes} onChange={(n) => setCadence(audience, { firstMinutes: n })} />
                <Minutes label={`${name}: scoping update after`} min={0} value={c.scopingMinutes} onChange={(n) => setCadence(audience, { scopingMinutes: n })} />
                {BANDS.map(([band, label]) => (
                  <Minutes key={band} label={`${name}: every, ${label}`} value={c.everyMinutes[band]} onChange={(n) => setCadence(audience, { everyMinutes: { ...c.everyMinutes, [band]: n } })} />
                ))}
                {BANDS.map(([band, label]) => (
                  <Minutes
                    key={band}
                    label={`${name}: every in a long incident, ${label}`}
                    value={c.longIncidentEveryMinutes[band]}
                    onChange={(n) => setCadence(audience, { longIncidentEveryMinutes: { ...c.longIncidentEveryMinutes, [band]: n } })}
                  />
                ))}
              </tr>
            )
          })}
        </tbody>
      </table>
      <h3>Templates</h3>
      <p className="muted">Filled from the board: {PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}</p>
      {AUDIENCES.map((audience) => (
        <fieldset key={audience} className="template">
          <legend>{AUDIENCE_LABELS[audience]}</legend>
          {draft.templates[audience].fields.map((field, i) => (
            <div key={field.key} className="template-field">
              <input aria-label={`${AUDIENCE_LABELS[audience]}: name of field ${i + 1}`} value={field.label} onChange={(e) => setField(audience, i, 'label', e.target.value)} />
              <textarea aria-label={`${AUDIENCE_LABELS[audience]}: ${field.label}`} rows={2} value={field.text} onChange={(e) => setField(audience, i, 'text', e.target.value)} />
            </div>
          ))}
        </fieldset>
      ))}
      <button type="submit" className="primary">
        Save update settings
      </button>
      {saved && <span role="status"> Saved.</span>}
      <FormError message={error} />
    </form>
  )
}

/** Outgoing webhooks: Slack-compatible or generic JSON, signed when given a secret. */
const Channels = ({ token, settings, onChanged }: { token: string; settings: PublicUpdateSettings; onChanged: () => void }) => {
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [format, setFormat] = useState<ChannelFormat>('slack')
  const [audiences, setAudiences] = useState<Audience[]>(['internal'])
  const [secret, setSecret] = useState('')
  const [drills, setDrills] = useState(false)
  const [followUps, setFollowUps] = useState(false)
  const [error, setError] = useState<string>()
  const add = (event: FormEvent): void => {
    event.preventDefault()
    addChannel(token, { name, url, format, audiences, ...(secret ? { secret } : {}), ...(drills ? { drills } : {}), ...(followUps ? { followUps } : {}) }).then(
      () => {
        setName('')
        setUrl('')
        setSecret('')
        setDrills(false)
        setFollowUps(false)
        setError(undefined)
        onChanged()
      },
      (e: unknown) => setError(message(e)),
    )
  }
  return (
    <>
      <h3>Channels</h3>
      {settings.channels.length === 0 ? (
        <p className="muted">No channel yet: published updates go to the status page only.</p>
      ) : (
        <ul className="channel-list" aria-label="Channels">
          {settings.channels.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> — {c.format === 'slack' ? 'Slack' : 'JSON'} to {c.destination}, for {c.audiences.map((a) => AUDIENCE_LABELS[a].toLowerCase()).join(', ')}
              {c.signed && ', signed'}
              {c.drills && ', for drills'}
              {c.followUps && ', follow-ups too'}{' '}
              <button type="button" className="danger" onClick={() => void removeChannel(token, c.id).then(onChanged, (e: unknown) => setError(message(e)))}>
                Remove {c.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="channel-form" onSubmit={add} aria-label="Add a channel">
        <label>
          Channel name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} placeholder="#incidents" />
        </label>
        <label>
          Webhook URL
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(CHANNEL_FORMATS.find((f) => f === e.target.value) ?? 'slack')}>
            <option value="slack">Slack incoming webhook</option>
            <option value="json">JSON (signed)</option>
          </select>
        </label>
        <fieldset>
          <legend>Audiences</legend>
          {AUDIENCES.map((a) => (
            <label key={a} className="checkbox">
              <input type="checkbox" checked={audiences.includes(a)} onChange={(e) => setAudiences(e.target.checked ? [...audiences, a] : audiences.filter((x) => x !== a))} />
              {AUDIENCE_LABELS[a]}
            </label>
          ))}
        </fieldset>
        <label>
          Signing secret
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" minLength={16} placeholder="optional, 16+ characters" />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={drills} onChange={(e) => setDrills(e.target.checked)} />
          For drills: a drill’s updates go here (and only to channels marked so)
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={followUps} onChange={(e) => setFollowUps(e.target.checked)} />
          Follow-ups too: each one added or changed goes here (for a tracker to make tickets)
        </label>
        <button type="submit">Add channel</button>
      </form>
      <p className="muted">The URL and secret stay on this host: boards only see the channel's name and where it goes.</p>
      <FormError message={error} />
    </>
  )
}

/** The host's stakeholder-update settings, on the IC's start page. */
export const UpdatesSettings = ({ token }: { token: string }) => {
  const [settings, setSettings] = useState<PublicUpdateSettings>()
  const [error, setError] = useState<string>()
  const refresh = useCallback(() => void fetchUpdateSettings(token).then(setSettings, (e: unknown) => setError(message(e))), [token])
  useEffect(refresh, [refresh])
  return (
    <section className="card updates-settings" aria-labelledby="updates-settings-heading">
      <h2 id="updates-settings-heading">Stakeholder updates</h2>
      {settings ? (
        <>
          <SettingsForm
            token={token}
            initial={{ requireApproval: settings.requireApproval, templates: settings.templates, cadence: settings.cadence }}
            onSaved={setSettings}
          />
          <Channels token={token} settings={settings} onChanged={refresh} />
        </>
      ) : error ? (
        <PaneState kind="error" title="The settings could not be loaded">
          <p>{error}</p>
        </PaneState>
      ) : (
        <PaneState kind="loading" title="Loading the settings…" />
      )}
    </section>
  )
}
