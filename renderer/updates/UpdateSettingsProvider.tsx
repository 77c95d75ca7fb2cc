import { type ReactNode, createContext, useCallback, useContext } from 'react'
import { DEFAULT_UPDATE_SETTINGS, type PublicUpdateSettings } from '../../shared/update-settings'
import { fetchUpdateSettings } from '../app/api'
import type { BoardConnection } from '../sync/board-connection'
import { readSettingsAt } from '../../shared/host-status'
import { useAwarenessValue } from '../sync/hooks'
import { useHostValue } from '../sync/useHostValue'

const FALLBACK: PublicUpdateSettings = { ...DEFAULT_UPDATE_SETTINGS, channels: [] }

const Settings = createContext<PublicUpdateSettings>(FALLBACK)

/** The host's templates, cadence, approval rule and channels, for the whole board: fetched again the moment the host says they changed. */
export const UpdateSettingsProvider = ({ connection, children }: { connection: BoardConnection; children: ReactNode }) => {
  const settingsAt = useAwarenessValue(connection, readSettingsAt)
  const settings = useHostValue(
    // settingsAt is in the dependencies only to fetch again when it moves.
    useCallback(() => fetchUpdateSettings(connection.token), [connection, settingsAt]),
    FALLBACK,
  )
  return <Settings.Provider value={settings}>{children}</Settings.Provider>
}

export const useUpdateSettings = (): PublicUpdateSettings => useContext(Settings)
