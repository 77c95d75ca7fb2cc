import { type FormEvent, useState, useSyncExternalStore } from 'react'
import { formatDay, formatTimeOfDay, toDateTimeLocal } from '../../shared/clock'
import { readMeta } from '../../shared/incident'
import {
  CORRECTABLE,
  type LifecycleStep,
  MAX_REASON_LENGTH,
  correctMilestone,
  formatGap,
  keyDurations,
  lifecycleTimes,
  readLifecycle,
  severityHistory,
  timeInSeverity,
  timeOf,
} from '../../shared/milestones'
import { SEVERITIES, type Milestone } from '../../shared/schema'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import { useDocValue, useHostNow } from '../sync/hooks'
import './milestones.css'
import { TableHead } from '../common/TableHead'

const SOURCE: Partial<Record<Milestone, string>> = {
  detectedAt: 'the declaration',
  acknowledgedAt: 'the IC taking command',
  icAssignedAt: 'the role history',
}

/** "14:02:05 (2026-11-24)" in local time, and the same moment in UTC: the postmortem quotes both. */
const When = ({ at }: { at: number }) => (
  <>
    {formatTimeOfDay(at)} <span className="muted">{formatDay(at)}</span>
    <br />
    <span className="muted">{new Date(at).toISOString().slice(11, 19)} UTC</span>
  </>
)

const CorrectForm = ({ step, onDone }: { step: LifecycleStep; onDone: () => void }) => {
  const { connection } = useBoard()
  const { error, run } = useAction()
  const [value, setValue] = useState(toDateTimeLocal(step.at ?? connection.clock.now()))
  const [reason, setReason] = useState('')
  const save = (at: number | null): void => {
    if (run(() => correctMilestone(connection.doc, connection.change(), step.milestone, at, reason))) onDone()
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    save(new Date(value).getTime())
  }
  return (
    <form className="dialog-form milestone-form" onSubmit={submit} aria-label={`Correct ${step.label}`}>
      <label>
        {step.label}, when it happened (your local time)
        <input type="datetime-local" step={1} value={value} onChange={(e) => setValue(e.target.value)} data-autofocus />
      </label>
      <label>
        Why (goes on the timeline)
        <input value={reason} maxLength={MAX_REASON_LENGTH} onChange={(e) => setReason(e.target.value)} placeholder="First 5xx in the load balancer logs" />
      </label>
      <FormError message={error} />
      <div className="dialog-actions">
        <button type="submit" className="primary">
          Save {step.label.toLowerCase()}
        </button>
        {step.source === 'recorded' && step.milestone !== 'mitigatedAt' && step.milestone !== 'resolvedAt' && (
          <button type="button" onClick={() => save(null)}>
            Clear it
          </button>
        )}
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/**
 * When each milestone happened and where that time came from, the durations
 * between, and every severity with how long it held. The IC or the scribe
 * corrects a milestone here, with a reason.
 */
export const MilestonesDialog = ({ onClose }: { onClose: () => void }) => {
  const { connection, canEdit } = useBoard()
  const steps = useDocValue(connection.doc, readLifecycle)
  const meta = useDocValue(connection.doc, readMeta)
  const entries = useSyncExternalStore(connection.timeline.subscribe, connection.timeline.all)
  const now = useHostNow(connection)
  const [correcting, setCorrecting] = useState<Milestone>()
  const periods = severityHistory(entries)
  const end = timeOf(steps, 'resolvedAt') ?? now
  const held = timeInSeverity(periods, end)
  const durations = keyDurations(lifecycleTimes(steps))
  const step = steps.find((s) => s.milestone === correcting)
  const figure = (label: string, ms: number | undefined) => (
    <div key={label}>
      <dt>{label}</dt>
      <dd>{ms === undefined ? '—' : formatGap(ms)}</dd>
    </div>
  )
  return (
    <Dialog title="Milestones" onClose={onClose} wide>
      <dl className="milestone-figures">
        {figure('Impact to detection', durations.toDetectMs)}
        {figure('Time to acknowledge', durations.toAcknowledgeMs)}
        {figure('Time to mitigate', durations.toMitigateMs)}
        {figure('Time to resolve', durations.toResolveMs)}
        {SEVERITIES.filter((s) => held[s] !== undefined).map((s) => figure(`Time in ${s}`, held[s]))}
      </dl>
      <table className="data-table" aria-label="Lifecycle">
        <thead>
          <tr>
            <th scope="col">Milestone</th>
            <th scope="col">When</th>
            <th scope="col">From</th>
            {canEdit && <th scope="col">Correct</th>}
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.milestone}>
              <th scope="row">{s.label}</th>
              <td>{s.at === undefined ? <span className="muted">not yet</span> : <When at={s.at} />}</td>
              <td className="muted">{s.source === 'derived' ? SOURCE[s.milestone] : s.source === 'recorded' ? 'recorded' : ''}</td>
              {canEdit && (
                <td>
                  {CORRECTABLE.includes(s.milestone) && (
                    <button type="button" onClick={() => setCorrecting(s.milestone)} aria-label={`${s.at === undefined ? 'Set' : 'Correct'} ${s.label}`}>
                      {s.at === undefined ? 'Set' : 'Correct'}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {step && <CorrectForm key={step.milestone} step={step} onDone={() => setCorrecting(undefined)} />}
      <h3>Severity</h3>
      <table className="data-table" aria-label="Severity history">
        <TableHead columns={['Severity', 'From', 'To', 'For']} />
        <tbody>
          {periods.map((p) => (
            <tr key={p.from}>
              <th scope="row">{p.severity}</th>
              <td>{formatTimeOfDay(p.from)}</td>
              <td>{p.to === undefined ? (meta?.milestones.resolvedAt ? formatTimeOfDay(end) : 'now') : formatTimeOfDay(p.to)}</td>
              <td>{formatGap(Math.max(0, (p.to ?? end) - p.from))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  )
}
