import { describe, expect, it } from 'vitest'
import { menuTemplate } from '../../electron/menu'
import { HOST_URL_ARG, acceptCatalogFiles, hostUrlFromArgv, isAppUrl, isPermissionAllowed, isTrustedSender, mainWindowOptions, parseNotification, parsePdfName } from '../../electron/security'
import { contentSecurityPolicy, websocketOriginFor } from '../../electron/host/csp'
import { inviteBaseUrl, isLoopback } from '../../electron/host/network'

const APP = 'http://127.0.0.1:43127'

describe('the board window', () => {
  it('runs isolated, sandboxed, without Node, and passes the host URL to the preload', () => {
    const options = mainWindowOptions('/app/preload.cjs', APP)
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(hostUrlFromArgv(options.webPreferences!.additionalArguments!)).toBe(APP)
  })

  it.each([
    [`${APP}/i/20261124-abc`, true],
    [`${APP}/`, true],
    ['http://127.0.0.1:9999/', false],
    ['http://localhost:43127/', false],
    ['https://evil.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('navigation to %s allowed: %s', (url, allowed) => {
    expect(isAppUrl(url, APP)).toBe(allowed)
  })

  it('trusts IPC only from the app itself', () => {
    expect(isTrustedSender(`${APP}/i/x`, APP)).toBe(true)
    expect(isTrustedSender('https://evil.example/', APP)).toBe(false)
    expect(isTrustedSender(undefined, APP)).toBe(false)
  })

  it('denies every permission but notifications and clipboard writes from the app', () => {
    expect(isPermissionAllowed('notifications', APP, APP)).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', `${APP}/i/x`, APP)).toBe(true)
    for (const permission of ['media', 'geolocation', 'openExternal', 'midi', 'hid', 'clipboard-read']) {
      expect(isPermissionAllowed(permission, APP, APP)).toBe(false)
    }
    expect(isPermissionAllowed('notifications', 'https://evil.example', APP)).toBe(false)
  })

  it('ignores a malformed host URL argument', () => {
    expect(hostUrlFromArgv([`${HOST_URL_ARG}javascript:alert(1)`])).toBeUndefined()
    expect(hostUrlFromArgv(['--other'])).toBeUndefined()
  })

  it('offers full screen on F11 and zoom, devtools only in development', () => {
    const labels = (template: ReturnType<typeof menuTemplate>) => JSON.stringify(template)
    const production = labels(menuTemplate('linux', false))
    expect(production).toContain('"role":"togglefullscreen","accelerator":"F11"')
    expect(production).toContain('zoomIn')
    expect(production).not.toContain('toggleDevTools')
    expect(labels(menuTemplate('linux', true))).toContain('toggleDevTools')
  })
})

describe('content security policy', () => {
  it('allows scripts only from the app and connections only back to the host', () => {
    const csp = contentSecurityPolicy({ connect: ['ws://127.0.0.1:4455'] })
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))
    expect(directives['script-src']).toEqual(["'self'"])
    expect(directives['connect-src']).toEqual(["'self'", 'ws://127.0.0.1:4455'])
    expect(directives['object-src']).toEqual(["'none'"])
    expect(directives['frame-ancestors']).toEqual(["'none'"])
    expect(csp).not.toContain('unsafe-eval')
  })

  it('derives the WebSocket origin only from a well-formed Host header', () => {
    expect(websocketOriginFor('192.168.1.20:4455', false)).toEqual(['ws://192.168.1.20:4455'])
    expect(websocketOriginFor('[::1]:4455', true)).toEqual(['wss://[::1]:4455'])
    expect(websocketOriginFor("evil.com; script-src 'unsafe-inline'", false)).toEqual([])
    expect(websocketOriginFor(undefined, false)).toEqual([])
  })
})

describe('invite links', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: '192.168.1.20', family: 'IPv4', internal: false },
    ],
  } as unknown as Parameters<typeof inviteBaseUrl>[2]

  it('use the bound address, the first LAN address for a wildcard bind, or --public-url', () => {
    expect(inviteBaseUrl('127.0.0.1', 4455, interfaces)).toBe('http://127.0.0.1:4455')
    expect(inviteBaseUrl('0.0.0.0', 4455, interfaces)).toBe('http://192.168.1.20:4455')
    expect(inviteBaseUrl('::', 4455, {})).toBe('http://127.0.0.1:4455')
    expect(inviteBaseUrl('0.0.0.0', 4455, interfaces, 'https://warroom.example/')).toBe('https://warroom.example')
    expect(inviteBaseUrl('fd00::5', 80, interfaces)).toBe('http://[fd00::5]:80')
  })

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true)
    expect(isLoopback('::1')).toBe(true)
    expect(isLoopback('0.0.0.0')).toBe(false)
  })
})

describe('notification requests over IPC', () => {
  it('accept two short strings and nothing else', () => {
    expect(parseNotification(['New task for you', 'Restart the DB'])).toEqual({ title: 'New task for you', body: 'Restart the DB' })
    expect(parseNotification(['', 'x'])).toBeUndefined()
    expect(parseNotification(['t'.repeat(121), 'x'])).toBeUndefined()
    expect(parseNotification(['t', 'b'.repeat(401)])).toBeUndefined()
    expect(parseNotification([{ title: 'x' }, 'y'])).toBeUndefined()
    expect(parseNotification(['a', 'b', 'c'])).toBeUndefined()
  })

  it('saves a PDF only under a plain file name ending in .pdf, the folder chosen by the person', () => {
    expect(parsePdfName(['postmortem-20261128-k3f9q2.pdf'])).toBe('postmortem-20261128-k3f9q2.pdf')
    expect(parsePdfName(['../../etc/passwd.pdf'])).toBeUndefined()
    expect(parsePdfName(['/tmp/x.pdf'])).toBeUndefined()
    expect(parsePdfName(['notes.exe'])).toBeUndefined()
    expect(parsePdfName(['a\u0000b.pdf'])).toBeUndefined()
    expect(parsePdfName(['x'.repeat(120) + '.pdf'])).toBeUndefined()
    expect(parsePdfName([42])).toBeUndefined()
    expect(parsePdfName(['a.pdf', 'b.pdf'])).toBeUndefined()
    expect(parseNotification([])).toBeUndefined()
  })
})

describe('catalog files from the desktop file dialog', () => {
  it('accept up to 20 files of at most 5 MB', () => {
    expect(acceptCatalogFiles([{ path: '/a.yaml', size: 1000 }])).toBeUndefined()
    expect(acceptCatalogFiles([{ path: '/big.yaml', size: 6 * 1024 * 1024 }])).toBe('/big.yaml is over 5 MB.')
    expect(acceptCatalogFiles(Array.from({ length: 21 }, (_, i) => ({ path: `/${i}.yaml`, size: 1 })))).toMatch(/at most 20/)
  })
})
