// `npm start`: builds the desktop app and starts it (electron-vite preview).
// Electron's binary is downloaded once, outside `npm install`; without it
// electron-vite only says "Electron uninstall" with a stack trace, so say
// plainly what to run instead.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Why Electron cannot start from `electronDir` (its npm package folder), or undefined when it can. */
export const electronBinaryProblem = (electronDir: string): string | undefined => {
  const pathFile = join(electronDir, 'path.txt')
  const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined
  if (binary && existsSync(binary)) return undefined
  return [
    "Electron's binary is not downloaded yet (npm install does not fetch it).",
    'Run once, with internet access and Node.js 22.12 or later (Electron 45\'s installer needs it):',
    '  node node_modules/electron/install.js',
    'then `npm start` again. Without Electron, `npm run serve` runs the same host and board in a browser.',
  ].join('\n')
}

const main = (): void => {
  const require = createRequire(import.meta.url)
  const problem = electronBinaryProblem(dirname(require.resolve('electron/package.json')))
  if (problem) {
    console.error(problem)
    process.exit(1)
  }
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
  const result = spawnSync(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) main()
