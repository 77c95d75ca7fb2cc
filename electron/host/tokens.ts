// Tokens: 256 random bits, stored as SHA-256 hashes, compared in constant time.
// They are never logged.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setAside, writeFileDurably } from './persistence/files'

export const newToken = (): string => randomBytes(32).toString('base64url')

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

/** Constant time in the token's content: both sides are hashed to 32 bytes first. */
export const tokenMatchesHash = (token: string, hash: string): boolean => {
  const expected = Buffer.from(hash, 'hex')
  const actual = createHash('sha256').update(token, 'utf8').digest()
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

export const HOST_TOKEN_FILE = 'host-token'
const SEAL_KEY_FILE = 'seal.key'

/**
 * The secret in `path`, or a new one written there when it is missing or
 * fails `valid` (then `created`, and a damaged one is first kept aside, never
 * overwritten: `setAsideAs`).
 */
const readOrCreateSecret = async (
  path: string,
  create: () => string,
  valid: (value: string) => boolean = (value) => value.length > 0,
): Promise<{ value: string; created: boolean; setAsideAs?: string }> => {
  let setAsideAs: string | undefined
  try {
    const value = (await readFile(path, 'utf8')).trim()
    if (valid(value)) return { value, created: false }
    setAsideAs = await setAside(path, Date.now(), 'move')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const value = create()
  await writeFileDurably(path, Buffer.from(`${value}\n`), 0o600)
  return { value, created: true, ...(setAsideAs ? { setAsideAs } : {}) }
}

export interface HostTokenSource {
  token: string
  /** Where the IC can read it: the file, or the environment variable. */
  from: string
}

/** WARROOM_HOST_TOKEN when set, else generated once and kept in the data folder (mode 0600). */
export const loadHostToken = async (dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<HostTokenSource> => {
  const fromEnv = env.WARROOM_HOST_TOKEN?.trim()
  if (fromEnv) {
    if (fromEnv.length < 22) throw new Error('WARROOM_HOST_TOKEN must be at least 22 characters (128 bits).')
    return { token: fromEnv, from: 'WARROOM_HOST_TOKEN' }
  }
  const path = join(dataDir, HOST_TOKEN_FILE)
  const { value: token } = await readOrCreateSecret(path, newToken)
  const mode = (await stat(path)).mode & 0o777
  if (mode & 0o077) throw new Error(`${path} is readable by other users (mode ${mode.toString(8)}); chmod 600 it.`)
  return { token, from: path }
}

/**
 * Incident tokens are kept as hashes for checking, and sealed (AES-256-GCM,
 * key in the data folder, mode 0600) so the IC can copy the invite links again
 * later while a leaked records file alone reveals no usable token.
 */
export class TokenSeal {
  private constructor(private readonly key: Buffer) {}

  /** The data folder's seal; `created` when the key had to be made (new host, or the file was lost or damaged). */
  static async open(dataDir: string): Promise<{ seal: TokenSeal; created: boolean; setAsideAs?: string }> {
    const { value, created, setAsideAs } = await readOrCreateSecret(
      join(dataDir, SEAL_KEY_FILE),
      () => randomBytes(32).toString('base64url'),
      (key) => Buffer.from(key, 'base64url').length === 32,
    )
    return { seal: new TokenSeal(Buffer.from(value, 'base64url')), created, ...(setAsideAs ? { setAsideAs: setAsideAs.slice(dataDir.length + 1) } : {}) }
  }

  seal(token: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()])
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
  }

  open(sealed: string): string {
    const data = Buffer.from(sealed, 'base64url')
    const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12))
    decipher.setAuthTag(data.subarray(12, 28))
    return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8')
  }
}
