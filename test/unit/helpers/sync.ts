// Waiting for the host by asking it something, instead of sleeping: a host
// handles one connection's messages in order and writes its answers in order,
// so an answer to a question sent last comes after everything before it.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import type { TestClient } from './host'

const MESSAGE_SYNC = 0

const socketOf = (client: TestClient): WebSocket => {
  const ws = client.provider.ws
  if (!ws) throw new Error('the client is not connected')
  // connectClient hands y-websocket the `ws` package as its WebSocket.
  return ws as unknown as WebSocket
}

/**
 * Sends a sync step 1 on the client's connection and resolves once the host's
 * step 2 answer has been applied. By then the host has handled everything the
 * client sent before (its updates are applied, or dropped), and the client
 * holds everything the host's document holds.
 */
export const roundTrip = (client: TestClient, ms = 5000): Promise<void> =>
  new Promise((resolve, reject) => {
    const ws = socketOf(client)
    const timer = setTimeout(() => {
      ws.off('message', onMessage)
      reject(new Error('no sync answer in time'))
    }, ms)
    // Registered after y-websocket's own handler, so the answer is applied when this runs.
    const onMessage = (data: WebSocket.RawData): void => {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : Array.isArray(data) ? new Uint8Array(Buffer.concat(data)) : new Uint8Array(data)
      const decoder = decoding.createDecoder(bytes)
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC || decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep2) return
      clearTimeout(timer)
      ws.off('message', onMessage)
      resolve()
    }
    ws.on('message', onMessage)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, client.doc)
    ws.send(encoding.toUint8Array(encoder))
  })

/**
 * A WebSocket ping on the client's connection; resolves at the pong. The
 * server's WebSocket answers it itself, after whatever it had already sent,
 * so by then the client has received (and y-websocket handled) all of that.
 */
export const pingPong = (client: TestClient, ms = 5000): Promise<void> =>
  new Promise((resolve, reject) => {
    const ws = socketOf(client)
    const timer = setTimeout(() => {
      ws.off('pong', onPong)
      reject(new Error('no pong in time'))
    }, ms)
    const onPong = (): void => {
      clearTimeout(timer)
      resolve()
    }
    ws.once('pong', onPong)
    ws.ping()
  })
