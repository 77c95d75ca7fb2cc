import type { DesktopBridge } from '../../shared/desktop-bridge'

declare global {
  interface Window {
    /** Present only in the desktop app (preload.ts); the board also runs in a plain browser. */
    warroom?: DesktopBridge
  }
}

export const desktopBridge = (): DesktopBridge | undefined => window.warroom
