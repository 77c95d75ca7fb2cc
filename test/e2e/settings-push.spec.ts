// The host's settings reach open boards without a reload: the host says when
// they changed (its presence entry), and every board fetches them again.
import { DEFAULT_FATIGUE_SETTINGS } from '../../shared/fatigue'
import { DEFAULT_UPDATE_SETTINGS } from '../../shared/update-settings'
import { expect, joinBoard, test } from './board'
import { type E2eHost, disposeE2eHost, startE2eHost } from './host'

let host: E2eHost
test.beforeEach(async () => {
  host = await startE2eHost()
})
test.afterEach(async () => {
  await disposeE2eHost(host)
})

const put = (path: string, body: unknown) =>
  fetch(`${host.url}${path}`, { method: 'PUT', headers: { Authorization: `Bearer ${host.hostToken}` }, body: JSON.stringify(body) })

test('changed update and fatigue settings reach an open board at once', async ({ openPage }) => {
  const { id, editToken } = await host.createIncident('Settings drill', 'SEV-2')
  const responder = await openPage({ viewport: { width: 1366, height: 768 } })
  const fatigueFetches: number[] = []
  responder.on('request', (request) => {
    if (request.url().endsWith('/api/settings/fatigue')) fatigueFetches.push(Date.now())
  })
  await joinBoard(responder, `${host.url}/i/${id}#token=${editToken}`, 'Rosa')
  const customers = responder.getByRole('button', { name: /^Customers/ })
  // The first customer update is due 5 minutes after declaring.
  await expect(customers).toContainText(/0[45]:\d\d/)

  // The host allows 20 minutes instead: the board's clock follows, with no reload.
  const cadence = structuredClone(DEFAULT_UPDATE_SETTINGS.cadence)
  cadence.audiences.customer.firstMinutes = 20
  expect((await put('/api/settings/updates', { ...DEFAULT_UPDATE_SETTINGS, cadence })).status).toBe(200)
  await expect(customers).toContainText(/1[89]:\d\d/, { timeout: 5000 })

  const before = fatigueFetches.length
  expect((await put('/api/settings/fatigue', { ...DEFAULT_FATIGUE_SETTINGS, breakDueMinutes: 45 })).status).toBe(200)
  await expect.poll(() => fatigueFetches.length, { timeout: 5000 }).toBeGreaterThan(before)
})
