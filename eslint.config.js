// ESLint (flat config): the recommended JavaScript and typescript-eslint rules,
// plus the import boundaries between the app's folders:
//   shared/         runs everywhere (renderer, Electron main, the plain-Node host):
//                   no Node, no Electron, no React, nothing from electron/ or renderer/.
//   renderer/       runs in a sandboxed window or a plain browser: no Electron, no Node,
//                   nothing from electron/ (the preload bridge's type is shared/desktop-bridge.ts).
//   electron/host/  runs under plain Node (`npm run serve`): never imports `electron`,
//                   nor renderer/, nor the Electron-side files next to it in electron/.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = {
  paths: builtinModules
    .filter((name) => !name.startsWith('_'))
    .map((name) => ({ name, message: 'Node builtins do not belong here.' })),
  patterns: [{ group: ['node:*'], message: 'Node builtins do not belong here.' }],
}

const noElectron = {
  paths: [{ name: 'electron', message: 'Only the Electron side (electron/*.ts outside host/) imports electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only the Electron side (electron/*.ts outside host/) imports electron.' }],
}

// A relative import (any number of ../) that reaches the repo's `folder`.
const reaching = (folder, message) => ({ regex: `^(\\.\\./)+${folder}(/|$)`, message })

const restrict = (...parts) => [
  'error',
  { paths: parts.flatMap((p) => p.paths ?? []), patterns: parts.flatMap((p) => p.patterns ?? []) },
]

// electron/host/ may import itself and shared/ only: one block per depth, since
// no-restricted-imports sees the import as written and not the resolved file.
const hostBlocks = [0, 1, 2, 3].map((depth) => {
  const up = '\\.\\./'.repeat(depth + 1)
  return {
    files: [`electron/host/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': restrict(noElectron, {
        patterns: [
          {
            regex: `^${up}(?!(\\.\\./)shared(/|$))`,
            message:
              'electron/host runs under plain Node: it imports only electron/host/** and shared/**, never renderer/ or the Electron-side files.',
          },
        ],
      }),
    },
  }
})

export default defineConfig(
  {
    ignores: ['node_modules/', 'out/', 'test-results/', 'playwright-report/', 'data/', '.vite/', '.scratch/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // Already an error in recommended; spelled out because it holds everywhere, tests included.
      '@typescript-eslint/no-explicit-any': 'error',
      // As tsc's noUnusedLocals/noUnusedParameters: a leading underscore marks a deliberately unused name.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['eslint.config.js', 'electron.vite.config.ts', 'electron/**/*.ts', 'test/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/bench/board-profile/**/*.tsx'],
    languageOptions: { globals: globals.browser },
  },
  {
    // The service worker is a plain script served as is (not bundled).
    files: ['renderer/public/sw.js'],
    languageOptions: { sourceType: 'script', globals: globals.serviceworker },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(nodeBuiltins, noElectron, {
        paths: ['react', 'react-dom', 'ws', 'lowdb', 'y-indexeddb', 'y-websocket'].map((name) => ({
          name,
          message: 'shared/ runs in the renderer, Electron and the plain-Node host alike: no DOM-, React- or Node-only packages.',
        })),
        patterns: [
          {
            group: ['react/*', 'react-dom/*', '@xyflow/*', 'lowdb/*', '@y/websocket-server', '@y/websocket-server/*', '@tanstack/react-*'],
            message: 'shared/ runs in the renderer, Electron and the plain-Node host alike: no DOM-, React- or Node-only packages.',
          },
          reaching('electron', 'shared/ never imports from electron/.'),
          reaching('renderer', 'shared/ never imports from renderer/.'),
        ],
      }),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict(nodeBuiltins, noElectron, {
        patterns: [
          reaching(
            'electron',
            'renderer/ never imports from electron/: the desktop bridge type is in shared/desktop-bridge.ts.',
          ),
        ],
      }),
    },
  },
  ...hostBlocks,
)
