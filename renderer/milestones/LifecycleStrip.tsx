import { formatTimeOfDay } from '../../shared/clock'
import { type LifecycleStep, formatGap, readLifecycle } from '../../shared/milestones'
import { useBoard } from '../board/BoardContext'
import { useDocValue } from '../sync/hooks'
import './milestones.css'

/** Short enough for the header: the dialog has the full words. */
const SHORT: Record<LifecycleStep['milestone'], string> = {
  impactStartedAt: 'Impact',
  detectedAt: 'Detected',
  startedAt: 'Declared',
  acknowledgedAt: 'Ack',
  icAssignedAt: 'IC',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
}

/**
 * The header's lifecycle: which milestones are reached, when, and how long
 * after the one before. Impact shows only once someone said when it began.
 * One button: it opens the milestones (M), where they are corrected.
 */
export const LifecycleStrip = () => {
  const { connection, open } = useBoard()
  const steps = useDocValue(connection.doc, readLifecycle).filter((s) => s.milestone !== 'impactStartedAt' || s.at !== undefined)
  let previous: number | undefined
  const items = steps.map((step) => {
    const gap = step.at !== undefined && previous !== undefined ? step.at - previous : undefined
    if (step.at !== undefined) previous = step.at
    return { step, gap }
  })
  const spoken = items.map(({ step, gap }) => (step.at === undefined ? `${step.label}: not yet` : `${step.label} ${formatTimeOfDay(step.at)}${gap ? `, ${formatGap(gap)} later` : ''}`)).join('; ')
  return (
    <button type="button" className="lifecycle-strip" onClick={() => open({ kind: 'milestones' })} title="Milestones (M)" aria-label={`Milestones: ${spoken}`}>
      {items.map(({ step, gap }) => (
        <span key={step.milestone} className={step.at === undefined ? 'lifecycle-step is-pending' : 'lifecycle-step'}>
          {gap !== undefined && gap > 0 && <span className="lifecycle-gap">+{formatGap(gap)}</span>}
          <span className="lifecycle-name">{SHORT[step.milestone]}</span>
          <span className="lifecycle-time">{step.at === undefined ? '—' : formatTimeOfDay(step.at).slice(0, 5)}</span>
        </span>
      ))}
    </button>
  )
}
