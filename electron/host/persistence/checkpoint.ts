// A checkpoint: the whole document state and the log offset it covers, so
// opening an incident applies one state plus the log tail, not every update.
import { open, readFile } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { writeFileDurably } from './files'

/** Version 2 adds the held-back updates; version 1 files are still read. */
export const CHECKPOINT_MAGIC = Buffer.from('WRCKP002', 'latin1')
const CHECKPOINT_MAGIC_V1 = Buffer.from('WRCKP001', 'latin1')
const HEADER = CHECKPOINT_MAGIC.length + 8

export interface Checkpoint {
  /** Log offset just past the last record the state includes. */
  logOffset: number
  /** Host clock when it was taken. */
  takenAt: number
  /** `Y.encodeStateAsUpdate` of the document, without updates still waiting for missing ones. */
  state: Uint8Array
  /**
   * Logged updates that still wait for a change the host lost (a damaged log):
   * kept so that the board that restores the missing change completes them.
   */
  heldBack: Uint8Array[]
}

export const encodeCheckpoint = (checkpoint: Checkpoint): Buffer => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, checkpoint.logOffset)
  encoding.writeFloat64(encoder, checkpoint.takenAt)
  encoding.writeVarUint8Array(encoder, checkpoint.state)
  encoding.writeVarUint(encoder, checkpoint.heldBack.length)
  for (const update of checkpoint.heldBack) encoding.writeVarUint8Array(encoder, update)
  const payload = encoding.toUint8Array(encoder)
  const header = Buffer.allocUnsafe(HEADER)
  CHECKPOINT_MAGIC.copy(header, 0)
  header.writeUInt32LE(payload.length, CHECKPOINT_MAGIC.length)
  header.writeUInt32LE(crc32(payload), CHECKPOINT_MAGIC.length + 4)
  return Buffer.concat([header, payload])
}

export type CheckpointRead = { status: 'ok'; checkpoint: Checkpoint } | { status: 'missing' } | { status: 'damaged'; problem: string }

const versionOf = (file: Buffer): 1 | 2 | undefined => {
  const magic = file.subarray(0, CHECKPOINT_MAGIC.length)
  return magic.equals(CHECKPOINT_MAGIC) ? 2 : magic.equals(CHECKPOINT_MAGIC_V1) ? 1 : undefined
}

/** Decode a checkpoint file's bytes; every way it can be damaged is named. */
export const decodeCheckpoint = (file: Buffer): CheckpointRead => {
  const version = versionOf(file)
  if (file.length < HEADER || !version) return { status: 'damaged', problem: 'the checkpoint does not start with its format marker' }
  const length = file.readUInt32LE(CHECKPOINT_MAGIC.length)
  const payload = file.subarray(HEADER, HEADER + length)
  if (payload.length !== length) return { status: 'damaged', problem: `the checkpoint is cut short (${file.length} of ${HEADER + length} bytes)` }
  if (crc32(payload) !== file.readUInt32LE(CHECKPOINT_MAGIC.length + 4)) return { status: 'damaged', problem: 'the checkpoint fails its checksum' }
  try {
    const decoder = decoding.createDecoder(payload)
    const logOffset = decoding.readVarUint(decoder)
    const takenAt = decoding.readFloat64(decoder)
    const state = decoding.readVarUint8Array(decoder)
    const heldBack: Uint8Array[] = []
    if (version === 2) for (let n = decoding.readVarUint(decoder); n > 0; n--) heldBack.push(decoding.readVarUint8Array(decoder))
    return { status: 'ok', checkpoint: { logOffset, takenAt, state, heldBack } }
  } catch {
    return { status: 'damaged', problem: 'the checkpoint cannot be decoded' }
  }
}

export const readCheckpoint = async (path: string): Promise<CheckpointRead> => {
  let file: Buffer
  try {
    file = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' }
    throw error
  }
  return decodeCheckpoint(file)
}

/** Only the log offset a checkpoint covers, from its first bytes (no checksum: opening checks that). */
export const readCheckpointLogOffset = async (path: string): Promise<number | undefined> => {
  const head = Buffer.alloc(HEADER + 10)
  try {
    const file = await open(path, 'r')
    try {
      const { bytesRead } = await file.read(head, 0, head.length, 0)
      if (bytesRead <= HEADER || !versionOf(head)) return undefined
      return decoding.readVarUint(decoding.createDecoder(head.subarray(HEADER, bytesRead)))
    } finally {
      await file.close()
    }
  } catch {
    return undefined
  }
}

export const writeCheckpoint = (path: string, checkpoint: Checkpoint): Promise<void> =>
  writeFileDurably(path, encodeCheckpoint(checkpoint))
