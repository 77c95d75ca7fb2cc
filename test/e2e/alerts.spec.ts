// Alerts reach the board (#13): an Alertmanager batch opens an incident; the
// service turns to major outage on the graph and the timeline shows the alert;
// the IC pages the owner and sees it delivered; the resolved batch returns the
// service to operational and the IC is asked whether to mark it mitigated.
import { startReceiver } from '../unit/helpers/receiver'
import { alertFixture, postBatch } from './alert-batches'
import { type E2eHost, disposeE2eHost, hostApi, startE2eHost } from './host'
import { entry, expect, joinBoard, snapshot, test } from './board'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const ROUTING_KEY = 'e2e0routing0key0000000000000001'
/** The probes the fixture's alert names by its `job` label, owned by a team PagerDuty can page, and the storefront that needs them. */
const CATALOG = {
  services: [
    {
      id: 'http_checks',
      name: 'http_checks',
      owner: 'team-edge',
      pagerduty: { integrationKey: ROUTING_KEY },
      links: [{ title: 'Probe runbook', url: 'https://runbooks.example.org/probes' }],
    },
    { id: 'storefront', name: 'Storefront', kind: 'system', business: true, dependsOn: ['http_checks'] },
  ],
}

test('an Alertmanager batch opens an incident the IC runs from the board: alert, graph, timeline, page, resolution', async ({ openPage }) => {
  test.setTimeout(120_000)
  const pagerDuty = await startReceiver([202], '/v2/enqueue')
  try {
    expect((await hostApi(host, '/api/catalog', { body: { files: [{ name: 'catalog.json', text: JSON.stringify(CATALOG) }] } })).status).toBe(200)
    // On the start page the IC sets where PagerDuty Events go and where every new incident meets.
    const ic = await openPage({ viewport: { width: 1920, height: 1080 } })
    await ic.addInitScript((token) => localStorage.setItem('warroom.hostToken', token), host.hostToken)
    await ic.goto(host.url)
    const settings = ic.getByRole('form', { name: 'Paging and where we meet' })
    await settings.getByLabel('PagerDuty Events API address').fill(pagerDuty.url)
    await settings.getByLabel('Bridge (video or phone link)').fill('https://meet.example.org/warroom')
    await settings.getByLabel('Bridge PIN').fill('4411')
    await settings.getByLabel('Chat channel').fill('#incidents')
    await settings.getByRole('button', { name: 'Save paging settings' }).click()
    await expect(settings.getByRole('status')).toHaveText('Saved.')
    const integration = (await hostApi(host, '/api/integrations', { body: { name: 'prometheus prod', kind: 'alertmanager' } })).body as { url: string }
    const firing = await alertFixture('alertmanager-webhook-v4-firing.json')
    expect((await postBatch(integration.url, firing)).status).toBe(200)

    // The critical alert declared an incident titled by its service.
    let incidentId = ''
    await expect
      .poll(async () => {
        const { incidents } = (await hostApi(host, '/api/incidents')).body as { incidents: Array<{ id: string; title: string }> }
        incidentId = incidents[0]?.id ?? ''
        return incidents.map((i: { title: string }) => i.title)
      })
      .toEqual(['http_checks: BlackBox Probe Failure: https://server.example.org'])
    const { links } = (await hostApi(host, `/api/incidents/${incidentId}/invites`)).body as { links: { edit: string } }

    await joinBoard(ic, `${host.url}/i/${incidentId}`, 'Iris')
    // Where to meet, from the host's default, one click away in the header.
    await expect(ic.getByRole('link', { name: 'Bridge · PIN 4411' })).toHaveAttribute('href', 'https://meet.example.org/warroom')
    await expect(ic.getByRole('banner').getByText('#incidents')).toBeVisible()
    const alerts = ic.getByRole('region', { name: 'Alerts' })
    const alert = alerts.getByRole('listitem', { name: 'Firing critical: BlackBox Probe Failure: https://server.example.org' })
    await expect(alert).toBeVisible()
    await expect(alert).toContainText('http_checks')
    await expect(alert).toContainText('Alertmanager · prometheus prod')
    await expect(alert.getByRole('link', { name: 'Probe runbook' })).toHaveAttribute('href', 'https://runbooks.example.org/probes')
    await expect(alert.getByRole('link', { name: 'Probe runbook' })).toHaveAttribute('rel', 'noopener noreferrer')
    await expect(alerts.getByText('1 firing')).toBeVisible()
    // The graph: the probes are in major outage, the storefront impacted.
    await expect(ic.getByRole('group', { name: /^http_checks,/ })).toHaveAccessibleName(/Major outage/)
    await expect(ic.getByText('1 of 1 business services impacted')).toBeVisible()
    await expect(entry(ic, 'Alert firing: BlackBox Probe Failure: https://server.example.org (Alertmanager)')).toBeVisible()
    await expect(entry(ic, 'http_checks: Operational → Major outage')).toBeVisible()
    await snapshot(ic, 'alerts-1920x1080')

    // A responder on a laptop: the alerts are a tab, with the count.
    const responder = await openPage({ viewport: { width: 1366, height: 768 } })
    await joinBoard(responder, links.edit, 'Bob')
    await responder.getByRole('tab', { name: 'Alerts · 1 firing' }).click()
    await expect(responder.getByRole('region', { name: 'Alerts' }).getByRole('listitem', { name: /^Firing critical: BlackBox Probe Failure/ })).toBeVisible()
    await snapshot(responder, 'alerts-1366x768')

    // The IC pages the owner of every affected service: PagerDuty gets the trigger with the routing key and the join link.
    await alerts.getByRole('button', { name: 'Page owners of affected services' }).click()
    await expect(alerts.getByRole('status').filter({ hasText: 'Paged http_checks (team-edge).' })).toBeVisible()
    await expect(entry(ic, 'Paged the owner of http_checks (team-edge) by PagerDuty')).toBeVisible()
    await expect(entry(ic, /Page to the owner of http_checks \(team-edge\) delivered/)).toBeVisible()
    expect(pagerDuty.received).toHaveLength(1)
    const trigger = JSON.parse(pagerDuty.received[0]!.body)
    expect(trigger).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      client_url: links.edit,
      links: [{ href: links.edit }, { href: 'https://meet.example.org/warroom', text: 'Bridge' }],
      payload: { custom_details: { meet: 'Bridge https://meet.example.org/warroom (PIN 4411) · Chat #incidents' } },
    })
    // Paging again finds nothing new to page, and says so.
    await alerts.getByRole('button', { name: 'Page owners of affected services' }).click()
    await expect(alerts.getByRole('status').filter({ hasText: 'Nothing was paged: http_checks: already paged.' })).toBeVisible()

    // The service's details: its runbook, that its status follows the alert, and the page.
    await ic.getByRole('group', { name: /^http_checks,/ }).click()
    const detail = ic.getByRole('complementary', { name: 'Service: http_checks' })
    await expect(detail.getByText('1 alert firing: its status follows them.')).toBeVisible()
    await expect(detail.getByText(/^Owner paged \d+ min ago, not joined$/)).toBeVisible()

    // The IC changes the bridge's PIN from People: the header and the timeline follow.
    await ic.getByRole('button', { name: /^People \(/ }).click()
    await ic.getByRole('dialog', { name: /^People on this incident/ }).getByRole('button', { name: 'Change bridge & chat' }).click()
    const meeting = ic.getByRole('dialog', { name: 'Where we meet' })
    await meeting.getByLabel('PIN').fill('5522')
    await meeting.getByRole('button', { name: 'Save' }).click()
    await expect(ic.getByRole('link', { name: 'Bridge · PIN 5522' })).toBeVisible()
    await expect(entry(ic, 'Where we meet: Bridge https://meet.example.org/warroom (PIN 5522) · Chat #incidents')).toBeVisible()

    // The resolved batch: the probes are operational again, and the IC is asked, not overruled.
    const resolved = { ...firing, status: 'resolved', alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: new Date().toISOString() })) }
    expect((await postBatch(integration.url, resolved)).status).toBe(200)
    await expect(alerts.getByRole('listitem', { name: /^Resolved critical: BlackBox Probe Failure/ })).toBeVisible()
    await expect(ic.getByRole('group', { name: /^http_checks,/ })).toHaveAccessibleName(/Operational/)
    const prompt = ic.getByRole('alert').filter({ hasText: 'All alerts resolved: mark mitigated?' })
    await expect(prompt).toBeVisible()
    await expect(ic.getByRole('combobox', { name: 'Incident status' })).toHaveValue('investigating')
    await snapshot(ic, 'alerts-resolved-1920x1080')
    await prompt.getByRole('button', { name: 'Mark mitigated' }).click()
    await expect(prompt).toBeHidden()
    await expect(ic.getByRole('combobox', { name: 'Incident status' })).toHaveValue('monitoring')
    await expect(entry(ic, 'Status investigating → monitoring')).toBeVisible()
    await responder.getByRole('tab', { name: 'Timeline' }).click()
    await expect(entry(responder, 'Status investigating → monitoring')).toBeVisible()
  } finally {
    await pagerDuty.close()
  }
})
