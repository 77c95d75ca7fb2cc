import type { MenuItemConstructorOptions } from 'electron'

/** The app menu: full screen and zoom for the wall display; devtools only in development. */
export const menuTemplate = (platform: NodeJS.Platform, development: boolean): MenuItemConstructorOptions[] => [
  ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
  { role: 'fileMenu' },
  { role: 'editMenu' },
  {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(development ? [{ role: 'toggleDevTools' as const }] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn', accelerator: 'CommandOrControl+=' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen', accelerator: 'F11' },
    ],
  },
  { role: 'windowMenu' },
]
