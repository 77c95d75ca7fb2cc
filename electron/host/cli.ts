// `npm run serve -- --port P --data DIR [--host ADDR]`: the headless host.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { DEFAULT_MAX_MESSAGE_BYTES, startHost } from './host'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const builtWebRoot = join(root, 'out', 'renderer')

const usage = `Usage: npm run serve -- [--port 4455] [--data ./data] [--host 127.0.0.1] [--public-url URL] [--max-message-mib 16] [--web-root DIR] [--allow-local-webhooks]`

const fail = (message: string): never => {
  console.error(`${message}\n${usage}`)
  process.exit(2)
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '4455' },
        data: { type: 'string', default: './data' },
        host: { type: 'string', default: '127.0.0.1' },
        'public-url': { type: 'string' },
        'max-message-mib': { type: 'string' },
        // A web UI built elsewhere (a folder with index.html): then nothing is built here.
        'web-root': { type: 'string' },
        // Webhooks to loopback and link-local addresses (a receiver on this machine); refused otherwise.
        'allow-local-webhooks': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    })
  } catch (error) {
    return fail((error as Error).message)
  }
})()

if (values.help) {
  console.log(usage)
  process.exit(0)
}

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not "${values.port}".`)
const maxMessageMib = values['max-message-mib'] === undefined ? undefined : Number(values['max-message-mib'])
if (maxMessageMib !== undefined && !(maxMessageMib > 0)) fail('--max-message-mib must be a positive number.')

/** Serve the built web UI, building it first on a fresh clone (unless --web-root names one). */
const ensureWebUi = (): string => {
  if (values['web-root'] !== undefined) {
    const given = resolve(values['web-root'])
    if (!existsSync(join(given, 'index.html'))) fail(`--web-root ${given} has no index.html.`)
    return given
  }
  if (existsSync(join(builtWebRoot, 'index.html'))) return builtWebRoot
  console.log('Building the web UI (first run)…')
  const require = createRequire(import.meta.url)
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) fail('Building the web UI failed; see above.')
  return builtWebRoot
}

const webRoot = ensureWebUi()

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version

const host = await startHost({
  dataDir: resolve(values.data),
  port,
  host: values.host,
  webRoot,
  version,
  allowLocalWebhooks: values['allow-local-webhooks'],
  ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
  maxMessageBytes: maxMessageMib === undefined ? DEFAULT_MAX_MESSAGE_BYTES : Math.round(maxMessageMib * 1024 * 1024),
}).catch((error: unknown) => fail(`The host could not start: ${(error as Error).message}`))

console.log(`War Room host listening on ${host.url}`)
console.log(`Data: ${resolve(values.data)}`)
console.log(`Host token: ${host.hostTokenFrom === 'WARROOM_HOST_TOKEN' ? 'from WARROOM_HOST_TOKEN' : `in ${host.hostTokenFrom}`}`)
if (host.inviteBase !== host.url) console.log(`Invite links use ${host.inviteBase}`)

// Last line of defence: a bug in one request must not end everyone's incident.
// A closed terminal (EPIPE on stdout or stderr) must neither stop the host nor,
// through the handler below writing to it again, spin in a loop.
process.stdout.on('error', () => undefined)
process.stderr.on('error', () => undefined)
process.on('uncaughtException', (error) => console.error('unexpected error (host keeps running):', error.message))
process.on('unhandledRejection', (error) => console.error('unexpected rejection (host keeps running):', error))

let stopping = false
const stop = (signal: string): void => {
  if (stopping) return
  stopping = true
  console.log(`${signal}: flushing logs and stopping…`)
  host.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error((error as Error).message)
      process.exit(1)
    },
  )
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
