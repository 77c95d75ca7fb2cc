// axe-core (WCAG 2.0/2.1 A and AA rules) on every page and dialog people use:
// no serious or critical violation (#15). What it cannot judge (keyboard
// paths, announcements, 200% zoom) has its own tests.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { addEntry, entry, expect, joinAsHost, joinBoard, pick, service, test } from './board'
import { type E2eHost, disposeE2eHost, hostApi, openStartPage, startE2eHost } from './host'
import { importRecordedIncident } from './recorded-incident'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const CATALOG = fileURLToPath(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url))

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** The serious and critical violations on the page as it is now, one line each: rule, what, where. */
const violations = async (page: Page): Promise<string[]> => {
  const { violations: found } = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze()
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`))
}

const expectClean = async (page: Page, where: string): Promise<void> => {
  expect.soft(await violations(page), where).toEqual([])
}

test('no serious or critical axe violation on the start page, the IC and responder boards, every dialog, a read-only board and the status page', async ({ openPage }) => {
  const { id, links } = await host.createIncident('Checkout failing for card payments', 'SEV-1')
  const ic = await openPage()
  await openStartPage(ic, host)
  await expect(ic.getByRole('list', { name: 'Incidents' })).toBeVisible()
  await expectClean(ic, 'start page')

  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')
  // The window says which incident, and how bad.
  await expect(ic).toHaveTitle('SEV-1 Checkout failing for card payments · War Room')
  // The first Tab reaches a skip link to the entry line.
  await ic.reload()
  await expect(ic.getByRole('log', { name: 'Timeline' })).toBeVisible()
  await ic.keyboard.press('Tab')
  await expect(ic.getByRole('link', { name: 'Skip to the timeline entry line' })).toBeFocused()
  await ic.keyboard.press('Enter')
  await expect(ic.getByRole('textbox', { name: 'New timeline entry' })).toBeFocused()
  await addEntry(ic, 'Error rate on checkout at 40%')
  // A starred entry's star is part of the scan.
  const row = entry(ic, 'Error rate on checkout at 40%')
  await row.getByRole('button', { name: 'Star as key moment' }).click()
  await expect(row.getByRole('button', { name: 'Unstar key moment' })).toBeVisible()
  await expectClean(ic, 'IC board at 1920×1080')
  // Out of the entry line, so the board's keys open its dialogs.
  await ic.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  for (const [key, name] of [
    ['t', 'New task'],
    ['r', 'Assign a role'],
    ['p', 'People'],
    ['u', 'Stakeholder updates'],
    ['?', 'Keyboard shortcuts'],
  ] as const) {
    await ic.keyboard.press(key)
    await expect(ic.getByRole('dialog').first()).toBeVisible()
    await expectClean(ic, `${name} dialog`)
    // Escape closes an open list of suggestions first, then the dialog.
    await ic.keyboard.press('Escape')
    if ((await ic.getByRole('dialog').count()) > 0) await ic.keyboard.press('Escape')
    await expect(ic.getByRole('dialog')).toHaveCount(0)
  }
  await ic.getByRole('button', { name: 'Invite' }).click()
  await expectClean(ic, 'Invite dialog')
  await ic.keyboard.press('Escape')

  const responder = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(responder, links.edit, 'Bob')
  await expectClean(responder, 'responder board at 1366×768')
  // A screen reader hears someone else's new entry once, from a status line; the scrolling list itself is not live.
  await expect(responder.getByRole('log', { name: 'Timeline' })).toHaveAttribute('aria-live', 'off')
  await addEntry(ic, 'Rolling back payments-api')
  await expect(responder.getByRole('status').filter({ hasText: 'New entry from Iris: Rolling back payments-api' })).toHaveCount(1)
  // Their own entries are not read back to them.
  await addEntry(responder, 'Bob checking the queue')
  await expect(responder.getByRole('status').filter({ hasText: 'Bob checking the queue' })).toHaveCount(0)

  const viewer = await openPage()
  await viewer.goto(links.view)
  await expect(viewer.getByText('Read-only board')).toBeVisible()
  await expectClean(viewer, 'read-only board')

  await viewer.goto(links.statusPage)
  await expect(viewer.getByRole('heading', { level: 1 })).toBeVisible()
  await expectClean(viewer, 'status page')
})

test('no serious or critical axe violation on a replay, drill control and a drill board', async ({ openPage }) => {
  const { id } = await importRecordedIncident(host)
  const facilitator = await openPage()
  await openStartPage(facilitator, host)
  await facilitator.goto(`${host.url}/replay/${id}`)
  await expect(facilitator.getByRole('region', { name: 'Replay controls' })).toBeVisible()
  await expectClean(facilitator, 'replay')
  await facilitator.getByRole('button', { name: 'Run as a drill from here' }).click()
  await expect(facilitator.getByRole('heading', { name: 'Drill control' })).toBeVisible()
  await expect(facilitator.getByRole('list', { name: 'Injects' })).toBeVisible()
  await expectClean(facilitator, 'drill control')
  const drillBoard = await facilitator.getByRole('link', { name: 'Open the drill board' }).getAttribute('href')
  await joinBoard(facilitator, `${host.url}${drillBoard}`, 'Fran')
  await expect(facilitator.getByRole('note').filter({ hasText: 'DRILL' })).toBeVisible()
  await expectClean(facilitator, 'drill board')
})

test('at 200% zoom a responder on a 1366×768 laptop scrolls the board: every pane keeps a usable height and nothing covers Acknowledge', async ({ openPage }) => {
  const catalog = await hostApi(host, '/api/catalog', { body: { files: [{ name: 'catalog.yaml', text: await readFile(CATALOG, 'utf8') }] } })
  expect(catalog.status).toBe(200)
  const { id, links } = await host.createIncident('Checkout failing for card payments in the EU region', 'SEV-1')
  const ic = await openPage()
  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')
  // 200% of 1366×768: half the CSS pixels, each drawn twice as large.
  const bob = await openPage({ viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 })
  await joinBoard(bob, links.edit, 'Bob')
  await ic.keyboard.press('t')
  await ic.getByLabel('Task', { exact: true }).fill('Fail over the primary database')
  await pick(ic, 'Owner', 'Bob')
  await ic.getByRole('button', { name: 'Assign task' }).click()

  const height = async (name: string) => (await bob.getByRole('region', { name, exact: true }).boundingBox())?.height ?? 0
  for (const pane of ['Tasks', 'Responders', 'Timeline']) expect(await height(pane), pane).toBeGreaterThanOrEqual(120)
  // The title is read whole, not clipped to a sliver.
  expect((await bob.getByRole('heading', { level: 1 }).boundingBox())?.height).toBeGreaterThanOrEqual(30)
  await bob.screenshot({ path: 'test-results/screens/responder-200-percent.png', fullPage: true })
  await bob.getByRole('tab', { name: 'Services' }).click()
  expect(await height('Services')).toBeGreaterThanOrEqual(120)
  await expect(service(bob, 'artists-db')).toBeVisible()
  // The second Tab on a fresh page skips the header to his task.
  await bob.reload()
  await expect(bob.getByRole('button', { name: 'Acknowledge' })).toBeVisible()
  await bob.keyboard.press('Tab')
  await bob.keyboard.press('Tab')
  await expect(bob.getByRole('link', { name: 'Skip to the tasks' })).toBeFocused()
  await bob.keyboard.press('Enter')
  await expect(bob.getByRole('listitem', { name: /^Fail over the primary database, Bob/ })).toBeFocused()
  // Acknowledge is clickable: nothing lies over it (Playwright refuses a click another element would take).
  await bob.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(bob.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0)
  await expect(entry(ic, 'Bob acknowledged “Fail over the primary database”')).toBeVisible()
  await expectClean(bob, 'responder board at 200% zoom')
})
