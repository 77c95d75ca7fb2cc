import { useCallback, useState } from 'react'

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
      setError(err instanceof Error ? err.message : String(err))
      return false
    }
  }, [])
  return { error, run, setError }
}

/** Why the last action was refused, announced to screen readers. */
export const FormError = ({ message }: { message: string | undefined }) =>
  message ? (
    <p role="alert" className="form-error">
      {message}
    </p>
  ) : null
