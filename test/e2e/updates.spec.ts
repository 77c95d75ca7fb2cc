import { createHmac } from 'node:crypto'
import type { Page } from '@playwright/test'
import { DEFAULT_UPDATE_SETTINGS } from '../../shared/update-settings'
import { startReceiver } from '../unit/helpers/receiver'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { entry, expect, joinAsHost, joinBoard, pick, snapshot, test } from './board'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const hostApi = (method: string, path: string, body: unknown) =>
  fetch(`${host.url}${path}`, { method, headers: { Authorization: `Bearer ${host.hostToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

const composer = (page: Page) => page.getByRole('dialog', { name: 'Stakeholder updates' })
const field = (page: Page, label: string) => composer(page).getByRole('textbox', { name: label, exact: true })

test('two people write one customer update, the IC approves, publishing reaches the status page and a signed webhook; a 500 is retried', async ({ openPage }) => {
  const secret = 'e2e-shared-secret-0123'
  const receiver = await startReceiver([500, 200])
  try {
    expect((await hostApi('PUT', '/api/settings/updates', { ...DEFAULT_UPDATE_SETTINGS, requireApproval: true })).status).toBe(200)
    expect((await hostApi('POST', '/api/channels', { name: 'Ops bus', url: receiver.url, format: 'json', audiences: ['customer'], secret })).status).toBe(201)
    const { id, links, statusToken } = await host.createIncident('Checkout errors', 'SEV-1')

    const ic = await openPage({ viewport: { width: 1920, height: 1080 } })
    await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')
    const liaison = await openPage({ viewport: { width: 1366, height: 768 } })
    await joinBoard(liaison, links.edit, 'Lena')
    await ic.keyboard.press('r')
    await ic.getByRole('radio', { name: 'Incident Commander' }).check()
    await pick(ic, 'Who takes it', 'Iris')
    await ic.getByRole('button', { name: 'Assign Incident Commander' }).click()

    // The header shows the first customer update due within five minutes.
    await expect(ic.getByRole('button', { name: /^Customers 0?4:\d\d: update due in 0?4:\d\d \(first update\)$/ })).toBeVisible()

    // The liaison starts the draft from the template; the IC opens the same draft.
    await liaison.keyboard.press('u')
    await composer(liaison).getByRole('button', { name: 'Start from the template' }).click()
    await expect(field(liaison, 'Impact')).toHaveValue(/We are investigating reports of problems/)
    await ic.getByRole('button', { name: /^Customers .*: update due/ }).click()
    await expect(field(ic, 'Impact')).toHaveValue(/We are investigating reports of problems/)

    // Both type in the same field at once; both see both.
    await field(liaison, 'What we are doing').fill('We are failing over the payments database.')
    await expect(field(ic, 'What we are doing')).toHaveValue('We are failing over the payments database.')
    await field(ic, 'What we are doing').press('End')
    await field(ic, 'What we are doing').pressSequentially(' ETA 15 minutes.')
    await expect(field(liaison, 'What we are doing')).toHaveValue('We are failing over the payments database. ETA 15 minutes.')
    await expect(composer(liaison).getByLabel('Plain text preview')).toContainText('What we are doing: We are failing over the payments database. ETA 15 minutes.')

    // Approval: the liaison cannot publish yet; submits; the IC approves.
    const publish = composer(liaison).getByRole('button', { name: 'Publish to customers' })
    await expect(publish).toBeDisabled()
    await composer(liaison).getByRole('button', { name: 'Submit for approval' }).click()
    await expect(composer(ic).getByRole('group', { name: 'Approval' })).toContainText('Waiting for the IC to approve.')
    await snapshot(ic, 'composer-1920x1080')
    await composer(ic).getByRole('button', { name: 'Approve' }).click()
    await expect(composer(liaison).getByRole('group', { name: 'Approval' })).toContainText('Approved by the IC')
    await snapshot(liaison, 'composer-1366x768')
    await field(liaison, 'Impact').press('Control+Enter')
    await expect(composer(liaison).getByRole('status').filter({ hasText: /^Published at/ })).toBeVisible()
    // Focus stays in the dialog, on what happened, not on the page behind it.
    await expect(composer(liaison).getByRole('status').filter({ hasText: /^Published at/ })).toBeFocused()
    await expect(entry(ic, 'Customers update published (Investigating)')).toBeVisible()
    await expect(composer(ic).getByRole('list', { name: 'Published updates' }).getByRole('listitem').first()).toContainText('approved by Iris')

    // The stakeholder's status page (view token) shows what was published, nothing else.
    // The IC hands out the status page link from the invite dialog.
    await ic.keyboard.press('Escape')
    await ic.getByRole('button', { name: 'Invite' }).click()
    const statusLink = await ic.getByRole('textbox', { name: 'Status page link' }).inputValue()
    expect(statusLink).toBe(`${host.url}/status/${id}?token=${statusToken}`)
    await ic.getByRole('button', { name: 'Close' }).click()
    await ic.getByRole('button', { name: /^Customers .*: update due/ }).click()
    const stakeholder = await openPage()
    await stakeholder.goto(statusLink)
    await expect(stakeholder.getByRole('heading', { name: 'Current status: Investigating' })).toBeVisible()
    await expect(stakeholder.getByText('We are failing over the payments database. ETA 15 minutes.')).toBeVisible()
    await expect(stakeholder.getByText('Next update by')).toBeVisible()
    await expect(stakeholder.locator('body')).not.toContainText('Submit for approval')
    await snapshot(stakeholder, 'status-page')

    // The webhook: a 500, then a retry that lands; the delivery log on the board shows both.
    const log = composer(ic).getByRole('list', { name: /^Deliveries of the/ })
    await expect(log).toContainText('Ops bus (127.0.0.1', { timeout: 10_000 })
    await expect(log).toContainText('delivered', { timeout: 10_000 })
    await expect(log).toContainText(/HTTP 500.*HTTP 200/)
    await snapshot(ic, 'composer-published-1920x1080')
    expect(receiver.received).toHaveLength(2)
    const { headers, body } = receiver.received[1]!
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-warroom-signature']))!
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'))
    expect(JSON.parse(body)).toMatchObject({ type: 'update.published', incidentId: id, update: { audience: 'customer', approver: { name: 'Iris' } } })

    // The clock now counts to the scoping update five minutes after this one.
    await ic.keyboard.press('Escape')
    await expect(ic.getByRole('button', { name: /^Customers 0?[45]:\d\d: update due in 0?[45]:\d\d$/ })).toBeVisible()
    // A severity change makes an update due at once; the promised time stays on show.
    await ic.getByRole('combobox', { name: 'Severity' }).selectOption('SEV-2')
    await expect(ic.getByRole('button', { name: /^Customers −00:0\d promised \d\d:\d\d: update overdue by 00:0\d \(status or severity changed\), promised for \d\d:\d\d:\d\d$/ })).toBeVisible()
    await snapshot(ic, 'cadence-changed-1920x1080')
    await liaison.keyboard.press('Escape')
    await snapshot(liaison, 'board-with-cadence-1366x768')
  } finally {
    await receiver.close()
  }
})

test('the IC sets up approval, a template and a Slack channel on the start page; boards never see the webhook URL', async ({ openPage }) => {
  const ic = await openPage({ viewport: { width: 1920, height: 1080 } })
  await ic.addInitScript((token) => localStorage.setItem('warroom.hostToken', token), host.hostToken)
  await ic.goto(host.url)
  const settings = ic.getByRole('region', { name: 'Stakeholder updates' })
  await settings.getByRole('checkbox', { name: /approves every update/ }).check()
  await settings.getByRole('textbox', { name: 'Customers: What we are doing' }).fill('Engineers are on it. Incident commander: {{commander}}.')
  await settings.getByRole('spinbutton', { name: 'Customers: every, SEV-1/2' }).fill('15')
  await settings.getByRole('button', { name: 'Save update settings' }).click()
  await expect(settings.getByRole('status')).toHaveText('Saved.')

  const form = settings.getByRole('form', { name: 'Add a channel' })
  await form.getByLabel('Channel name').fill('#incidents')
  await form.getByLabel('Webhook URL').fill('https://hooks.slack.com/services/T0/B0/TOPSECRET')
  await form.getByRole('checkbox', { name: 'Customers' }).check()
  await form.getByRole('button', { name: 'Add channel' }).click()
  await expect(settings.getByRole('list', { name: 'Channels' })).toContainText('#incidents — Slack to hooks.slack.com, for internal engineering, customers')
  await settings.getByRole('heading', { name: 'Channels' }).scrollIntoViewIfNeeded()
  await snapshot(ic, 'updates-settings-1920x1080')

  const { id, links } = await host.createIncident('Login slow', 'SEV-2')
  const seen = await fetch(`${host.url}/api/settings/updates?incident=${id}`, { headers: { Authorization: `Bearer ${links.edit.split('#token=')[1]}` } }).then((r) => r.json())
  expect(seen).toMatchObject({ requireApproval: true, cadence: { audiences: { customer: { everyMinutes: { high: 15 } } } } })
  expect(JSON.stringify(seen)).not.toContain('TOPSECRET')

  // A responder's composer uses the saved template and shows where the update will also go.
  const responder = await openPage()
  await joinBoard(responder, links.edit, 'Lena')
  await responder.keyboard.press('u')
  await composer(responder).getByRole('button', { name: 'Start from the template' }).click()
  await expect(field(responder, 'What we are doing')).toHaveValue('Engineers are on it. Incident commander: not yet assigned.')
  await expect(composer(responder)).toContainText('Also sent to: #incidents.')
  // Refilling replaces what was typed, so it asks first.
  await field(responder, 'Impact').fill('typed by hand')
  await composer(responder).getByRole('button', { name: 'Refill from the board' }).click()
  await expect(field(responder, 'Impact')).toHaveValue('typed by hand')
  await composer(responder).getByRole('button', { name: 'Replace every field with the template?' }).click()
  await expect(field(responder, 'Impact')).toHaveValue(/^We are investigating reports/)
  await expect(composer(responder).getByRole('button', { name: 'Publish to customers' })).toBeDisabled()

  // The graph changes while the draft is written: the composer offers the graph's current list.
  await responder.keyboard.press('Escape')
  await responder.getByRole('button', { name: 'Add service' }).click()
  const add = responder.getByRole('dialog', { name: 'Add a service' })
  await add.getByLabel('Name').fill('Storefront')
  await add.getByLabel('Kind').selectOption('system')
  await add.getByRole('button', { name: 'Add to the graph' }).click()
  await responder.getByRole('group', { name: /^Storefront,/ }).click()
  await responder.keyboard.press('4')
  await expect(responder.getByRole('group', { name: /^Storefront,/ })).toHaveAccessibleName(/Major outage/)
  await responder.keyboard.press('u')
  await composer(responder).getByRole('button', { name: "Use the graph's list (1)" }).click()
  await expect(composer(responder).getByLabel('Affected business services')).toHaveValue('Storefront')
  await expect(composer(responder).getByRole('button', { name: /Use the graph's list/ })).toHaveCount(0)
})
