import { appendFile, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as Y from 'yjs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readCheckpoint, writeCheckpoint } from '../../electron/host/persistence/checkpoint'
import { CHECKPOINT_EVERY_RECORDS, DurableIncident, SYSTEM_ORIGIN, incidentPaths, readStoredState } from '../../electron/host/persistence/durable-incident'
import { LOG_START, UpdateLog, encodeRecord, readLog, recordLength } from '../../electron/host/persistence/update-log'
import { addEntry, readTimeline } from '../../shared/timeline'
import { removeDir, tempDir } from './helpers/host'

let dir: string
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(() => removeDir(dir))

const update = (n: number): Uint8Array => Uint8Array.from({ length: 20 + n }, (_, i) => (i * 7 + n) & 0xff)

describe('update log', () => {
  it('keeps every record with its arrival time and author, in order', async () => {
    const path = join(dir, 'updates.log')
    const { log } = await UpdateLog.open(path, LOG_START)
    log.append({ at: 1000, author: 'alice', access: 'edit', update: update(1) })
    log.append({ at: 1001, author: 'host', access: 'system', update: update(2) })
    await log.flush()
    log.append({ at: 1002, author: 'ic', access: 'host', update: update(3) })
    await log.close()
    const { records, damaged } = await readLog(path)
    expect(damaged).toEqual([])
    expect(records.map((r) => [r.at, r.author, r.access, [...r.update]])).toEqual([
      [1000, 'alice', 'edit', [...update(1)]],
      [1001, 'host', 'system', [...update(2)]],
      [1002, 'ic', 'host', [...update(3)]],
    ])
  })

  it('is on disk within the group-commit window without an explicit flush', async () => {
    const path = join(dir, 'updates.log')
    const { log } = await UpdateLog.open(path, LOG_START, { flushDelayMs: 20 })
    log.append({ at: 1, author: 'a', access: 'edit', update: update(1) })
    await expect.poll(async () => (await readLog(path)).records.length, { interval: 5 }).toBe(1)
    expect(log.stats.maxDelayMs).toBeLessThan(100)
    await log.close()
  })

  it('detects a torn last record, keeps its bytes aside, and appends after the last good one', async () => {
    const path = join(dir, 'updates.log')
    const first = await UpdateLog.open(path, LOG_START)
    first.log.append({ at: 1, author: 'a', access: 'edit', update: update(1) })
    first.log.append({ at: 2, author: 'a', access: 'edit', update: update(2) })
    await first.log.close()
    const { size } = await stat(path)
    await truncate(path, size - 5) // the crash cut the second record short
    const torn = (await readFile(path)).subarray(size - 5 - (recordLength({ at: 2, author: 'a', access: 'edit', update: update(2) }) - 5))
    const reopened = await UpdateLog.open(path, LOG_START)
    expect(reopened.tail.map((r) => r.at)).toEqual([1])
    expect(reopened.findings).toHaveLength(1)
    expect(await readFile(reopened.findings[0]!.setAsideAs!)).toEqual(torn)
    reopened.log.append({ at: 3, author: 'a', access: 'edit', update: update(3) })
    await reopened.log.close()
    expect((await readLog(path)).records.map((r) => r.at)).toEqual([1, 3])
  })

  it('stops at a record whose checksum does not match (garbage after a crash)', async () => {
    const path = join(dir, 'updates.log')
    const { log } = await UpdateLog.open(path, LOG_START)
    log.append({ at: 1, author: 'a', access: 'edit', update: update(1) })
    await log.close()
    await appendFile(path, Buffer.from([5, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9, 9, 9]))
    const { records, damaged } = await readLog(path)
    expect(records.map((r) => r.at)).toEqual([1])
    expect(damaged).toHaveLength(1)
  })

  it('keeps a file that is not a log aside, verbatim, before starting a log in its place', async () => {
    const path = join(dir, 'updates.log')
    await writeFile(path, 'hello, this is not a log')
    const { log, tail, findings } = await UpdateLog.open(path, LOG_START)
    expect(tail).toEqual([])
    const kept = findings.map((f) => f.setAsideAs).filter((p): p is string => p !== undefined)
    expect(await Promise.all(kept.map((p) => readFile(p, 'latin1')))).toContain('hello, this is not a log')
    log.append({ at: 1, author: 'a', access: 'edit', update: update(1) })
    await log.close()
    expect((await readLog(path)).records.map((r) => r.at)).toEqual([1])
  })
})

describe('checkpoints', () => {
  it('round-trips, and a damaged checkpoint reads as none', async () => {
    const path = join(dir, 'checkpoint.bin')
    await writeCheckpoint(path, { logOffset: 1234, takenAt: 99, state: update(5), heldBack: [update(6)] })
    expect(await readCheckpoint(path)).toEqual({ status: 'ok', checkpoint: { logOffset: 1234, takenAt: 99, state: update(5), heldBack: [update(6)] } })
    const bytes = await readFile(path)
    bytes[bytes.length - 1]! ^= 0xff
    await writeFile(path, bytes)
    expect(await readCheckpoint(path)).toEqual({ status: 'damaged', problem: 'the checkpoint fails its checksum' })
    expect(await readCheckpoint(join(dir, 'missing.bin'))).toEqual({ status: 'missing' })
  })
})

describe('durable incident', () => {
  const options = { now: () => 5000, flushDelayMs: 5, checkpointEveryRecords: 10 }
  const write = (doc: Y.Doc, n: number, from = 0): void => {
    for (let i = from; i < from + n; i++) {
      doc.transact(() => addEntry(doc, { by: 'alice', at: 1000 + i }, { kind: 'note', text: `entry ${i}` }), { author: 'alice', access: 'edit' })
    }
  }

  it('reopens to the same document from checkpoint plus tail', async () => {
    const first = await DurableIncident.open(dir, 'inc', options)
    write(first.doc, 25)
    await vi.waitFor(() => expect(first.dirty).toBe(false))
    write(first.doc, 3, 25)
    await first.log.flush()
    const expected = readTimeline(first.doc)
    // Never closed (as after a crash): the checkpoint covers 25 records, the log has 28.
    const checkpoint = await readCheckpoint(incidentPaths(dir, 'inc').checkpoint)
    expect(checkpoint.status === 'ok' && checkpoint.checkpoint.logOffset).toBeLessThan(first.log.end)
    const second = await DurableIncident.open(dir, 'inc', options)
    expect(readTimeline(second.doc)).toEqual(expected)
    expect(expected).toHaveLength(28)
    await second.close()
    await first.close()
  })

  it('falls back to the whole log when the checkpoint is damaged', async () => {
    const first = await DurableIncident.open(dir, 'inc', { ...options, checkpointEveryRecords: 1000 })
    write(first.doc, 5)
    await first.close()
    await writeFile(incidentPaths(dir, 'inc').checkpoint, 'garbage')
    const second = await DurableIncident.open(dir, 'inc', options)
    expect(readTimeline(second.doc).map((e) => e.text)).toEqual(['entry 0', 'entry 1', 'entry 2', 'entry 3', 'entry 4'])
    await second.close()
  })

  it('offers its stored state for a first sync, except when the tail is far longer than checkpoints allow', async () => {
    const incident = await DurableIncident.open(dir, 'inc', { ...options, checkpointEveryRecords: Infinity })
    write(incident.doc, 5)
    await incident.checkpoint()
    write(incident.doc, 3, 5)
    await incident.log.flush()
    const stored = await readStoredState(dir, 'inc')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, stored!.checkpoint)
    expect(readTimeline(doc)).toHaveLength(5)
    expect(stored!.tail).toHaveLength(3)
    for (const update of stored!.tail) Y.applyUpdate(doc, update)
    expect(readTimeline(doc)).toEqual(readTimeline(incident.doc))

    write(incident.doc, 2 * CHECKPOINT_EVERY_RECORDS, 8)
    await incident.log.flush()
    expect(await readStoredState(dir, 'inc')).toBeUndefined()
    await incident.close()
  })

  it('logs who made each change', async () => {
    const incident = await DurableIncident.open(dir, 'inc', options)
    write(incident.doc, 1)
    incident.doc.transact(() => addEntry(incident.doc, { by: 'host', at: 1 }, { kind: 'note', text: 'x' }), SYSTEM_ORIGIN)
    incident.doc.getMap('meta').set('title', 'untracked origin')
    await incident.close()
    const { records } = await readLog(incidentPaths(dir, 'inc').log)
    expect(records.map((r) => [r.author, r.access, r.at])).toEqual([
      ['alice', 'edit', 5000],
      ['host', 'system', 5000],
      ['host', 'system', 5000],
    ])
  })
})

describe('record length', () => {
  it('is known before encoding, for every size of author and update', () => {
    for (const author of ['', 'a', 'ünïcødé-👍', 'x'.repeat(200)]) {
      for (const size of [0, 1, 127, 128, 16_383, 16_384, 70_000]) {
        const entry = { at: 1, author, access: 'edit' as const, update: new Uint8Array(size) }
        expect(recordLength(entry)).toBe(encodeRecord(entry).length)
      }
    }
  })
})
