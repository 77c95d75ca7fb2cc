// A small real filesystem for full-disk tests: a tmpfs mounted on a temp
// folder (needs root, as CI and these machines run tests).
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Tmpfs {
  dir: string
  /** Change its size in place (files stay): "free space" after a full disk. */
  resize: (bytes: number) => void
  unmount: () => Promise<void>
}

const mountTmpfs = (dir: string, bytes: number): void => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' })
}

/** Whether this machine lets the tests mount a tmpfs (root with CAP_SYS_ADMIN). */
export const canMountTmpfs = async (): Promise<boolean> => {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-probe-'))
  try {
    mountTmpfs(dir, 64 * 1024)
    execFileSync('umount', [dir], { stdio: 'pipe' })
    return true
  } catch {
    return false
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export const mountSmallDisk = async (bytes: number): Promise<Tmpfs> => {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-disk-'))
  mountTmpfs(dir, bytes)
  return {
    dir,
    resize: (size) => execFileSync('mount', ['-o', `remount,size=${size}`, dir], { stdio: 'pipe' }),
    unmount: async () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' })
      await rm(dir, { recursive: true, force: true })
    },
  }
}
