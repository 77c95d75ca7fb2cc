// The alert storm's sender, in a process of its own (alert-storm.ts starts
// it): posts `alerts` alerts evenly over `seconds` to the integrations, each
// in its source's own format, and prints what the intake answered as one JSON
// line. Apart from the bench's board clients, so its own work never counts as
// the host slowing them down.
import { sleep } from '../unit/helpers/host'
import { median, percentile, round } from './measure'

type Kind = 'alertmanager' | 'grafana' | 'pagerduty' | 'cloudwatch'

export interface SenderResult {
  /** From the first alert sent to the last answer. */
  seconds: number
  sent: number
  accepted: number
  refused: Record<string, number>
  answerP50Ms: number
  answerP99Ms: number
  answerMaxMs: number
}

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

const send = async (config: { integrations: Array<{ kind: Kind; url: string }>; alerts: number; seconds: number; services: number }): Promise<SenderResult> => {
  const { integrations, alerts, seconds, services } = config
  const all = Array.from({ length: services }, (_, i) => i)
  const databases = all.filter((i) => i % 5 === 0)
  const order = [...databases, ...all.filter((i) => i % 5 !== 0)]
  const answers: number[] = []
  const refused: Record<string, number> = {}
  let accepted = 0
  let sent = 0
  const post = async (n: number): Promise<void> => {
    const { kind, url } = integrations[n % integrations.length]!
    // The storm spreads: it starts at the databases and reaches more of their dependents as it goes.
    const reach = Math.min(order.length, databases.length + Math.floor((n / alerts) * order.length))
    const service = order[(n * 7) % reach]!
    const begin = performance.now()
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': kind === 'cloudwatch' ? 'text/plain' : 'application/json' }, body: payload(kind, n, service) })
    await response.arrayBuffer()
    answers.push(performance.now() - begin)
    if (response.ok) accepted++
    else refused[response.status] = (refused[response.status] ?? 0) + 1
  }
  const started = performance.now()
  const periodMs = (seconds * 1000) / alerts
  const inFlight: Array<Promise<void>> = []
  for (let n = 0; n < alerts; n++) {
    const wait = started + n * periodMs - performance.now()
    if (wait > 1) await sleep(wait)
    inFlight.push(post(n))
    sent++
  }
  await Promise.all(inFlight)
  return { seconds: (performance.now() - started) / 1000, sent, accepted, refused, answerP50Ms: round(median(answers), 2), answerP99Ms: round(percentile(answers, 99), 2), answerMaxMs: round(Math.max(...answers), 1) }
}

console.log(JSON.stringify(await send(JSON.parse(process.argv[2]!))))
