import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export interface ChildServer<T> {
  info: T
  process: ChildProcess
  kill: (signal?: NodeJS.Signals) => Promise<void>
}

/** Run a TypeScript script in its own Node process; it announces itself with one JSON line. */
export const spawnScript = <T>(script: string, args: string[]): Promise<ChildServer<T>> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code})`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve({
        info: JSON.parse(line) as T,
        process: child,
        kill: (signal = 'SIGKILL') =>
          new Promise((done) => {
            child.removeAllListeners('exit')
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill(signal)
          }),
      })
    })
  })

const hostScript = fileURLToPath(new URL('./host-process.ts', import.meta.url))

export interface ChildHost {
  url: string
  hostToken: string
  process: ChildProcess
  kill: (signal?: NodeJS.Signals) => Promise<void>
}

/** The War Room host in its own process, so a test can SIGKILL it like a power cut. */
export const spawnHost = async (dataDir: string, port = 0, unloadAfterMs = 30_000, webRoot?: string, foldLogTailsAfterMs?: number): Promise<ChildHost> => {
  const child = await spawnScript<{ url: string; hostToken: string }>(hostScript, [
    '--data',
    dataDir,
    '--port',
    String(port),
    '--unload-after-ms',
    String(unloadAfterMs),
    ...(webRoot ? ['--web-root', webRoot] : []),
    ...(foldLogTailsAfterMs !== undefined ? ['--fold-tails-after-ms', String(foldLogTailsAfterMs)] : []),
  ])
  return { ...child.info, process: child.process, kill: child.kill }
}
