// A checkpoint: the whole document state and the log offset it covers, so
// opening an incident applies one state plus the log tail, not every update.
import { open, readFile } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { writeFileDurably } from './files'

export const CHECKPOINT_MAGIC = Buffer.from('WRCKP001', 'latin1')

export interface Checkpoint {
  /** Log offset just past the last record the state includes. */
  logOffset: number
  /** Host clock when it was taken. */
  takenAt: number
  /** `Y.encodeStateAsUpdate` of the document. */
  state: Uint8Array
}

export const encodeCheckpoint = (checkpoint: Checkpoint): Buffer => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, checkpoint.logOffset)
  encoding.writeFloat64(encoder, checkpoint.takenAt)
  encoding.writeVarUint8Array(encoder, checkpoint.state)
  const payload = encoding.toUint8Array(encoder)
  const header = Buffer.allocUnsafe(CHECKPOINT_MAGIC.length + 8)
  CHECKPOINT_MAGIC.copy(header, 0)
  header.writeUInt32LE(payload.length, CHECKPOINT_MAGIC.length)
  header.writeUInt32LE(crc32(payload), CHECKPOINT_MAGIC.length + 4)
  return Buffer.concat([header, payload])
}

/** The checkpoint, or undefined when there is none or it is damaged (then the whole log is replayed). */
export const readCheckpoint = async (path: string): Promise<Checkpoint | undefined> => {
  let file: Buffer
  try {
    file = await readFile(path)
  } catch {
    return undefined
  }
  const headerEnd = CHECKPOINT_MAGIC.length + 8
  if (file.length < headerEnd || !file.subarray(0, CHECKPOINT_MAGIC.length).equals(CHECKPOINT_MAGIC)) return undefined
  const length = file.readUInt32LE(CHECKPOINT_MAGIC.length)
  const payload = file.subarray(headerEnd, headerEnd + length)
  if (payload.length !== length || crc32(payload) !== file.readUInt32LE(CHECKPOINT_MAGIC.length + 4)) return undefined
  try {
    const decoder = decoding.createDecoder(payload)
    return {
      logOffset: decoding.readVarUint(decoder),
      takenAt: decoding.readFloat64(decoder),
      state: decoding.readVarUint8Array(decoder),
    }
  } catch {
    return undefined
  }
}

/** Only the log offset a checkpoint covers, from its first bytes (no checksum: opening checks that). */
export const readCheckpointLogOffset = async (path: string): Promise<number | undefined> => {
  const headerEnd = CHECKPOINT_MAGIC.length + 8
  const head = Buffer.alloc(headerEnd + 10)
  try {
    const file = await open(path, 'r')
    try {
      const { bytesRead } = await file.read(head, 0, head.length, 0)
      if (bytesRead <= headerEnd || !head.subarray(0, CHECKPOINT_MAGIC.length).equals(CHECKPOINT_MAGIC)) return undefined
      return decoding.readVarUint(decoding.createDecoder(head.subarray(headerEnd, bytesRead)))
    } finally {
      await file.close()
    }
  } catch {
    return undefined
  }
}

export const writeCheckpoint = (path: string, checkpoint: Checkpoint): Promise<void> =>
  writeFileDurably(path, encodeCheckpoint(checkpoint))
