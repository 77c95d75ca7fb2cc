import { type ReactNode, createContext, useCallback, useContext } from 'react'
import { DEFAULT_UPDATE_SETTINGS, type PublicUpdateSettings } from '../../shared/update-settings'
import { fetchUpdateSettings } from '../app/api'
import type { IncidentConnection } from '../sync/connection'
import { useHostValue } from '../sync/useHostValue'

const FALLBACK: PublicUpdateSettings = { ...DEFAULT_UPDATE_SETTINGS, channels: [] }

const Settings = createContext<PublicUpdateSettings>(FALLBACK)

/** The host's templates, cadence, approval rule and channels, for the whole board. */
export const UpdateSettingsProvider = ({ connection, children }: { connection: IncidentConnection; children: ReactNode }) => {
  const settings = useHostValue(
    useCallback(() => fetchUpdateSettings(connection.token), [connection]),
    FALLBACK,
  )
  return <Settings.Provider value={settings}>{children}</Settings.Provider>
}

export const useUpdateSettings = (): PublicUpdateSettings => useContext(Settings)
