import type { Page } from '@playwright/test'
import { expect, snapshot, test, service } from './board'
import { type E2eHost, disposeE2eHost, openStartPage, startE2eHost } from './host'
import { MOMENTS, T0, importRecordedIncident } from './recorded-incident'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const taskRow = (page: Page, title: string) => page.getByRole('listitem', { name: new RegExp(`^(High priority: )?${title},`) })
const moment = (page: Page) => page.getByRole('slider', { name: 'Replay moment' })
/** Whether two services' nodes cover each other on screen. */
const overlap = async (page: Page, a: string, b: string): Promise<boolean> => {
  const [one, two] = [await service(page, a).boundingBox(), await service(page, b).boundingBox()]
  if (!one || !two) return true
  return one.x < two.x + two.width && two.x < one.x + one.width && one.y < two.y + two.height && two.y < one.y + one.height
}
/** The replay's moment, as the scrubber says it: seconds after the declaration. */
const secondsIn = async (page: Page): Promise<number> => Math.round((Number(await moment(page).inputValue()) - T0) / 1000)

test('a facilitator opens the replay of a recorded incident, steps to its moments and sees the board as it was then', async ({ openPage }) => {
  const { id } = await importRecordedIncident(host)
  const page = await openPage()
  await openStartPage(page, host)
  await page.getByRole('link', { name: 'Replay Checkout failing for card payments' }).click()
  await expect(page).toHaveURL(new RegExp(`/replay/${id}$`))
  const bar = page.getByRole('region', { name: 'Replay controls' })
  await expect(bar).toBeVisible()
  await expect(page.getByRole('status', { name: 'Connection: Replay' })).toBeVisible()
  // At the declaration: SEV-2, nobody in command, no services yet.
  await expect(page.getByRole('banner')).toContainText('SEV-2')
  await expect(page.getByText('No services on the graph yet')).toBeVisible()
  expect(await secondsIn(page)).toBeLessThan(1)
  await snapshot(page, 'replay-start')

  // → steps through the moments: IC assigned, then the starred observation with the outage.
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('status').filter({ hasText: /^Role at/ })).toHaveText(/Incident Commander/)
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('status').filter({ hasText: /^Starred at/ })).toContainText('Card payments failing')
  expect(await secondsIn(page)).toBeCloseTo(MOMENTS.outage + 5, 0)
  await expect(service(page, 'payments-api')).toHaveAccessibleName(/major outage/i)
  // Nobody laid the graph out on the recorded board: the replay lays it out for itself.
  await expect(service(page, 'payments-api')).toBeInViewport()
  await expect(service(page, 'checkout-web')).toBeInViewport()
  await expect.poll(() => overlap(page, 'payments-api', 'checkout-web')).toBe(false)
  await expect(page.getByRole('button', { name: /^IC Alice, Incident Commander/ })).toBeVisible()
  await snapshot(page, 'replay-starred')

  // On to the missed check-back: Bob's task is overdue on the board at that moment, not reported yet.
  for (const next of ['Task created', 'Severity', 'Check-back missed']) {
    await page.getByRole('button', { name: 'Next moment' }).click()
    await expect(page.getByRole('region', { name: 'Replay controls' }).getByRole('status')).toHaveText(new RegExp(`^${next} at`))
  }
  expect(await secondsIn(page)).toBe(MOMENTS.checkBackDue)
  await expect(taskRow(page, 'Roll back payments-api to v41')).toHaveAccessibleName(/check-back overdue/)
  await expect(page.getByRole('banner')).toContainText('SEV-1')
  await snapshot(page, 'replay-missed-check-back')

  // The facilitator leaves a note here for the debrief; it is kept with the incident.
  await page.getByText('Facilitator notes (0)').click()
  await page.getByLabel('Note at 14:08:00').fill('Nobody chased Bob for the five minutes')
  await page.getByLabel('Your name').fill('Fran')
  await page.getByRole('button', { name: 'Add note' }).click()
  await expect(page.getByRole('list', { name: 'Facilitator notes' }).getByRole('listitem')).toHaveText([/14:08:00\s*Fran\s*Nobody chased Bob/])
  await snapshot(page, 'replay-notes')

  // A moment later on the replay's clock the countdown runs on from the stored due time.
  await moment(page).focus()
  await page.keyboard.press('ArrowRight')
  await expect(taskRow(page, 'Roll back payments-api to v41').getByRole('timer')).toContainText('overdue 00:01')

  // Home goes back to the declaration: the task and the outage are not there yet.
  await page.getByRole('button', { name: 'Play' }).focus()
  await page.keyboard.press('Home')
  await expect(page.getByText('No tasks yet')).toBeVisible()

  // Opened again, the note is there, and → stops at it like any moment.
  await page.reload()
  await moment(page).waitFor()
  await page.getByText('Facilitator notes (1)').click()
  await expect(page.getByRole('list', { name: 'Facilitator notes' })).toContainText('Nobody chased Bob')
  await page.getByRole('button', { name: 'Go to 14:08:00' }).click()
  expect(await secondsIn(page)).toBe(MOMENTS.checkBackDue)
})

test('plays at 60×, and a shared link opens the replay at its moment', async ({ openPage }) => {
  const { id } = await importRecordedIncident(host)
  const page = await openPage()
  await page.addInitScript((token) => localStorage.setItem('warroom.hostToken', token), host.hostToken)
  await page.goto(`${host.url}/replay/${id}?at=${T0 + MOMENTS.severity * 1000 + 500}`)
  await expect(page.getByRole('banner')).toContainText('SEV-1')
  expect(Math.floor(await secondsIn(page))).toBe(MOMENTS.severity)
  await expect(taskRow(page, 'Roll back payments-api to v41')).not.toHaveAccessibleName(/overdue/)

  // Space plays from the speed just chosen.
  await page.getByRole('radio', { name: '60×' }).check()
  await page.keyboard.press('Space')
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  // At 60× the three minutes to the missed check-back pass in about three seconds.
  await expect(taskRow(page, 'Roll back payments-api to v41')).toHaveAccessibleName(/check-back overdue/, { timeout: 8000 })
  await page.keyboard.press('Space')
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
  const paused = await secondsIn(page)
  expect(paused).toBeGreaterThan(MOMENTS.checkBackDue)
  await page.waitForTimeout(500)
  expect(await secondsIn(page)).toBe(paused)

  // ] and [ step the speed.
  await page.keyboard.press(']')
  await expect(page.getByText('now 120×')).toBeVisible()
  await page.keyboard.press('[')
  await page.keyboard.press('[')
  await expect(page.getByText('now 30×')).toBeVisible()

  // End: resolved.
  await page.keyboard.press('End')
  await expect(page.getByRole('banner')).toContainText('resolved')

  // On a 1280×720 laptop the header and the bar take their room and the page scrolls: no pane shrinks to nothing.
  await page.setViewportSize({ width: 1280, height: 720 })
  await expect.poll(async () => (await page.getByRole('log', { name: 'Timeline' }).boundingBox())?.height ?? 0, { message: 'the timeline’s entries' }).toBeGreaterThanOrEqual(120)
  await expect.poll(async () => (await page.getByRole('region', { name: 'Tasks', exact: true }).boundingBox())?.height ?? 0, { message: 'the tasks pane' }).toBeGreaterThanOrEqual(120)
})
