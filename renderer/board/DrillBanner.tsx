import { formatTimeOfDay } from '../../shared/clock'
import { readDrill } from '../../shared/drill'
import { useDocValue } from '../sync/hooks'
import { useBoard } from './BoardContext'

/** On every screen of a drill, above everything: nobody may take an exercise for the real thing. */
export const DrillBanner = () => {
  const { connection } = useBoard()
  const drill = useDocValue(connection.doc, readDrill)
  if (!drill) return null
  return (
    <p className="drill-banner" role="note">
      <strong>DRILL</strong>
      <span>
        An exercise, not a real incident: it re-runs {drill.of}
        {drill.from === 'start' ? ' from its start' : ` from ${formatTimeOfDay(drill.from)}`}. It pages no one and posts only to channels marked for drills.
      </span>
    </p>
  )
}
