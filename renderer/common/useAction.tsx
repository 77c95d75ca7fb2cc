import { useCallback, useState } from 'react'

/** What went wrong, as a sentence to show (an ApiError's message is the host's). */
export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/**
 * Run a domain mutation from a control and keep its refusal ("A task needs a
 * title.") to show next to it. Returns whether it went through.
 */
export const useAction = (): { error: string | undefined; run: (fn: () => void) => boolean; setError: (message: string | undefined) => void } => {
  const [error, setError] = useState<string>()
  const run = useCallback((fn: () => void): boolean => {
    try {
      fn()
      setError(undefined)
      return true
    } catch (err) {
      setError(errorMessage(err))
      return false
    }
  }, [])
  return { error, run, setError }
}

/**
 * The same for an action that waits on the host: `busy` while it runs, its
 * refusal kept to show. `run` says whether it went through.
 */
export const useAsyncAction = (): { error: string | undefined; busy: boolean; run: (fn: () => Promise<void>) => Promise<boolean>; setError: (message: string | undefined) => void } => {
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const run = useCallback(async (fn: () => Promise<void>): Promise<boolean> => {
    setBusy(true)
    try {
      await fn()
      setError(undefined)
      return true
    } catch (err) {
      setError(errorMessage(err))
      return false
    } finally {
      setBusy(false)
    }
  }, [])
  return { error, busy, run, setError }
}

/** Why the last action was refused, announced to screen readers. */
export const FormError = ({ message }: { message: string | undefined }) =>
  message ? (
    <p role="alert" className="form-error">
      {message}
    </p>
  ) : null
