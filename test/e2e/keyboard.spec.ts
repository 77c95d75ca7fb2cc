// The keyboard, as the IC and the scribe use it: every key the `?` list names,
// pressed as a person would, with the text they would type after it.
import type { Locator, Page } from '@playwright/test'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { entry, expect, joinBoard, snapshot, test, timeline } from './board'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name })
const anyDialog = (page: Page) => page.getByRole('dialog')
const taskRow = (page: Page | Locator, title: string) => page.getByRole('listitem', { name: new RegExp(`^${title},`) })
const entryLine = (page: Page) => page.getByRole('textbox', { name: 'New timeline entry' })

/** The `?` list, as a person reads it: each group's heading and the keys in its rows. */
const listedShortcuts = async (page: Page): Promise<Record<string, string[]>> => {
  const help = dialog(page, 'Keyboard shortcuts')
  const listed: Record<string, string[]> = {}
  for (const table of await help.getByRole('table').all()) {
    const name = (await table.getAttribute('aria-label')) ?? (await table.evaluate((t) => document.getElementById(t.getAttribute('aria-labelledby') ?? '')?.textContent ?? ''))
    listed[name] = (await table.getByRole('rowheader').allTextContents()).map((k) => k.trim())
  }
  return listed
}

/** What this file (with graph.spec the graph's keys, milestones.spec M) drives, group by group; the `?` list must say exactly this. */
const DRIVEN = {
  'Anywhere on the board': ['T', 'R', 'P', 'U', 'M', '/', 'F', '?'],
  'On a focused timeline entry': ['E or Enter', 'T', 'S', '↑ / ↓', 'Home / End'],
  'While changing an entry': ['Enter', 'Escape'],
  'On a focused task': ['A', 'Enter', '↑ / ↓', 'Home / End'],
  'On a focused or selected service (graph)': ['Enter or Space', '← ↑ → ↓', '1 / 2 / 3 / 4', 'Escape'],
  'In the timeline line': ['Enter', 'Alt+N / D / A / O', 'Escape'],
  'In a dialog': ['Escape', 'Ctrl+Enter'],
}

/** A new task by keyboard alone: T, the title, Tab, the owner's first name, Enter to pick, Enter to assign. */
const newTaskByKeyboard = async (page: Page, title: string, owner: string): Promise<void> => {
  await page.keyboard.press('t')
  const newTask = dialog(page, 'New task')
  await expect(newTask.getByRole('textbox', { name: 'Task' })).toBeFocused()
  await page.keyboard.type(title)
  await expect(newTask.getByRole('textbox', { name: 'Task' })).toHaveValue(title)
  await page.keyboard.press('Tab')
  await expect(newTask.getByRole('combobox', { name: 'Owner' })).toBeFocused()
  await page.keyboard.type(owner)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await expect(newTask).toHaveCount(0)
}

test('each board key opens its dialog with focus in the first field; typing there (letters that are keys elsewhere) stays in the field', async ({ openPage }) => {
  const { links } = await host.createIncident('Pump station offline', 'SEV-2')
  const page = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(page, links.edit, 'Petra Turner')

  // `?`: the list, then Escape closes it.
  await page.keyboard.press('?')
  await expect(dialog(page, 'Keyboard shortcuts')).toBeVisible()
  expect(await listedShortcuts(page)).toEqual(DRIVEN)
  await snapshot(page, 'shortcuts-1366x768')
  await page.keyboard.press('Escape')
  await expect(anyDialog(page)).toHaveCount(0)

  // T: the title field has focus; "Restart the pump upstream" holds r, t, p and u.
  await newTaskByKeyboard(page, 'Restart the pump upstream', 'Petra')
  await expect(taskRow(page.getByRole('list', { name: 'My tasks' }), 'Restart the pump upstream')).toBeVisible()
  await expect(anyDialog(page)).toHaveCount(0)

  // R: the person field has focus; Shift+Tab reaches the chosen role, arrows change it.
  await page.keyboard.press('r')
  const role = dialog(page, 'Assign a role')
  await expect(role.getByRole('combobox', { name: 'Who takes it' })).toBeFocused()
  await page.keyboard.type('Petra Tu')
  await page.keyboard.press('Enter')
  await expect(role.getByRole('combobox', { name: 'Who takes it' })).toHaveValue('Petra Turner')
  await page.keyboard.press('Shift+Tab')
  await expect(role.getByRole('radio', { name: 'Incident Commander' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(role.getByRole('radio', { name: 'Deputy' })).toBeChecked()
  // Back in the person field its suggestions open again: Enter keeps Petra, a second Enter assigns.
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await expect(role).toHaveCount(0)
  await expect(entry(page, 'Deputy: — → Petra Turner')).toBeVisible()

  // P: the first field is a select; letters there pick options, they open nothing.
  await page.keyboard.press('p')
  const people = dialog(page, /^People on this incident/)
  await expect(people.getByRole('combobox', { name: 'Sub-team of Petra Turner' })).toBeFocused()
  await page.keyboard.press('t')
  await page.keyboard.press('u')
  await expect(anyDialog(page)).toHaveCount(1)
  await people.getByRole('combobox', { name: 'Leader' }).focus()
  await page.keyboard.type('Petra Tu')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await expect(entry(page, 'Sub-team Alpha formed, led by Petra Turner')).toBeVisible()
  await expect(people.getByRole('list', { name: 'Sub-teams' })).toContainText('Alpha, led by Petra Turner')
  await page.keyboard.press('Escape')
  await expect(anyDialog(page)).toHaveCount(0)

  // U: a draft, typed into, published with Ctrl+Enter.
  await page.keyboard.press('u')
  const updates = dialog(page, 'Stakeholder updates')
  await expect(updates).toBeVisible()
  await updates.getByRole('button', { name: 'Start from the template' }).press('Enter')
  const doing = updates.getByRole('textbox', { name: 'What we are doing', exact: true })
  await doing.focus()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type('Pumps restart upstream; traffic rerouted. Updates to follow.')
  await expect(doing).toHaveValue('Pumps restart upstream; traffic rerouted. Updates to follow.')
  await expect(anyDialog(page)).toHaveCount(1)
  await page.keyboard.press('Control+Enter')
  await expect(updates.getByRole('status').filter({ hasText: /^Published at/ })).toBeVisible()
  await expect(entry(page, 'Customers update published (Investigating)')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(anyDialog(page)).toHaveCount(0)
  // With a draft, the dialog opens on its first field.
  await page.keyboard.press('u')
  await expect(updates.getByRole('combobox', { name: 'Status to announce' })).toBeFocused()
  await page.keyboard.press('Escape')

  // `/`: the timeline line; what is typed there is text, never a key.
  await page.keyboard.press('/')
  await expect(entryLine(page)).toBeFocused()
  await page.keyboard.type('Pressure up? rerouting traffic to pump 2 / upstream')
  await expect(anyDialog(page)).toHaveCount(0)
  await page.keyboard.press('Enter')
  await expect(entry(page, 'Pressure up? rerouting traffic to pump 2 / upstream')).toBeVisible()

  // While an IME composes, no key is a shortcut, wherever focus is.
  await page.keyboard.press('Escape')
  await page.evaluate(() => {
    const target = document.activeElement ?? document.body
    for (const key of ['t', 'r', 'p', 'u', '?']) target.dispatchEvent(new KeyboardEvent('keydown', { key, isComposing: true, bubbles: true, cancelable: true }))
  })
  await page.evaluate(() => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 't', keyCode: 229, bubbles: true, cancelable: true })))
  await expect(anyDialog(page)).toHaveCount(0)
  await expect(page.getByLabel('When it happened')).toHaveCount(0)
})

test('the timeline line and its entries by keyboard: Alt+letter kinds, Escape back to the entries, arrows, E, T and S on the focused entry', async ({ openPage }) => {
  const { links } = await host.createIncident('Water pressure low', 'SEV-3')
  const page = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(page, links.edit, 'Sam Scribe')

  await page.keyboard.press('/')
  const line = entryLine(page)
  await expect(line).toBeFocused()
  const kinds = page.getByRole('radiogroup', { name: 'Entry kind' })
  for (const [key, kind, text] of [
    ['o', 'Observation', 'Pressure at pump 1 under 2 bar'],
    ['d', 'Decision', 'Reroute to pump 2'],
    ['a', 'Action', 'Uma to call the utility'],
    ['n', 'Note', 'Utility reports a burst main upstream'],
  ] as const) {
    await page.keyboard.press(`Alt+${key}`)
    await expect(kinds.getByRole('radio', { name: kind })).toHaveAttribute('aria-checked', 'true')
    await page.keyboard.type(text)
    await page.keyboard.press('Enter')
    await expect(entry(page, text)).toContainText(kind)
  }

  // Escape leaves the line for the newest entry; arrows walk the entries.
  await page.keyboard.press('Escape')
  await expect(line).not.toBeFocused()
  await expect(entry(page, 'Utility reports a burst main upstream')).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await expect(entry(page, 'Uma to call the utility')).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await expect(entry(page, 'Reroute to pump 2')).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(entry(page, 'Uma to call the utility')).toBeFocused()
  await page.keyboard.press('Home')
  await expect(timeline(page).getByRole('listitem').filter({ hasText: 'Incident declared' })).toBeFocused()
  await page.keyboard.press('End')
  await expect(entry(page, 'Utility reports a burst main upstream')).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  const reroute = entry(page, 'Reroute to pump 2')
  await expect(reroute).toBeFocused()

  // E: the text, Enter: done, focus back on the entry.
  await page.keyboard.press('e')
  const text = page.getByRole('textbox', { name: 'Entry text' })
  await expect(text).toBeFocused()
  await page.keyboard.press('End')
  await page.keyboard.type(' (trust the utility)')
  await page.keyboard.press('Enter')
  const rerouted = entry(page, 'Reroute to pump 2 (trust the utility)')
  await expect(rerouted).toBeFocused()
  // Enter opens the text too; Escape is done.
  await page.keyboard.press('Enter')
  await expect(text).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(text).toHaveCount(0)
  await expect(rerouted).toBeFocused()

  // T re-dates the focused entry (not "New task"); the whole date and time shows.
  await page.keyboard.press('t')
  const when = page.getByLabel('When it happened')
  await expect(when).toBeFocused()
  await expect(anyDialog(page)).toHaveCount(0)
  const box = await when.boundingBox()
  expect(box?.width).toBeGreaterThanOrEqual(await when.evaluate((el) => el.scrollWidth))
  await snapshot(page, 'redate-1366x768')
  const original = await when.inputValue()
  const earlier = new Date(new Date(original).getTime() - 7 * 60_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  await when.fill(`${earlier.getFullYear()}-${pad(earlier.getMonth() + 1)}-${pad(earlier.getDate())}T${pad(earlier.getHours())}:${pad(earlier.getMinutes())}:${pad(earlier.getSeconds())}`)
  await page.keyboard.press('Enter')
  const redated = entry(page, 'Reroute to pump 2 (trust the utility)')
  await expect(redated).toContainText('recorded')
  await expect(redated).toContainText(`${pad(earlier.getHours())}:${pad(earlier.getMinutes())}:${pad(earlier.getSeconds())}`)
  await expect(redated).toBeFocused()
  // T then Escape: nothing changes.
  await page.keyboard.press('t')
  await expect(when).toBeFocused()
  await when.fill('2001-01-01T01:01:01')
  await page.keyboard.press('Escape')
  await expect(when).toHaveCount(0)
  await expect(redated).toContainText(`${pad(earlier.getHours())}:${pad(earlier.getMinutes())}:${pad(earlier.getSeconds())}`)
  await expect(redated).toBeFocused()

  // S stars and unstars it.
  await page.keyboard.press('s')
  await expect(redated.getByRole('button', { name: 'Unstar key moment' })).toHaveAttribute('aria-pressed', 'true')
  await page.keyboard.press('s')
  await expect(redated.getByRole('button', { name: 'Star as key moment' })).toHaveAttribute('aria-pressed', 'false')

  // A key the entry does not use is the board's: R assigns a role; Escape comes back here.
  await page.keyboard.press('r')
  await expect(dialog(page, 'Assign a role')).toBeVisible()
  // Escape closes the person field's suggestions first, then the dialog.
  await expect(page.getByRole('listbox', { name: 'Who takes it: suggestions' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('listbox', { name: 'Who takes it: suggestions' })).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(anyDialog(page)).toHaveCount(0)
  await expect(redated).toBeFocused()

  // The same at 1920×1080.
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.keyboard.press('t')
  await expect(when).toBeFocused()
  const wide = await when.boundingBox()
  expect(wide?.width).toBeGreaterThanOrEqual(await when.evaluate((el) => el.scrollWidth))
  await snapshot(page, 'redate-1920x1080')
  await page.keyboard.press('Escape')
})

test('tasks by keyboard: arrows move between tasks, A acknowledges the focused task, Enter opens it; other keys stay the board\'s', async ({ openPage }) => {
  const { links } = await host.createIncident('Reservoir alarm', 'SEV-2')
  const page = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(page, links.edit, 'Petra Turner')
  await newTaskByKeyboard(page, 'Check the reservoir level', 'Petra')
  await newTaskByKeyboard(page, 'Page the utility', 'Petra')
  const mine = page.getByRole('list', { name: 'My tasks' })
  const tasks = mine.getByRole('listitem')
  await expect(tasks).toHaveCount(2)

  // One Tab stop per list: the first task.
  await page.getByRole('button', { name: 'New task' }).focus()
  const first = tasks.first()
  const firstTitle = (await first.getAttribute('aria-label'))!.split(',')[0]!
  const second = tasks.nth(1)
  const secondTitle = (await second.getAttribute('aria-label'))!.split(',')[0]!
  for (let i = 0; i < 4 && !(await first.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
  await expect(taskRow(mine, firstTitle)).toBeFocused()

  await page.keyboard.press('a')
  await expect(taskRow(mine, firstTitle)).toHaveAccessibleName(/Acknowledged/)
  await expect(entry(page, `Petra Turner acknowledged “${firstTitle}”`)).toBeVisible()
  await expect(taskRow(mine, firstTitle)).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(taskRow(mine, secondTitle)).toBeFocused()
  await page.keyboard.press('a')
  await expect(taskRow(mine, secondTitle)).toHaveAccessibleName(/Acknowledged/)
  await page.keyboard.press('Home')
  await expect(taskRow(mine, firstTitle)).toBeFocused()
  await page.keyboard.press('End')
  await expect(taskRow(mine, secondTitle)).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await expect(taskRow(mine, firstTitle)).toBeFocused()

  await page.keyboard.press('Enter')
  await expect(page.getByRole('button', { name: `More for ${firstTitle}` })).toHaveAttribute('aria-expanded', 'true')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('button', { name: `More for ${firstTitle}` })).toHaveAttribute('aria-expanded', 'false')

  // A task does not use T: it is the board's "New task"; Escape returns to the task.
  await page.keyboard.press('t')
  await expect(dialog(page, 'New task')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(taskRow(mine, firstTitle)).toBeFocused()
})

test('a selected service: 1 to 4 set its status, Escape closes its details; Add service opens on its name', async ({ openPage }) => {
  const { links } = await host.createIncident('Pumping station', 'SEV-2')
  const page = await openPage()
  await joinBoard(page, links.edit, 'Petra Turner')

  await page.getByRole('button', { name: 'Add service' }).click()
  const add = dialog(page, 'Add a service')
  await expect(add.getByRole('textbox', { name: 'Name' })).toBeFocused()
  await page.keyboard.type('pump-router')
  await expect(add.getByRole('textbox', { name: 'Name' })).toHaveValue('pump-router')
  await page.keyboard.press('Enter')
  await expect(add).toHaveCount(0)

  const node = page.getByRole('group', { name: /^pump-router,/ })
  await node.click()
  const detail = page.getByRole('complementary', { name: 'Service: pump-router' })
  await expect(detail).toBeVisible()
  for (const [key, label] of [
    ['4', 'Major outage'],
    ['3', 'Partial outage'],
    ['2', 'Degraded performance'],
    ['1', 'Operational'],
  ] as const) {
    await page.keyboard.press(key)
    await expect(node).toHaveAccessibleName(new RegExp(`: ${label}`))
  }
  await expect(entry(page, 'pump-router: Degraded performance → Operational')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(detail).toHaveCount(0)
})

test('a read-only link lists only what it can do', async ({ openPage }) => {
  const { links } = await host.createIncident('Read-only keys', 'SEV-4')
  const viewer = await openPage()
  await viewer.goto(links.view)
  await expect(entry(viewer, 'Incident declared')).toBeVisible()
  await viewer.keyboard.press('?')
  expect(await listedShortcuts(viewer)).toEqual({
    'Anywhere on the board': ['P', 'U', 'M', 'F', '?'],
    'On a focused timeline entry': ['↑ / ↓', 'Home / End'],
    'On a focused task': ['↑ / ↓', 'Home / End'],
    'On a focused or selected service (graph)': ['Enter or Space', '← ↑ → ↓', 'Escape'],
    'In a dialog': ['Escape'],
  })
  await viewer.keyboard.press('Escape')
  await viewer.keyboard.press('t')
  await viewer.keyboard.press('r')
  await expect(viewer.getByRole('dialog')).toHaveCount(0)
})
