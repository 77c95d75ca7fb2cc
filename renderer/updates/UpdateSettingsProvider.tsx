import { type ReactNode, createContext, useContext, useEffect, useState } from 'react'
import { DEFAULT_UPDATE_SETTINGS, type PublicUpdateSettings } from '../../shared/update-settings'
import { fetchUpdateSettings } from '../app/api'
import type { IncidentConnection } from '../sync/connection'

/** Templates and channels change rarely; the host is asked again this often. */
const REFRESH_MS = 60_000

const Settings = createContext<PublicUpdateSettings>({ ...DEFAULT_UPDATE_SETTINGS, channels: [] })

/** The host's templates, cadence, approval rule and channels, for the whole board. */
export const UpdateSettingsProvider = ({ connection, children }: { connection: IncidentConnection; children: ReactNode }) => {
  const [settings, setSettings] = useState<PublicUpdateSettings>({ ...DEFAULT_UPDATE_SETTINGS, channels: [] })
  useEffect(() => {
    let cancelled = false
    const load = (): void => void fetchUpdateSettings(connection.token, connection.incidentId).then((s) => !cancelled && setSettings(s), () => undefined)
    load()
    const timer = setInterval(load, REFRESH_MS)
    return () => {
      cancelled = true
      clearInterval(timer)
    }
  }, [connection])
  return <Settings.Provider value={settings}>{children}</Settings.Provider>
}

export const useUpdateSettings = (): PublicUpdateSettings => useContext(Settings)
