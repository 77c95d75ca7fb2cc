// Alert intake on the start page (#13): the IC connects Alertmanager, real
// batches land in the inbox, and each group is silenced, declared or attached.
import { type Batch, alertFixture as fixture, postBatch as post } from './alert-batches'
import { type E2eHost, disposeE2eHost, hostApi, openStartPage, startE2eHost } from './host'
import { expect, snapshot, test } from './board'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

/** The fixtures are all `severity: critical`, which declares at once; as warnings, with no rule, routing holds them for triage. */
const asWarnings = (batch: Batch): Batch => ({
  ...batch,
  alerts: batch.alerts.map((a) => ({ ...a, labels: { ...a.labels, severity: 'warning' } })),
  commonLabels: { ...batch.commonLabels, severity: 'warning' },
})

const hostGet = (path: string) => hostApi(host, path)

test('the IC connects Alertmanager, then silences one group of the inbox, declares from another, attaches a third, and revokes the address', async ({ openPage }) => {
  const ic = await openPage({ viewport: { width: 1920, height: 1080 }, permissions: ['clipboard-read', 'clipboard-write'] })
  await openStartPage(ic, host)
  const settings = ic.getByRole('region', { name: 'Alert integrations' })
  const inbox = ic.getByRole('region', { name: 'Alert inbox' })
  await expect(settings.getByText('No integration yet')).toBeVisible()
  await expect(inbox.getByRole('status').filter({ hasText: 'Nothing waiting' })).toBeVisible()

  // Create: the signature checkbox is offered only for CloudWatch, checked.
  const form = settings.getByRole('form', { name: 'Add an integration' })
  await form.getByLabel('Source').selectOption('cloudwatch')
  await expect(form.getByRole('checkbox', { name: /Check SNS message signatures/ })).toBeChecked()
  await form.getByLabel('Source').selectOption('alertmanager')
  await expect(form.getByRole('checkbox')).toHaveCount(0)
  await form.getByLabel('Integration name').fill('Prometheus')
  await expect(form.getByLabel('Grouping window (minutes)')).toHaveValue('5')
  await form.getByRole('button', { name: 'Create integration' }).click()
  await expect(settings.getByRole('status')).toContainText('Created Prometheus')

  // Its address is shown with where it goes, and copies.
  const address = settings.getByRole('textbox', { name: 'Intake address for Prometheus' })
  const url = await address.inputValue()
  expect(url).toMatch(new RegExp(`^${host.url}/api/intake/[\\w-]{40,}$`))
  await expect(settings.getByText('webhook_configs')).toBeVisible()
  await settings.getByRole('button', { name: 'Copy intake address for prometheus' }).click()
  await expect(settings.getByRole('button', { name: 'Copy intake address for prometheus' })).toHaveText('Copied')
  expect(await ic.evaluate(() => navigator.clipboard.readText())).toBe(url)
  const row = settings.getByRole('listitem', { name: 'Prometheus' })
  await expect(row).toContainText('Prometheus Alertmanager')
  await expect(row).toContainText('no event yet')
  await expect(row).not.toContainText('Unverified')
  await row.scrollIntoViewIfNeeded()
  await snapshot(ic, 'intake-integration-1920x1080')
  await row.getByRole('button', { name: 'Hide the address of Prometheus' }).click()
  await expect(address).toHaveCount(0)

  // Three real batches: ProbeFailure with a second probe (one notification),
  // "Fire" about the search service with markup in its text, and the v0.34 batch's probe under another fingerprint.
  const probes = asWarnings(await fixture('alertmanager-webhook-v4-firing.json'))
  const [probe] = probes.alerts
  probes.alerts.push({
    ...probe!,
    labels: { ...probe!.labels, instance: 'https://api.example.org' },
    annotations: { ...probe!.annotations, summary: 'BlackBox Probe Failure: https://api.example.org' },
    fingerprint: '2b41cb82ddb3a30f',
  })
  const fire = asWarnings(await fixture('alertmanager-webhook-v4-firing.pre-v0.19-no-fingerprint.json'))
  fire.alerts[0]!.labels.service = 'search'
  // Alertmanager's summary annotation (this old batch has only a message).
  fire.alerts[0]!.annotations.summary = `${fire.alerts[0]!.annotations.message} <img src=x onerror="document.title='pwned'">`
  const later = asWarnings(await fixture('alertmanager-webhook-v4-firing.v0.34-fields.RECONSTRUCTED.json'))
  later.alerts[0]!.fingerprint = '7c1e2a9f00b3d4e5'
  later.alerts[0]!.annotations.summary = 'BlackBox Probe Failure: https://shop.example.org'
  for (const batch of [probes, fire]) {
    const answer = await post(url, batch)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ ok: true, duplicates: 0 })
  }
  const triage = (await hostGet('/api/alerts?route=triage')).body.alerts as Array<{ id: string; key: string; incidentId?: string }>
  expect(triage).toHaveLength(3)

  // The inbox shows them grouped: by notification, and by service.
  const probeGroup = inbox.getByRole('article', { name: /^BlackBox Probe Failure/ })
  const searchGroup = inbox.getByRole('article', { name: 'search' })
  await expect(probeGroup).toContainText('2 alerts sent together by Alertmanager')
  await expect(searchGroup).toContainText('1 alert about search')
  await expect(inbox).toContainText('3 alerts in 2 groups')
  await expect(probeGroup.getByRole('listitem').filter({ hasText: 'https://api.example.org' })).toContainText(/Firing\s*warning/)
  await expect(probeGroup).toContainText('Alertmanager · no service named · 1 event')
  await expect(probeGroup).toContainText(/First seen under a minute ago \(\d\d:\d\d:\d\d\) · last seen under a minute ago/)
  const source = probeGroup.getByRole('link', { name: 'Source (opens in a new tab)' }).first()
  await expect(source).toHaveAttribute('href', /^http:\/\/prometheus\.example\.org:9090\/graph/)
  await expect(source).toHaveAttribute('target', '_blank')
  await expect(source).toHaveAttribute('rel', /noopener/)
  // An alert's text is text: the markup shows as typed and runs nothing.
  await expect(searchGroup).toContainText('Something is on fire <img src=x onerror=')
  await expect(inbox.locator('img')).toHaveCount(0)
  await inbox.scrollIntoViewIfNeeded()
  await snapshot(ic, 'intake-inbox-1920x1080')
  await ic.setViewportSize({ width: 1366, height: 768 })
  await inbox.scrollIntoViewIfNeeded()
  await snapshot(ic, 'intake-inbox-1366x768')

  // Silence the probes, by their keys, with a reason: they leave the inbox.
  await probeGroup.getByRole('button', { name: 'Silence…' }).click()
  const silence = ic.getByRole('dialog', { name: 'Silence these alerts' })
  await silence.getByRole('radio', { name: '4 hours', exact: true }).check()
  await silence.getByLabel('Reason (shown with the silence)').fill('Probes flap while the load balancer moves')
  await snapshot(ic, 'intake-silence-1366x768')
  await silence.getByRole('button', { name: 'Silence 2 alerts' }).click()
  await expect(inbox.getByRole('status').filter({ hasText: 'Silenced 2 alerts for 4 hours' })).toBeVisible()
  await expect(probeGroup).toHaveCount(0)
  const silenced = (await hostGet('/api/alerts?route=silenced')).body.alerts as Array<{ key: string }>
  expect(silenced.map((a) => a.key).sort()).toEqual(['1a30ba71cca2921f', '2b41cb82ddb3a30f'])
  const { silences } = (await hostGet('/api/silences')).body as { silences: Array<{ key: string; comment: string; endsAt: number; createdAt: number }> }
  expect(silences).toHaveLength(2)
  expect(silences[0]).toMatchObject({ comment: 'Probes flap while the load balancer moves', endsAt: silences[0]!.createdAt + 4 * 3_600_000 })

  // Declare from the search group: title and severity come from the alert, and can change.
  await searchGroup.getByRole('button', { name: 'Declare incident' }).click()
  const declare = ic.getByRole('dialog', { name: 'Declare an incident from these alerts' })
  await expect(declare.getByLabel('Title')).toHaveValue(/^search: Something is on fire/)
  await expect(declare.getByLabel('Severity')).toHaveValue('SEV-3')
  await declare.getByLabel('Title').fill('Search is on fire')
  await snapshot(ic, 'intake-declare-1366x768')
  await declare.getByRole('button', { name: 'Declare incident' }).click()
  await expect(inbox.getByRole('status').filter({ hasText: 'Declared “Search is on fire” (SEV-3) from 1 alert.' })).toBeVisible()
  await expect(ic.getByRole('list', { name: 'Incidents' })).toContainText('Search is on fire')
  await expect(inbox.getByRole('status').filter({ hasText: 'Nothing waiting' })).toBeVisible()
  const { incidents } = (await hostGet('/api/incidents')).body as { incidents: Array<{ id: string; title: string; severity: string }> }
  const declared = incidents.find((i) => i.title === 'Search is on fire')!
  expect(declared.severity).toBe('SEV-3')
  const fireAlert = triage.find((a) => !['1a30ba71cca2921f', '2b41cb82ddb3a30f'].includes(a.key))!
  expect(((await hostGet(`/api/alerts?incident=${declared.id}`)).body.alerts as Array<{ id: string }>).map((a) => a.id)).toEqual([fireAlert.id])

  // A later alert arrives while the IC looks (the inbox asks every few seconds) and is attached to the running incident.
  expect((await post(url, later)).status).toBe(200)
  const laterGroup = inbox.getByRole('article', { name: 'BlackBox Probe Failure: https://shop.example.org' })
  await expect(laterGroup).toBeVisible()
  await laterGroup.getByRole('button', { name: 'Attach to…' }).click()
  const attach = ic.getByRole('dialog', { name: 'Attach these alerts to a running incident' })
  await expect(attach.getByLabel('Incident')).toHaveValue(declared.id)
  await attach.getByRole('button', { name: 'Attach 1 alert' }).click()
  await expect(inbox.getByRole('status').filter({ hasText: 'Attached 1 alert to “Search is on fire”.' })).toBeVisible()
  await expect(laterGroup).toHaveCount(0)
  expect((await hostGet(`/api/alerts?incident=${declared.id}`)).body.alerts).toHaveLength(2)

  // Revoke, after confirming: the address answers 404 at once.
  await ic.setViewportSize({ width: 1920, height: 1080 })
  await expect(row).toContainText('4 events, 4 alerts', { timeout: 15_000 })
  await expect(row).toContainText(/last event under a minute ago/)
  await row.getByRole('button', { name: 'Revoke Prometheus…' }).click()
  const revoke = ic.getByRole('dialog', { name: 'Revoke Prometheus?' })
  await expect(revoke).toContainText('stops taking alerts at once')
  await expect(revoke.getByRole('button', { name: 'Keep it' })).toBeFocused()
  await snapshot(ic, 'intake-revoke-1920x1080')
  await revoke.getByRole('button', { name: 'Revoke Prometheus' }).click()
  await expect(settings.getByRole('status')).toContainText('Revoked Prometheus')
  await expect(settings.getByText('No integration yet')).toBeVisible()
  expect((await post(url, probes)).status).toBe(404)
})

test('bad input is answered with a clear error; an unverified SNS integration and its subscription wait for the IC; the inbox says when it cannot refresh', async ({
  openPage,
}) => {
  const integration = async (body: unknown): Promise<string> => {
    const answer = await fetch(`${host.url}/api/integrations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.hostToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(answer.status).toBe(201)
    return ((await answer.json()) as { url: string }).url
  }

  // An unknown state or route to list by: 400, naming the parameter and what it may be.
  expect(await hostGet('/api/alerts?state=exploded')).toEqual({ status: 400, body: { error: 'state: must be one of firing, acknowledged, insufficient, resolved' } })
  expect(await hostGet('/api/alerts?route=nowhere')).toEqual({ status: 400, body: { error: 'route: must be one of incident, triage, silenced' } })
  // A batch with an alert in an unknown state: 400 naming the field, and nothing taken.
  const amUrl = await integration({ name: 'Prometheus', kind: 'alertmanager' })
  const batch = await fixture('alertmanager-webhook-v4-firing.json')
  const bad = await post(amUrl, { ...batch, alerts: [{ ...batch.alerts[0]!, status: 'exploded' }] })
  expect(bad.status).toBe(400)
  expect(await bad.json()).toEqual({ error: 'alerts.0.status: must be firing or resolved' })
  expect((await hostGet('/api/alerts')).body.alerts).toEqual([])

  // SNS on a LAN without internet: signatures off, and a subscription whose confirmation address is not SNS's.
  const snsUrl = await integration({ name: 'SNS on the LAN', kind: 'cloudwatch', verifySignatures: false })
  const confirmation = await fixture<Record<string, string>>('sns-subscription-confirmation.aws-docs.json')
  const subscribeUrl = 'https://sns-confirm.example.net/?Action=ConfirmSubscription&Token=2336412f37'
  const subscribed = await fetch(snsUrl, { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=UTF-8' }, body: JSON.stringify({ ...confirmation, SubscribeURL: subscribeUrl }) })
  expect(await subscribed.json()).toEqual({ ok: true, subscription: 'waiting for the IC to confirm it by hand' })

  const ic = await openPage({ viewport: { width: 1366, height: 768 } })
  await openStartPage(ic, host)
  const settings = ic.getByRole('region', { name: 'Alert integrations' })
  const sns = settings.getByRole('listitem', { name: 'SNS on the LAN' })
  await expect(sns).toContainText('Unverified: signatures not checked')
  await expect(settings.getByRole('listitem', { name: 'Prometheus' })).not.toContainText('Unverified')
  const waiting = sns.getByRole('note', { name: 'Subscription of SNS on the LAN waiting for you' })
  await expect(waiting).toContainText(subscribeUrl)
  await expect(waiting).toContainText('arn:aws:sns:us-west-2:123456789012:MyTopic')
  // Shown to read and check, never a link to follow.
  await expect(settings.getByRole('link')).toHaveCount(0)
  await sns.getByRole('button', { name: 'Show the address of SNS on the LAN' }).click()
  await expect(sns.getByRole('textbox', { name: 'Intake address for SNS on the LAN' })).toHaveValue(snsUrl)
  await expect(sns).toContainText('protocol HTTPS')
  await sns.scrollIntoViewIfNeeded()
  await snapshot(ic, 'intake-integrations-1366x768')

  // The host goes away: the inbox keeps what it had and says it cannot refresh.
  const inbox = ic.getByRole('region', { name: 'Alert inbox' })
  await expect(inbox.getByRole('status').filter({ hasText: 'Nothing waiting' })).toBeVisible()
  await host.stop()
  await expect(inbox.getByRole('alert')).toHaveText('Could not refresh the inbox. The host cannot be reached. It shows what it last had.')
  await expect(inbox.getByRole('status').filter({ hasText: 'Nothing waiting' })).toBeVisible()
})
