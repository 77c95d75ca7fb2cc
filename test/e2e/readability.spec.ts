// Readable from three metres (#11): the IC's wall screen at 1920×1080 with the
// example catalog, five people, a few tasks and a dozen entries. The graph's
// names are at least 14 px on screen at the first fit and the search box is
// never over the graph; at least eight timeline entries and every responder
// are in view without scrolling; a 200-character task title, a long service
// name and a long incident title are cut (whole on hover and to screen
// readers) and never push the status or the date off the start page's list.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { MAX_TITLE_LENGTH } from '../../shared/incident'
import { joinIncident } from '../../shared/people'
import { addService, connectServices } from '../../shared/services'
import { MAX_TITLE_LENGTH as MAX_TASK_TITLE, createTask } from '../../shared/tasks'
import { addEntry } from '../../shared/timeline'
import { type TestClient, connectClient } from '../unit/helpers/host'
import { LONGEST_TITLE, expect, joinAsHost, snapshot, test } from './board'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'

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

const TASK_TITLE =
  'Ask the payments provider whether the key rotation at 14:02 UTC matches the spike in card authorisation timeouts, and confirm with the gateway team that retries are capped at three per order before it'
const SERVICE_NAME = 'artist-royalty-statements-and-payout-reconciliation-backend'
const PEOPLE = [
  ['bob', 'Bob Lindqvist'],
  ['chandra', 'Chandrasekhar Venkataraman'],
  ['dana', 'Dana Whitfield'],
  ['farid', 'Farid Haddad'],
] as const
const ENTRIES = [
  'Error rate on checkout at 12% in EU',
  'Roll back pricing-service',
  'Gateway latency p99 4.2 s',
  'Queue depth 40k and rising',
  'Refunds paused by finance',
  'Rollback started',
  'Card auth timeouts falling',
  'EU error rate 6%',
  'US unaffected so far',
  'Key rotation confirmed at 14:02',
  'Retries capped at 3',
  'Queue draining, 12k left',
]

const KINDS = ['note', 'decision', 'action', 'observation'] as const

type Box = { x: number; y: number; width: number; height: number }
const intersect = (a: Box, b: Box): boolean =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5
const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5

/** The part of an element that shows its contents: its box inside borders and scrollbars. */
const clientBox = (locator: Locator): Promise<Box> =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect()
    return { x: r.x + el.clientLeft, y: r.y + el.clientTop, width: el.clientWidth, height: el.clientHeight }
  })

/** Cut (more text than room) and shown as cut: an ellipsis on one line, or a line clamp. */
const cutShape = (locator: Locator) =>
  locator.evaluate((el) => {
    const style = getComputedStyle(el)
    return {
      cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
      ellipsis: style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none',
      lines: Math.round(el.getBoundingClientRect().height / parseFloat(style.lineHeight)),
      title: el.getAttribute('title'),
    }
  })

/** Every service's name: its font size on screen (CSS size times the canvas's zoom), and its box. */
const graphLabels = (page: Page) =>
  page.locator('.react-flow').evaluate((flow) => {
    const viewport = flow.querySelector<HTMLElement>('.react-flow__viewport')!
    const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a
    return [...flow.querySelectorAll<HTMLElement>('.react-flow__node')].map((node) => {
      const name = node.querySelector<HTMLElement>('.service-node-name')!
      const meta = node.querySelector<HTMLElement>('.service-node-meta')!
      return {
        name: name.textContent ?? '',
        zoom,
        effective: parseFloat(getComputedStyle(name).fontSize) * zoom,
        metaEffective: parseFloat(getComputedStyle(meta).fontSize) * zoom,
      }
    })
  })

test('the IC\u2019s wall screen at 1920×1080: graph names at 14 px or more, the search box off the graph, 8 entries and every responder in view, long titles cut and whole on hover', async ({ openPage }) => {
  test.setTimeout(150_000)
  expect(LONGEST_TITLE).toHaveLength(MAX_TITLE_LENGTH)
  expect(TASK_TITLE).toHaveLength(MAX_TASK_TITLE)
  const catalog = await fetch(`${host.url}/api/catalog`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.hostToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ files: [{ name: 'backstage-catalog-example-graph.yaml', text: await readFile(fixture, 'utf8') }] }),
  })
  expect(catalog.status).toBe(200)
  await host.createIncident(LONGEST_TITLE, 'SEV-2')
  const { id, editToken } = await host.createIncident('Checkout failing for EU customers', 'SEV-1')

  // The responders' boards, as they would write: four people, three tasks, twelve entries, one service with a long name.
  const board = connectClient(host.url, id, editToken, 'bob')
  clients.push(board)
  await board.synced
  const change = (by = 'bob') => ({ by, at: Date.now() })
  for (const [personId, name] of PEOPLE) joinIncident(board.doc, change(personId), { name })
  const royalty = addService(board.doc, change(), { name: SERVICE_NAME, kind: 'component', business: false })
  connectServices(board.doc, change(), royalty, 'resource:default/artists-db')
  createTask(board.doc, change(), { title: TASK_TITLE, ownerId: 'chandra', checkBackMinutes: 20 })
  createTask(board.doc, change(), { title: 'Roll back pricing-service to 2.30', ownerId: 'bob', checkBackMinutes: 15, highPriority: true })
  createTask(board.doc, change(), { title: 'Page the gateway on-call', ownerId: 'dana', checkBackMinutes: 25 })
  for (const [i, text] of ENTRIES.entries()) addEntry(board.doc, change(), { kind: KINDS[i % KINDS.length]!, text })

  const ic = await openPage({ viewport: { width: 1920, height: 1080 } })
  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris Okonkwo')
  const flow = ic.locator('.react-flow')
  await expect(flow.locator('.react-flow__node')).toHaveCount(23)
  await expect(ic.getByRole('group', { name: new RegExp(`^${SERVICE_NAME},`) })).toBeVisible()
  // The first fit, once the shared layout has placed everything (the pane's Re-layout button is back, no longer
  // "Laying out…") and the canvas's transform has stopped moving.
  await expect(ic.getByRole('region', { name: 'Services', exact: true }).getByRole('button', { name: 'Re-layout' })).toBeEnabled({ timeout: 30_000 })
  const transform = () => flow.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform)
  await expect.poll(async () => {
    const before = await transform()
    await ic.waitForTimeout(400)
    return before !== 'none' && before === (await transform())
  }).toBe(true)
  await expect(ic.getByRole('log', { name: 'Timeline' }).getByText(ENTRIES.at(-1)!)).toBeVisible()
  await snapshot(ic, 'readability-1920x1080')

  // Graph: every name at 14 px or more on screen, and the state line under it too (its state, and its kind where that fits).
  const labels = await graphLabels(ic)
  expect(labels).toHaveLength(23)
  const smallest = Math.min(...labels.map((l) => l.effective))
  const smallestMeta = Math.min(...labels.map((l) => l.metaEffective))
  console.log(`graph zoom ${labels[0]!.zoom.toFixed(3)}, smallest name ${smallest.toFixed(1)} px, smallest state line ${smallestMeta.toFixed(1)} px`)
  expect.soft(smallest, 'the smallest service name on screen (px)').toBeGreaterThanOrEqual(14)
  expect.soft(smallestMeta, 'the smallest state line on screen (px)').toBeGreaterThanOrEqual(14)

  // The search box covers no service, now or after any pan: it is not over the canvas at all.
  const search = ic.getByRole('searchbox', { name: 'Find a service' })
  await expect(search).toBeVisible()
  const searchBox = (await search.boundingBox())!
  for (const node of await flow.locator('.react-flow__node').all()) {
    const box = (await node.boundingBox())!
    expect.soft(intersect(searchBox, box), `the search box ${JSON.stringify(searchBox)} over ${await node.getAttribute('data-id')} ${JSON.stringify(box)}`).toBe(false)
  }
  expect.soft(intersect(searchBox, (await flow.boundingBox())!), 'the search box over the canvas').toBe(false)

  // A long service name: cut with an ellipsis, whole on hover and in the node's name.
  const longNode = ic.getByRole('group', { name: new RegExp(`^${SERVICE_NAME},`) })
  const nodeName = await cutShape(longNode.locator('.service-node-name'))
  expect.soft(nodeName.title, 'the long service name on hover').toBe(SERVICE_NAME)
  expect.soft(nodeName.cut && nodeName.ellipsis, 'the long service name cut with an ellipsis').toBe(true)
  const untitled = await flow.locator('.service-node-name').evaluateAll((names) => names.filter((n) => n.getAttribute('title') !== n.textContent).map((n) => n.textContent))
  expect.soft(untitled, 'service names without their whole name on hover').toEqual([])

  // Timeline: at least eight entries whole in the list, without scrolling.
  const log = ic.getByRole('log', { name: 'Timeline' })
  const logBox = await clientBox(log)
  const whole = []
  for (const row of await log.locator('[data-entry-id]').all()) {
    const box = await row.boundingBox()
    if (box && inside(box, logBox)) whole.push(box)
  }
  console.log(`timeline: ${whole.length} entries whole in a list ${Math.round(logBox.height)} px high`)
  expect.soft(whole.length, 'timeline entries whole in view').toBeGreaterThanOrEqual(8)

  // Responders: five people, each card whole in the list and on the screen, with its state.
  const responders = ic.getByRole('list', { name: 'Responders' })
  const listBox = await clientBox(responders)
  const cards = await responders.getByRole('listitem').all()
  expect(cards).toHaveLength(5)
  let shown = 0
  for (const card of cards) {
    const box = (await card.boundingBox())!
    const whole = inside(box, listBox) && inside(box, { x: 0, y: 0, width: 1920, height: 1080 })
    expect.soft(whole, `${await card.getAttribute('aria-label')} whole in view: ${JSON.stringify(box)} in ${JSON.stringify(listBox)}`).toBe(true)
    if (whole) shown++
    await expect.soft(card.locator('.fatigue')).toBeVisible()
  }
  console.log(`responders: ${shown} of ${cards.length} cards whole in view`)

  // The 200-character task title: cut, with an ellipsis, whole on hover and to screen readers.
  const task = ic.getByRole('listitem', { name: new RegExp(`^${TASK_TITLE.slice(0, 40)}`) })
  await expect(task).toHaveAccessibleName(new RegExp(TASK_TITLE))
  const taskTitle = await cutShape(task.locator('.task-title'))
  console.log(`task title: ${taskTitle.lines} lines, cut ${taskTitle.cut}`)
  expect.soft(taskTitle.title, 'the task title on hover').toBe(TASK_TITLE)
  expect.soft(taskTitle.cut && taskTitle.ellipsis, 'the task title cut with an ellipsis').toBe(true)
  expect.soft(taskTitle.lines, 'the task title lines').toBeLessThanOrEqual(2)

  // The start page's list: the status and the date of a 200-character title stay whole; the title is cut.
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 },
  ]) {
    await ic.setViewportSize(size)
    await ic.goto(host.url)
    const row = ic.getByRole('list', { name: 'Incidents' }).getByRole('listitem').filter({ hasText: LONGEST_TITLE.slice(0, 40) })
    await expect(row).toBeVisible()
    const link = row.getByRole('link', { name: /^SEV-/ })
    await expect(link).toHaveAccessibleName(new RegExp(LONGEST_TITLE))
    // Its replay link stays whole on the screen beside it.
    const replay = (await row.getByRole('link', { name: /^Replay / }).boundingBox())!
    expect.soft(inside(replay, { x: 0, y: 0, ...size }), `the replay link whole at ${size.width}×${size.height}`).toBe(true)
    const linkBox = (await link.boundingBox())!
    for (const [what, part] of [
      ['status', row.getByText('investigating', { exact: true })],
      ['date', row.locator('time')],
    ] as const) {
      await expect(part).toBeVisible()
      const box = (await part.boundingBox())!
      expect.soft(inside(box, linkBox) && inside(box, { x: 0, y: 0, ...size }), `the ${what} whole at ${size.width}×${size.height}`).toBe(true)
      const squeezed = await part.evaluate((el) => el.scrollWidth > el.clientWidth + 1)
      expect.soft(squeezed, `the ${what} not squeezed at ${size.width}×${size.height}`).toBe(false)
    }
    const title = await cutShape(row.locator('.incident-title'))
    expect.soft(title.title, `the incident title on hover at ${size.width}×${size.height}`).toBe(LONGEST_TITLE)
    expect.soft(title.cut && title.ellipsis, `the incident title cut with an ellipsis at ${size.width}×${size.height}`).toBe(true)
    await snapshot(ic, `readability-home-${size.width}x${size.height}`)
  }
})
