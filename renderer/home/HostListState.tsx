import { PaneState } from '../common/PaneState'
import { FormError } from '../common/useAction'
import type { HostList } from './useHostList'

/**
 * A host list's loading and error states (what: "the inbox"): loading, could
 * not load (try again), or could not refresh while the last list stays shown.
 * Nothing once it has a list and no error.
 */
export const HostListState = ({ load, what, onRetry }: { load: HostList<unknown>; what: string; onRetry: () => void }) => {
  if (load.state === 'loading') return <PaneState kind="loading" title={`Loading ${what}…`} />
  if (load.state === 'ready') return null
  if (load.items) return <FormError message={`Could not refresh ${what}. ${load.message} It shows what it last had.`} />
  return (
    <PaneState kind="error" title={`${what.charAt(0).toUpperCase()}${what.slice(1)} could not be loaded`}>
      <p>{load.message}</p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </PaneState>
  )
}
