// The board's header on every screen the product names, from a laptop to a 4K
// wall: a 200-character title, an impacted business service and ten people
// present, and nothing in it hidden, clipped or covered. And the title edited
// from the header by the IC, with its timeline entry.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { MAX_TITLE_LENGTH } from '../../shared/incident'
import { type TestClient, connectClient } from '../unit/helpers/host'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { LONGEST_TITLE, entry, expect, joinAsHost, joinBoard, pick, snapshot, test } from './board'

let host: E2eHost
const clients: TestClient[] = []
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await disposeE2eHost(host)
})

const fixture = fileURLToPath(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url))


/** Present through y-websocket from this process, as a board does (renderer/sync/connection.ts): nine of the ten. */
const OTHERS = ['Bob Lindqvist', 'Chandrasekhar Venkataraman', 'Dana Whitfield', 'Émilie Fournier-Dubois', 'Farid Haddad', "Grace O'Sullivan", 'Hiroshi Tanaka', 'Ingrid Solberg', 'Jamal Washington']
const COLORS = ['#ffb020', '#ff8c1a', '#69db7c', '#8ecaff', '#d0a2ff', '#ffd43b', '#7ee0b8', '#ff5c5c', '#5cc8ff']
const EVERYONE = ['Iris Okonkwo-Hartmann', ...OTHERS]

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const

const service = (page: Page, name: string) => page.getByRole('group', { name: new RegExp(`^${name},`) })
const header = (page: Page) => page.getByRole('banner')
const presence = (page: Page) => header(page).getByRole('list', { name: 'Here now' })

type Box = { x: number; y: number; width: number; height: number }
const intersect = (a: Box, b: Box): boolean =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5
const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5

/** What must stay readable in the header, by role and label. An edit board has selects; a view board shows the values. */
const headerParts = async (page: Page, editable: boolean): Promise<Array<[string, Locator]>> => {
  const h = header(page)
  const clocks = await h.getByRole('list', { name: 'Next stakeholder updates' }).getByRole('button').all()
  expect(clocks).toHaveLength(3)
  return [
    ['title', h.getByRole('heading', { level: 1, name: LONGEST_TITLE })],
    ['severity', editable ? h.getByRole('combobox', { name: 'Severity' }) : h.getByText('Severity SEV-1', { exact: true })],
    ['status', editable ? h.getByRole('combobox', { name: 'Incident status' }) : h.getByText('Status investigating', { exact: true })],
    ['elapsed time', h.getByRole('timer', { name: 'Elapsed time' })],
    ['impact', h.getByRole('status', { name: '1 business services impacted' })],
    ...clocks.map((clock, i): [string, Locator] => [`update clock ${i + 1}`, clock]),
    ['presence', presence(page)],
    ['roles', h.getByRole('region', { name: 'Roles' })],
    ['connection', h.getByRole('status', { name: 'Connection: Live' })],
  ]
}

const checkHeader = async (page: Page, editable: boolean, size: { width: number; height: number }): Promise<void> => {
  const where = `${size.width}×${size.height}${editable ? '' : ' (view)'}`
  const parts = await headerParts(page, editable)
  const viewport = { x: 0, y: 0, ...size }
  const boxes: Array<[string, Box]> = []
  for (const [name, locator] of parts) {
    await expect(locator, `${name} at ${where}`).toBeVisible()
    const box = await locator.boundingBox()
    expect(box, `${name} at ${where}`).not.toBeNull()
    expect(box!.width * box!.height, `${name} has a size at ${where}`).toBeGreaterThan(0)
    expect(inside(box!, viewport), `${name} inside the viewport at ${where}: ${JSON.stringify(box)}`).toBe(true)
    boxes.push([name, box!])
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, boxA] = boxes[i]!
      const [b, boxB] = boxes[j]!
      expect(intersect(boxA, boxB), `${a} ${JSON.stringify(boxA)} and ${b} ${JSON.stringify(boxB)} overlap at ${where}`).toBe(false)
    }
  }

  // The title: at most two lines, wide enough to read, cut with an ellipsis if at all, whole on hover and for assistive technology.
  const title = header(page).getByRole('heading', { level: 1 })
  await expect(title).toHaveAttribute('title', LONGEST_TITLE)
  const shape = await title.evaluate((el) => {
    const style = getComputedStyle(el)
    return {
      lines: el.getBoundingClientRect().height / parseFloat(style.lineHeight),
      width: el.getBoundingClientRect().width,
      cut: el.scrollHeight > el.clientHeight + 1,
      clamp: style.webkitLineClamp,
      fontSize: parseFloat(style.fontSize),
    }
  })
  expect(shape.lines, `title lines at ${where}`).toBeLessThanOrEqual(2.05)
  expect(shape.width, `title width at ${where}`).toBeGreaterThan(20 * shape.fontSize * 0.5)
  if (shape.cut) expect(shape.clamp, `a cut title ends in an ellipsis at ${where}`).toBe('2')

  // Presence: every chip shown whole inside the list; the rest behind "+N", whose name lists them.
  const listBox = boxes.find(([n]) => n === 'presence')![1]
  const chips = await presence(page).getByRole('listitem').filter({ hasNot: page.getByRole('button') }).all()
  expect(chips.length, `people shown by name at ${where}`).toBeGreaterThanOrEqual(1)
  const named: string[] = []
  for (const chip of chips) {
    expect(inside((await chip.boundingBox())!, listBox), `a presence chip inside the list at ${where}`).toBe(true)
    named.push(await chip.innerText())
  }
  const more = presence(page).getByRole('button', { name: /more here/ })
  const rest = (await more.count()) > 0 ? ((await more.getAttribute('aria-label')) ?? '') : ''
  // A view link is not present to others, but its own list shows it.
  const here = editable ? EVERYONE : [...EVERYONE, 'Viewer']
  if (chips.length < here.length) {
    await expect(more).toHaveText(`+${here.length - chips.length}`)
    expect(inside((await more.boundingBox())!, listBox), `"+N" inside the list at ${where}`).toBe(true)
  }
  for (const person of here) expect(`${named.join(' | ')} | ${rest}`, `${person} named at ${where}`).toContain(person)

  // The header leaves the board most of the screen.
  const headerBox = (await header(page).boundingBox())!
  expect(headerBox.height / size.height, `header height at ${where}`).toBeLessThan(0.36)
}

test('the header holds at 1280×720 to 3840×2160 with a 200-character title, an impacted business service and ten people', async ({ openPage }) => {
  // Two boards at four sizes, a 4K screenshot each: slow on a small machine.
  test.setTimeout(240_000)
  expect(LONGEST_TITLE).toHaveLength(MAX_TITLE_LENGTH)
  const catalog = await fetch(`${host.url}/api/catalog`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.hostToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ files: [{ name: 'backstage-catalog-example-graph.yaml', text: await readFile(fixture, 'utf8') }] }),
  })
  expect(catalog.status).toBe(200)
  const { id, links, editToken } = await host.createIncident(LONGEST_TITLE, 'SEV-1')

  const ic = await openPage()
  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris Okonkwo-Hartmann')
  const viewer = await openPage()
  await viewer.goto(links.view)

  // The IC marks the database down: one business service impacted.
  await service(ic, 'artists-db').click()
  await ic.keyboard.press('4')
  await expect(header(viewer).getByRole('status', { name: '1 business services impacted' })).toBeVisible()

  for (const [i, name] of OTHERS.entries()) {
    const client = connectClient(host.url, id, editToken, `present-${i}`)
    clients.push(client)
    client.provider.awareness.setLocalState({ user: { id: `present-${i}`, name, color: COLORS[i] } })
    await client.synced
  }
  await expect(presence(ic).getByText('Jamal Washington')).toBeAttached()
  await expect(presence(viewer).getByText('Jamal Washington')).toBeAttached()

  for (const size of SIZES) {
    for (const [page, editable, who] of [
      [ic, true, 'ic'],
      [viewer, false, 'view'],
    ] as const) {
      await page.setViewportSize(size)
      try {
        // Once more outside toPass on failure, for the assertion's own message.
        await expect(async () => checkHeader(page, editable, size))
          .toPass({ timeout: 10_000 })
          .catch(() => checkHeader(page, editable, size))
      } finally {
        await snapshot(page, `header-${who}-${size.width}x${size.height}`)
      }
    }
  }
})

test('the IC edits the title from the header: Enter saves, Escape cancels, a refusal is explained; others see it and its entry', async ({ openPage }) => {
  const { id, links } = await host.createIncident('Checkout errors', 'SEV-2')
  const iris = await openPage()
  await joinAsHost(iris, host.url, host.hostToken, id, 'Iris')
  const bob = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(bob, links.edit, 'Bob')
  const viewer = await openPage({ viewport: { width: 1280, height: 720 } })
  await viewer.goto(links.view)
  await expect(header(viewer).getByRole('heading', { level: 1, name: 'Checkout errors' })).toBeVisible()

  // The host's own board may; a responder who is not the IC, and a view link, may not.
  await expect(header(iris).getByRole('button', { name: 'Edit title' })).toBeVisible()
  await expect(header(bob).getByRole('button', { name: 'Edit title' })).toHaveCount(0)
  await expect(header(viewer).getByRole('button', { name: 'Edit title' })).toHaveCount(0)

  // Bob becomes the IC.
  await iris.keyboard.press('r')
  await iris.getByRole('radio', { name: 'Incident Commander' }).check()
  await pick(iris, 'Who takes it', 'Bob')
  await iris.getByRole('button', { name: 'Assign Incident Commander' }).click()
  const edit = header(bob).getByRole('button', { name: 'Edit title' })
  await expect(edit).toBeVisible()

  // By keyboard: Escape leaves the title as it was.
  await edit.focus()
  await bob.keyboard.press('Enter')
  const input = header(bob).getByRole('textbox', { name: 'Incident title' })
  await expect(input).toBeFocused()
  await expect(input).toHaveValue('Checkout errors')
  await input.fill('Something else')
  await input.press('Escape')
  await expect(input).toHaveCount(0)
  await expect(header(bob).getByRole('heading', { level: 1, name: 'Checkout errors' })).toBeVisible()
  await expect(edit).toBeFocused()

  // An empty title is refused with the domain's reason, and nothing changes.
  await bob.keyboard.press('Enter')
  await input.fill('   ')
  await input.press('Enter')
  await expect(header(bob).getByRole('alert')).toHaveText('An incident needs a title.')
  await expect(input).toBeFocused()
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  await snapshot(bob, 'header-title-refused-1366x768')

  // Enter saves; everyone sees the new title and its entry.
  await input.fill('Checkout errors for EU cards after the 14:05 deploy')
  await input.press('Enter')
  await expect(input).toHaveCount(0)
  await expect(edit).toBeFocused()
  for (const page of [bob, iris, viewer]) {
    await expect(header(page).getByRole('heading', { level: 1, name: 'Checkout errors for EU cards after the 14:05 deploy' })).toBeVisible()
  }
  await expect(entry(iris, 'Title: Checkout errors → Checkout errors for EU cards after the 14:05 deploy')).toBeVisible()
  await expect(entry(viewer, 'Title: Checkout errors → Checkout errors for EU cards after the 14:05 deploy')).toBeVisible()
  await snapshot(bob, 'header-title-edited-1366x768')
})
