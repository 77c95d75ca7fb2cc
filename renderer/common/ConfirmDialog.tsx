import { type ReactNode, useState } from 'react'
import { Dialog } from './Dialog'
import { FormError, errorMessage } from './useAction'

/**
 * Ask before something that cannot be taken back (revoke, end): what it does,
 * "Keep it" (focused first) and the action. `onConfirm` does it; if it fails,
 * its reason shows here and the dialog stays open.
 */
export const ConfirmDialog = ({
  title,
  confirm,
  onConfirm,
  onClose,
  children,
}: {
  title: string
  /** The action button's words: "Revoke Prometheus". */
  confirm: string
  onConfirm: () => Promise<void>
  onClose: () => void
  children: ReactNode
}) => {
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const run = (): void => {
    setBusy(true)
    onConfirm().catch((e: unknown) => {
      setError(errorMessage(e))
      setBusy(false)
    })
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="dialog-form">
        {children}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Keep it
          </button>
          <button type="button" className="danger" onClick={run} disabled={busy}>
            {confirm}
          </button>
        </div>
      </div>
    </Dialog>
  )
}
