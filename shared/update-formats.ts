// A published update as each channel wants it: Markdown, Slack mrkdwn (and
// an incoming-webhook body), or a generic JSON body. Plain text is the
// update's own `text`. Nothing here trusts the text: every format escapes
// what its reader would otherwise interpret.
import { PUBLIC_STATUS_LABELS, AUDIENCE_LABELS } from './templates'
import { type PublishedUpdate, utcTime } from './updates'

type UpdateContent = Omit<PublishedUpdate, 'text'>

/** Backslash-escape Markdown's punctuation so a service called `*prod*` stays literal. */
export const escapeMarkdown = (text: string): string => text.replace(/([\\`*_{}[\]()#+\-.!|<>~])/g, '\\$1')

export const markdown = (update: UpdateContent): string => {
  const lines = [`**${PUBLIC_STATUS_LABELS[update.publicStatus]}**: ${escapeMarkdown(update.title)}`]
  for (const section of update.sections) if (section.text.trim()) lines.push('', `**${escapeMarkdown(section.label)}**`, escapeMarkdown(section.text.trim()))
  if (update.nextUpdateAt !== undefined) lines.push('', `_Next update by ${utcTime(update.nextUpdateAt)}._`)
  return lines.join('\n')
}

/** Slack's three control characters; the rest of mrkdwn is left as typed. */
export const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export const slackMrkdwn = (update: UpdateContent): string => {
  const lines = [`*${PUBLIC_STATUS_LABELS[update.publicStatus]}*: ${escapeSlack(update.title)}`]
  for (const section of update.sections) if (section.text.trim()) lines.push('', `*${escapeSlack(section.label)}*`, escapeSlack(section.text.trim()))
  if (update.nextUpdateAt !== undefined) lines.push('', `_Next update by ${utcTime(update.nextUpdateAt)}._`)
  return lines.join('\n')
}

/** A Slack incoming-webhook body: `text` for notifications, blocks for the message. */
export const slackBody = (update: UpdateContent, drill = false): { text: string; blocks: unknown[] } => ({
  text: `${drill ? 'DRILL · ' : ''}${PUBLIC_STATUS_LABELS[update.publicStatus]}: ${escapeSlack(update.title)}`,
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: slackMrkdwn(update) } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${AUDIENCE_LABELS[update.audience]} update · ${update.severity} · published ${utcTime(update.publishedAt)} by ${escapeSlack(update.author.name)}` }],
    },
  ],
})

/** The generic webhook body: the update as stored, plus the incident it belongs to (and `"drill": true` from a drill). */
export const genericBody = (incidentId: string, update: PublishedUpdate, drill = false) => ({ type: 'update.published', incidentId, ...(drill ? { drill: true } : {}), update })
