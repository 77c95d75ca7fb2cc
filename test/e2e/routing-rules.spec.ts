// Routing rules and silences on the start page (#13): the IC writes a rule
// that declares what the defaults would hold for triage, then silences alerts
// by their labels from the Silences card and ends the silence.
import { type Batch, alertFixture, postBatch as post } from './alert-batches'
import { type E2eHost, disposeE2eHost, hostApi, openStartPage, startE2eHost } from './host'
import { expect, snapshot, test } from './board'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

/** The ProbeFailure batch as a warning (which the defaults hold for triage) with other labels and its own fingerprint and group. */
const relabelled = async (labels: Record<string, string>, summary: string, fingerprint: string): Promise<Batch> => {
  const batch = await alertFixture('alertmanager-webhook-v4-firing.json')
  const merged: Record<string, string> = { ...batch.commonLabels, severity: 'warning', ...labels }
  return {
    ...batch,
    alerts: batch.alerts.map((a) => ({ ...a, labels: merged, annotations: { ...a.annotations, summary }, fingerprint })),
    commonLabels: merged,
    groupKey: `{}:{alertname="${merged.alertname}",fp="${fingerprint}"}`,
  }
}

const api = (path: string, init: { method?: string; body?: unknown } = {}) => hostApi(host, path, init)

test('the IC routes QueueBacklog to a SEV-3 incident with a rule, then silences DiskFull by labels and ends the silence', async ({ openPage }) => {
  const created = await api('/api/integrations', { method: 'POST', body: { name: 'Prometheus', kind: 'alertmanager' } })
  expect(created.status).toBe(201)
  const url = created.body.url as string

  const ic = await openPage({ viewport: { width: 1920, height: 1080 } })
  await openStartPage(ic, host)
  const prometheus = ic.getByRole('region', { name: 'Alert integrations' }).getByRole('listitem', { name: 'Prometheus' })
  const routing = prometheus.getByRole('region', { name: 'Routing of Prometheus' })
  // With no rule, the defaults are said.
  await expect(routing).toContainText('no rules: the defaults apply')
  await expect(routing).toContainText('Every alert goes by the defaults: an alert labelled severity=critical declares a SEV-2; everything else waits in the inbox.')
  await routing.getByRole('button', { name: 'Edit routing rules of Prometheus' }).click()

  // What is wrong with the labels is said before anything is sent.
  const form = routing.getByRole('form', { name: 'Add a rule to Prometheus' })
  const labels = form.getByLabel('Labels to match')
  await labels.fill('alertname QueueBacklog')
  await form.getByRole('button', { name: 'Add rule' }).click()
  await expect(form.getByRole('alert')).toHaveText('Labels to match: “alertname QueueBacklog” is not name=value.')
  await labels.fill('alertname=QueueBacklog, env=prod*')
  await form.getByRole('button', { name: 'Add rule' }).click()
  await expect(form.getByRole('alert')).toContainText('env=prod*: * matches any value only on its own (env=*)')

  // Two rules, by keyboard as much as by mouse: the second is moved above the first, then back, then removed.
  await labels.fill('alertname=QueueBacklog\nenv=*')
  await form.getByLabel('Action').selectOption('declare')
  await form.getByLabel('Severity').selectOption('SEV-3')
  await form.getByLabel('Service (optional)').fill('orders-db')
  await form.getByRole('button', { name: 'Add rule' }).click()
  await expect(form.getByRole('alert')).toHaveCount(0)
  await labels.fill('team=payments')
  await form.getByLabel('Action').selectOption('triage')
  await form.getByLabel('Severity').selectOption('')
  await form.getByLabel('Service (optional)').fill('')
  await labels.press('Tab')
  await ic.keyboard.press('Tab')
  await ic.keyboard.press('Tab')
  await ic.keyboard.press('Tab')
  await expect(form.getByRole('button', { name: 'Add rule' })).toBeFocused()
  await ic.keyboard.press('Enter')
  const rules = routing.getByRole('list', { name: 'Routing rules of Prometheus' }).getByRole('listitem')
  await expect(rules).toHaveText([/alertname=QueueBacklog, env=\* → declare SEV-3 about orders-db/, /team=payments → hold in the inbox for triage/])
  await expect(routing.getByRole('status')).toHaveText('Added rule 2: team=payments → hold in the inbox for triage. Not saved yet.')
  await routing.getByRole('button', { name: 'Move up rule 2' }).click()
  await expect(rules).toHaveText([/^1\.team=payments/, /^2\.alertname=QueueBacklog/])
  // Focus follows the moved rule: Enter moves it back down.
  await expect(routing.getByRole('button', { name: 'Move down rule 1' })).toBeFocused()
  await ic.keyboard.press('Enter')
  await expect(rules).toHaveText([/^1\.alertname=QueueBacklog/, /^2\.team=payments/])
  await routing.getByRole('button', { name: 'Remove rule 2' }).click()
  await expect(rules).toHaveCount(1)
  await expect(routing.getByRole('status')).toHaveText('Removed rule 2 (team=payments). Not saved yet.')
  await routing.getByLabel('Grouping window (minutes) of Prometheus').fill('10')
  await routing.scrollIntoViewIfNeeded()
  await snapshot(ic, 'routing-rules-editing-1920x1080')
  await ic.setViewportSize({ width: 1366, height: 768 })
  await routing.scrollIntoViewIfNeeded()
  await snapshot(ic, 'routing-rules-editing-1366x768')

  // A window the host refuses is said, naming the field; then a good one saves with one PUT.
  await routing.getByLabel('Grouping window (minutes) of Prometheus').fill('0')
  await routing.getByRole('button', { name: 'Save routing of Prometheus' }).click()
  await expect(routing.getByRole('alert')).toHaveText('Grouping window: a whole number of minutes from 1 to 240.')
  await routing.getByLabel('Grouping window (minutes) of Prometheus').fill('10')
  await routing.getByRole('button', { name: 'Save routing of Prometheus' }).click()
  await expect(routing.getByRole('status')).toHaveText('Saved: 1 rule, grouped within 10 min. The next alert is routed by them.')
  await expect(routing.getByRole('button', { name: 'Edit routing rules of Prometheus' })).toBeVisible()
  await expect(rules).toHaveText([/alertname=QueueBacklog, env=\* → declare SEV-3 about orders-db/])
  await expect(routing).toContainText('An alert no rule matches goes by the defaults')
  await expect(prometheus).toContainText('grouped within 10 min')
  const { integrations } = (await api('/api/integrations')).body as { integrations: Array<{ rules: unknown[]; windowMinutes: number }> }
  expect(integrations[0]).toMatchObject({ windowMinutes: 10, rules: [{ match: { alertname: 'QueueBacklog', env: '*' }, action: 'declare', severity: 'SEV-3', service: 'orders-db' }] })

  // A warning the defaults would hold for triage: the rule declares it at SEV-3.
  const backlog = await relabelled({ alertname: 'QueueBacklog', env: 'prod' }, 'Orders queue backlog over 10,000', 'aa00000000000001')
  expect((await post(url, backlog)).status).toBe(200)
  const [declared] = (await api('/api/alerts?route=incident')).body.alerts as Array<{ incidentId: string }>
  expect(declared?.incidentId).toBeDefined()
  expect((await api('/api/alerts?route=triage')).body.alerts).toEqual([])
  await ic.reload()
  const incident = ic.getByRole('list', { name: 'Incidents' }).getByRole('listitem').filter({ hasText: 'Orders queue backlog over 10,000' })
  await expect(incident).toContainText('SEV-3')

  // A DiskFull warning waits in the inbox; the IC silences DiskFull by its labels from the Silences card.
  const inbox = ic.getByRole('region', { name: 'Alert inbox' })
  const diskFull = await relabelled({ alertname: 'DiskFull', env: 'staging' }, 'Disk full on staging-db-1', 'bb00000000000001')
  expect((await post(url, diskFull)).status).toBe(200)
  await expect(inbox.getByRole('article', { name: 'Disk full on staging-db-1' })).toBeVisible()
  const silences = ic.getByRole('region', { name: 'Silences' })
  await expect(silences).toContainText('No silence is running: every alert is routed.')
  const silenceForm = silences.getByRole('form', { name: 'Silence by labels' })
  await silenceForm.getByRole('button', { name: 'Silence matching alerts' }).click()
  await expect(silenceForm.getByRole('alert')).toHaveText('Labels to silence: Give at least one label to match, as name=value.')
  await silenceForm.getByLabel('Labels to silence').fill('alertname=DiskFull, env=staging')
  await silenceForm.getByLabel('Integration').selectOption({ label: 'Prometheus' })
  await silenceForm.getByRole('radio', { name: 'Other' }).check()
  await silenceForm.getByLabel('Minutes').fill('90')
  await silenceForm.getByLabel('Reason (shown with the silence)').fill('Staging disks are being resized')
  await silenceForm.getByRole('button', { name: 'Silence matching alerts' }).click()
  await expect(silences.getByRole('status').filter({ hasText: 'Silenced' })).toHaveText(
    'Silenced alertname=DiskFull, env=staging for 90 minutes: took 1 alert out of the inbox.',
  )
  await expect(inbox.getByRole('article', { name: 'Disk full on staging-db-1' })).toHaveCount(0)
  const running = silences.getByRole('list', { name: 'Running silences' }).getByRole('listitem', { name: 'alertname=DiskFull, env=staging' })
  // After 22:30 the silence ends tomorrow, and the time says so with its date.
  await expect(running).toContainText(/From Prometheus · until (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d \(1 h (29|30) left\)/)
  await expect(running).toContainText('“Staging disks are being resized” — set by host under a minute ago')

  // Another DiskFull on staging stays out of the inbox: the host holds it as silenced.
  const again = await relabelled({ alertname: 'DiskFull', env: 'staging', instance: 'staging-db-2' }, 'Disk full on staging-db-2', 'bb00000000000002')
  expect((await post(url, again)).status).toBe(200)
  const silenced = (await api('/api/alerts?route=silenced')).body.alerts as Array<{ summary: string }>
  expect(silenced.map((a) => a.summary).sort()).toEqual(['Disk full on staging-db-1', 'Disk full on staging-db-2'])
  expect((await api('/api/alerts?route=triage')).body.alerts).toEqual([])
  await expect(inbox.getByRole('status').filter({ hasText: 'Nothing waiting' })).toBeVisible()
  await silences.scrollIntoViewIfNeeded()
  await snapshot(ic, 'silences-running-1366x768')
  await ic.setViewportSize({ width: 1920, height: 1080 })
  await silences.scrollIntoViewIfNeeded()
  await snapshot(ic, 'silences-running-1920x1080')

  // End it, after confirming: it moves to the ended ones.
  await running.getByRole('button', { name: 'End now (alertname=DiskFull, env=staging)' }).click()
  const confirm = ic.getByRole('dialog', { name: 'End this silence?' })
  await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused()
  await snapshot(ic, 'silences-end-1920x1080')
  await confirm.getByRole('button', { name: 'End silence' }).click()
  await expect(silences.getByRole('status').filter({ hasText: 'Ended' })).toHaveText('Ended the silence of alertname=DiskFull, env=staging: matching alerts are routed again.')
  await expect(running).toHaveCount(0)
  await expect(silences).toContainText('No silence is running: every alert is routed.')
  const ended = silences.getByRole('list', { name: 'Ended silences' }).getByRole('listitem', { name: 'alertname=DiskFull, env=staging' })
  await expect(ended).toContainText('From Prometheus · ended under a minute ago')
  await expect(ended.getByRole('button')).toHaveCount(0)
  const { silences: listed } = (await api('/api/silences')).body as { silences: Array<{ endsAt: number; createdAt: number }> }
  expect(listed).toHaveLength(1)
  expect(listed[0]!.endsAt).toBeLessThan(listed[0]!.createdAt + 90 * 60_000)
  await silences.scrollIntoViewIfNeeded()
  await snapshot(ic, 'silences-ended-1920x1080')
  await ic.setViewportSize({ width: 1366, height: 768 })
  await silences.scrollIntoViewIfNeeded()
  await snapshot(ic, 'silences-ended-1366x768')
})
