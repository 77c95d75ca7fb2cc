// The bridge between the sandboxed board and the desktop app: the host URL,
// and the host token, which main.ts hands only to the app's own window.
import { contextBridge, ipcRenderer } from 'electron'
import type { DesktopBridge } from '../shared/desktop-bridge'
import { IPC_HOST_TOKEN, IPC_NOTIFY, IPC_OPEN_CATALOG, IPC_SAVE_PDF } from './bridge'
import { hostUrlFromArgv } from './security'

const bridge: DesktopBridge = {
  hostUrl: hostUrlFromArgv(process.argv) ?? '',
  getHostToken: () => ipcRenderer.invoke(IPC_HOST_TOKEN) as Promise<string>,
  notify: (title, body) => ipcRenderer.send(IPC_NOTIFY, title, body),
  openCatalogFiles: () => ipcRenderer.invoke(IPC_OPEN_CATALOG) as Promise<Array<{ name: string; text: string }>>,
  savePdf: (fileName) => ipcRenderer.invoke(IPC_SAVE_PDF, fileName) as Promise<string>,
}

contextBridge.exposeInMainWorld('warroom', bridge)
