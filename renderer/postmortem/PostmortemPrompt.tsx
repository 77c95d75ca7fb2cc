import type * as Y from 'yjs'
import { readMeta } from '../../shared/incident'
import { readPostmortem } from '../../shared/postmortem'
import { useBoard } from '../board/BoardContext'
import { useDocValue } from '../sync/hooks'

/** Resolved, and nobody has started the postmortem yet. */
const waitingForPostmortem = (doc: Y.Doc): boolean => readMeta(doc)?.status === 'resolved' && readPostmortem(doc).generatedAt === undefined

/** Once the incident is resolved, the board asks for the postmortem while memories are fresh. */
export const PostmortemPrompt = () => {
  const { connection, canEdit, open } = useBoard()
  const waiting = useDocValue(connection.doc, waitingForPostmortem)
  if (!canEdit || !waiting) return null
  return (
    <div className="board-prompt" role="status">
      <p>
        <strong>Resolved.</strong> Write the postmortem while everyone remembers: its first draft comes from this timeline.
      </p>
      <button type="button" className="primary" onClick={() => open({ kind: 'postmortem' })}>
        Start the postmortem
      </button>
    </div>
  )
}
