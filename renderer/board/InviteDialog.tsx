import { useState } from 'react'
import { ApiError, type Invites, fetchInvites, reissueInvites } from '../app/api'
import { hostToken } from '../app/session'
import { CopyField } from '../common/CopyField'
import { Dialog } from '../common/Dialog'
import { FormError } from '../common/useAction'
import { describeGathering, readGathering } from '../../shared/gathering'
import { readMeta } from '../../shared/incident'
import { useDocValue } from '../sync/hooks'
import { useBoard } from './BoardContext'
import './dialogs.css'

/** The IC's "bring people in": responders (edit), internal observers (read-only board), stakeholders (status page only). */
export const InviteButton = ({ incidentId }: { incidentId: string }) => {
  const [shown, setShown] = useState(false)
  const [invites, setInvites] = useState<Invites>()
  const [error, setError] = useState<string>()
  /** The host cannot show this incident's links again (its seal key was lost): it can issue new ones. */
  const [canReissue, setCanReissue] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const { connection } = useBoard()
  const meet = describeGathering(useDocValue(connection.doc, readGathering))
  const title = useDocValue(connection.doc, readMeta)?.title ?? incidentId

  const load = async (fetch: typeof fetchInvites): Promise<void> => {
    setError(undefined)
    setInvites(undefined)
    setConfirming(false)
    try {
      const token = await hostToken()
      if (!token) throw new Error('Only the host can hand out invite links.')
      setInvites(await fetch(incidentId, token))
      setCanReissue(false)
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
      // Issuing may be tried again (a full disk); showing the old links cannot.
      if (err instanceof ApiError && err.status === 409) setCanReissue(true)
    }
  }

  const open = (): void => {
    setShown(true)
    setCanReissue(false)
    void load(fetchInvites)
  }

  return (
    <>
      <button type="button" onClick={open}>
        Invite
      </button>
      {shown && (
        <Dialog title="Invite people to this incident" onClose={() => setShown(false)}>
          <FormError message={error} />
          {canReissue && !confirming && (
            <button type="button" className="primary" onClick={() => setConfirming(true)}>
              Issue new links…
            </button>
          )}
          {canReissue && confirming && (
            <div role="group" aria-labelledby="reissue-warning">
              <p id="reissue-warning">
                Everyone's current links stop working: people on the board now stay until they reconnect, then need a new link. The status page link changes too.
              </p>
              <button type="button" className="primary" onClick={() => void load(reissueInvites)}>
                Issue new links
              </button>{' '}
              <button type="button" onClick={() => setConfirming(false)}>
                Keep the old links
              </button>
            </div>
          )}
          {!error && !invites && <p role="status">Loading links…</p>}
          {invites && (
            <>
              <CopyField label="Responder link (can edit)" value={invites.links.edit} hint="For responders, the scribe and the liaison: they see and change the board." />
              <CopyField
                label="Invitation for responders"
                value={`Join the incident "${title}": ${invites.links.edit}${meet ? ` · ${meet}` : ''}`}
                hint={meet ? 'The responder link with where we meet, to paste into chat or a page.' : 'The responder link, to paste into chat or a page. Set a bridge and chat in People and they are included.'}
              />
              <CopyField label="Internal read-only board" value={invites.links.view} hint="For colleagues inside the company who follow along: the whole board (tasks, people, timeline), and no way to change it." />
              <CopyField
                label="Status page link"
                value={invites.links.statusPage}
                hint="For customers, executives and other stakeholders: only the published updates, affected services and the next update time; its token opens nothing else. Works in any browser, refreshes itself."
              />
            </>
          )}
        </Dialog>
      )}
    </>
  )
}
