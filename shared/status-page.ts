// The stakeholders' status page: HTML that works without JavaScript, and
// refreshes itself when the reader asks it to (a page that reloads on its own
// takes a screen reader's place away: WCAG 2.2.1). The host serves it from its own copies of what was
// published to customers, never drafts, tasks or the timeline; the composer
// renders the same HTML as its preview.
import { PALETTE } from './palette'
import { PUBLIC_STATUS_LABELS } from './templates'
import { type PublishedUpdate, utcTime } from './updates'

export const STATUS_PAGE_REFRESH_SECONDS = 30

/** Every page character that HTML would interpret. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** No script at all; inline styles only. */
export const STATUS_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/**
 * The page's own stylesheet (inline: the CSP allows no other), in the board's
 * palette: the same background, text and status colours as the board's chips.
 */
const STATUS_PAGE_STYLE = `
  body { background: ${PALETTE.bg}; color: ${PALETTE.text}; font: 18px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem; }
  h1 { font-size: 1.8rem; margin: 0 0 1rem; }
  h2 { font-size: 1.3rem; margin-top: 2rem; }
  h3 { font-size: 1.05rem; display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; }
  h4 { margin: .75rem 0 .25rem; font-size: 1rem; color: ${PALETTE.muted}; }
  p { margin: .25rem 0 .75rem; }
  time { color: ${PALETTE.muted}; font-weight: normal; }
  .status { border: 2px solid currentColor; border-radius: 999px; padding: .05rem .7rem; font-weight: 700; }
  .status-investigating { color: ${PALETTE.danger}; }
  .status-identified { color: ${PALETTE.warn}; }
  .status-monitoring { color: ${PALETTE.accent}; }
  .status-resolved { color: ${PALETTE.ok}; }
  .update { border-top: 1px solid ${PALETTE.border}; padding-top: .5rem; }
  .empty, footer { color: ${PALETTE.muted}; }
  a { color: ${PALETTE.accent}; }
  .drill { background: ${PALETTE.warn}; color: ${PALETTE.bg}; padding: .5rem 1rem; border-radius: 6px; font-size: 1.2rem; }
`

const time = (at: number): string => `<time datetime="${new Date(at).toISOString()}">${escapeHtml(`${new Date(at).toISOString().slice(0, 10)} ${utcTime(at)}`)}</time>`

const paragraphs = (text: string): string =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')

const renderUpdate = (update: PublishedUpdate): string => `
<article class="update">
  <h3><span class="status status-${update.publicStatus}">${PUBLIC_STATUS_LABELS[update.publicStatus]}</span> ${time(update.publishedAt)}</h3>
  ${update.sections
    .filter((s) => s.text.trim())
    .map((s) => `<h4>${escapeHtml(s.label)}</h4>${paragraphs(s.text)}`)
    .join('\n  ')}
</article>`

/**
 * `options.refresh`: reload every STATUS_PAGE_REFRESH_SECONDS; `options.link`,
 * the page's own address without the choice (its token in it), for the links
 * that turn refreshing on and off. The composer's preview has neither.
 */
const refreshChoice = ({ refresh, link }: { refresh: boolean; link?: string }): string => {
  if (link === undefined) return ''
  const href = (on: boolean): string => escapeHtml(`${link}${on ? '&refresh=on' : ''}`)
  return refresh
    ? `This page reloads every ${STATUS_PAGE_REFRESH_SECONDS} seconds. <a href="${href(false)}">Stop reloading</a>`
    : `<a href="${href(true)}">Keep this page up to date</a> (it reloads every ${STATUS_PAGE_REFRESH_SECONDS} seconds), or reload it yourself.`
}

export const renderStatusPage = (
  incident: { title: string; drill?: unknown },
  updates: readonly PublishedUpdate[],
  now: number,
  options: { refresh: boolean; link?: string } = { refresh: false },
): string => {
  const published = updates.filter((u) => u.audience === 'customer').sort((a, b) => b.publishedAt - a.publishedAt)
  const latest = published[0]
  const title = latest?.title ?? incident.title
  const next = latest?.nextUpdateAt
  const body = latest
    ? `
<section aria-labelledby="current">
  <h2 id="current">Current status: <span class="status status-${latest.publicStatus}">${PUBLIC_STATUS_LABELS[latest.publicStatus]}</span></h2>
  <p class="services"><strong>Affected:</strong> ${latest.impactedServices.length > 0 ? escapeHtml(latest.impactedServices.join(', ')) : 'no business services named'}</p>
  ${next !== undefined ? `<p class="next"><strong>Next update by</strong> ${time(next)}${next < now ? ' (due)' : ''}</p>` : latest.publicStatus === 'resolved' ? '<p class="next">This incident is resolved.</p>' : ''}
  ${renderUpdate(latest)}
</section>
${
  published.length > 1
    ? `<section aria-labelledby="history"><h2 id="history">Earlier updates</h2>${published.slice(1).map(renderUpdate).join('\n')}</section>`
    : ''
}`
    : `<p class="empty">No update has been published yet.</p>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refresh ? `<meta http-equiv="refresh" content="${STATUS_PAGE_REFRESH_SECONDS}">\n` : ''}<meta name="referrer" content="no-referrer">
<title>${incident.drill ? 'DRILL · ' : ''}${escapeHtml(title)} · Status</title>
<style>${STATUS_PAGE_STYLE}</style>
</head>
<body>
<main>
${incident.drill ? '<p class="drill" role="note"><strong>DRILL</strong>: this is an exercise, not a real incident.</p>\n' : ''}<h1>${escapeHtml(title)}</h1>
${body}
</main>
<footer><p>Times are UTC. ${refreshChoice(options)}</p></footer>
</body>
</html>
`
}
