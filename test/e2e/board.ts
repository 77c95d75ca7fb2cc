// What a person does on the board, by role and label.
import { type BrowserContextOptions, type Page, test as base, expect } from '@playwright/test'

/** `openPage()`: a new person (their own browser context), closed after the test. */
export const test = base.extend<{ openPage: (options?: BrowserContextOptions) => Promise<Page> }>({
  openPage: async ({ browser }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = []
    await use(async (options) => {
      const context = await browser.newContext(options)
      contexts.push(context)
      return context.newPage()
    })
    await Promise.all(contexts.map((c) => c.close()))
  },
})

export { expect }

export const joinBoard = async (page: Page, link: string, name: string): Promise<void> => {
  await page.goto(link)
  await page.getByLabel('Your name').fill(name)
  await page.getByRole('button', { name: 'Join the board' }).click()
  await expect(connection(page, 'Live')).toBeVisible()
}

/** The IC's browser: the host token for this tab (as the desktop app has it), then the board. */
export const joinAsHost = async (page: Page, hostUrl: string, hostToken: string, incidentId: string, name: string): Promise<void> => {
  await page.addInitScript((token) => localStorage.setItem('warroom.hostToken', token), hostToken)
  await joinBoard(page, `${hostUrl}/i/${incidentId}`, name)
}

export const connection = (page: Page, state: 'Live' | 'Offline' | 'Connecting…') => page.getByRole('status', { name: `Connection: ${state}` })

export const timeline = (page: Page) => page.getByRole('log', { name: 'Timeline' })

export const entry = (page: Page, text: string | RegExp) => timeline(page).getByRole('listitem').filter({ hasText: text })

export const addEntry = async (page: Page, text: string): Promise<void> => {
  const input = page.getByLabel('New timeline entry')
  await input.fill(text)
  await input.press('Enter')
  await expect(input).toHaveValue('')
}

/** Saved where a person can look at it; CI keeps test-results/. */
export const snapshot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png` })

/** Choose someone in a person picker: type, then click their suggestion. */
export const pick = async (page: Page, label: string, name: string): Promise<void> => {
  await page.getByRole('combobox', { name: label }).fill(name)
  await page.getByRole('listbox', { name: `${label}: suggestions` }).getByRole('option', { name: new RegExp(`^${name}`) }).click()
}

/** An incident title of the longest length allowed (200 characters), as a real one reads. */
export const LONGEST_TITLE =
  'Checkout, payments and the artist portal failing for EU and US customers after the pricing-service 2.31 deploy: card authorisations time out at the gateway, retries flood the order queue, refunds stop'

/** A service's node on the graph, by its name (its accessible name starts "<name>,"). */
export const service = (page: Page, name: string) => page.getByRole('group', { name: new RegExp(`^${name},`) })
