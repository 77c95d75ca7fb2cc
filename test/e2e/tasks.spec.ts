import type { Page } from '@playwright/test'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { entry, expect, joinAsHost, joinBoard, pick, snapshot, test } from './board'
import { recordAnnouncements, timesAnnounced } from './live-regions'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

/** Records what the page asks the browser's Notification API to show. */
const captureNotifications = (page: Page) =>
  page.addInitScript(() => {
    const shown: Array<{ title: string; body: string }> = []
    ;(window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown
    class FakeNotification {
      static permission = 'granted'
      static requestPermission = async () => 'granted'
      constructor(title: string, options?: { body?: string }) {
        shown.push({ title, body: options?.body ?? '' })
      }
    }
    Object.defineProperty(window, 'Notification', { value: FakeNotification })
  })

const taskRow = (page: Page, title: string) => page.getByRole('listitem', { name: new RegExp(`^(High priority: )?${title},`) })

test('the IC assigns a task with a 1-minute check-back; the responder is notified and acknowledges; it turns overdue on the IC screen', async ({ openPage }) => {
  const { id, links } = await host.createIncident('Checkout failing', 'SEV-1')

  const ic = await openPage()
  await ic.clock.install()
  await recordAnnouncements(ic)
  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')

  const scribe = await openPage({ viewport: { width: 1366, height: 768 } })
  await recordAnnouncements(scribe)
  await joinBoard(scribe, links.edit, 'Alice')
  const bob = await openPage({ viewport: { width: 1366, height: 768 } })
  await captureNotifications(bob)
  await recordAnnouncements(bob)
  await joinBoard(bob, links.edit, 'Bob')

  // The IC drives by keyboard: take command, give the scribe role.
  await ic.keyboard.press('r')
  await ic.getByRole('radio', { name: 'Incident Commander' }).check()
  await pick(ic, 'Who takes it', 'Iris')
  await ic.getByRole('button', { name: 'Assign Incident Commander' }).click()
  await ic.keyboard.press('r')
  await ic.getByRole('radio', { name: 'Scribe' }).check()
  await pick(ic, 'Who takes it', 'Alice')
  await ic.getByRole('button', { name: 'Assign Scribe' }).click()
  const roles = scribe.getByRole('region', { name: 'Roles' })
  await expect(roles.getByRole('button', { name: /^IC Iris, Incident Commander/ })).toBeVisible()
  await expect(roles.getByRole('button', { name: /^Scribe Alice/ })).toBeVisible()

  await ic.keyboard.press('t')
  await ic.getByLabel('Task', { exact: true }).fill('Fail over the primary database')
  await pick(ic, 'Owner', 'Bob')
  await ic.getByLabel('Check back in (minutes)').fill('1')
  await ic.getByRole('button', { name: 'Assign task' }).click()

  // Bob: "My tasks" first, with a notification and a badge.
  const mine = bob.getByRole('list', { name: 'My tasks' })
  await expect(taskRow(mine as unknown as Page, 'Fail over the primary database')).toBeVisible()
  await expect(bob.getByLabel('1 waiting for you to acknowledge')).toBeVisible()
  await expect.poll(() => bob.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications)).toEqual([
    { title: 'New task for you', body: 'Fail over the primary database' },
  ])
  await expect(bob).toHaveTitle(/^\(1\) /)
  // A screen reader tells Bob who gave him what, once; the scribe hears the entry once.
  await expect.poll(() => timesAnnounced(bob, 'New task for you from Iris: Fail over the primary database')).toBe(1)
  await expect.poll(() => timesAnnounced(scribe, 'New entry from Iris: Task for Bob: Fail over the primary database')).toBe(1)
  await bob.getByRole('button', { name: 'Acknowledge' }).click()

  // The IC sees it at once; the scribe's timeline has both steps.
  await expect(taskRow(ic, 'Fail over the primary database')).toContainText('Acknowledged')
  await expect(entry(scribe, 'Task for Bob: Fail over the primary database')).toBeVisible()
  await expect(entry(scribe, 'Bob acknowledged “Fail over the primary database”')).toBeVisible()
  await expect(bob.getByLabel(/waiting for you to acknowledge/)).toHaveCount(0)

  // A minute later on the IC's clock, the check-back is overdue and on top.
  await expect(taskRow(ic, 'Fail over the primary database')).not.toHaveAccessibleName(/overdue/)
  await ic.clock.fastForward(65_000)
  await expect(taskRow(ic, 'Fail over the primary database')).toHaveAccessibleName(/check-back overdue/)
  await expect(taskRow(ic, 'Fail over the primary database').getByRole('timer')).toContainText('overdue')
  await expect(ic.getByRole('list', { name: 'Check-backs due' })).toContainText('Bob — Fail over the primary database: overdue')
  // Said once as it came due and once as it went overdue, though the list counts on every second.
  await ic.clock.fastForward(3_000)
  await expect.poll(() => timesAnnounced(ic, 'Check-back overdue: Bob, “Fail over the primary database”')).toBe(1)
  expect(await timesAnnounced(ic, 'Check-back due soon: Bob, “Fail over the primary database”')).toBe(1)
  await snapshot(ic, 'tasks-overdue-1920x1080')

  // Bob reports back: the check-back is answered on every screen, and the next one starts from his report.
  // (The IC's browser clock was pushed a minute ahead, so the IC is only asked to see the due time move.)
  const dueOnIc = async () => /due (\d\d:\d\d:\d\d)/.exec((await taskRow(ic, 'Fail over the primary database').getByRole('timer').getAttribute('aria-label')) ?? '')?.[1]
  const missedDue = await dueOnIc()
  await bob.getByRole('button', { name: 'More for Fail over the primary database' }).click()
  await bob.getByLabel('Report back').fill('Replica promoted, writes flowing')
  await bob.getByRole('button', { name: 'Report', exact: true }).click()
  await expect(entry(scribe, '“Fail over the primary database”: Replica promoted, writes flowing')).toBeVisible()
  await expect(taskRow(bob, 'Fail over the primary database')).not.toHaveAccessibleName(/overdue/)
  await expect.poll(dueOnIc).not.toBe(missedDue)

  // The IC marks it high priority: every screen shows it, and the timeline says so.
  await ic.getByRole('button', { name: 'More for Fail over the primary database' }).click()
  await ic.getByRole('button', { name: 'High priority' }).click()
  await expect(ic.getByRole('button', { name: 'High priority' })).toHaveAttribute('aria-pressed', 'true')
  await expect(taskRow(bob, 'Fail over the primary database')).toHaveAccessibleName(/^High priority: Fail over the primary database,/)
  await expect(entry(scribe, '“Fail over the primary database” is now high priority')).toBeVisible()
  await snapshot(bob, 'tasks-responder-1366x768')
})

test('invalid moves are refused with a message; the shortcut list is one key away', async ({ openPage }) => {
  const { links } = await host.createIncident('Cache stampede', 'SEV-3')
  const alice = await openPage()
  await joinBoard(alice, links.edit, 'Alice')
  await alice.keyboard.press('t')
  await alice.getByLabel('Task', { exact: true }).fill('Warm the cache')
  await alice.getByRole('button', { name: 'Assign task' }).click()
  await expect(alice.getByRole('alert')).toContainText('Every task needs one named owner')
  await pick(alice, 'Owner', 'Alice')
  await alice.getByRole('button', { name: 'Assign task' }).click()
  const row = taskRow(alice, 'Warm the cache')
  await row.getByRole('button', { name: 'Acknowledge' }).click()
  await row.getByRole('button', { name: 'More for Warm the cache' }).click()
  await row.getByRole('button', { name: 'Mark blocked' }).click()
  await expect(row.getByRole('alert')).toHaveText('Say what the task is blocked on.')
  await row.getByRole('button', { name: 'Mark done' }).click()
  // Finished tasks fold away under the open ones.
  await expect(row).toHaveCount(0)
  await alice.getByRole('button', { name: 'Show 1 finished' }).click()
  await expect(alice.getByRole('list', { name: 'Finished tasks' })).toContainText('Warm the cache')
  await expect(entry(alice, 'Alice finished “Warm the cache”')).toBeVisible()

  await alice.keyboard.press('?')
  await expect(alice.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('New task: title, owner, check-back')
})

test('the IC keeps the roster in the app; a responder joining by link is matched to it', async ({ openPage }) => {
  const ic = await openPage()
  await ic.goto(host.url)
  await ic.getByLabel('Host token').fill(host.hostToken)
  await ic.getByRole('button', { name: 'Use host token' }).click()
  const roster = ic.getByRole('region', { name: 'Roster' })
  const add = roster.getByRole('form', { name: 'Add to the roster' })
  await add.getByLabel('Name').fill('Dana Postgres')
  await add.getByLabel('Team').fill('Data')
  await add.getByLabel('Skills').fill('postgres, replication')
  await add.getByRole('button', { name: 'Add to roster' }).click()
  await expect(roster.getByLabel('Skills of Dana Postgres')).toHaveValue('postgres, replication')
  await roster.getByLabel('Contact of Dana Postgres').fill('+1 555 0100')
  await roster.getByLabel('Contact of Dana Postgres').blur()
  await ic.reload()
  await expect(ic.getByRole('region', { name: 'Roster' }).getByLabel('Contact of Dana Postgres')).toHaveValue('+1 555 0100')

  const { links } = await host.createIncident('Replication broken', 'SEV-2')
  const dana = await openPage()
  await dana.goto(links.edit)
  await dana.getByLabel('Your name').fill('Dana')
  await dana.getByRole('group', { name: 'On the roster' }).getByRole('button', { name: /Dana Postgres/ }).click()
  await expect(dana.getByRole('list', { name: 'Here now' })).toContainText('Dana Postgres')
})
