import { type FormEvent, useState } from 'react'
import { formatDay, localDayBound } from '../../shared/clock'
import {
  FOLLOW_UP_PRIORITIES,
  FOLLOW_UP_STATES,
  FOLLOW_UP_STATE_LABELS,
  type FollowUpPriority,
  type FollowUpState,
  addFollowUp,
  isOverdue,
  orderFollowUps,
  readFollowUps,
  updateFollowUp,
} from '../../shared/follow-ups'
import { readPeople } from '../../shared/people'
import { useBoard } from '../board/BoardContext'
import { Picker } from '../common/Picker'
import { FormError, useAction } from '../common/useAction'
import { useDocValue, useHostNow } from '../sync/hooks'
import { TableHead } from '../common/TableHead'

/**
 * The postmortem's follow-ups: each with one owner, a due date, a priority and
 * a state. The start page lists them across incidents; the draft's action items start with them.
 */
export const FollowUps = () => {
  const { connection, canEdit } = useBoard()
  const { doc } = connection
  const now = useHostNow(connection)
  const list = orderFollowUps(useDocValue(doc, readFollowUps), now)
  const people = [...useDocValue(doc, readPeople).values()].map((p) => ({ id: p.id, name: p.name }))
  const { error, run } = useAction()
  const [title, setTitle] = useState('')
  const [ownerId, setOwnerId] = useState<string>()
  const [due, setDue] = useState('')
  const [priority, setPriority] = useState<FollowUpPriority>('medium')
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const dueAt = localDayBound(due, true)
    const added = run(() => {
      if (!ownerId) throw new Error('Choose who owns it: a follow-up has one owner.')
      addFollowUp(doc, connection.change(), { title, ownerId, priority, ...(dueAt !== undefined ? { dueAt } : {}) })
    })
    if (added) {
      setTitle('')
      setDue('')
    }
  }
  return (
    <section className="follow-ups" aria-labelledby="follow-ups-heading">
      <h3 id="follow-ups-heading">Follow-ups</h3>
      {list.length === 0 ? (
        <p className="muted">None yet: what must happen so this does not happen again?</p>
      ) : (
        <table className="data-table" aria-labelledby="follow-ups-heading">
          <TableHead columns={['Follow-up', 'Owner', 'Due', 'Priority', 'State']} />
          <tbody>
            {list.map((f) => (
              <tr key={f.id} className={isOverdue(f, now) ? 'is-overdue' : undefined}>
                <th scope="row">{f.title}</th>
                <td>{f.ownerName}</td>
                <td>
                  {f.dueAt === undefined ? '—' : formatDay(f.dueAt)}
                  {isOverdue(f, now) && <strong className="overdue-count"> overdue</strong>}
                </td>
                <td>{f.priority}</td>
                <td>
                  <select
                    aria-label={`State of ${f.title}`}
                    value={f.state}
                    disabled={!canEdit}
                    onChange={(e) => run(() => updateFollowUp(doc, connection.change(), f.id, { state: e.target.value as FollowUpState }))}
                  >
                    {FOLLOW_UP_STATES.map((s) => (
                      <option key={s} value={s}>
                        {FOLLOW_UP_STATE_LABELS[s]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <form className="follow-up-form" onSubmit={submit} aria-label="New follow-up">
          <label>
            Follow-up
            <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Cap gateway retries at 3" />
          </label>
          <Picker label="Follow-up owner" people={people} value={ownerId} onChange={setOwnerId} />
          <label>
            Due
            <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
          </label>
          <label>
            Priority
            <select value={priority} onChange={(e) => setPriority(e.target.value as FollowUpPriority)}>
              {FOLLOW_UP_PRIORITIES.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
          <button type="submit">Add follow-up</button>
        </form>
      )}
      <FormError message={error} />
    </section>
  )
}
