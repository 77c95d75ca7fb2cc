import { type ReactNode, createContext, createElement, useCallback, useContext, useMemo } from 'react'
import { readDutyEvents, deriveDuty } from '../../shared/duty'
import { DEFAULT_FATIGUE_SETTINGS, type Fatigue, type FatigueSettings, assessFatigue } from '../../shared/fatigue'
import { readMeta } from '../../shared/incident'
import { readPeople } from '../../shared/people'
import { readRoles } from '../../shared/roles'
import type { IncidentWorkload } from '../../shared/workload'
import { dutyElsewhere } from '../../shared/workload'
import { fetchFatigueSettings, fetchWorkloads } from '../app/api'
import type { BoardConnection } from '../sync/board-connection'
import { readSettingsAt } from '../../shared/host-status'
import { useAwarenessValue, useDocValue, useHostNow } from '../sync/hooks'
import { useHostValue } from '../sync/useHostValue'

/** The host's thresholds (fetched again the moment the host says they changed) and the other incidents' duty periods, kept fresh. */
const useHostFigures = (connection: BoardConnection): { settings: FatigueSettings; elsewhere: IncidentWorkload[] } => {
  const settingsAt = useAwarenessValue(connection, readSettingsAt)
  // settingsAt is in the dependencies only to fetch again when it moves.
  const settings = useHostValue(useCallback(() => fetchFatigueSettings(connection.token), [connection, settingsAt]), DEFAULT_FATIGUE_SETTINGS)
  const elsewhere = useHostValue(
    useCallback(() => fetchWorkloads(connection.token, connection.incidentId), [connection]),
    NO_WORKLOADS,
  )
  return { settings, elsewhere }
}

const NO_WORKLOADS: IncidentWorkload[] = []

interface FatigueFigures {
  fatigue: Map<string, Fatigue>
  settings: FatigueSettings
}

/**
 * Everyone's fatigue, live: recomputed from stored times every second, so every
 * screen (and a replay) shows the same figures.
 */
const useFatigueFigures = (connection: BoardConnection): FatigueFigures => {
  const { doc } = connection
  const now = useHostNow(connection)
  const people = useDocValue(doc, readPeople)
  const events = useDocValue(doc, readDutyEvents)
  const roles = useDocValue(doc, readRoles)
  const meta = useDocValue(doc, readMeta)
  const { settings, elsewhere } = useHostFigures(connection)
  const fatigue = useMemo(() => {
    const end = meta?.milestones.resolvedAt !== undefined ? Math.min(now, meta.milestones.resolvedAt) : now
    const result = new Map<string, Fatigue>()
    for (const person of people.values()) {
      result.set(
        person.id,
        assessFatigue({
          duty: deriveDuty(person.id, person.joinedAt, events, end),
          rolePeriods: roles.periods.filter((p) => p.personId === person.id),
          otherIncidents: dutyElsewhere(elsewhere, person.id, connection.incidentId, now),
          now: end,
          settings,
        }),
      )
    }
    return result
  }, [people, events, roles, meta, elsewhere, settings, now, connection.incidentId])
  return { fatigue, settings }
}

const FatigueContext = createContext<FatigueFigures>({ fatigue: new Map(), settings: DEFAULT_FATIGUE_SETTINGS })

/** Computed once per board; only the panes that read it re-render every second. */
export const FatigueProvider = ({ connection, children }: { connection: BoardConnection; children: ReactNode }) =>
  createElement(FatigueContext.Provider, { value: useFatigueFigures(connection) }, children)

export const useFatigue = (): FatigueFigures => useContext(FatigueContext)
