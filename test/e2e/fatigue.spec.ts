import type { Page } from '@playwright/test'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { entry, expect, joinAsHost, joinBoard, pick, snapshot, test } from './board'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const responder = (page: Page, name: string) => page.getByRole('list', { name: 'Responders' }).getByRole('listitem', { name: new RegExp(`^${name}:`) })

test('the IC sends a responder to rest: their task goes to someone else, both screens agree, and they are back when the rest is over', async ({ openPage }) => {
  const { id, links } = await host.createIncident('Payments API degraded', 'SEV-2')
  const ic = await openPage()
  await ic.clock.install()
  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')
  const bob = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(bob, links.edit, 'Bob')
  const alice = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(alice, links.edit, 'Alice')

  await ic.keyboard.press('t')
  await ic.getByLabel('Task', { exact: true }).fill('Restart the payments workers')
  await pick(ic, 'Owner', 'Bob')
  await ic.getByRole('button', { name: 'Assign task' }).click()

  await expect(responder(ic, 'Bob')).toContainText('Fresh')
  await ic.getByRole('button', { name: 'Send Bob to rest' }).click()
  const dialog = ic.getByRole('dialog', { name: 'Send Bob to rest' })
  // One rule, said once: an empty task picker keeps the task with Bob.
  await expect(dialog).toContainText('A task left empty stays with Bob.')
  await expect(dialog).not.toContainText('keep it as it is')
  await pick(ic, '“Restart the payments workers” goes to', 'Alice')
  await dialog.getByRole('button', { name: '30 min' }).click()
  await dialog.getByRole('button', { name: 'Send Bob to rest' }).click()

  for (const page of [ic, bob]) {
    await expect(responder(page, 'Bob')).toContainText(/Resting until \d\d:\d\d:\d\d/)
    await expect(entry(page, '“Restart the payments workers”: Bob → Alice')).toBeVisible()
    await expect(entry(page, /Bob sent to rest until \d\d:\d\d:\d\d/)).toBeVisible()
  }
  await expect(alice.getByRole('list', { name: 'My tasks' })).toContainText('Restart the payments workers')
  const restingSince = await responder(bob, 'Bob').textContent()
  expect(await responder(ic, 'Bob').textContent()).toContain(/Resting until (\d\d:\d\d:\d\d)/.exec(restingSince!)![1])

  // A resting person is not offered for new work without an explicit override.
  await ic.keyboard.press('t')
  await ic.getByLabel('Task', { exact: true }).fill('Check the queue depth')
  await ic.getByRole('combobox', { name: 'Owner' }).fill('Bob')
  await expect(ic.getByRole('listbox', { name: 'Owner: suggestions' }).getByRole('option', { name: /^Bob.*resting until/ })).toBeVisible()
  await pick(ic, 'Owner', 'Bob')
  await ic.getByRole('button', { name: 'Assign task' }).click()
  await expect(ic.getByRole('dialog', { name: 'New task' }).getByRole('alert')).toContainText('Bob is resting until')
  await ic.getByRole('button', { name: 'Close' }).click()
  await snapshot(ic, 'fatigue-resting-1920x1080')

  // Half an hour later on the IC's clock, Bob is back on duty by himself.
  await ic.clock.fastForward(31 * 60_000)
  await expect(responder(ic, 'Bob')).toContainText('Fresh')
  await expect(responder(ic, 'Bob')).toContainText(/On incident\s+\d+ min/)
})

test('reduce scope releases everyone without a role or open work', async ({ openPage }) => {
  const { id, links } = await host.createIncident('Search slow', 'SEV-3')
  const ic = await openPage()
  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')
  const carol = await openPage()
  await joinBoard(carol, links.edit, 'Carol')
  await ic.keyboard.press('r')
  await ic.getByRole('radio', { name: 'Incident Commander' }).check()
  await pick(ic, 'Who takes it', 'Iris')
  await ic.getByRole('button', { name: 'Assign Incident Commander' }).click()

  await ic.getByRole('button', { name: 'Reduce scope' }).click()
  const dialog = ic.getByRole('dialog', { name: 'Reduce scope: who stays?' })
  await expect(dialog.getByRole('checkbox', { name: /Iris/ })).toBeDisabled()
  await expect(dialog.getByRole('checkbox', { name: /Carol/ })).not.toBeChecked()
  await dialog.getByRole('button', { name: 'Release 1 person' }).click()
  await expect(responder(carol, 'Carol')).toContainText('Released')
  await expect(entry(carol, 'Carol released from the incident')).toBeVisible()
})
