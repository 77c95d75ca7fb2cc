import AxeBuilder from '@axe-core/playwright'
import { archiveFile, importArchiveOn } from '../unit/helpers/archive'
import { type Plan, runPlan } from '../unit/helpers/planned-incident'
import { expect, test } from './board'
import { type E2eHost, disposeE2eHost, openStartPage, startE2eHost } from './host'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0)
const DAY = 86_400_000
/** Three incidents with known figures: acknowledged in 2, 4 and 6 minutes; mitigated in 20, 40, 60; resolved in 30, 60, 90; Storage escalated to SEV-1 after 10. */
const PLANS: Plan[] = [
  { id: 'cart', title: 'Cart errors', start: T0, severity: 'SEV-2', ic: 2, mitigated: 20, resolved: 30, people: ['Iris', 'Bob'], service: { name: 'cart', owner: 'team-web' } },
  { id: 'storage', title: 'Storage full', start: T0 + DAY, severity: 'SEV-2', ic: 4, mitigated: 40, resolved: 60, sev1At: 10, people: ['Iris'], service: { name: 'object-store', owner: 'team-infra' } },
  { id: 'search', title: 'Search slow', start: T0 + 2 * DAY, severity: 'SEV-3', ic: 6, mitigated: 60, resolved: 90, people: ['Bob', 'Carol', 'Dan'], service: { name: 'search', owner: 'team-web' } },
]

const seed = async (plan: Plan) => {
  const { records } = runPlan(plan)
  const people = Object.fromEntries(plan.people.map((name) => [name.toLowerCase(), name]))
  return importArchiveOn(host.url, host.hostToken, archiveFile({ id: plan.id, title: plan.title!, severity: plan.sev1At ? 'SEV-1' : plan.severity, status: 'resolved', createdAt: plan.start }, people, records))
}

test('the Analytics view shows the figures of three incidents, filters them, exports CSV, and a point opens that incident’s replay', async ({ openPage }) => {
  const ids: string[] = []
  for (const plan of PLANS) ids.push((await seed(plan)).id)
  const page = await openPage()
  await openStartPage(page, host)
  const analytics = page.getByRole('region', { name: 'Analytics' })
  await expect(analytics.getByRole('status')).toHaveText('3 incidents, 3 resolved')
  const durations = analytics.getByRole('region', { name: 'Durations' })
  await expect(durations.getByRole('row', { name: /^Time to acknowledge/ })).toHaveText(/MTTA\)\s*4 min\s*6 min\s*4 min\s*3/)
  await expect(durations.getByRole('row', { name: /^Time to mitigate/ })).toHaveText(/MTTM\)\s*40 min\s*1 h\s*40 min\s*3/)
  await expect(durations.getByRole('row', { name: /^Time to resolve/ })).toHaveText(/MTTR\)\s*1 h\s*1 h 30 min\s*1 h\s*3/)
  const severity = analytics.getByRole('region', { name: 'Time in each severity' })
  await expect(severity.getByRole('row', { name: /^SEV-1/ })).toContainText('50 min')
  await expect(severity.getByRole('row', { name: /^SEV-2/ })).toContainText('40 min')
  await expect(severity.getByRole('row', { name: /^SEV-3/ })).toContainText('1 h 30 min')
  const load = analytics.getByRole('region', { name: 'Load per person' })
  await expect(load.getByRole('row', { name: /^Iris/ })).toContainText('1 h 30 min')
  // Each chart is drawn (by Observable Plot) beside its table.
  await expect(analytics.getByRole('img', { name: /Minutes to resolve for each incident/ })).toBeVisible()
  await analytics.screenshot({ path: 'test-results/screens/analytics-1920.png' })
  const { violations } = await new AxeBuilder({ page }).include('.analytics').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])

  // The CSV is the table's numbers.
  const download = page.waitForEvent('download')
  await durations.getByRole('button', { name: 'Export CSV' }).click()
  const file = await (await download).path()
  const csv = await import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8'))
  expect(csv.split('\r\n').slice(0, 2)).toEqual(['measure,median_min,p90_min,mean_min,incidents', 'Time to acknowledge (MTTA),4,6,4,3'])

  // Filters: the highest severity reached, and a team.
  await analytics.getByRole('combobox', { name: 'Severity' }).selectOption('SEV-1')
  await expect(analytics.getByRole('status')).toHaveText('1 incident, 1 resolved')
  await analytics.getByRole('combobox', { name: 'Severity' }).selectOption('')
  await analytics.getByRole('combobox', { name: 'Team' }).selectOption('team-web')
  await expect(analytics.getByRole('status')).toHaveText('2 incidents, 2 resolved')
  await expect(analytics.getByRole('region', { name: 'Incidents' }).getByRole('rowheader')).toHaveText(['Cart errors', 'Search slow'])

  // A point on the chart opens that incident's replay.
  await analytics.getByRole('link', { name: /^Search slow \(SEV-3\): resolved in 1 h 30 min/ }).click()
  await expect(page).toHaveURL(new RegExp(`/replay/${ids[2]}$`))
  await expect(page.getByRole('heading', { name: 'Search slow' })).toBeVisible({ timeout: 15_000 })
})
