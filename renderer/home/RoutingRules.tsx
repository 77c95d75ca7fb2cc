import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import * as v from 'valibot'
import { type AlertAction, AlertRuleSchema, DEFAULT_DECLARE, DEFAULT_ROUTING, SERVICE_LABELS, formatLabelMatch, parseLabelPairs } from '../../shared/alert-routing'
import type { AlertSource } from '../../shared/alerts'
import { plural } from '../../shared/plural'
import { SEVERITIES, type Severity } from '../../shared/schema'
import { type AlertRule, type IntegrationView, updateIntegration } from '../app/api'
import { FormError, errorMessage } from '../common/useAction'
import './routing-rules.css'

/** The host keeps at most this many rules per integration (IntegrationPatchBody). */
const MAX_RULES = 50

/** The label names each source's alerts carry, to write rules with. */
const LABEL_HINTS: Record<AlertSource, string> = {
  cloudwatch: 'AlarmName, Namespace, MetricName, Region, and each dimension as dimension.<name> (dimension.LoadBalancer)',
  pagerduty: 'source, component, group, class, and custom_details.<field>',
  alertmanager: 'the alert’s labels as Alertmanager sends them (alertname, job, instance, severity…) and annotations.<name>',
  grafana: 'the alert’s labels as Grafana sends them (alertname, grafana_folder, severity…) and annotations.<name>',
}

const ACTION_WORDS: Record<AlertAction, string> = { declare: 'declare an incident', triage: 'hold in the inbox for triage' }

/** What a rule does, in words: "declare SEV-3 about orders-db". */
const ruleOutcome = (rule: AlertRule): string => {
  const about = rule.service ? ` about ${rule.service}` : ''
  return rule.action === 'declare' ? `declare ${rule.severity ?? DEFAULT_DECLARE}${about}` : `hold in the inbox for triage${rule.severity ? ` (${rule.severity})` : ''}${about}`
}

const sameRules = (a: readonly AlertRule[], b: readonly AlertRule[]): boolean => JSON.stringify(a) === JSON.stringify(b)

type Focus = { index: number; control: 'up' | 'down' } | 'notice'

const NewRuleForm = ({ integration, count, onAdd }: { integration: IntegrationView; count: number; onAdd: (rule: AlertRule) => void }) => {
  const [labels, setLabels] = useState('')
  const [action, setAction] = useState<AlertAction>('declare')
  const [severity, setSeverity] = useState<Severity | ''>('')
  const [service, setService] = useState('')
  const [error, setError] = useState<string>()
  const hintId = useId()
  const add = (event: FormEvent): void => {
    event.preventDefault()
    if (count >= MAX_RULES) return setError(`An integration has at most ${MAX_RULES} rules.`)
    const parsed = parseLabelPairs(labels)
    if ('error' in parsed) return setError(`Labels to match: ${parsed.error}`)
    const rule = v.safeParse(AlertRuleSchema, { match: parsed.match, action, ...(severity ? { severity } : {}), ...(service.trim() ? { service: service.trim() } : {}) })
    if (!rule.success) return setError(`${v.getDotPath(rule.issues[0]) ?? 'rule'}: ${rule.issues[0].message}`)
    setError(undefined)
    setLabels('')
    setService('')
    onAdd(rule.output)
  }
  return (
    <form className="rule-form" onSubmit={add} aria-label={`Add a rule to ${integration.name}`}>
      <label className="rule-form-labels">
        Labels to match
        <textarea
          value={labels}
          onChange={(e) => setLabels(e.target.value)}
          rows={2}
          placeholder={'alertname=QueueBacklog\nenv=prod'}
          aria-describedby={hintId}
          aria-invalid={error?.startsWith('Labels') ? true : undefined}
        />
      </label>
      <p id={hintId} className="muted rule-form-hint">
        name=value, one per line or separated by commas; every pair must match. A value of * alone matches any value. Labels here: {LABEL_HINTS[integration.kind]}.
      </p>
      <label>
        Action
        <select value={action} onChange={(e) => setAction(e.target.value === 'triage' ? 'triage' : 'declare')}>
          <option value="declare">{ACTION_WORDS.declare}</option>
          <option value="triage">{ACTION_WORDS.triage}</option>
        </select>
      </label>
      <label>
        Severity
        <select value={severity} onChange={(e) => setSeverity(SEVERITIES.find((s) => s === e.target.value) ?? '')}>
          <option value="">default ({DEFAULT_DECLARE} when declared)</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Service (optional)
        <input value={service} onChange={(e) => setService(e.target.value)} maxLength={300} placeholder="catalog id or name" />
      </label>
      <button type="submit">Add rule</button>
      <FormError message={error} />
    </form>
  )
}

/**
 * An integration's routing rules, on its entry in the start page's settings:
 * read in words, and edited as a draft (add, remove, reorder, grouping
 * window) that one Save sends whole.
 */
export const RoutingRules = ({ token, integration, onSaved }: { token: string; integration: IntegrationView; onSaved: (saved: IntegrationView) => void }) => {
  const { name } = integration
  const [draft, setDraft] = useState<AlertRule[]>()
  const [windowMinutes, setWindowMinutes] = useState(String(integration.windowMinutes))
  const [notice, setNotice] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [focus, setFocus] = useState<Focus>()
  const listRef = useRef<HTMLOListElement>(null)
  const noticeRef = useRef<HTMLParagraphElement>(null)
  const headingId = useId()

  // After a move the control follows its rule; after a removal, focus goes to what changed.
  useEffect(() => {
    if (focus === undefined) return
    if (focus === 'notice') noticeRef.current?.focus()
    else {
      const item = listRef.current?.children[focus.index]
      const wanted = item?.querySelector<HTMLButtonElement>(`[data-move="${focus.control}"]:not(:disabled)`) ?? item?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)')
      wanted?.focus()
    }
    setFocus(undefined)
  }, [focus])

  const editing = draft !== undefined
  const rules = draft ?? integration.rules
  const minutes = Number(windowMinutes)
  const windowValid = Number.isInteger(minutes) && minutes >= 1 && minutes <= 240
  const changed = editing && (!sameRules(draft, integration.rules) || windowMinutes !== String(integration.windowMinutes))

  const edit = (): void => {
    setDraft(integration.rules)
    setWindowMinutes(String(integration.windowMinutes))
    setNotice(undefined)
    setError(undefined)
  }
  const change = (next: AlertRule[], said: string, then?: Focus): void => {
    setDraft(next)
    setNotice(`${said} Not saved yet.`)
    if (then) setFocus(then)
  }
  const move = (from: number, to: number): void => {
    if (!draft || to < 0 || to >= draft.length) return
    const next = [...draft]
    const [rule] = next.splice(from, 1)
    next.splice(to, 0, rule!)
    change(next, `Rule ${from + 1} is now rule ${to + 1}.`, { index: to, control: to < from ? 'up' : 'down' })
  }
  const save = (): void => {
    if (!draft) return
    if (!windowValid) return setError('Grouping window: a whole number of minutes from 1 to 240.')
    setBusy(true)
    setError(undefined)
    updateIntegration(token, integration.id, { rules: draft, windowMinutes: minutes }).then(
      (saved) => {
        setBusy(false)
        setDraft(undefined)
        setNotice(`Saved: ${plural(saved.rules.length, 'rule')}, grouped within ${saved.windowMinutes} min. The next alert is routed by them.`)
        setFocus('notice')
        onSaved(saved)
      },
      (e: unknown) => {
        setBusy(false)
        setError(`Not saved: ${errorMessage(e)}`)
      },
    )
  }

  return (
    <section className="routing" aria-labelledby={headingId}>
      <div className="routing-head">
        <h4 id={headingId}>Routing of {name}</h4>
        <span className="muted">{rules.length === 0 ? 'no rules: the defaults apply' : `${plural(rules.length, 'rule')}, in order: the first that matches decides`}</span>
      </div>
      {rules.length > 0 && (
        <ol className="rule-list" aria-label={`Routing rules of ${name}`} ref={listRef}>
          {rules.map((rule, i) => (
            // Rules have no id: a rule is its place in the order.
            <li key={i} className="rule">
              <span className="rule-number" aria-hidden="true">
                {i + 1}.
              </span>
              <span className="rule-words">
                <code>{formatLabelMatch(rule.match)}</code> → <strong>{ruleOutcome(rule)}</strong>
              </span>
              {editing && (
                <span className="rule-actions">
                  <button type="button" data-move="up" disabled={i === 0} onClick={() => move(i, i - 1)}>
                    Move up<span className="visually-hidden"> rule {i + 1}</span>
                  </button>
                  <button type="button" data-move="down" disabled={i === rules.length - 1} onClick={() => move(i, i + 1)}>
                    Move down<span className="visually-hidden"> rule {i + 1}</span>
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => change(rules.filter((_, j) => j !== i), `Removed rule ${i + 1} (${formatLabelMatch(rule.match)}).`, 'notice')}
                  >
                    Remove<span className="visually-hidden"> rule {i + 1}</span>
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      <p className="muted routing-defaults">
        {rules.length === 0 ? 'Every alert' : 'An alert no rule matches'} goes by the defaults: {DEFAULT_ROUTING[integration.kind]}. The service is the rule’s, else the
        one the alert’s {SERVICE_LABELS.slice(0, 5).join(', ')} label names. Only a firing alert opens an incident.
      </p>
      {notice && (
        <p role="status" className="routing-notice" ref={noticeRef} tabIndex={-1}>
          {notice}
        </p>
      )}
      {editing ? (
        <>
          <NewRuleForm integration={integration} count={draft.length} onAdd={(rule) => change([...draft, rule], `Added rule ${draft.length + 1}: ${formatLabelMatch(rule.match)} → ${ruleOutcome(rule)}.`)} />
          <div className="routing-save">
            <label>
              Grouping window (minutes)<span className="visually-hidden"> of {name}</span>
              <input type="number" min={1} max={240} step={1} required value={windowMinutes} onChange={(e) => setWindowMinutes(e.target.value)} aria-invalid={!windowValid || undefined} />
            </label>
            <p className="muted">Alerts of one group or service within this window go to one incident.</p>
            <button type="button" className="primary" disabled={busy || !changed} onClick={save}>
              {busy ? 'Saving…' : `Save routing of ${name}`}
            </button>
            <button type="button" onClick={() => (setDraft(undefined), setNotice(changed ? 'Changes discarded.' : undefined), setError(undefined))}>
              {changed ? 'Discard changes' : 'Close'}
              <span className="visually-hidden"> to the routing of {name}</span>
            </button>
          </div>
          <FormError message={error} />
        </>
      ) : (
        <div className="routing-actions">
          <button type="button" onClick={edit}>
            Edit routing rules<span className="visually-hidden"> of {name}</span>
          </button>
        </div>
      )}
    </section>
  )
}
