// The typed shape of `window.warroom`: implemented by electron/preload.ts and
// read by the renderer (renderer/app/bridge.ts). A pure type module, so the
// renderer never imports anything from electron/.

export interface DesktopBridge {
  /** The embedded host, e.g. http://127.0.0.1:43127. */
  hostUrl: string
  /** The host token: the IC's own window administers the host without a link. */
  getHostToken: () => Promise<string>
  /** A native notification ("New task for you"); clicking it brings the board forward. */
  notify: (title: string, body: string) => void
  /** The native file dialog for catalog files; their names and text (empty if cancelled). */
  openCatalogFiles: () => Promise<Array<{ name: string; text: string }>>
  /** The page as a PDF (Electron's printToPDF), where the person chooses in a save dialog; the path, or '' if cancelled. */
  savePdf: (fileName: string) => Promise<string>
}
