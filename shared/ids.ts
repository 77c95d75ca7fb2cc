// `crypto.getRandomValues` is in every browser (plain-http LAN pages too, unlike
// `randomUUID`) and in Node; declared here because shared/ sees neither DOM nor Node types.
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T }

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * Ids for records inside the document: 96 random bits in 16 URL-safe
 * characters, so offline peers never collide and every entry's key stays short
 * (it is stored once per record, and there may be 100,000 of them).
 */
export const newId = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  let id = ''
  for (let i = 0; i < 12; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    id += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  return id
}
