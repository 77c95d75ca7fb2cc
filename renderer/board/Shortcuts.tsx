import { useEffect } from 'react'
import { Dialog } from '../common/Dialog'
import { type OpenDialog, useBoard } from './BoardContext'

const SHORTCUTS: Array<{ keys: string; what: string; editOnly?: boolean }> = [
  { keys: 'T', what: 'New task: title, owner, check-back', editOnly: true },
  { keys: 'R', what: 'Assign or hand over a role', editOnly: true },
  { keys: 'P', what: 'People on the incident, sub-teams' },
  { keys: 'U', what: 'Stakeholder updates: drafts, approval, publishing' },
  { keys: 'Ctrl+Enter', what: 'In an update draft: publish it', editOnly: true },
  { keys: '/', what: 'Write on the timeline', editOnly: true },
  { keys: '?', what: 'This list' },
  { keys: 'A', what: 'On a focused task of yours: acknowledge', editOnly: true },
  { keys: 'Enter', what: 'On a focused task: open or close it' },
  { keys: 'E / T / S', what: 'On a focused timeline entry: edit text, change time, star', editOnly: true },
  { keys: 'Alt+N/D/A/O', what: 'In the timeline line: note, decision, action, observation', editOnly: true },
  { keys: 'F11', what: 'Full screen (desktop app)' },
]

const KEYS: Record<string, OpenDialog & { editOnly?: boolean }> = {
  t: { kind: 'task', editOnly: true },
  r: { kind: 'role', editOnly: true },
  p: { kind: 'people' },
  u: { kind: 'updates' },
  '?': { kind: 'help' },
}

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

/** The IC drives with single keys; they never fire while someone types or a dialog is open. */
export const useShortcuts = (dialogOpen: boolean): void => {
  const { canEdit, open } = useBoard()
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (dialogOpen || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return
      const action = KEYS[e.key.toLowerCase()] ?? KEYS[e.key]
      if (!action || (action.editOnly && !canEdit)) return
      // Task rows use A and Enter themselves; the board keys are global.
      e.preventDefault()
      const { editOnly: _, ...dialog } = action
      open(dialog)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [dialogOpen, canEdit, open])
}

export const ShortcutsDialog = ({ onClose }: { onClose: () => void }) => {
  const { canEdit } = useBoard()
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.filter((s) => canEdit || !s.editOnly).map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  )
}
