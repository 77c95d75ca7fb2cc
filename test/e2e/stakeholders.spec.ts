// Who sees what: the status token's page shows only what was published; the
// internal read-only board shows the board but never a draft, says it is
// read-only, and asks the host for nothing it may not read; an edit board sees
// the drafts.
import type { Response } from '@playwright/test'
import { boardFacts, editDraftField, fillDraft } from '../../shared/updates'
import { DEFAULT_TEMPLATES } from '../../shared/templates'
import { joinIncident } from '../../shared/people'
import { createTask } from '../../shared/tasks'
import { addEntry } from '../../shared/timeline'
import { connectClient } from '../unit/helpers/host'
import { connection, expect, joinBoard, snapshot, test } from './board'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const PUBLISHED = 'Checkout is degraded for some customers; we are on it.'
const DRAFT = 'DRAFT ONLY: we suspect the payments provider rotated its keys'
const INTERNAL = 'Internal: rolled back deploy 4411 on the EU cluster'
const TASK = 'Check the payment gateway logs for 5xx'

test('the status token shows what was published and nothing else; the read-only board never shows a draft', async ({ openPage }) => {
  const { id, editToken, viewToken, statusToken } = await host.createIncident('Payments failing', 'SEV-1')
  // The responders' work, written as their boards would.
  const board = connectClient(host.url, id, editToken, 'priya')
  await board.synced
  const change = () => ({ by: 'priya', at: Date.now() })
  joinIncident(board.doc, change(), { name: 'Priya Liaison' })
  addEntry(board.doc, change(), { kind: 'note', text: INTERNAL })
  createTask(board.doc, change(), { title: TASK, ownerId: 'priya', checkBackMinutes: 10 })
  fillDraft(board.doc, change(), 'customer', DEFAULT_TEMPLATES.customer, boardFacts(board.doc, Date.now()))
  editDraftField(board.doc, 'customer', 'impact', PUBLISHED)
  editDraftField(board.doc, 'customer', 'actions', 'Engineers are restoring full service.')
  await expect.poll(async () => (await fetch(`${host.url}/api/incidents/${id}/updates`, { method: 'POST', headers: { Authorization: `Bearer ${editToken}` }, body: JSON.stringify({ audience: 'customer', personId: 'priya' }) })).status).toBe(201)
  // Then the liaison starts the next one.
  editDraftField(board.doc, 'customer', 'impact', DRAFT)

  // The status page, with its own token: the update, and none of the board.
  const stakeholder = await openPage({ viewport: { width: 1366, height: 768 } })
  await stakeholder.goto(`${host.url}/status/${id}?token=${statusToken}`)
  const statusText = await stakeholder.locator('body').innerText()
  expect(statusText).toContain(PUBLISHED)
  for (const hidden of [DRAFT, INTERNAL, TASK, 'Priya', 'Fresh', 'break']) expect(statusText, hidden).not.toContain(hidden)
  // Its token opens no board.
  const strayBoard = await openPage()
  await strayBoard.goto(`${host.url}/i/${id}#token=${statusToken}`)
  await expect(strayBoard.getByRole('alert')).toContainText('This invite link is not valid')

  // The internal read-only board: everything that happened, no draft, said plainly, no refused requests.
  const observer = await openPage({ viewport: { width: 1920, height: 1080 } })
  const refused: string[] = []
  observer.on('response', (response: Response) => {
    if (response.url().includes('/api/') && response.status() >= 400) refused.push(`${response.status()} ${response.url()}`)
  })
  await observer.goto(`${host.url}/i/${id}#token=${viewToken}`)
  await expect(connection(observer, 'Live')).toBeVisible()
  await expect(observer.getByRole('note').filter({ hasText: 'Read-only board' })).toBeVisible()
  await snapshot(observer, 'read-only-board-1920')
  await expect(observer.getByText(INTERNAL)).toBeVisible()
  await expect(observer.getByText(TASK, { exact: true })).toBeVisible()
  await expect(observer.getByText('Priya Liaison').first()).toBeVisible()
  await observer.getByRole('button', { name: /^Customers/ }).click()
  await expect(observer.getByRole('dialog', { name: 'Stakeholder updates' })).toContainText(PUBLISHED)
  await snapshot(observer, 'read-only-composer-1920')
  const observerText = await observer.locator('body').innerText()
  expect(observerText).not.toContain(DRAFT)
  expect(refused).toEqual([])

  // A responder's board has the draft.
  const responder = await openPage({ viewport: { width: 1366, height: 768 } })
  const socketUrls: string[] = []
  responder.on('websocket', (ws) => socketUrls.push(ws.url()))
  await joinBoard(responder, `${host.url}/i/${id}#token=${editToken}`, 'Rui Responder')
  // Its token never travels in a URL (proxies and consoles log those).
  expect(socketUrls.length).toBeGreaterThan(0)
  for (const url of socketUrls) expect(url).not.toContain(editToken)
  await responder.getByRole('button', { name: /^Customers/ }).click()
  await expect(responder.getByRole('dialog', { name: 'Stakeholder updates' }).getByRole('textbox', { name: 'Impact' })).toHaveValue(DRAFT)
  board.close()
})

test('the host token is asked for once per browser, and never travels in a WebSocket URL', async ({ openPage }) => {
  const { id } = await host.createIncident('Token hygiene', 'SEV-3')
  const ic = await openPage()
  await ic.goto(host.url)
  await ic.getByLabel('Host token').fill(host.hostToken)
  await ic.getByRole('button', { name: 'Use host token' }).click()
  await expect(ic.getByRole('heading', { name: 'Declare an incident' })).toBeVisible()
  // A second tab of the same browser is not asked again.
  const tab = await ic.context().newPage()
  const socketUrls: string[] = []
  tab.on('websocket', (ws) => socketUrls.push(ws.url()))
  await tab.goto(host.url)
  await expect(tab.getByRole('heading', { name: 'Declare an incident' })).toBeVisible()
  await tab.getByRole('link', { name: 'SEV-3 Token hygiene' }).click()
  await tab.getByLabel('Your name').fill('Iris')
  await tab.getByRole('button', { name: 'Join the board' }).click()
  await expect(connection(tab, 'Live')).toBeVisible()
  expect(socketUrls.some((url) => url.includes(id))).toBe(true)
  for (const url of socketUrls) expect(url).not.toContain(host.hostToken)
})
