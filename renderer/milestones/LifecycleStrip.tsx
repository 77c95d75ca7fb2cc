import { formatTimeOfDay } from '../../shared/clock'
import { MILESTONE_SHORT_LABELS } from '../../shared/incident'
import { formatGap, readLifecycle } from '../../shared/milestones'
import { useBoard } from '../board/BoardContext'
import { useDocValue } from '../sync/hooks'
import './milestones.css'

const LIFECYCLE_ID = 'lifecycle-description'

/**
 * The header's lifecycle: which milestones are reached, when, and how long
 * after the one before. Impact shows only once someone said when it began.
 * A laptop shows the last reached and the next. One button: it opens the
 * milestones (M), where they are corrected.
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
  // A laptop shows only where the incident stands: the last milestone reached and the next to come.
  const latest = steps.findLastIndex((s) => s.at !== undefined)
  const next = steps.findIndex((s, i) => i > latest && s.at === undefined)
  const spoken = items.map(({ step, gap }) => (step.at === undefined ? `${step.label}: not yet` : `${step.label} ${formatTimeOfDay(step.at)}${gap ? `, ${formatGap(gap)} later` : ''}`)).join('; ')
  // Its name is what it shows (voice control says what it sees); the whole lifecycle is its description.
  return (
    <>
      <button type="button" className="lifecycle-strip" onClick={() => open({ kind: 'milestones' })} title="Milestones (M)" aria-describedby={LIFECYCLE_ID}>
        <span className="visually-hidden">Milestones: </span>
        {items.map(({ step, gap }, i) => (
          <span key={step.milestone} className={`lifecycle-step${step.at === undefined ? ' is-pending' : ''}${i === latest || i === next ? ' is-now' : ''}`}>
            {gap !== undefined && gap > 0 && <span className="lifecycle-gap">+{formatGap(gap)}</span>}
            <span className="lifecycle-name">{MILESTONE_SHORT_LABELS[step.milestone]}</span>
            <span className="lifecycle-time">{step.at === undefined ? '—' : formatTimeOfDay(step.at).slice(0, 5)}</span>
          </span>
        ))}
      </button>
      <span id={LIFECYCLE_ID} className="visually-hidden">
        {spoken}
      </span>
    </>
  )
}
