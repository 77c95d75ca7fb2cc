// The desktop window's security rules as plain functions, so they are tested
// without an Electron binary. main.ts only wires them to Electron's events.
import type { BrowserWindowConstructorOptions } from 'electron'

/** Passed to the preload in argv: it cannot reach Node to learn it otherwise. */
export const HOST_URL_ARG = '--warroom-host-url='

export const mainWindowOptions = (preloadPath: string, hostUrl: string): BrowserWindowConstructorOptions => ({
  width: 1600,
  height: 1000,
  minWidth: 960,
  minHeight: 600,
  show: false,
  title: 'War Room',
  backgroundColor: '#0b0f14',
  webPreferences: {
    preload: preloadPath,
    additionalArguments: [`${HOST_URL_ARG}${hostUrl}`],
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
  },
})

const originOf = (url: string): string | undefined => {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined
  } catch {
    return undefined
  }
}

/** Navigation stays inside the app; anything else (a pasted link, a dropped file) is refused. */
export const isAppUrl = (url: string, appOrigin: string): boolean => originOf(url) === appOrigin

/** An IPC message counts only from the app's own top frame. */
export const isTrustedSender = (frameUrl: string | undefined, appOrigin: string): boolean =>
  frameUrl !== undefined && isAppUrl(frameUrl, appOrigin)

/** Only what the board uses: notifications (issue: my tasks) and writing the invite link to the clipboard. */
const ALLOWED_PERMISSIONS = new Set(['notifications', 'clipboard-sanitized-write'])

export const isPermissionAllowed = (permission: string, requestingUrl: string, appOrigin: string): boolean =>
  ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl, appOrigin)

/** The preload reads the host URL back from argv; anything malformed yields none. */
export const hostUrlFromArgv = (argv: readonly string[]): string | undefined => {
  const arg = argv.find((a) => a.startsWith(HOST_URL_ARG))
  const url = arg?.slice(HOST_URL_ARG.length)
  return url !== undefined && originOf(url) !== undefined ? url : undefined
}

/** What the catalog file dialog may hand the board: a few text files of sane size. */
export const CATALOG_DIALOG = {
  filters: [{ name: 'Service catalog', extensions: ['yaml', 'yml', 'json'] }],
  maxFiles: 20,
  maxBytes: 5 * 1024 * 1024,
} as const

export const acceptCatalogFiles = (files: ReadonlyArray<{ path: string; size: number }>): string | undefined => {
  if (files.length > CATALOG_DIALOG.maxFiles) return `Choose at most ${CATALOG_DIALOG.maxFiles} files.`
  const big = files.find((f) => f.size > CATALOG_DIALOG.maxBytes)
  return big ? `${big.path} is over 5 MB.` : undefined
}

export interface NotificationRequest {
  title: string
  body: string
}

/** IPC arguments cross a trust boundary: two short strings, or nothing happens. */
export const parseNotification = (args: readonly unknown[]): NotificationRequest | undefined => {
  const [title, body] = args
  if (args.length !== 2 || typeof title !== 'string' || typeof body !== 'string') return undefined
  if (title.trim() === '' || title.length > 120 || body.length > 400) return undefined
  return { title, body }
}

/**
 * The name the print page suggests for its PDF crosses IPC: one argument, a
 * plain file name (no folder, no control characters), ending in .pdf; the
 * person still chooses where it goes in the save dialog.
 */
export const parsePdfName = (args: readonly unknown[]): string | undefined => {
  const [name] = args
  if (args.length !== 1 || typeof name !== 'string') return undefined
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,95}\.pdf$/.test(name) || name.includes('..')) return undefined
  return name
}
