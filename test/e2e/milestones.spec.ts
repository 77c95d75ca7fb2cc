import type { Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { entry, expect, joinAsHost, joinBoard, pick, snapshot, test } from './board'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

/** Its name is what it shows; its description, the whole lifecycle as a screen reader hears it. */
const strip = (page: Page) => page.getByRole('button', { name: /^Milestones: / })
const pad = (n: number) => String(n).padStart(2, '0')
const localInput = (at: number) => {
  const d = new Date(at)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
const clock = (at: number) => {
  const d = new Date(at)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

test('the IC corrects when the incident was detected, with a reason; the header strip, the timeline and the severity history follow; a responder may not', async ({ openPage }) => {
  const { id, links } = await host.createIncident('Checkout failing for card payments', 'SEV-2')
  const ic = await openPage()
  await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')
  const bob = await openPage({ viewport: { width: 1280, height: 720 } })
  await joinBoard(bob, links.edit, 'Bob')

  // Declared, so detected then; no IC yet, so not acknowledged.
  await expect(strip(ic)).toHaveAccessibleDescription(/Detected \d\d:\d\d:\d\d; Declared \d\d:\d\d:\d\d; Acknowledged: not yet; IC assigned: not yet; Mitigated: not yet; Resolved: not yet$/)
  await ic.keyboard.press('r')
  await ic.getByRole('radio', { name: 'Incident Commander' }).check()
  await pick(ic, 'Who takes it', 'Iris')
  await ic.getByRole('button', { name: 'Assign Incident Commander' }).click()
  // Taking command acknowledges it, and the timeline marks where.
  await expect(strip(bob)).toHaveAccessibleDescription(/Acknowledged \d\d:\d\d:\d\d(, \d+ s later)?; IC assigned/)
  await expect(entry(bob, 'Incident Commander: — → Iris')).toContainText('◆ Ack · IC')

  // M: the milestones. Detected came from the declaration; Iris moves it 7 minutes earlier.
  await ic.keyboard.press('m')
  const dialog = ic.getByRole('dialog', { name: 'Milestones' })
  const lifecycle = dialog.getByRole('table', { name: 'Lifecycle' })
  await expect(lifecycle.getByRole('row', { name: /^Detected/ })).toContainText('the declaration')
  await lifecycle.getByRole('button', { name: 'Correct Detected' }).click()
  const form = dialog.getByRole('form', { name: 'Correct Detected' })
  const when = form.getByLabel(/Detected, when it happened/)
  const shown = new Date(await when.inputValue()).getTime()
  const earlier = shown - 7 * 60_000
  await when.fill(localInput(earlier))
  // No reason, no change.
  await form.getByRole('button', { name: 'Save detected' }).click()
  await expect(form.getByRole('alert')).toContainText('Say why')
  await form.getByLabel('Why (goes on the timeline)').fill('First 5xx in the load balancer logs')
  await form.getByRole('button', { name: 'Save detected' }).click()
  await expect(form).toHaveCount(0)
  await expect(lifecycle.getByRole('row', { name: /^Detected/ })).toContainText(clock(earlier))
  await expect(lifecycle.getByRole('row', { name: /^Detected/ })).toContainText('recorded')
  // Nobody said when impact began.
  await expect(dialog.getByRole('definition').first()).toHaveText(/^—$/)
  // Acknowledged 7 minutes and a few seconds after detection.
  await expect(dialog.getByText('Time to acknowledge').locator('xpath=..')).toContainText(/7 min/)
  const { violations } = await new AxeBuilder({ page: ic }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
  await snapshot(ic, 'milestones-dialog-1920')
  await ic.keyboard.press('Escape')
  const correction = entry(bob, `Detected: ${clock(shown)} → ${clock(earlier)} (First 5xx in the load balancer logs)`)
  await expect(correction).toContainText('◆ Detected')

  // Severity up, then mitigated: the strip and the severity history follow.
  await ic.getByRole('combobox', { name: 'Severity' }).selectOption('SEV-1')
  await ic.getByRole('combobox', { name: 'Incident status' }).selectOption('monitoring')
  await expect(strip(bob)).toHaveAccessibleDescription(/Mitigated \d\d:\d\d:\d\d, \d+ (s|min) later; Resolved: not yet$/)
  await expect(entry(bob, 'Status investigating → monitoring')).toContainText('◆ Mitigated')
  await snapshot(ic, 'milestones-header-1920')
  await snapshot(bob, 'milestones-header-1280')
  await bob.keyboard.press('m')
  const severities = bob.getByRole('dialog', { name: 'Milestones' }).getByRole('table', { name: 'Severity history' })
  await expect(severities.getByRole('row')).toHaveCount(3)
  await expect(severities.getByRole('row').nth(1)).toContainText('SEV-2')
  await expect(severities.getByRole('row').nth(2)).toContainText(/SEV-1.*now/)

  // Bob holds no IC or scribe role: his correction is refused, and nothing changes.
  await bob.getByRole('button', { name: 'Correct Mitigated' }).click()
  const bobForm = bob.getByRole('form', { name: 'Correct Mitigated' })
  await bobForm.getByLabel('Why (goes on the timeline)').fill('I think it was earlier')
  await bobForm.getByRole('button', { name: 'Save mitigated' }).click()
  await expect(bobForm.getByRole('alert')).toContainText('Only the incident commander or the scribe corrects milestones.')
  await expect(entry(ic, 'I think it was earlier')).toHaveCount(0)
})
