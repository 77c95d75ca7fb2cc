// A host in its own process, so a test can SIGKILL it like a power cut.
// Prints one JSON line ({url, hostToken}) when it is listening.
import { parseArgs } from 'node:util'
import { startHost } from '../../../electron/host/host'

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '0' },
    'unload-after-ms': { type: 'string', default: '30000' },
    'web-root': { type: 'string' },
    'fold-tails-after-ms': { type: 'string' },
  },
})
const host = await startHost({
  dataDir: values.data!,
  port: Number(values.port),
  unloadAfterMs: Number(values['unload-after-ms']),
  ...(values['web-root'] ? { webRoot: values['web-root'] } : {}),
  ...(values['fold-tails-after-ms'] ? { foldLogTailsAfterMs: Number(values['fold-tails-after-ms']) } : {}),
  env: {},
  logger: { info: () => undefined, error: (m) => process.stderr.write(`${m}\n`) },
})
process.stdout.write(`${JSON.stringify({ url: host.url, hostToken: host.hostToken })}\n`)
// SIGTERM is a clean stop, as for `npm run serve`; SIGKILL stays a crash.
process.on('SIGTERM', () => void host.close().then(() => process.exit(0)))
