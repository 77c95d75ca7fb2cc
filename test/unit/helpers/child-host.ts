import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./host-process.ts', import.meta.url))

export interface ChildHost {
  url: string
  hostToken: string
  process: ChildProcess
  kill: (signal?: NodeJS.Signals) => Promise<void>
}

export const spawnHost = (dataDir: string, port = 0): Promise<ChildHost> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--data', dataDir, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`host exited early (${code})`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { url, hostToken } = JSON.parse(line) as { url: string; hostToken: string }
      resolve({
        url,
        hostToken,
        process: child,
        kill: (signal = 'SIGKILL') =>
          new Promise((done) => {
            child.removeAllListeners('exit')
            child.once('exit', () => done())
            child.kill(signal)
          }),
      })
    })
  })
