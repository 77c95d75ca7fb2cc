import { readFile } from 'node:fs/promises'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { addEntry, entry, expect, joinAsHost, joinBoard, snapshot, test } from './board'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { importRecordedIncident } from './recorded-incident'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const editor = (page: Page) => page.getByRole('textbox', { name: 'Postmortem text (Markdown)' })
const seriousViolations = async (page: Page): Promise<string[]> => {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

test('two people write the postmortem at once; the draft comes from the record; regenerating keeps an edited section; Reviewed; the print page escapes what was typed', async ({ openPage }) => {
  const { id, editToken } = await importRecordedIncident(host)
  const ic = await openPage()
  await joinAsHost(ic, host.url, host.hostToken, id, 'Alice')
  const bob = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(bob, `${host.url}/i/${id}#token=${editToken}`, 'Bob')

  // Resolved, so the board asks for the postmortem.
  await ic.getByRole('button', { name: 'Start the postmortem' }).click()
  const dialog = ic.getByRole('dialog', { name: 'Postmortem' })
  await dialog.getByRole('button', { name: 'Generate draft' }).click()
  await expect(dialog.getByRole('status')).toHaveText('Draft written: 10 sections.')
  await expect(editor(ic)).toContainText('## What Happened')
  await expect(editor(ic)).toContainText('Card payments failing: 40% of requests answer 502')
  await expect(entry(bob, 'Postmortem draft generated from the record')).toBeVisible()

  // Bob opens it too: the same text, and each sees where the other is typing.
  await bob.getByRole('button', { name: 'Postmortem', exact: true }).click()
  const bobDialog = bob.getByRole('dialog', { name: 'Postmortem' })
  await expect(editor(bob)).toContainText('## Overview')
  await ic.getByText('_Drawn from the timeline: rewrite this for readers who were not there._').first().click()
  await ic.keyboard.press('End')
  await ic.keyboard.type(' A pricing deploy doubled the gateway calls.')
  await expect(editor(bob)).toContainText('A pricing deploy doubled the gateway calls.')
  // Bob adds to Messaging, the last section (CodeMirror draws only the lines in view).
  await editor(bob).click()
  await bob.keyboard.press('Control+End')
  await bob.keyboard.type('Also sent to the finance team by mail.')
  await ic.keyboard.press('Control+End')
  await expect(editor(ic)).toContainText('Also sent to the finance team by mail.')
  await expect(ic.locator('.cm-ySelectionInfo', { hasText: 'Bob' })).toHaveCount(1)
  await expect(bob.locator('.cm-ySelectionInfo', { hasText: 'Alice' })).toHaveCount(1)
  await snapshot(ic, 'postmortem-editor-1920')

  // The record moves on; regenerating refreshes what nobody edited and keeps Alice's words.
  await bob.keyboard.press('Escape')
  await expect(bobDialog).toHaveCount(0)
  await addEntry(bob, '/o Retries flooded the order queue <b>twice</b>')
  await entry(bob, 'Retries flooded the order queue').getByRole('button', { name: 'Star as key moment' }).click()
  await dialog.getByRole('button', { name: 'Regenerate draft' }).click()
  await expect(dialog.getByRole('status')).toHaveText(/sections refreshed; kept as edited: What Happened, Messaging\./)
  await expect(editor(ic)).toContainText('A pricing deploy doubled the gateway calls.')
  await expect(editor(ic)).toContainText('Retries flooded the order queue')

  // Owner and status, each on the timeline.
  await dialog.getByRole('combobox', { name: 'Owner', exact: true }).fill('Ali')
  await ic.keyboard.press('Enter')
  await dialog.getByRole('combobox', { name: 'Status' }).selectOption('reviewed')
  await expect(entry(bob, 'Postmortem owner: Alice')).toBeVisible()
  await expect(entry(bob, 'Postmortem: Draft → Reviewed')).toBeVisible()
  // A follow-up with one owner, a due date (yesterday: overdue) and a priority.
  const followUps = dialog.getByRole('form', { name: 'New follow-up' })
  await followUps.getByLabel('Follow-up', { exact: true }).fill('Cap gateway retries at 3')
  await followUps.getByRole('combobox', { name: 'Follow-up owner' }).fill('Bob')
  await ic.keyboard.press('Enter')
  const yesterday = new Date(Date.now() - 86_400_000)
  await followUps.getByLabel('Due').fill(`${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`)
  await followUps.getByLabel('Priority').selectOption('high')
  await followUps.getByRole('button', { name: 'Add follow-up' }).click()
  await expect(dialog.getByRole('table', { name: 'Follow-ups' }).getByRole('row', { name: /Cap gateway retries at 3/ })).toContainText('overdue')
  await expect(entry(bob, /Follow-up for Bob: Cap gateway retries at 3 \(high, due/)).toBeVisible()
  expect(await seriousViolations(ic)).toEqual([])

  // The print page: the Markdown as a document, what was typed shown as text.
  await dialog.getByRole('button', { name: 'Print or save as PDF' }).click()
  await expect(ic).toHaveURL(new RegExp(`/postmortem/${id}$`))
  await expect(ic.getByRole('heading', { level: 1 })).toHaveText('Postmortem: Checkout failing for card payments')
  await expect(ic.getByRole('heading', { name: 'What Happened' })).toBeVisible()
  await expect(ic.getByText('Status: Reviewed')).toBeVisible()
  await expect(ic.getByText('Retries flooded the order queue <b>twice</b>').first()).toBeVisible()
  await expect(ic.locator('.postmortem-document b')).toHaveCount(0)
  await expect(ic.getByRole('button', { name: 'Print or save as PDF' })).toBeVisible()
  expect(await seriousViolations(ic)).toEqual([])
  await snapshot(ic, 'postmortem-print-1920')

  // The start page lists the follow-up across incidents, overdue, and exports it.
  await ic.goto(host.url)
  const card = ic.getByRole('region', { name: 'Follow-ups' })
  await expect(card.getByRole('row', { name: /Cap gateway retries at 3/ })).toContainText(/overdue.*Bob.*high.*Open.*Checkout failing for card payments/)
  const download = ic.waitForEvent('download')
  await card.getByRole('button', { name: 'Export CSV' }).click()
  const csv = await readFile(await (await download).path(), 'utf8')
  expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^${id},Checkout failing for card payments,Cap gateway retries at 3,Bob,\\d{4}-\\d\\d-\\d\\d,high,open,yes,`))
})
