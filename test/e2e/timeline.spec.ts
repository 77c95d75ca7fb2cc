import { type E2eHost, disposeE2eHost, startE2eHost } from './host'
import { addEntry, connection, entry, expect, joinBoard, snapshot, test, timeline } from './board'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

test('the IC declares an incident, two responders join by link, see each other and each other\'s entries', async ({ openPage }) => {
  const ic = await openPage()
  await ic.goto(host.url)
  await ic.getByLabel('Host token').fill(host.hostToken)
  await ic.getByRole('button', { name: 'Use host token' }).click()
  await ic.getByLabel('Title').fill('Checkout failing for EU customers')
  await ic.getByRole('radio', { name: /SEV-1/ }).check()
  await ic.getByLabel('Your name').fill('Iris Commander')
  await ic.getByRole('button', { name: 'Declare incident' }).click()
  await expect(ic.getByRole('heading', { level: 1, name: 'Checkout failing for EU customers' })).toBeVisible()
  await expect(ic.getByLabel('Severity')).toHaveValue('SEV-1')
  // Credited to the one who declared it, who is offered command at once.
  await expect(entry(ic, 'Incident declared: Checkout failing for EU customers (SEV-1)')).toContainText('Iris Commander')
  await ic.getByRole('region', { name: 'Command' }).getByRole('button', { name: 'I am IC' }).click()
  await expect(ic.getByRole('region', { name: 'Command' })).toHaveCount(0)
  await expect(entry(ic, /Incident Commander: .*Iris Commander/)).toBeVisible()

  await ic.getByRole('button', { name: 'Invite' }).click()
  const editLink = await ic.getByRole('textbox', { name: 'Responder link (can edit)' }).inputValue()
  expect(editLink).toMatch(/\/i\/[\w-]+#token=/)
  await ic.getByRole('button', { name: 'Close' }).click()

  const alice = await openPage()
  const bob = await openPage({ viewport: { width: 1366, height: 768 } })
  await joinBoard(alice, editLink, 'Alice Scribe')
  await joinBoard(bob, editLink, 'Bob Responder')

  const presence = (page: typeof alice) => page.getByRole('list', { name: 'Here now' })
  await expect(presence(alice)).toContainText('Bob Responder')
  await expect(presence(bob)).toContainText('Alice Scribe')
  await expect(presence(ic)).toContainText('Bob Responder')

  await bob.getByLabel('New timeline entry').pressSequentially('Looking at the repl')
  await expect(alice.getByText('Bob Responder is typing…')).toBeVisible()

  await addEntry(alice, '/d Fail over to the replica')
  const decision = entry(bob, 'Fail over to the replica')
  await expect(decision).toContainText('Alice Scribe')
  await expect(decision).toContainText('Decision')
  await expect(entry(ic, 'Fail over to the replica')).toBeVisible()
  await expect(entry(bob, 'Alice Scribe joined')).toBeVisible()

  // The IC raises nothing by typing: a header change writes its own entry everywhere.
  await ic.getByLabel('Incident status').selectOption('identified')
  await expect(entry(alice, 'Status investigating → identified')).toBeVisible()

  await snapshot(ic, 'board-1920x1080')
  await snapshot(bob, 'board-1366x768')
})

test('the scribe corrects, re-dates, stars and filters entries, and the others see it', async ({ openPage }) => {
  const { links } = await host.createIncident('Search latency', 'SEV-3')
  const scribe = await openPage()
  const other = await openPage()
  await joinBoard(scribe, links.edit, 'Sam Scribe')
  await joinBoard(other, links.edit, 'Olga SRE')

  await addEntry(scribe, 'Restartd the serch nodes')
  await addEntry(scribe, '/o p99 back under 300 ms')
  await addEntry(other, '/a Olga to check the index size')

  // Anyone fixes a typo: the correction appears on the other screen.
  await entry(other, 'Restartd the serch nodes').getByRole('button', { name: 'Edit entry text' }).click()
  const editor = other.getByRole('textbox', { name: 'Entry text' })
  await editor.fill('Restarted the search nodes')
  await editor.press('Enter')
  await expect(entry(scribe, 'Restarted the search nodes')).toBeVisible()

  // Backdating keeps when it was recorded.
  const row = entry(scribe, 'Restarted the search nodes')
  await row.getByRole('button', { name: /change the time of this entry$/ }).click()
  const when = scribe.getByLabel('When it happened')
  const original = await when.inputValue()
  const earlier = new Date(new Date(original).getTime() - 5 * 60_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  await when.fill(`${earlier.getFullYear()}-${pad(earlier.getMonth() + 1)}-${pad(earlier.getDate())}T${pad(earlier.getHours())}:${pad(earlier.getMinutes())}:${pad(earlier.getSeconds())}`)
  await when.press('Enter')
  await expect(entry(other, 'Restarted the search nodes')).toContainText(`${pad(earlier.getHours())}:${pad(earlier.getMinutes())}:${pad(earlier.getSeconds())}`)
  await expect(entry(other, 'Restarted the search nodes')).toContainText('recorded')

  await entry(scribe, 'p99 back under 300 ms').getByRole('button', { name: 'Star as key moment' }).click()
  await other.getByRole('button', { name: '★ Key moments' }).click()
  await expect(timeline(other).getByRole('listitem').filter({ hasText: /\d{2}:\d{2}:\d{2}/ })).toHaveCount(1)
  await expect(entry(other, 'p99 back under 300 ms')).toBeVisible()
  await other.getByRole('button', { name: '★ Key moments' }).click()

  await other.getByRole('button', { name: 'Action', exact: true }).first().click()
  await expect(entry(other, 'Olga to check the index size')).toBeVisible()
  await expect(entry(other, 'p99 back under 300 ms')).toHaveCount(0)
  await other.getByRole('button', { name: 'Action', exact: true }).first().click()

  await other.getByLabel('Filter by person').selectOption({ label: 'Sam Scribe' })
  await expect(entry(other, 'Olga to check the index size')).toHaveCount(0)
  await expect(entry(other, 'p99 back under 300 ms')).toBeVisible()
})

test('offline: both sides keep typing, a reload keeps the local copy, and reconnecting merges everything', async ({ openPage }) => {
  const { links } = await host.createIncident('Network partition drill', 'SEV-2')
  const alice = await openPage()
  const bob = await openPage()
  await joinBoard(alice, links.edit, 'Alice')
  await joinBoard(bob, links.edit, 'Bob')
  await addEntry(alice, 'Before the partition')
  await expect(entry(bob, 'Before the partition')).toBeVisible()
  await alice.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))

  await host.stop('SIGKILL')
  await expect(connection(alice, 'Offline')).toBeVisible()
  await expect(connection(bob, 'Offline')).toBeVisible()
  await addEntry(alice, 'Alice, while offline')
  await addEntry(bob, 'Bob, while offline')

  // A reload with the host gone: the shell comes from the service worker, the board from IndexedDB.
  await alice.reload()
  await expect(entry(alice, 'Alice, while offline')).toBeVisible()
  await expect(connection(alice, 'Offline')).toBeVisible()
  await addEntry(alice, 'Alice, after the reload')

  await host.start()
  await expect(connection(alice, 'Live')).toBeVisible({ timeout: 20_000 })
  await expect(connection(bob, 'Live')).toBeVisible({ timeout: 20_000 })
  for (const page of [alice, bob]) {
    for (const text of ['Before the partition', 'Alice, while offline', 'Bob, while offline', 'Alice, after the reload']) {
      await expect(entry(page, text)).toBeVisible()
    }
  }

  // A clean restart of the host: a newcomer sees everything that was merged.
  await host.stop('SIGTERM')
  await host.start()
  const carol = await openPage()
  await joinBoard(carol, links.edit, 'Carol')
  for (const text of ['Before the partition', 'Alice, while offline', 'Bob, while offline', 'Alice, after the reload']) {
    await expect(entry(carol, text)).toBeVisible()
  }
})

test('a stakeholder link reads the board and offers no way to write', async ({ openPage }) => {
  const { links } = await host.createIncident('Login errors', 'SEV-2')
  const responder = await openPage()
  await joinBoard(responder, links.edit, 'Rita')
  await addEntry(responder, '/o Login error rate 12%')
  const viewer = await openPage()
  await viewer.goto(links.view)
  await expect(entry(viewer, 'Login error rate 12%')).toBeVisible()
  await expect(viewer.getByText('View only: this link can read the board but not change it.')).toBeVisible()
  await expect(viewer.getByLabel('New timeline entry')).toHaveCount(0)
  await expect(viewer.getByLabel('Severity')).toHaveCount(0)
  await expect(viewer.getByRole('button', { name: 'Edit entry text' })).toHaveCount(0)
  await expect(viewer.getByRole('button', { name: 'Star as key moment' }).first()).toBeDisabled()
})

test('a wrong or missing link gets a clear message, not a blank page', async ({ page }) => {
  const { id } = await host.createIncident('Private', 'SEV-4')
  await page.goto(`${host.url}/i/${id}#token=not-the-right-token`)
  await expect(page.getByRole('alert')).toContainText('This invite link is not valid')
  await page.goto(`${host.url}/i/20990101-nothere#token=x`)
  await expect(page.getByRole('alert')).toContainText(/not valid|no such incident/i)
  await page.goto(`${host.url}/no/such/page`)
  await expect(page.getByRole('alert')).toContainText('There is nothing at this address')
})
