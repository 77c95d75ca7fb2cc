// `npm run serve` stops cleanly on SIGTERM (kill, systemd, docker stop) and on
// Ctrl-C (SIGINT to the whole process group), even while its event loop is busy:
// exit code 0, and every incident's checkpoint covers its whole log. (Under the
// tsx CLI, which relays signals to a child process and SIGKILLs it when it has
// not acknowledged within 30 ms, a busy host died without its checkpoint.)
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { hasLogTail, incidentPaths, readStoredState } from '../../electron/host/persistence/durable-incident'
import { addEntry, readTimeline } from '../../shared/timeline'
import { type TestClient, connectClient, createIncidentOn, removeDir, tempDir, waitFor } from './helpers/host'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** What `npm run serve` runs (package.json), e.g. `node --import tsx electron/host/cli.ts`. */
const serveScript = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.serve!

interface Served {
  child: ChildProcess
  url: string
  hostToken: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  output: () => string
}

/**
 * Start the host in its own process group (as a terminal's foreground job is):
 * `npm run serve`, or the script's command itself without npm and sh around it.
 */
const serve = async (how: 'npm' | 'script', dataDir: string, webRoot: string): Promise<Served> => {
  // --web-root: a stand-in web UI, so a clone without out/renderer does not build one first.
  const args = ['--port', '0', '--data', dataDir, '--web-root', webRoot]
  const [command, ...scriptArgs] = serveScript.split(' ')
  const child =
    how === 'npm'
      ? spawn('npm', ['run', 'serve', '--', ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(command === 'node' ? process.execPath : command!, [...scriptArgs, ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  cleanup.push(() => {
    // Whatever is left of the group (npm, sh, the host).
    if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL')
  })
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`
      const match = /listening on (http:\/\/\S+)/.exec(line)
      if (match) resolve(match[1]!)
    })
    void exited.then(() => reject(new Error(`the host exited before listening:\n${output}`)))
  })
  const hostToken = (await readFile(join(dataDir, 'host-token'), 'utf8')).trim()
  return { child, url, hostToken, exited, output: () => output }
}

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

/** Resolves when every process of the group has exited. */
const groupGone = async (pgid: number, ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still running after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/** Resolves once everything the client sent is in the kernel's hands, on its way to the host. */
const sent = async (client: TestClient): Promise<void> => {
  const ws = client.provider.ws as unknown as { bufferedAmount: number } | null
  while (ws && ws.bufferedAmount > 0) await new Promise((resolve) => setTimeout(resolve, 1))
}

/**
 * Start a host, write entries through a client until the host has them, then
 * keep its event loop busy (one update of about 6 MB, a paste of 20,000
 * entries, takes the host's thread well over 30 ms to take in, apply and log)
 * and `stop` it meanwhile. Resolves with the incident, once every process is gone.
 */
const busyStop = async (how: 'npm' | 'script', stop: (served: Served) => void): Promise<{ served: Served; dataDir: string; id: string }> => {
  const dataDir = await tempDir('warroom-serve-')
  const webRoot = await tempDir('warroom-web-')
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>War Room</title>\n')
  cleanup.push(() => removeDir(dataDir), () => removeDir(webRoot))
  const served = await serve(how, dataDir, webRoot)

  const { id, editToken } = await createIncidentOn(served.url, served.hostToken, 'Stopping cleanly')
  const scribe = connectClient(served.url, id, editToken, 'scribe')
  cleanup.push(() => scribe.close())
  await scribe.synced
  for (let i = 0; i < 50; i++) addEntry(scribe.doc, { by: 'scribe', at: Date.now() }, { kind: 'note', text: `Entry ${i}` })
  // The host has them once another board sees them.
  const reader = connectClient(served.url, id, editToken, 'reader')
  cleanup.push(() => reader.close())
  await waitFor(reader.doc, () => readTimeline(reader.doc).length >= 50, 10_000)

  const text = 'x'.repeat(300)
  scribe.doc.transact(() => {
    for (let i = 0; i < 20_000; i++) addEntry(scribe.doc, { by: 'scribe', at: Date.now() }, { kind: 'note', text: `${i} ${text}` })
  })
  await sent(scribe)
  stop(served)
  await groupGone(served.child.pid!)
  return { served, dataDir, id }
}

/** The clean-stop path ran to its end: a checkpoint covering the whole log, with everything the host had. */
const expectCheckpointCoversLog = async (dataDir: string, id: string): Promise<void> => {
  const paths = incidentPaths(dataDir, id)
  expect((await stat(paths.log)).size).toBeGreaterThan(0)
  expect((await stat(paths.checkpoint)).size).toBeGreaterThan(0)
  expect(await hasLogTail(dataDir, id)).toBe(false)
  const stored = await readStoredState(dataDir, id)
  expect(stored?.tail).toEqual([])
  const doc = new Y.Doc()
  Y.applyUpdate(doc, stored!.checkpoint)
  const texts = new Set(readTimeline(doc).map((entry) => entry.text))
  for (let i = 0; i < 50; i++) expect(texts.has(`Entry ${i}`)).toBe(true)
}

describe('npm run serve: a clean stop is always clean', () => {
  it('runs the host in its own process: no tsx CLI in between to relay signals and SIGKILL', () => {
    expect(serveScript).toMatch(/^node --import tsx electron\/host\/cli\.ts$/)
  })

  it.each(['SIGTERM', 'SIGINT'] as const)('%s while the host is busy: exit 0, and the checkpoint covers the whole log', async (signal) => {
    const { served, dataDir, id } = await busyStop('script', (s) => s.child.kill(signal))
    expect(await served.exited, served.output()).toEqual({ code: 0, signal: null })
    expect(served.output()).toContain(`${signal}: flushing logs and stopping`)
    await expectCheckpointCoversLog(dataDir, id)
  }, 60_000)

  it('Ctrl-C on `npm run serve` (SIGINT to its process group) while the host is busy stops it cleanly', async () => {
    const { served, dataDir, id } = await busyStop('npm', (s) => process.kill(-s.child.pid!, 'SIGINT'))
    // npm itself ends as a Ctrl-C'd npm does (sh, between npm and the host, passes on the SIGINT status).
    expect([{ code: 0, signal: null }, { code: null, signal: 'SIGINT' }]).toContainEqual(await served.exited)
    expect(served.output()).toContain('SIGINT: flushing logs and stopping')
    expect(served.output()).not.toMatch(/error/i)
    await expectCheckpointCoversLog(dataDir, id)
  }, 60_000)
})
