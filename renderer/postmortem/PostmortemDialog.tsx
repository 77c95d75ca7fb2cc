import { useState } from 'react'
import { formatDay, toDateTimeLocal } from '../../shared/clock'
import { readMeta } from '../../shared/incident'
import { readPeople } from '../../shared/people'
import {
  POSTMORTEM_STATUSES,
  POSTMORTEM_STATUS_LABELS,
  generatePostmortem,
  meetingDueBy,
  postmortemMarkdown,
  readPostmortem,
  setPostmortemMeeting,
  setPostmortemOwner,
  setPostmortemReviewers,
  setPostmortemStatus,
} from '../../shared/postmortem'
import { navigate } from '../app/router'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { Picker } from '../common/Picker'
import { saveFile } from '../common/download'
import { FormError, useAction } from '../common/useAction'
import { useDocValue } from '../sync/hooks'
import { FollowUps } from './FollowUps'
import { PostmortemEditor } from './PostmortemEditor'
import './postmortem.css'

/**
 * The incident's postmortem: its owner, meeting, reviewers and status, and the
 * text everyone on the incident writes together. "Generate draft" fills the
 * template from the record; again later, it refreshes only what nobody edited.
 */
export const PostmortemDialog = ({ onClose }: { onClose: () => void }) => {
  const { connection, canEdit } = useBoard()
  const { doc } = connection
  const meta = useDocValue(doc, readMeta)
  const pm = useDocValue(doc, readPostmortem)
  const people = useDocValue(doc, readPeople)
  const { error, run } = useAction()
  const [notice, setNotice] = useState('')
  const everyone = [...people.values()].map((p) => ({ id: p.id, name: p.name }))
  const resolvedAt = meta?.milestones.resolvedAt
  const generate = (): void => {
    run(() => {
      const { refreshed, kept } = generatePostmortem(doc, connection.change(), Intl.DateTimeFormat().resolvedOptions().timeZone)
      setNotice(kept.length === 0 ? `Draft written: ${refreshed.length} sections.` : `${refreshed.length} sections refreshed; kept as edited: ${kept.join(', ')}.`)
    })
  }
  return (
    <Dialog title="Postmortem" onClose={onClose} wide>
      <div className="postmortem-facts">
        <label>
          Status
          <select value={pm.status} disabled={!canEdit} onChange={(e) => run(() => setPostmortemStatus(doc, connection.change(), e.target.value as (typeof POSTMORTEM_STATUSES)[number]))}>
            {POSTMORTEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {POSTMORTEM_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <Picker label="Owner" people={everyone} value={pm.ownerId} onChange={(id) => id && run(() => setPostmortemOwner(doc, connection.change(), id))} />
        <label>
          Meeting
          <input
            type="datetime-local"
            disabled={!canEdit}
            value={pm.meetingAt === undefined ? '' : toDateTimeLocal(pm.meetingAt).slice(0, 16)}
            onChange={(e) => run(() => setPostmortemMeeting(doc, connection.change(), e.target.value ? new Date(e.target.value).getTime() : null))}
          />
          <span className="muted">{resolvedAt ? `Due by ${formatDay(meetingDueBy(resolvedAt))}: within 5 business days` : 'Due within 5 business days of the resolution'}</span>
        </label>
        <fieldset className="postmortem-reviewers">
          <legend>Reviewers</legend>
          {everyone.length === 0 && <span className="muted">Nobody has joined the board.</span>}
          {everyone.map((p) => (
            <label key={p.id}>
              <input
                type="checkbox"
                disabled={!canEdit}
                checked={pm.reviewerIds.includes(p.id)}
                onChange={(e) => run(() => setPostmortemReviewers(doc, connection.change(), e.target.checked ? [...pm.reviewerIds, p.id] : pm.reviewerIds.filter((r) => r !== p.id)))}
              />
              {p.name}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="postmortem-actions">
        {canEdit && (
          <button type="button" className="primary" onClick={generate}>
            {pm.generatedAt === undefined ? 'Generate draft' : 'Regenerate draft'}
          </button>
        )}
        <button type="button" onClick={() => saveFile(`postmortem-${meta?.id ?? 'incident'}.md`, postmortemMarkdown(doc), 'text/markdown')}>
          Download Markdown
        </button>
        <button type="button" onClick={() => meta && navigate(`/postmortem/${meta.id}`)}>
          Print or save as PDF
        </button>
        <p className="muted" role="status">
          {notice}
        </p>
      </div>
      <FormError message={error} />
      <PostmortemEditor connection={connection} />
      <FollowUps />
    </Dialog>
  )
}
