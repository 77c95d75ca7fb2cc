import { readFile } from 'node:fs/promises'
import { connection, entry, expect, joinBoard, snapshot, test, service } from './board'
import { type E2eHost, disposeE2eHost, openStartPage, startE2eHost } from './host'
import { importRecordedIncident } from './recorded-incident'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})


test('a facilitator starts a drill from a moment of the replay; a trainee sees the DRILL banner, the board as it was, and the injects arriving', async ({ openPage }) => {
  await importRecordedIncident(host)
  const facilitator = await openPage()
  await openStartPage(facilitator, host)
  await facilitator.getByRole('link', { name: 'Replay Checkout failing for card payments' }).click()
  // To the starred moment: the outage is on, Alice in command.
  await facilitator.getByRole('button', { name: 'Next moment' }).click()
  await facilitator.getByRole('button', { name: 'Next moment' }).click()
  await expect(service(facilitator, 'payments-api')).toHaveAccessibleName(/major outage/i)
  await facilitator.getByRole('button', { name: 'Run as a drill from here' }).click()

  await expect(facilitator.getByRole('heading', { name: 'Drill control' })).toBeVisible()
  await expect(facilitator.getByText('DRILL: Checkout failing for card payments')).toBeVisible()
  // What came after that moment: the service recovering.
  const injects = facilitator.getByRole('list', { name: 'Injects' }).getByRole('listitem')
  await expect(injects).toHaveCount(1)
  await expect(injects.first()).toContainText('payments-api → Operational')
  const link = await facilitator.getByRole('textbox', { name: 'Trainees’ link (can edit)' }).inputValue()
  await snapshot(facilitator, 'drill-control')

  const trainee = await openPage()
  await joinBoard(trainee, link, 'Tess')
  await expect(trainee.getByRole('note').filter({ hasText: 'DRILL' })).toContainText('An exercise, not a real incident')
  await expect(trainee.getByRole('banner')).toContainText('DRILL: Checkout failing for card payments')
  // The board as it was at that moment.
  await expect(service(trainee, 'payments-api')).toHaveAccessibleName(/major outage/i)
  await expect(trainee.getByRole('button', { name: /^IC Alice, Incident Commander/ })).toBeVisible()
  await snapshot(trainee, 'drill-trainee')

  // By hand: the inject lands on the trainee's board from Drill control.
  await facilitator.getByRole('button', { name: 'Inject now: payments-api → Operational' }).click()
  await expect(service(trainee, 'payments-api')).toHaveAccessibleName(/operational/i)
  await expect(entry(trainee, 'payments-api: Major outage → Operational (inject)')).toContainText('Drill control')
  await expect(injects.first()).toContainText('fired')

  // On schedule: a new inject at 0 minutes fires as soon as the schedule starts.
  await facilitator.getByLabel('At (minutes from the start)').fill('0')
  await facilitator.getByLabel('Entry from Drill control').fill('Support: customers report double charges')
  await facilitator.getByRole('button', { name: 'Add inject' }).click()
  await expect(injects).toHaveCount(2)
  // And changed before it fires.
  await facilitator.getByRole('button', { name: 'Change: “Support: customers report double charges”' }).click()
  await expect(facilitator.getByRole('heading', { name: 'Change the inject' })).toBeVisible()
  await facilitator.getByLabel('Entry from Drill control').fill('Support: customers report double charges on cards')
  await facilitator.getByRole('button', { name: 'Save the inject' }).click()
  await expect(facilitator.getByRole('heading', { name: 'Add an inject' })).toBeVisible()
  await expect(injects).toHaveCount(2)
  await expect(injects.first()).toContainText('“Support: customers report double charges on cards”')
  await facilitator.getByRole('radio', { name: '5×' }).check()
  await facilitator.getByRole('button', { name: 'Start the schedule' }).click()
  await expect(facilitator.getByRole('status').filter({ hasText: 'Running at 5×' })).toBeVisible()
  await expect(entry(trainee, 'Support: customers report double charges on cards')).toContainText('Drill control', { timeout: 10_000 })
  await expect(connection(trainee, 'Live')).toBeVisible()

  // After the drill: beside the original, and as Markdown for the debrief.
  await facilitator.getByRole('link', { name: 'Compare with the original' }).click()
  const measures = facilitator.getByRole('table', { name: 'Measures, original and drill' })
  await expect(measures.getByRole('row', { name: /^IC assigned/ })).toContainText('+01:00')
  await expect(facilitator.getByRole('table', { name: 'Both timelines on one time axis' })).toContainText('Support: customers report double charges on cards')
  const [file] = await Promise.all([facilitator.waitForEvent('download'), facilitator.getByRole('button', { name: 'Download as Markdown' }).click()])
  const markdown = await readFile((await file.path())!, 'utf8')
  expect(markdown).toMatch(/^# Drill comparison: DRILL: Checkout failing for card payments/)
  expect(markdown).toContain('| IC assigned | +01:00 | +01:00 | the same |')
  await snapshot(facilitator, 'drill-comparison')

  // The start page lists it apart, under Drills.
  await facilitator.goto(host.url)
  await expect(facilitator.getByRole('list', { name: 'Drills' })).toContainText('DRILL: Checkout failing for card payments')
  await expect(facilitator.getByRole('list', { name: 'Incidents' })).not.toContainText('DRILL')
})
