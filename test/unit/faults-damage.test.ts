// Fault suite: damaged incident files. For each kind of damage, what the board
// shows at once, what is kept aside verbatim, what a peer restores, and what
// the host's own files hold afterwards.
import { readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import type * as Y from 'yjs'
import { incidentPaths } from '../../electron/host/persistence/durable-incident'
import { readLog } from '../../electron/host/persistence/update-log'
import { addEntry, readTimeline } from '../../shared/timeline'
import { spawnHost } from './helpers/child-host'
import { type TestClient, type TestHost, connectClient, createIncidentOn, removeDir, startTestHost, tempDir, waitFor } from './helpers/host'

const ENTRIES = 500
let dataDir: string
const cleanups: Array<() => Promise<void> | void> = []
beforeEach(async () => {
  dataDir = await tempDir()
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await removeDir(dataDir)
})

/** The scribe's notes in the order written (entries made within one millisecond share a time). */
const entryTexts = (doc: Y.Doc): string[] =>
  readTimeline(doc)
    .filter((e) => e.kind === 'note')
    .map((e) => e.text)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
const all = Array.from({ length: ENTRIES }, (_, i) => `entry ${i}`)

const host = async (): Promise<TestHost> => {
  const started = await startTestHost({ dataDir })
  cleanups.push(() => started.stop())
  return started
}

const client = (url: string, id: string, token: string, person: string): TestClient => {
  const c = connectClient(url, id, token, person)
  cleanups.push(() => c.close())
  return c
}

/** What a fresh board (nothing local) gets from the host. */
const freshBoard = async (h: { url: string }, id: string, token: string): Promise<string[]> => {
  const reader = client(h.url, id, token, `reader${Math.random().toString(36).slice(2, 8)}`)
  await reader.synced
  return entryTexts(reader.doc)
}

/**
 * An incident with 500 entries from one scribe, whose board keeps its copy
 * (as the browser's IndexedDB does) with its connection closed. `stop`: how
 * the host went down.
 */
const incidentWithEntries = async (stop: 'SIGKILL' | 'SIGTERM') => {
  const first = await spawnHost(dataDir)
  cleanups.push(() => first.kill('SIGKILL'))
  const { id, editToken } = await createIncidentOn(first.url, first.hostToken)
  const scribe = connectClient(first.url, id, editToken, 'scribe')
  await scribe.synced
  for (const text of all) addEntry(scribe.doc, { by: 'scribe', at: Date.now() }, { kind: 'note', text })
  const { log } = incidentPaths(dataDir, id)
  await expect.poll(async () => (await readLog(log)).records.filter((r) => Buffer.from(r.update).includes('entry ')).length, { timeout: 10_000 }).toBe(ENTRIES)
  scribe.provider.destroy()
  await first.kill(stop)
  cleanups.push(() => scribe.doc.destroy())
  return { id, editToken, peerDoc: scribe.doc, paths: incidentPaths(dataDir, id) }
}

/** Flip one byte inside the record that carries `text`; returns the file as it was. */
const flipByteIn = async (logPath: string, text: string): Promise<Buffer> => {
  const before = await readFile(logPath)
  const record = (await readLog(logPath)).records.find((r) => Buffer.from(r.update).includes(`${text}"`) || Buffer.from(r.update).includes(text))
  if (!record) throw new Error(`no record holds "${text}"`)
  const damaged = Buffer.from(before)
  damaged[record.offset + 8 + 12]! ^= 0x40
  await writeFile(logPath, damaged)
  return before
}

/** The scribe's board comes back with its local copy: y-websocket syncs both ways. */
const peerReconnects = (url: string, id: string, token: string, doc: Y.Doc): void => {
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, id, doc, {
    params: { token, person: 'scribe' },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  cleanups.push(() => provider.destroy())
}

const problemsOf = async (h: { url: string; hostToken: string }) =>
  (await (await fetch(`${h.url}/api/problems`, { headers: { Authorization: `Bearer ${h.hostToken}` } })).json()) as { problems: Array<{ file: string; problem: string; setAsideAs?: string }> }

describe('one flipped byte in the log', () => {
  it.each([
    ['after a crash (the whole log is the tail)', 'SIGKILL' as const, false],
    ['after a clean stop, with the checkpoint damaged too (the whole log is replayed)', 'SIGTERM' as const, true],
  ])('%s: costs only the damaged change, is kept aside verbatim, and a board that holds it restores it', async (_, stop, damageCheckpoint) => {
    const { id, editToken, peerDoc, paths } = await incidentWithEntries(stop)
    if (damageCheckpoint) {
      const checkpoint = await readFile(paths.checkpoint)
      checkpoint[checkpoint.length - 3]! ^= 0xff
      await writeFile(paths.checkpoint, checkpoint)
    }
    const original = await flipByteIn(paths.log, 'entry 400')
    const damagedBytes = await readFile(paths.log)

    const second = await host()
    const shown = await freshBoard(second, id, editToken)
    // Everything before the damaged change is there; the scribe's later entries build on it and wait.
    expect(shown).toEqual(all.slice(0, shown.length))
    expect(shown.length).toBeGreaterThanOrEqual(400)
    expect(shown).not.toContain('entry 400')
    const { problems } = await problemsOf(second)
    const logProblem = problems.find((p) => p.file === `incidents/${id}/updates.log` && p.setAsideAs)
    expect(logProblem?.problem).toMatch(/damaged bytes?.*skipped/)
    expect(await readFile(join(dataDir, logProblem!.setAsideAs!))).toEqual(damagedBytes)
    expect(problems.some((p) => /wait for a change the host lost/.test(p.problem))).toBe(true)
    if (damageCheckpoint) {
      const checkpointProblem = problems.find((p) => p.file === `incidents/${id}/checkpoint.bin`)
      expect(checkpointProblem?.problem).toMatch(/checksum/)
      expect(await readdir(join(paths.dir, 'set-aside'))).toContain(checkpointProblem!.setAsideAs!.split('/').at(-1))
    }
    expect(original.length).toBe(damagedBytes.length)

    // The scribe's board comes back and restores what the host lost.
    peerReconnects(second.url, id, editToken, peerDoc)
    const reader = client(second.url, id, editToken, 'late')
    await reader.synced
    await waitFor(reader.doc, () => entryTexts(reader.doc).length === ENTRIES, 10_000)
    expect(entryTexts(reader.doc)).toEqual(all)

    // From then on the host's own files hold all of it.
    cleanups.splice(0).reverse().forEach((c) => void c())
    await second.stop()
    const third = await host()
    expect(await freshBoard(third, id, editToken)).toEqual(all)
    expect((await readLog(paths.log)).damaged).toEqual([])
  }, 60_000)
})

describe('a log shorter than its checkpoint', () => {
  it.each([
    ['truncated to half', (path: string) => readFile(path).then((b) => truncate(path, Math.floor(b.length / 2)))],
    ['deleted', (path: string) => rm(path)],
  ])('%s: the board is whole from the checkpoint, the IC is told, and new changes survive the next restart', async (_, damage) => {
    const { id, editToken, paths } = await incidentWithEntries('SIGTERM')
    await damage(paths.log)
    const second = await spawnHost(dataDir)
    cleanups.push(() => second.kill('SIGKILL'))
    expect(await freshBoard(second, id, editToken)).toEqual(all)
    const { problems } = await problemsOf(second)
    expect(problems.find((p) => p.file === `incidents/${id}/updates.log`)?.problem).toMatch(/shorter than its checkpoint/)
    const writer = client(second.url, id, editToken, 'writer')
    await writer.synced
    for (let i = 0; i < 10; i++) addEntry(writer.doc, { by: 'writer', at: Date.now() }, { kind: 'note', text: `after ${i}` })
    await expect.poll(async () => (await readLog(paths.log)).records.filter((r) => Buffer.from(r.update).includes('after ')).length, { timeout: 10_000 }).toBe(10)
    writer.close()
    // A crash, so nothing but the log carries the new entries.
    await second.kill('SIGKILL')
    const third = await host()
    expect(await freshBoard(third, id, editToken)).toEqual([...Array.from({ length: 10 }, (_, i) => `after ${i}`), ...all])
  }, 60_000)
})

describe('a log whose format marker was overwritten', () => {
  it('opens with every record, the original kept aside', async () => {
    const { id, editToken, paths } = await incidentWithEntries('SIGKILL')
    const log = await readFile(paths.log)
    log.write('GARBAGE!', 0, 'latin1')
    await writeFile(paths.log, log)
    const second = await host()
    expect(await freshBoard(second, id, editToken)).toEqual(all)
    const { problems } = await problemsOf(second)
    const problem = problems.find((p) => /format marker/.test(p.problem))
    expect(problem?.file).toBe(`incidents/${id}/updates.log`)
    expect(await readFile(join(dataDir, problem!.setAsideAs!))).toEqual(log)
  }, 60_000)
})

describe('a checkpoint cut short', () => {
  it('is set aside and the board rebuilt from the log', async () => {
    const { id, editToken, paths } = await incidentWithEntries('SIGTERM')
    const checkpoint = await readFile(paths.checkpoint)
    await truncate(paths.checkpoint, Math.floor(checkpoint.length / 3))
    const second = await host()
    expect(await freshBoard(second, id, editToken)).toEqual(all)
    const { problems } = await problemsOf(second)
    const problem = problems.find((p) => p.file === `incidents/${id}/checkpoint.bin`)
    expect(problem?.problem).toMatch(/cut short/)
    expect((await readFile(join(dataDir, problem!.setAsideAs!))).length).toBe(Math.floor(checkpoint.length / 3))
  }, 60_000)
})

describe('damage the checkpoint already covers', () => {
  it('is found by the host at start, without anyone opening the incident: kept aside, repaired, reported', async () => {
    const { id, editToken, paths } = await incidentWithEntries('SIGTERM')
    await flipByteIn(paths.log, 'entry 100')
    const damaged = await readFile(paths.log)
    const started = await startTestHost({ dataDir, foldLogTailsAfterMs: 10 })
    cleanups.push(() => started.stop())
    await expect.poll(async () => (await problemsOf(started)).problems.find((p) => p.file === `incidents/${id}/updates.log`), { timeout: 10_000 }).toBeDefined()
    const { problems } = await problemsOf(started)
    const problem = problems.find((p) => p.file === `incidents/${id}/updates.log`)!
    expect(await readFile(join(dataDir, problem.setAsideAs!))).toEqual(damaged)
    expect((await readLog(paths.log)).damaged).toEqual([])
    // The board never lost anything: the checkpoint holds it all.
    expect(await freshBoard(started, id, editToken)).toEqual(all)
  }, 60_000)
})
