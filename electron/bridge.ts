// The IPC channels between preload.ts and main.ts behind `window.warroom`
// (its type, DesktopBridge, is in shared/desktop-bridge.ts for the renderer).

export const IPC_HOST_TOKEN = 'warroom:host-token'
export const IPC_NOTIFY = 'warroom:notify'
export const IPC_OPEN_CATALOG = 'warroom:open-catalog'
export const IPC_SAVE_PDF = 'warroom:save-pdf'
