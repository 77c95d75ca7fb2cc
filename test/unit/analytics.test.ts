import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { AnalyticsQuerySchema, AnalyticsResponseSchema, type IncidentFacts, analyse, incidentFacts, stat } from '../../shared/analytics'
import { DEFAULT_CADENCE } from '../../shared/cadence'
import { incidentWorkload } from '../../shared/workload'
import { DAY, MIN, type Plan, runPlan } from './helpers/planned-incident'

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0)
const run = (plan: Omit<Plan, 'start'> & { day: number }) => runPlan({ ...plan, start: T0 + plan.day * DAY }).doc

const PLANS: Array<Omit<Plan, 'start'> & { day: number }> = [
  { id: 'a', day: 0, severity: 'SEV-2', ic: 2, mitigated: 20, resolved: 30, people: ['Iris', 'Bob'], service: { name: 'payments', owner: 'team-pay' } },
  { id: 'b', day: 1, severity: 'SEV-2', ic: 4, mitigated: 40, resolved: 60, sev1At: 10, people: ['Iris'], service: { name: 'checkout', owner: 'team-web' } },
  { id: 'c', day: 2, severity: 'SEV-3', ic: 6, mitigated: 60, resolved: 90, people: ['Bob', 'Carol', 'Dan'], service: { name: 'payments', owner: 'team-pay' } },
  { id: 'd', day: 3, severity: 'SEV-1', ic: 8, detectedEarlier: 10, people: ['Iris', 'Carol'] },
]

const facts = (): IncidentFacts[] => PLANS.map((p) => incidentFacts(run(p), DEFAULT_CADENCE)!)
const workloads = () => PLANS.map((p) => incidentWorkload(run(p))!)
const NOW = T0 + 3 * DAY + 120 * MIN

describe('median, p90 and mean', () => {
  it('are the middle value (or the mean of the two middle ones), the nearest-rank 90th percentile, and the mean', () => {
    expect(stat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ n: 10, median: 5.5, p90: 9, mean: 5.5 })
    expect(stat([40, 10, 30])).toEqual({ n: 3, median: 30, p90: 40, mean: 80 / 3 })
    expect(stat([7])).toEqual({ n: 1, median: 7, p90: 7, mean: 7 })
    expect(stat([])).toBeNull()
  })
})

describe('analytics across incidents', () => {
  it('answers MTTA, MTTM and MTTR from detection, time in each severity, responders and load per person', () => {
    const result = analyse(facts(), workloads(), {}, NOW)
    expect(v.is(AnalyticsResponseSchema, result)).toBe(true)
    const { summary } = result
    expect(summary.count).toBe(4)
    expect(summary.resolved).toBe(3)
    // Acknowledged when the IC took command: 2, 4, 6 and (detected 10 min before the declaration) 18 minutes.
    expect(summary.toAcknowledge).toEqual({ n: 4, median: 5 * MIN, p90: 18 * MIN, mean: 7.5 * MIN })
    expect(summary.toMitigate).toEqual({ n: 3, median: 40 * MIN, p90: 60 * MIN, mean: 40 * MIN })
    expect(summary.toResolve).toEqual({ n: 3, median: 60 * MIN, p90: 90 * MIN, mean: 60 * MIN })
    // a: 30 min SEV-2; b: 10 SEV-2 then 50 SEV-1; c: 90 SEV-3; d: open, SEV-1 for 120 min until now.
    expect(summary.timeInSeverityMs).toEqual({ 'SEV-1': 170 * MIN, 'SEV-2': 40 * MIN, 'SEV-3': 90 * MIN })
    expect(result.incidents.map((i) => [i.id, i.peakSeverity, i.responders])).toEqual([
      ['a', 'SEV-2', 2],
      ['b', 'SEV-1', 1],
      ['c', 'SEV-3', 3],
      ['d', 'SEV-1', 2],
    ])
    expect(summary.responders).toEqual({ n: 4, median: 2, p90: 3, mean: 2 })
    // Iris was on a (30 min), b (60) and d (open: 120 until now); Bob on a and c.
    const iris = summary.people.find((p) => p.name === 'Iris')!
    expect([iris.incidents, iris.onDutyMs / MIN, iris.incidentsAsCommander]).toEqual([3, 210, 3])
    expect(summary.people[0]?.name).toBe('Iris')
    expect(result.options).toEqual({ services: ['checkout', 'payments'], teams: ['team-pay', 'team-web'] })
  })

  it('filters by when it was declared, by the highest severity reached, by service and by team', () => {
    const ids = (query: Parameters<typeof analyse>[2]) => analyse(facts(), workloads(), query, NOW).incidents.map((i) => i.id)
    expect(ids({ severity: 'SEV-1' })).toEqual(['b', 'd'])
    expect(ids({ service: 'payments' })).toEqual(['a', 'c'])
    expect(ids({ team: 'team-web' })).toEqual(['b'])
    expect(ids({ from: T0 + DAY, to: T0 + 2 * DAY })).toEqual(['b', 'c'])
    expect(analyse(facts(), workloads(), { severity: 'SEV-5' }, NOW).summary).toMatchObject({ count: 0, toResolve: null, people: [] })
  })

  it('reads the query string: epoch milliseconds or ISO dates, a known severity, names; anything else is refused with the reason', () => {
    expect(v.parse(AnalyticsQuerySchema, { from: '2026-11-01', to: String(T0), severity: 'SEV-2', service: ' payments ' })).toEqual({
      from: Date.UTC(2026, 10, 1),
      to: T0,
      severity: 'SEV-2',
      service: 'payments',
    })
    const issue = (query: Record<string, string>) => v.safeParse(AnalyticsQuerySchema, query).issues?.[0]?.message
    expect(issue({ severity: 'SEV-9' })).toMatch(/severity must be one of SEV-1/)
    expect(issue({ from: 'yesterday' })).toMatch(/epoch milliseconds or an ISO date/)
    expect(issue({ team: '' })).toBeDefined()
  })
})
