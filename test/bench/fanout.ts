// Sync fan-out: N stock y-websocket clients on one incident, each appending
// timeline entries at a steady rate; delivery delay to every other client.
import { timelineMap } from '../../shared/schema'
import { addEntry, readEntry } from '../../shared/timeline'
import { connectClient, sleep } from '../unit/helpers/host'
import { median, percentile, round, watchProcess } from './measure'

export interface FanoutOptions {
  url: string
  room: string
  token: string
  pid: number
  clients: number
  entriesPerSecond: number
  seconds: number
}

export interface FanoutResult {
  clients: number
  sent: number
  delivered: number
  lost: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  cpuPercent: number
  peakRssMiB: number
}

const BENCH_TEXT = /^bench (\d+) ([\d.]+)$/

export const runFanout = async (options: FanoutOptions): Promise<FanoutResult> => {
  const clients = Array.from({ length: options.clients }, (_, i) => connectClient(options.url, options.room, options.token, `bench-${i}`))
  await Promise.all(clients.map((c) => c.synced))
  const delays: number[] = []
  for (const client of clients) {
    const timeline = timelineMap(client.doc)
    timeline.observe((event) => {
      if (event.transaction.local) return
      const now = performance.now()
      for (const [key, change] of event.changes.keys) {
        if (change.action !== 'add') continue
        const match = BENCH_TEXT.exec(readEntry(client.doc, key)?.text ?? '')
        if (match) delays.push(now - Number(match[2]))
      }
    })
  }

  let sent = 0
  const periodMs = 1000 / options.entriesPerSecond
  const { cpuPercent, peakRssMiB } = await watchProcess(options.pid, async () => {
    const timers: NodeJS.Timeout[] = []
    clients.forEach((client, i) => {
      const write = (): void => {
        addEntry(client.doc, { by: `bench-${i}`, at: Date.now() }, { kind: 'note', text: `bench ${i} ${performance.now()}` })
        sent++
      }
      // Staggered so the load is steady rather than in bursts.
      timers.push(setTimeout(() => timers.push(setInterval(write, periodMs)), Math.random() * periodMs))
    })
    await sleep(options.seconds * 1000)
    for (const timer of timers) clearTimeout(timer)
    await sleep(2000)
  })
  for (const client of clients) client.close()
  const expected = sent * (options.clients - 1)
  return {
    clients: options.clients,
    sent,
    delivered: delays.length,
    lost: expected - delays.length,
    p50Ms: round(median(delays), 2),
    p99Ms: round(percentile(delays, 99), 2),
    maxMs: round(Math.max(...delays), 1),
    cpuPercent: round(cpuPercent),
    peakRssMiB: round(peakRssMiB),
  }
}
