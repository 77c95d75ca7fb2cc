import { type FormEvent, useState } from 'react'
import { type Gathering, isEmptyGathering, readGathering, setGathering } from '../../shared/gathering'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import { useDocValue } from '../sync/hooks'
import { useBoard } from './BoardContext'
import './gathering.css'

/** In the header, once set: where to meet, one click away (set from People, or here once set). */
export const MeetingPlace = () => {
  const { connection, canEdit, open } = useBoard()
  const place = useDocValue(connection.doc, readGathering)
  if (isEmptyGathering(place)) return null
  return (
    <span className="meeting-place">
      {place.bridgeUrl && (
        <a href={place.bridgeUrl} target="_blank" rel="noopener noreferrer" title={place.bridgeUrl}>
          Bridge{place.bridgePin && <span className="meeting-pin"> · PIN {place.bridgePin}</span>}
        </a>
      )}
      {place.chatUrl ? (
        <a href={place.chatUrl} target="_blank" rel="noopener noreferrer" title={place.chatUrl}>
          {place.chatName ?? 'Chat'}
        </a>
      ) : (
        place.chatName && <span>{place.chatName}</span>
      )}
      {canEdit && (
        <button type="button" aria-label="Edit bridge and chat" onClick={() => open({ kind: 'gathering' })}>
          Edit
        </button>
      )}
    </span>
  )
}

const FIELDS: Array<{ key: keyof Gathering; label: string; placeholder: string }> = [
  { key: 'bridgeUrl', label: 'Bridge (video or phone link)', placeholder: 'https://meet.example.com/inc-checkout or tel:+44…' },
  { key: 'bridgePin', label: 'PIN', placeholder: '4411 #' },
  { key: 'chatName', label: 'Chat channel', placeholder: '#inc-checkout' },
  { key: 'chatUrl', label: 'Chat link', placeholder: 'https://chat.example.com/…' },
]

/** Set or change the bridge and chat; the timeline records it, pages and invites carry it. */
export const GatheringDialog = ({ onClose }: { onClose: () => void }) => {
  const { connection } = useBoard()
  const current = useDocValue(connection.doc, readGathering)
  const [draft, setDraft] = useState<Gathering>(current)
  const { error, run } = useAction()
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (run(() => setGathering(connection.doc, connection.change(), draft))) onClose()
  }
  return (
    <Dialog title="Where we meet" onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <input value={draft[f.key] ?? ''} placeholder={f.placeholder} onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })} />
          </label>
        ))}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  )
}
