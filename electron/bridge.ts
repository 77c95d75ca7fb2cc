// The typed shape of `window.warroom`, shared by preload.ts and the renderer.

export const IPC_HOST_TOKEN = 'warroom:host-token'
export const IPC_NOTIFY = 'warroom:notify'
export const IPC_OPEN_CATALOG = 'warroom:open-catalog'

export interface DesktopBridge {
  /** The embedded host, e.g. http://127.0.0.1:43127. */
  hostUrl: string
  /** The host token: the IC's own window administers the host without a link. */
  getHostToken: () => Promise<string>
  /** A native notification ("New task for you"); clicking it brings the board forward. */
  notify: (title: string, body: string) => void
  /** The native file dialog for catalog files; their names and text (empty if cancelled). */
  openCatalogFiles: () => Promise<Array<{ name: string; text: string }>>
}
