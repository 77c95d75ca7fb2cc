import type { Page } from '@playwright/test'
import { fileURLToPath } from 'node:url'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { entry, expect, joinAsHost, joinBoard, snapshot, test, service } from './board'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const fixture = fileURLToPath(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url))
/** React Flow keeps a node's position on the board (not on screen) in its transform. */
const boardPosition = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`).evaluate((el) => (el as HTMLElement).style.transform)

test('import the example catalog; the IC marks the database down; the other screen sees the impact, the roll-up and the entry; a drag moves the node for both', async ({ openPage }) => {
  const { id, links } = await host.createIncident('Artist portal errors', 'SEV-1')
  const ic = await openPage()
  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')
  const other = await openPage()
  await joinBoard(other, links.edit, 'Bob')

  await ic.getByRole('button', { name: 'Import catalog' }).click()
  const dialog = ic.getByRole('dialog', { name: 'Import a service catalog' })
  // One file button: the native input (and its own button) is there for the keyboard, unseen.
  await expect(dialog.getByRole('button', { name: 'Choose files' })).toHaveCount(1)
  await expect(dialog.locator('input[type="file"]')).toHaveCSS('opacity', '0')
  await snapshot(ic, 'import-dialog-1920')
  await dialog.getByLabel('Choose files').setInputFiles(fixture)
  await expect(dialog).toContainText('22 services, 16 dependencies')
  await dialog.getByRole('button', { name: 'Load into this incident' }).click()
  await expect(entry(other, 'Service graph loaded from backstage-catalog-example-graph.yaml: 22 services, 16 dependencies')).toBeVisible()
  await expect(service(other, 'artists-db')).toHaveAccessibleName('artists-db, Resource: Operational')

  // The IC selects the database and presses 4: major outage.
  await service(ic, 'artists-db').click()
  await ic.keyboard.press('4')
  await expect(service(other, 'artists-db')).toHaveAccessibleName('artists-db, Resource: Major outage, likely origin')
  await expect(service(other, 'artist-lookup')).toHaveAccessibleName('artist-lookup, Component: Impacted')
  await expect(service(other, 'artist-engagement-portal')).toHaveAccessibleName('artist-engagement-portal, Business service: Impacted')
  await expect(service(other, 'podcast')).toHaveAccessibleName('podcast, Business service: Operational')
  await expect(other.getByRole('status', { name: '1 business services impacted' })).toBeVisible()
  await expect(entry(other, 'artists-db: Operational → Major outage')).toBeVisible()
  const detail = ic.getByRole('complementary', { name: 'Service: artists-db' })
  await expect(detail).toContainText('Needed by')
  await expect(detail).toContainText('artist-lookup impacted')
  await snapshot(ic, 'graph-1920x1080')

  // A drag on one screen moves the node on the other: with the details closed, which lie over the canvas's right side.
  await ic.keyboard.press('Escape')
  await expect(detail).toHaveCount(0)
  const nodeId = 'component:default/searcher'
  const before = await boardPosition(other, nodeId)
  const box = (await ic.locator(`.react-flow__node[data-id="${nodeId}"]`).boundingBox())!
  await ic.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await ic.mouse.down()
  await ic.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 80, { steps: 8 })
  await ic.mouse.up()
  const after = await boardPosition(ic, nodeId)
  expect(after).not.toBe(before)
  await expect.poll(() => boardPosition(other, nodeId)).toBe(after)

  // By keyboard alone (#15). The graph is one Tab stop (arrows move within it); edges are none.
  await expect(ic.locator('.react-flow__node[tabindex="0"]')).toHaveCount(1)
  await expect(ic.locator('.react-flow__edge[tabindex]')).toHaveCount(0)
  // F finds a service from anywhere on the board; Enter puts focus on it, with a ring that shows.
  await ic.keyboard.press('f')
  await expect(ic.getByRole('searchbox', { name: 'Find a service' })).toBeFocused()
  await ic.keyboard.type('artist-lookup')
  await ic.keyboard.press('Enter')
  const lookup = service(ic, 'artist-lookup')
  await expect(lookup).toBeFocused()
  await expect(lookup).toHaveCSS('outline-style', 'dashed')
  await expect(lookup).toHaveAccessibleDescription(/Enter: its details\. 1 to 4: its status/)
  // Escape closes its details; Enter on the focused service opens them again.
  await ic.keyboard.press('Escape')
  await expect(ic.getByRole('complementary', { name: 'Service: artist-lookup' })).toHaveCount(0)
  await ic.keyboard.press('Enter')
  await expect(ic.getByRole('complementary', { name: 'Service: artist-lookup' })).toBeVisible()
  // Down goes to the service it depends on (the layout puts dependencies below), and 2 marks that one degraded.
  await ic.keyboard.press('ArrowDown')
  await expect(service(ic, 'artists-db')).toBeFocused()
  await ic.keyboard.press('2')
  await snapshot(ic, 'graph-keyboard-focus')
  await expect(service(other, 'artists-db')).toHaveAccessibleName('artists-db, Resource: Degraded performance, likely origin')
  await ic.keyboard.press('ArrowUp')
  await expect(lookup).toBeFocused()
  // Tab leaves the graph and Shift+Tab comes back to the service last focused.
  await ic.keyboard.press('Shift+Tab')
  await expect(lookup).not.toBeFocused()
  await ic.keyboard.press('Tab')
  await expect(lookup).toBeFocused()
})

test('a broken catalog names the file and line and changes nothing', async ({ openPage }) => {
  const { links } = await host.createIncident('Broken import', 'SEV-4')
  const page = await openPage()
  await joinBoard(page, links.edit, 'Alice')
  await page.getByRole('button', { name: 'Import catalog' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import a service catalog' })
  await dialog.getByLabel('Choose files').setInputFiles({ name: 'catalog-info.yaml', mimeType: 'text/yaml', buffer: Buffer.from('kind: Component\nmetadata:\n  name: [oops\n  owner: x\n') })
  await expect(dialog.getByRole('alert')).toContainText(/catalog-info\.yaml:\d+ — /)
  await expect(dialog.getByRole('button', { name: 'Load into this incident' })).toBeDisabled()
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByText('No services on the graph yet')).toBeVisible()
})
