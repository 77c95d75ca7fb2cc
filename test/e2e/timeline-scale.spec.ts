import { joinIncident } from '../../shared/people'
import { addEntry as addTimelineEntry } from '../../shared/timeline'
import { connectClient } from '../unit/helpers/host'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { connection, entry, expect, joinBoard, test, timeline } from './board'

let host: E2eHost
test.beforeAll(async () => {
  host = await startE2eHost()
})
test.afterAll(async () => {
  await disposeE2eHost(host)
})

const DAY = 86_400_000

test('10,000 entries over three days: only what is on screen is rendered, dates show, search finds any', async ({ page }) => {
  const { id, editToken, links } = await host.createIncident('Multi-day outage', 'SEV-1')
  const seeder = connectClient(host.url, id, editToken, 'seeder')
  await seeder.synced
  const now = Date.now()
  seeder.doc.transact(() => {
    joinIncident(seeder.doc, { by: 'seeder', at: now }, { name: 'Sam Seeder' })
    for (let i = 0; i < 10_000; i++) {
      // Spread over the last three days, oldest first.
      const at = now - 3 * DAY + Math.floor((i / 10_000) * 3 * DAY)
      addTimelineEntry(seeder.doc, { by: 'seeder', at: now }, { kind: 'note', text: `entry ${i}`, at })
    }
  })
  await new Promise((r) => setTimeout(r, 1000))
  seeder.close()

  let largestFrame = 0
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => (largestFrame = Math.max(largestFrame, payload.length))))
  await joinBoard(page, links.edit, 'Reader')
  await expect(page.getByText('10003 entries')).toBeVisible()
  // The newest is in view, as in a log.
  await expect(entry(page, 'entry 9999')).toContainText('Sam Seeder')
  const rendered = await timeline(page).getByRole('listitem').count()
  expect(rendered).toBeLessThan(80)

  await timeline(page).evaluate((el) => (el.scrollTop = 0))
  await expect(entry(page, /entry 0(?!\d)/)).toBeVisible()
  const firstDay = new Date(now - 3 * DAY)
  const pad = (n: number) => String(n).padStart(2, '0')
  await expect(timeline(page).getByRole('listitem').first()).toHaveText(`${firstDay.getFullYear()}-${pad(firstDay.getMonth() + 1)}-${pad(firstDay.getDate())}`)

  await page.getByLabel('Search the timeline').fill('entry 5000')
  await expect(entry(page, 'entry 5000')).toBeVisible()
  await expect(page.getByText('1 of 10003')).toBeVisible()

  // A reload shows the board from this device's copy and asks the host only for what it
  // lacks, instead of the whole board again.
  const firstLoad = largestFrame
  expect(firstLoad).toBeGreaterThan(500_000)
  largestFrame = 0
  await page.reload()
  await expect(page.getByText('10003 entries')).toBeVisible()
  await expect(connection(page, 'Live')).toBeVisible()
  expect(largestFrame).toBeLessThan(firstLoad / 10)
})
