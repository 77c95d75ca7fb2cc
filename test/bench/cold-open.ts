// Cold open: an incident with many logged updates, opened by a host that has
// never loaded it; time from connecting to the first full sync.
import { readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import * as Y from 'yjs'
import { readCheckpoint } from '../../electron/host/persistence/checkpoint'
import { CHECKPOINT_EVERY_RECORDS, DurableIncident, incidentPaths } from '../../electron/host/persistence/durable-incident'
import { readLog } from '../../electron/host/persistence/update-log'
import { HostRecords } from '../../electron/host/records'
import { declareIncident } from '../../shared/incident'
import { spawnHost } from '../unit/helpers/child-host'
import { connectClient, removeDir, sleep, tempDir, waitFor } from '../unit/helpers/host'
import { writeLongIncident } from './long-incident'
import { median, round, rssMiB } from './measure'

export interface ColdOpenCase {
  state: string
  tailRecords: number
  firstSyncMsMedian: number
  firstSyncMsRuns: number[]
  hostRssMiB: number
}

export interface ColdOpenResult {
  updates: number
  entries: number
  logBytes: number
  checkpointBytes: number
  logBytesPer1000Entries: number
  cases: ColdOpenCase[]
}

/** Whether a document holds everything of `expected` (a state vector). */
const holds = (doc: Y.Doc, expected: Map<number, number>): boolean => [...expected].every(([client, clock]) => Y.getState(doc.store, client) >= clock)

/** From connecting until the client holds every logged update (not just its first sync message). */
const firstSync = async (url: string, id: string, token: string, expected: Map<number, number>): Promise<number> => {
  const started = performance.now()
  const client = connectClient(url, id, token, 'bench')
  await client.synced
  await waitFor(client.doc, () => holds(client.doc, expected), 30_000)
  const ms = performance.now() - started
  client.close()
  return ms
}

/**
 * Time the first sync `runs` times. `stop`: a newly started host process each
 * time (the desktop app just launched), stopped after each run by a crash
 * (SIGKILL: the log keeps a tail) or cleanly (SIGTERM: a final checkpoint).
 * Otherwise one running host that opened the incident before and unloaded it.
 */
const timeFirstSync = async (
  dataDir: string,
  id: string,
  token: string,
  expected: Map<number, number>,
  runs: number,
  stop?: 'SIGKILL' | 'SIGTERM',
  /** Before each new host process: put the files back as the crash left them; how long after start to connect. */
  each: { restore?: () => Promise<void>; waitMs?: number } = {},
): Promise<{ times: number[]; rss: number }> => {
  const times: number[] = []
  let rss = 0
  if (stop) {
    for (let run = 0; run < runs; run++) {
      await each.restore?.()
      const host = await spawnHost(dataDir, 0, 30_000, undefined, each.waitMs !== undefined ? 0 : undefined)
      if (each.waitMs) await sleep(each.waitMs)
      times.push(await firstSync(host.url, id, token, expected))
      rss = rssMiB(host.process.pid!)
      await host.kill(stop)
    }
    return { times, rss }
  }
  const host = await spawnHost(dataDir, 0, UNLOAD_AFTER_MS)
  await firstSync(host.url, id, token, expected)
  for (let run = 0; run < runs; run++) {
    await sleep(UNLOAD_AFTER_MS + 500)
    times.push(await firstSync(host.url, id, token, expected))
  }
  rss = rssMiB(host.process.pid!)
  await host.kill('SIGTERM')
  return { times, rss }
}

const UNLOAD_AFTER_MS = 200

export const runColdOpen = async (updates: number, entryShare: number, runs: number): Promise<ColdOpenResult> => {
  const dataDir = await tempDir('warroom-bench-')
  try {
    const records = await HostRecords.open(dataDir)
    const { record: incident, tokens: { editToken } } = records.prepare({ title: 'Cold open', severity: 'SEV-2', now: Date.now() })
    await records.create(incident)
    const durable = await DurableIncident.open(dataDir, incident.id, { now: Date.now, checkpointEveryRecords: Infinity, checkpointEveryBytes: Infinity })
    const { doc } = durable
    doc.transact(() => declareIncident(doc, { by: 'host', at: Date.now() }, { id: incident.id, title: 'Cold open', severity: 'SEV-2' }), {
      author: 'host',
      access: 'system',
    })
    // A live host checkpoints every CHECKPOINT_EVERY_RECORDS records; here the
    // workload takes them itself (automatic ones are off), so a crash's tail
    // is as long as a live host can leave.
    const entries = await writeLongIncident(doc, updates, entryShare, Date.now, async (i) => {
      if (i % CHECKPOINT_EVERY_RECORDS === 0) await durable.checkpoint()
    })
    await durable.log.flush()
    const { checkpoint: checkpointPath, log: logPath } = incidentPaths(dataDir, incident.id)
    const read = await readCheckpoint(checkpointPath)
    if (read.status !== 'ok') throw new Error(`no checkpoint to measure from (${read.status})`)
    const { logOffset } = read.checkpoint
    const logBytes = (await stat(logPath)).size
    const tailRecords = (await readLog(logPath, logOffset)).records.length
    const cases: ColdOpenCase[] = []
    const measureCase = async (state: string, tail: number, times: number, stop?: 'SIGKILL' | 'SIGTERM', each: Parameters<typeof timeFirstSync>[6] = {}): Promise<void> => {
      const { times: runsMs, rss } = await timeFirstSync(dataDir, incident.id, editToken, expected, times, stop, each)
      cases.push({ state, tailRecords: tail, firstSyncMsMedian: round(median(runsMs)), firstSyncMsRuns: runsMs.map((t) => round(t)), hostRssMiB: round(rss) })
    }
    // Every run starts from exactly the files of its case: the hosts themselves append
    // (attendance) and a host folds a crash's tail into a new checkpoint.
    const crashCheckpoint = await readFile(checkpointPath)
    const expected = Y.decodeStateVector(Y.encodeStateVector(doc))
    await durable.close()
    const cleanCheckpoint = await readFile(checkpointPath)
    const checkpointBytes = cleanCheckpoint.length
    const filesAs = (checkpoint: Buffer | undefined) => async (): Promise<void> => {
      await truncate(logPath, logBytes)
      if (checkpoint) await writeFile(checkpointPath, checkpoint)
      else await rm(checkpointPath, { force: true })
    }
    await measureCase('new host process, after a crash (checkpoint + tail)', tailRecords, runs, 'SIGKILL', { restore: filesAs(crashCheckpoint) })
    await measureCase('new host process, after a crash, opened 2 s after its tail was folded', tailRecords, runs, 'SIGKILL', { restore: filesAs(crashCheckpoint), waitMs: 2000 })
    await measureCase('new host process, after a clean stop', 0, runs, 'SIGTERM', { restore: filesAs(cleanCheckpoint) })
    await filesAs(cleanCheckpoint)()
    await measureCase('running host, incident unloaded', 0, runs)
    await measureCase('new host process, no checkpoint (whole log replayed)', updates, 1, 'SIGKILL', { restore: filesAs(undefined) })
    return { updates, entries, logBytes, checkpointBytes, logBytesPer1000Entries: Math.round(logBytes / (entries / 1000)), cases }
  } finally {
    await removeDir(dataDir)
  }
}
