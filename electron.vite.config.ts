import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      // lowdb (and its writer, steno) are ESM-only: bundle them into the main process.
      externalizeDeps: { exclude: ['lowdb', 'steno'] },
      rollupOptions: {
        input: {
          main: resolve('electron/main.ts'),
          // The host parses catalog imports in a worker thread: out/main/catalog-worker.js, next to main.js.
          'catalog-worker': resolve('electron/host/catalog-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require packages or ES modules: one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [
      react(),
      // The board is always served over HTTP by the host, with app routes like /i/<id>, never
      // from file://; electron-vite forces relative asset URLs in production, which break there.
      { name: 'warroom:absolute-base', config: () => ({ base: '/' }) },
    ],
    build: {
      // Served to browsers over the LAN too, not only loaded from disk.
      minify: true,
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('renderer/index.html') },
    },
    worker: { format: 'es' },
    // `npm run dev`: main.ts starts the host on 4455; the dev server forwards the API and sync to it.
    server: {
      proxy: {
        '/api': 'http://127.0.0.1:4455',
        '/sync': { target: 'ws://127.0.0.1:4455', ws: true },
      },
    },
  },
})
