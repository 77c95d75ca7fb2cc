import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { electronBinaryProblem } from '../../electron/start'
import { removeDir, tempDir } from './helpers/host'

let dir: string
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(() => removeDir(dir))

describe('npm start without Electron', () => {
  it('says in plain words what to run when the binary was never downloaded, or its file is gone', async () => {
    expect(electronBinaryProblem(dir)).toMatch(/not downloaded yet[\s\S]*internet[\s\S]*22\.12[\s\S]*node node_modules\/electron\/install\.js[\s\S]*npm run serve/)
    await writeFile(join(dir, 'path.txt'), 'electron')
    expect(electronBinaryProblem(dir)).toMatch(/not downloaded yet/)
  })

  it('says nothing once it is there', async () => {
    await writeFile(join(dir, 'path.txt'), 'electron')
    await mkdir(join(dir, 'dist'))
    await writeFile(join(dir, 'dist', 'electron'), '')
    expect(electronBinaryProblem(dir)).toBeUndefined()
  })
})
