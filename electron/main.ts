// The desktop app: starts the embedded host and opens the board in a hardened
// window. Kept thin; its rules live in security.ts and are tested there.
import { join } from 'node:path'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { BrowserWindow, Menu, Notification, app, dialog, ipcMain, session } from 'electron'
import { IPC_HOST_TOKEN, IPC_NOTIFY, IPC_OPEN_CATALOG, IPC_SAVE_PDF } from './bridge'
import { menuTemplate } from './menu'
import { CATALOG_DIALOG, acceptCatalogFiles, isAppUrl, isPermissionAllowed, isTrustedSender, mainWindowOptions, parseNotification, parsePdfName } from './security'
import { type RunningHost, startHost } from './host/host'
import { contentSecurityPolicy } from './host/csp'

const development = !app.isPackaged && process.env.ELECTRON_RENDERER_URL !== undefined

const harden = (appOrigin: string, hostUrl: string): void => {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((contents, permission, callback) =>
    callback(isPermissionAllowed(permission, contents.getURL(), appOrigin)),
  )
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, appOrigin),
  )
  // The host sends this header too; setting it here also covers the dev server.
  const wsOrigin = hostUrl.replace(/^http/, 'ws')
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy({ connect: [wsOrigin] })],
      },
    })
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appOrigin)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, appOrigin)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

const openBoard = (host: RunningHost, appUrl: string): BrowserWindow => {
  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/preload.cjs'), host.url))
  window.once('ready-to-show', () => window.show())
  void window.loadURL(appUrl)
  return window
}

const main = async (): Promise<void> => {
  await app.whenReady()
  const host = await startHost({
    dataDir: join(app.getPath('userData'), 'data'),
    // In development the renderer's dev server proxies to a fixed port.
    port: development ? 4455 : 0,
    webRoot: join(import.meta.dirname, '../renderer'),
    version: app.getVersion(),
  })
  const appUrl = development ? process.env.ELECTRON_RENDERER_URL! : host.url
  const appOrigin = new URL(appUrl).origin
  harden(appOrigin, host.url)
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, development)))

  let board = openBoard(host, appUrl)
  ipcMain.handle(IPC_HOST_TOKEN, (event) => {
    if (event.sender !== board.webContents || !isTrustedSender(event.senderFrame?.url, appOrigin)) {
      throw new Error('refused')
    }
    return host.hostToken
  })
  ipcMain.on(IPC_NOTIFY, (event, ...args: unknown[]) => {
    const request = parseNotification(args)
    if (!request || !isTrustedSender(event.senderFrame?.url, appOrigin) || !Notification.isSupported()) return
    const notification = new Notification(request)
    notification.on('click', () => {
      if (board.isMinimized()) board.restore()
      board.focus()
    })
    notification.show()
  })
  ipcMain.handle(IPC_OPEN_CATALOG, async (event) => {
    if (!isTrustedSender(event.senderFrame?.url, appOrigin)) throw new Error('refused')
    const choice = await dialog.showOpenDialog(board, { properties: ['openFile', 'multiSelections'], filters: CATALOG_DIALOG.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) })
    if (choice.canceled) return []
    const files = await Promise.all(choice.filePaths.map(async (path) => ({ path, size: (await stat(path)).size })))
    const refusal = acceptCatalogFiles(files)
    if (refusal) throw new Error(refusal)
    return Promise.all(choice.filePaths.map(async (path) => ({ name: basename(path), text: await readFile(path, 'utf8') })))
  })
  ipcMain.handle(IPC_SAVE_PDF, async (event, ...args: unknown[]) => {
    const name = parsePdfName(args)
    if (!name || !isTrustedSender(event.senderFrame?.url, appOrigin)) throw new Error('refused')
    const choice = await dialog.showSaveDialog(board, { defaultPath: name, filters: [{ name: 'PDF', extensions: ['pdf'] }] })
    if (choice.canceled || !choice.filePath) return ''
    await writeFile(choice.filePath, await event.sender.printToPDF({ printBackground: true, pageSize: 'A4' }))
    return choice.filePath
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) board = openBoard(host, appUrl)
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    quitting = true
    host.close().finally(() => app.quit())
  })
}

void main()
