import { open, rename } from 'node:fs/promises'
import { dirname } from 'node:path'

/** fsync a directory so a rename or a new file inside it survives a power cut. */
export const syncDirectory = async (dir: string): Promise<void> => {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Replace a file so a crash leaves either the old or the new content, never half. */
export const writeFileDurably = async (path: string, data: Uint8Array, mode = 0o600): Promise<void> => {
  const temp = `${path}.tmp`
  const handle = await open(temp, 'w', mode)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, path)
  await syncDirectory(dirname(path))
}
