import { constants } from 'node:fs'
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** fsync a directory so a rename or a new file inside it survives a power cut. */
export const syncDirectory = async (dir: string): Promise<void> => {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

const syncFile = async (path: string): Promise<void> => {
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Replace a file so a crash leaves either the old or the new content, never half. */
export const writeFileDurably = async (path: string, data: Uint8Array | string, mode = 0o600): Promise<void> => {
  const temp = `${path}.tmp`
  try {
    const handle = await open(temp, 'w', mode)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    // A half-written temp file only takes space a full disk needs back.
    await rm(temp, { force: true })
    throw error
  }
  await syncDirectory(dirname(path))
}

/** Where damaged files are kept, verbatim, beside the files they came from. */
export const SET_ASIDE_DIR = 'set-aside'

/** "2026-11-27T15-14-46-123Z": a file-name-safe host time. */
const stamp = (at: number): string => new Date(at).toISOString().replace(/[:.]/g, '-')

/** A name in the set-aside folder that is not taken yet (two finds in one millisecond keep both). */
const setAsidePath = async (path: string, at: number, suffix: string): Promise<string> => {
  const dir = join(dirname(path), SET_ASIDE_DIR)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  for (let n = 0; ; n++) {
    const candidate = join(dir, `${basename(path)}.${stamp(at)}${n === 0 ? '' : `-${n}`}${suffix}`)
    if (!(await stat(candidate).then(() => true, () => false))) return candidate
  }
}

/**
 * Keep a damaged file aside before anything repairs it: a durable, verbatim
 * copy (or the file itself, moved, when it is about to be replaced anyway).
 * Returns where it went.
 */
export const setAside = async (path: string, at: number, how: 'copy' | 'move'): Promise<string> => {
  const target = await setAsidePath(path, at, '')
  if (how === 'move') await rename(path, target)
  else {
    try {
      await copyFile(path, target, constants.COPYFILE_EXCL)
      await syncFile(target)
    } catch (error) {
      // A partial copy is no copy, and takes space a full disk needs back.
      await rm(target, { force: true })
      throw error
    }
  }
  await syncDirectory(dirname(target))
  return target
}

/** Keep some bytes of a file aside (a torn end): written durably next to the other set-aside files. */
export const setAsideBytes = async (path: string, at: number, offset: number, bytes: Uint8Array): Promise<string> => {
  const target = await setAsidePath(path, at, `.at-${offset}`)
  await writeFileDurably(target, bytes)
  return target
}

/** What a failed write means for people, in words (the error code, not the message, which names paths). */
export const storageProblem = (error: unknown): string => {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'disk full'
    case 'EACCES':
    case 'EPERM':
      return 'no permission to write'
    case 'EROFS':
      return 'the disk is read-only'
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files'
    default:
      return 'write error'
  }
}

/** A write the host could not make: the HTTP layer answers 507 (disk full) or 503. */
export class StorageError extends Error {
  readonly problem: string
  constructor(cause: unknown) {
    const problem = storageProblem(cause)
    super(`The host cannot save right now (${problem}); nothing was changed.`, { cause })
    this.problem = problem
  }
}

/** A failed file operation as a StorageError; anything else (a bug, bad input) as it is. */
export const asStorageError = (error: unknown): unknown =>
  error instanceof StorageError || typeof (error as NodeJS.ErrnoException | undefined)?.code !== 'string' ? error : new StorageError(error)
