import type { Page } from '@playwright/test'

/**
 * Records what a screen reader would be told: each time a live region's text
 * changes to something new (a region marked aria-live, or role status, alert
 * or log, unless aria-live="off"), that text, in order.
 */
export const recordAnnouncements = async (page: Page): Promise<void> => {
  await page.addInitScript(() => {
    const said: string[] = []
    ;(window as unknown as { announcements: string[] }).announcements = said
    const LIVE = '[aria-live], [role="status"], [role="alert"], [role="log"]'
    const last = new WeakMap<Element, string>()
    const observer = new MutationObserver((mutations) => {
      const regions = new Set<Element>()
      for (const m of mutations) {
        const region = (m.target instanceof Element ? m.target : m.target.parentElement)?.closest(LIVE)
        if (region && region.getAttribute('aria-live') !== 'off') regions.add(region)
      }
      for (const region of regions) {
        const text = region.textContent?.trim() ?? ''
        if (text !== '' && last.get(region) !== text) said.push(text)
        last.set(region, text)
      }
    })
    document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { subtree: true, childList: true, characterData: true }))
  })
}

/** How many announcements began with this text. */
export const timesAnnounced = (page: Page, text: string): Promise<number> =>
  page.evaluate((wanted) => (window as unknown as { announcements: string[] }).announcements.filter((t) => t.startsWith(wanted)).length, text)
