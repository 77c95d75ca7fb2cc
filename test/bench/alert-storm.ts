// An alert storm: 10,000 alerts in 60 s over 4 integrations (one per source)
// and 50 services, posted to a host in its own process, while 20 people work
// on an unrelated incident's board. Measures intake (accepted per second,
// answer p50/p99), how many incidents the storm became, that every alert is
// accounted for in GET /api/alerts, and the board's fan-out during the storm
// against without it.
import { spawnHost } from '../unit/helpers/child-host'
import { createIncidentOn, removeDir, sleep, tempDir } from '../unit/helpers/host'
import { type FanoutResult, runFanout } from './fanout'
import { median, percentile, round, watchProcess } from './measure'

export interface StormOptions {
  alerts: number
  seconds: number
  services: number
  /** People on the unrelated board during the storm (and in the baseline). */
  boardClients: number
}

export interface StormResult {
  alerts: number
  seconds: number
  sentPerSecond: number
  acceptedPerSecond: number
  answerP50Ms: number
  answerP99Ms: number
  answerMaxMs: number
  refused: Record<string, number>
  incidents: number
  accountedFor: number
  byRoute: Record<string, number>
  hostCpuPercent: number
  hostPeakRssMiB: number
  fanout: { quiet: FanoutResult; storm: FanoutResult; p99Ratio: number; p50Ratio: number }
}

type Kind = 'alertmanager' | 'grafana' | 'pagerduty' | 'cloudwatch'
const KINDS: Kind[] = ['alertmanager', 'grafana', 'pagerduty', 'cloudwatch']

/**
 * Ten systems of five services: a database four components depend on. A storm
 * starts at a few databases and spreads to what depends on them.
 */
const catalog = (services: number) => ({
  services: Array.from({ length: services }, (_, i) => {
    const root = i - (i % 5)
    return i === root ? { id: `svc-${i}`, name: `Database ${i / 5}`, kind: 'resource' } : { id: `svc-${i}`, name: `Service ${i}`, dependsOn: [`svc-${root}`] }
  }),
})

/** Alert `n` in its integration's own format: critical, about one service, in one of a few groups. */
const payload = (kind: Kind, n: number, service: number): string => {
  const name = `Storm${n}`
  const labels = { alertname: name, service: `svc-${service}`, severity: 'critical' }
  const groupKey = `{}:{system="${Math.floor(service / 5)}"}`
  switch (kind) {
    case 'alertmanager':
    case 'grafana':
      return JSON.stringify({
        version: kind === 'grafana' ? '1' : '4',
        status: 'firing',
        groupKey,
        alerts: [{ status: 'firing', labels, annotations: { summary: `${name} on svc-${service}` }, startsAt: new Date().toISOString(), fingerprint: `fp-${kind}-${n}` }],
      })
    case 'pagerduty':
      return JSON.stringify({ event_action: 'trigger', dedup_key: `pd-${n}`, payload: { summary: `${name} on svc-${service}`, source: 'storm', severity: 'critical', component: `svc-${service}` } })
    case 'cloudwatch':
      return JSON.stringify({
        Type: 'Notification',
        MessageId: `msg-${n}`,
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:storm',
        Message: JSON.stringify({
          AlarmName: name,
          NewStateValue: 'ALARM',
          NewStateReason: 'Threshold crossed',
          StateChangeTime: new Date().toISOString(),
          Region: 'EU (Ireland)',
          AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`,
          Trigger: { MetricName: 'Errors', Namespace: 'Storm', Dimensions: [{ name: 'ServiceName', value: `svc-${service}` }] },
        }),
      })
  }
}

const api = async <T>(url: string, token: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

const FANOUT_RATE = 2

export const runAlertStorm = async (options: StormOptions): Promise<StormResult> => {
  const dataDir = await tempDir('warroom-storm-')
  const host = await spawnHost(dataDir)
  try {
    const { url, hostToken } = host
    await api(url, hostToken, '/api/catalog?name=storm.json', catalog(options.services))
    const integrations = await Promise.all(
      KINDS.map((kind) => api<{ url: string }>(url, hostToken, '/api/integrations', { name: `storm ${kind}`, kind, verifySignatures: false }).then((i) => ({ kind, url: i.url }))),
    )
    const board = await createIncidentOn(url, hostToken, 'Unrelated incident', 'SEV-3')
    const fanout = (seconds: number) => runFanout({ url, room: board.id, token: board.editToken, pid: host.process.pid!, clients: options.boardClients, entriesPerSecond: FANOUT_RATE, seconds })
    const quiet = await fanout(options.seconds)

    const all = Array.from({ length: options.services }, (_, i) => i)
    const databases = all.filter((i) => i % 5 === 0)
    const order = [...databases, ...all.filter((i) => i % 5 !== 0)]
    const answers: number[] = []
    const refused: Record<string, number> = {}
    let accepted = 0
    let sent = 0
    const started = performance.now()
    const post = async (n: number): Promise<void> => {
      const { kind, url: intake } = integrations[n % integrations.length]!
      // The storm spreads: it starts at the databases and reaches more of their dependents as it goes.
      const reach = Math.min(order.length, databases.length + Math.floor((n / options.alerts) * order.length))
      const service = order[(n * 7) % reach]!
      const begin = performance.now()
      const response = await fetch(intake, { method: 'POST', headers: { 'Content-Type': kind === 'cloudwatch' ? 'text/plain' : 'application/json' }, body: payload(kind, n, service) })
      await response.arrayBuffer()
      answers.push(performance.now() - begin)
      if (response.ok) accepted++
      else refused[response.status] = (refused[response.status] ?? 0) + 1
    }
    const periodMs = (options.seconds * 1000) / options.alerts
    const storm = async (): Promise<void> => {
      const inFlight: Array<Promise<void>> = []
      for (let n = 0; n < options.alerts; n++) {
        const due = started + n * periodMs
        const wait = due - performance.now()
        if (wait > 1) await sleep(wait)
        inFlight.push(post(n))
        sent++
      }
      await Promise.all(inFlight)
    }
    const [{ cpuPercent, peakRssMiB }, stormFanout] = await Promise.all([watchProcess(host.process.pid!, storm), fanout(options.seconds)])
    const elapsed = (performance.now() - started) / 1000
    // Boards are written a moment after the last answer.
    await sleep(1000)
    const listed = await api<{ alerts: Array<{ route?: string; incidentId?: string }> }>(url, hostToken, '/api/alerts')
    const incidents = await api<{ incidents: Array<{ id: string }> }>(url, hostToken, '/api/incidents')
    const byRoute: Record<string, number> = {}
    for (const alert of listed.alerts) byRoute[alert.route ?? 'none'] = (byRoute[alert.route ?? 'none'] ?? 0) + 1
    return {
      alerts: options.alerts,
      seconds: round(elapsed),
      sentPerSecond: round(sent / elapsed),
      acceptedPerSecond: round(accepted / elapsed),
      answerP50Ms: round(median(answers), 2),
      answerP99Ms: round(percentile(answers, 99), 2),
      answerMaxMs: round(Math.max(...answers), 1),
      refused,
      // The unrelated incident is not the storm's.
      incidents: incidents.incidents.length - 1,
      accountedFor: listed.alerts.length,
      byRoute,
      hostCpuPercent: round(cpuPercent),
      hostPeakRssMiB: round(peakRssMiB),
      fanout: { quiet, storm: stormFanout, p50Ratio: round(stormFanout.p50Ms / quiet.p50Ms, 2), p99Ratio: round(stormFanout.p99Ms / quiet.p99Ms, 2) },
    }
  } finally {
    await host.kill('SIGTERM')
    await removeDir(dataDir)
  }
}
