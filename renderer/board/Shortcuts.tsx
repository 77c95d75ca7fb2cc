import { useEffect, useId } from 'react'
import { desktopBridge } from '../app/bridge'
import { Dialog } from '../common/Dialog'
import { type OpenDialog, useBoard } from './BoardContext'
import { boardKey, keyFacts, shortcutsFor } from './keys'
import './dialogs.css'

/** Board-wide single keys that open a dialog (`/` is the timeline's: it moves focus to its line). */
const DIALOG_KEYS: Record<string, OpenDialog & { editOnly?: boolean }> = {
  t: { kind: 'task', editOnly: true },
  r: { kind: 'role', editOnly: true },
  p: { kind: 'people' },
  u: { kind: 'updates' },
  m: { kind: 'milestones' },
  '?': { kind: 'help' },
}

/**
 * The IC drives with single keys. A focused item (a timeline entry, a task)
 * acts on its own keys first and marks them handled; any other key is the
 * board's. Nothing fires while someone types, composes, or a dialog is open.
 */
export const useShortcuts = (dialogOpen: boolean): void => {
  const { canEdit, open } = useBoard()
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const facts = keyFacts(e)
      const key = boardKey({ ...facts, dialogOpen: facts.dialogOpen || dialogOpen })
      const action = key === undefined ? undefined : DIALOG_KEYS[key]
      if (!action || (action.editOnly && !canEdit)) return
      e.preventDefault()
      const { editOnly: _, ...dialog } = action
      open(dialog)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [dialogOpen, canEdit, open])
}

export const ShortcutsDialog = ({ onClose }: { onClose: () => void }) => {
  const { canEdit, replay } = useBoard()
  const id = useId()
  const groups = shortcutsFor(canEdit, desktopBridge() !== undefined, replay)
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} wide>
      <p className="muted shortcuts-rule">
        A single key acts on the focused entry or task, or the selected service, when it uses that key; otherwise it works anywhere on the board.
        No single key does anything while you type in a field, an input method composes, or a dialog is open.
      </p>
      <div className="shortcuts-groups">
        {groups.map((group, i) => (
          <section key={group.where} className="shortcuts-group">
            <h3 id={`${id}-${i}`}>{group.where}</h3>
            <table className="shortcuts" aria-labelledby={`${id}-${i}`}>
              <tbody>
                {group.keys.map((s) => (
                  <tr key={s.keys}>
                    <th scope="row">
                      <kbd>{s.keys}</kbd>
                    </th>
                    <td>{s.what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Dialog>
  )
}
