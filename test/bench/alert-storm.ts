// An alert storm: 10,000 alerts in 60 s over 4 integrations (one per source)
// and 50 services, posted to a host in its own process, while 20 people work
// on an unrelated incident's board. Measures intake (accepted per second,
// answer p50/p99), how many incidents the storm became, that every alert is
// accounted for in GET /api/alerts, and the board's fan-out during the storm
// against without it.
import { fileURLToPath } from 'node:url'
import { spawnHost, spawnScript } from '../unit/helpers/child-host'
import { createIncidentOn, removeDir, sleep, tempDir } from '../unit/helpers/host'
import { type FanoutResult, runFanout } from './fanout'
import { round, watchProcess } from './measure'
import type { SenderResult } from './storm-sender'

const senderScript = fileURLToPath(new URL('./storm-sender.ts', import.meta.url))

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

const KINDS = ['alertmanager', 'grafana', 'pagerduty', 'cloudwatch'] as const

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

    // The storm is sent from its own process, so its sending never slows the board's clients measured here.
    const storm = async (): Promise<SenderResult> => {
      const sender = await spawnScript<SenderResult>(senderScript, [JSON.stringify({ integrations, alerts: options.alerts, seconds: options.seconds, services: options.services })])
      return sender.info
    }
    const [{ cpuPercent, peakRssMiB, result: sent }, stormFanout] = await Promise.all([watchProcess(host.process.pid!, storm), fanout(options.seconds)])
    const elapsed = sent.seconds
    // Boards are written a moment after the last answer.
    await sleep(1000)
    const listed = await api<{ alerts: Array<{ route?: string; incidentId?: string }> }>(url, hostToken, '/api/alerts')
    const incidents = await api<{ incidents: Array<{ id: string }> }>(url, hostToken, '/api/incidents')
    const byRoute: Record<string, number> = {}
    for (const alert of listed.alerts) byRoute[alert.route ?? 'none'] = (byRoute[alert.route ?? 'none'] ?? 0) + 1
    return {
      alerts: options.alerts,
      seconds: round(elapsed),
      sentPerSecond: round(sent.sent / elapsed),
      acceptedPerSecond: round(sent.accepted / elapsed),
      answerP50Ms: sent.answerP50Ms,
      answerP99Ms: sent.answerP99Ms,
      answerMaxMs: sent.answerMaxMs,
      refused: sent.refused,
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
