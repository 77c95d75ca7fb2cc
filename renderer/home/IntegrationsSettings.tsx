import { type FormEvent, type ReactNode, useCallback, useState } from 'react'
import { ALERT_SOURCES, type AlertSource } from '../../shared/alerts'
import { formatDay, formatTimeOfDay } from '../../shared/clock'
import { plural } from '../../shared/plural'
import { type IntegrationView, createIntegration, listIntegrations, revokeIntegration } from '../app/api'
import { CopyField } from '../common/CopyField'
import { ConfirmDialog } from '../common/ConfirmDialog'
import { PaneState } from '../common/PaneState'
import { FormError, errorMessage } from '../common/useAction'
import { When, useHostNow } from './HostTime'
import { RoutingRules } from './RoutingRules'
import { useWhileVisible } from './useWhileVisible'
import './integrations.css'

/** Last events and counts move while monitoring is being set up ("did my test alert arrive?"). */
const REFRESH_MS = 10_000

const KIND_LABELS: Record<AlertSource, string> = {
  cloudwatch: 'Amazon CloudWatch (through SNS)',
  pagerduty: 'PagerDuty Events API v2',
  alertmanager: 'Prometheus Alertmanager',
  grafana: 'Grafana alerting',
}

/** Where each monitoring system takes the address. */
const WHERE_TO_PASTE: Record<AlertSource, ReactNode> = {
  cloudwatch: (
    <>
      In Amazon SNS, add a subscription to the alarm's topic with protocol <strong>HTTPS</strong> (HTTP for an <code>http:</code> address) and this address as
      its endpoint. The confirmation SNS sends is confirmed here when it comes from an SNS address; otherwise it shows here for you to confirm by hand.
    </>
  ),
  pagerduty: (
    <>
      Where a tool sends PagerDuty <strong>Events API v2</strong> events, use this address as its integration URL (in place of{' '}
      <code>https://events.pagerduty.com/v2/enqueue</code>).
    </>
  ),
  alertmanager: (
    <>
      In <code>alertmanager.yml</code>, give a receiver a <code>webhook_configs</code> entry whose <code>url</code> is this address, and route alerts to it.
    </>
  ),
  grafana: (
    <>
      In Grafana, Alerting → Contact points: add a contact point of type <strong>Webhook</strong> with this address as its URL, and use it in a notification policy.
    </>
  ),
}

const at = (ms: number): string => `${formatDay(ms)} ${formatTimeOfDay(ms)}`

const Integration = ({
  token,
  integration,
  now,
  addressShown,
  onToggleAddress,
  onRevoke,
  onSaved,
}: {
  token: string
  integration: IntegrationView
  now: number
  addressShown: boolean
  onToggleAddress: () => void
  onRevoke: () => void
  onSaved: (saved: IntegrationView) => void
}) => {
  const { name, kind, pendingConfirmation } = integration
  return (
    <li className="integration" aria-labelledby={`integration-${integration.id}`}>
      <div className="integration-head">
        <h3 id={`integration-${integration.id}`}>{name}</h3>
        <span className="muted">{KIND_LABELS[kind]}</span>
      </div>
      <p className="muted">
        Created {at(integration.createdAt)} · {integration.lastEventAt === null ? 'no event yet' : <>last event <When at={integration.lastEventAt} now={now} /></>} ·{' '}
        {plural(integration.events, 'event')}, {plural(integration.alerts, 'alert')} · grouped within {integration.windowMinutes} min
      </p>
      {!integration.verifySignatures && <p className="integration-notice">Unverified: signatures not checked. Anyone who has the address can post alerts as this source.</p>}
      {pendingConfirmation && (
        <div className="integration-notice" role="note" aria-label={`Subscription of ${name} waiting for you`}>
          <p>
            SNS is waiting for this subscription to be confirmed, and its confirmation address is not an SNS address, so this host did not open it. Check that the
            topic is yours, then open the address yourself:
          </p>
          <code className="subscribe-url">{pendingConfirmation.subscribeUrl}</code>
          <p className="muted">
            Topic {pendingConfirmation.topicArn}, received {at(pendingConfirmation.at)}.
          </p>
        </div>
      )}
      {addressShown && <CopyField label={`Intake address for ${name}`} value={integration.url} hint={WHERE_TO_PASTE[kind]} />}
      <div className="integration-actions">
        <button type="button" aria-expanded={addressShown} onClick={onToggleAddress}>
          {addressShown ? 'Hide the address' : 'Show the address'}
          <span className="visually-hidden"> of {name}</span>
        </button>
        <button type="button" className="danger" onClick={onRevoke}>
          Revoke {name}…
        </button>
      </div>
      <RoutingRules token={token} integration={integration} onSaved={onSaved} />
    </li>
  )
}

const NewIntegrationForm = ({ token, onCreated }: { token: string; onCreated: (id: string, name: string) => void }) => {
  const [name, setName] = useState('')
  const [kind, setKind] = useState<AlertSource>('alertmanager')
  const [verifySignatures, setVerifySignatures] = useState(true)
  const [windowMinutes, setWindowMinutes] = useState(5)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    setBusy(true)
    // Only SNS messages carry signatures: the other kinds keep the host's default.
    createIntegration(token, { name, kind, windowMinutes, ...(kind === 'cloudwatch' ? { verifySignatures } : {}) }).then(
      (created) => {
        setName('')
        setError(undefined)
        setBusy(false)
        onCreated(created.id, created.name)
      },
      (e: unknown) => {
        setError(errorMessage(e))
        setBusy(false)
      },
    )
  }
  return (
    <form className="integration-form" onSubmit={submit} aria-label="Add an integration">
      <label>
        Integration name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} placeholder="Production Prometheus" />
      </label>
      <label>
        Source
        <select value={kind} onChange={(e) => setKind(ALERT_SOURCES.find((k) => k === e.target.value) ?? 'alertmanager')}>
          {ALERT_SOURCES.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Grouping window (minutes)
        <input type="number" min={1} max={240} required value={windowMinutes} onChange={(e) => setWindowMinutes(Number(e.target.value))} />
      </label>
      {kind === 'cloudwatch' && (
        <label className="checkbox">
          <input type="checkbox" checked={verifySignatures} onChange={(e) => setVerifySignatures(e.target.checked)} />
          Check SNS message signatures (turn off only on a network without internet: the integration is then marked unverified)
        </label>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create integration'}
      </button>
      <FormError message={error} />
    </form>
  )
}

const RevokeDialog = ({ integration, token, onClose, onRevoked }: { integration: IntegrationView; token: string; onClose: () => void; onRevoked: () => void }) => (
  <ConfirmDialog
    title={`Revoke ${integration.name}?`}
    confirm={`Revoke ${integration.name}`}
    onConfirm={() => revokeIntegration(token, integration.id).then(onRevoked)}
    onClose={onClose}
  >
    <p>
      Its address stops taking alerts at once: {KIND_LABELS[integration.kind]} gets “not found” for everything it sends from now on. The alerts it already brought stay
      where they are. This cannot be undone; a new integration gets a new address.
    </p>
  </ConfirmDialog>
)

/** The host's alert integrations, on the IC's start page: each monitoring source gets its own intake address. */
export const IntegrationsSettings = ({ token }: { token: string }) => {
  const [integrations, setIntegrations] = useState<IntegrationView[]>()
  const [error, setError] = useState<string>()
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set())
  const [revoking, setRevoking] = useState<IntegrationView>()
  const [notice, setNotice] = useState<string>()
  const now = useHostNow(REFRESH_MS)

  const refresh = useCallback(
    () =>
      void listIntegrations(token).then(
        (list) => {
          setIntegrations(list)
          setError(undefined)
        },
        (e: unknown) => setError(errorMessage(e)),
      ),
    [token],
  )
  useWhileVisible(refresh, REFRESH_MS)

  const toggle = (id: string): void => setShown((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])))

  return (
    <section className="card integrations" aria-labelledby="integrations-heading">
      <h2 id="integrations-heading">Alert integrations</h2>
      <p className="muted">
        Each monitoring source posts its alerts to its own intake address on this host. Treat an address like a password: whoever has it can send alerts.
      </p>
      {notice && <p role="status">{notice}</p>}
      {integrations === undefined ? (
        error ? (
          <PaneState kind="error" title="The integrations could not be loaded">
            <p>{error}</p>
          </PaneState>
        ) : (
          <PaneState kind="loading" title="Loading the integrations…" />
        )
      ) : integrations.length === 0 ? (
        <p className="muted">No integration yet: nothing comes in from monitoring.</p>
      ) : (
        <ul className="integration-list" aria-label="Integrations">
          {integrations.map((integration) => (
            <Integration
              key={integration.id}
              integration={integration}
              now={now}
              addressShown={shown.has(integration.id)}
              onToggleAddress={() => toggle(integration.id)}
              onRevoke={() => setRevoking(integration)}
              token={token}
              onSaved={(saved) => setIntegrations((list) => list?.map((i) => (i.id === saved.id ? saved : i)))}
            />
          ))}
        </ul>
      )}
      {integrations !== undefined && <FormError message={error} />}
      <h3>Add an integration</h3>
      <NewIntegrationForm
        token={token}
        onCreated={(id, name) => {
          setShown((s) => new Set([...s, id]))
          setNotice(`Created ${name}: its intake address is open in the list, to copy into the monitoring system.`)
          refresh()
        }}
      />
      {revoking && (
        <RevokeDialog
          integration={revoking}
          token={token}
          onClose={() => setRevoking(undefined)}
          onRevoked={() => {
            setNotice(`Revoked ${revoking.name}: its address takes nothing from now on.`)
            setRevoking(undefined)
            refresh()
          }}
        />
      )}
    </section>
  )
}
