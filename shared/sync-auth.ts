// How a board hands its token to the sync endpoint without putting it in the
// URL (which proxies and browser consoles log): as a WebSocket subprotocol,
// next to the protocol's own name, which the host answers with.
import { fromBase64UrlEncoded, toBase64UrlEncoded } from 'lib0/buffer'
import { decodeUtf8, encodeUtf8 } from 'lib0/string'

export const SYNC_PROTOCOL = 'warroom'
const TOKEN_PREFIX = 'wr-token.'

/** The subprotocols a board offers: the protocol, and its token (any characters, encoded to fit a protocol name). */
export const syncProtocols = (token: string): string[] => [SYNC_PROTOCOL, `${TOKEN_PREFIX}${toBase64UrlEncoded(encodeUtf8(token))}`]

/** The token among the subprotocols a client offered, if it offered one. */
export const tokenFromProtocols = (protocols: Iterable<string>): string | undefined => {
  for (const protocol of protocols) {
    if (!protocol.startsWith(TOKEN_PREFIX)) continue
    const encoded = protocol.slice(TOKEN_PREFIX.length)
    return /^[A-Za-z0-9_-]+$/.test(encoded) ? decodeUtf8(fromBase64UrlEncoded(encoded)) : undefined
  }
  return undefined
}
