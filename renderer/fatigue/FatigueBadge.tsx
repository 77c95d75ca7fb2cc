import { formatTimeOfDay } from '../../shared/clock'
import type { Fatigue, FatigueLevel } from '../../shared/fatigue'
import './fatigue.css'

/** Icon and words as well as colour: readable by anyone, from across the room. */
const LOOK: Record<FatigueLevel, { icon: string; label: string }> = {
  fresh: { icon: '✓', label: 'Fresh' },
  due: { icon: '◔', label: 'Break due' },
  overdue: { icon: '⚠', label: 'Overdue' },
  resting: { icon: '☾', label: 'Resting' },
  released: { icon: '⏏', label: 'Released' },
}

export const fatigueLabel = (fatigue: Fatigue): string =>
  fatigue.level === 'resting' && fatigue.restingUntil ? `Resting until ${formatTimeOfDay(fatigue.restingUntil)}` : LOOK[fatigue.level].label

export const FatigueBadge = ({ fatigue }: { fatigue: Fatigue }) => (
  <span className={`fatigue fatigue--${fatigue.level}`}>
    <span aria-hidden="true">{LOOK[fatigue.level].icon} </span>
    {fatigueLabel(fatigue)}
  </span>
)
