// One host per test file, for the files that need only that: started before
// their tests, stopped and its folder removed after. Apart from host.ts, which
// the benchmarks and e2e tests import outside vitest.
import { afterAll, beforeAll } from 'vitest'
import type { HostOptions } from '../../../electron/host/host'
import { type TestHost, removeDir, startTestHost } from './host'

/** `host()` is the running host inside the file's tests. */
export const useTestHost = (options: Partial<HostOptions> = {}): (() => TestHost) => {
  let host: TestHost | undefined
  beforeAll(async () => {
    host = await startTestHost(options)
  })
  afterAll(async () => {
    await host?.stop()
    if (host) await removeDir(host.dataDir)
  })
  return () => host!
}
