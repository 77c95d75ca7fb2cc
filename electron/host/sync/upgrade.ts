// The WebSocket door: `/sync/<incidentId>?person=…`, the token offered as a
// subprotocol (boards: shared/sync-auth.ts) or `?token=…` (stock clients). It
// is checked before the upgrade; a refused upgrade gets a status line and nothing else.
import type { IncomingMessage } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket, WebSocketServer } from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { SYNC_PROTOCOL, tokenFromProtocols } from '../../../shared/sync-auth'
import type { StoredState } from '../persistence/durable-incident'
import type { Access } from '../persistence/update-log'
import type { RoomRegistry } from './registry'
import { type EarlyMessages, MESSAGE_SYNC } from './room'

export type Authenticate = (incidentId: string, token: string) => Access | 'view' | 'unknown-incident' | undefined

export interface UpgradeOptions {
  registry: RoomRegistry
  authenticate: Authenticate
  /** An unloaded incident's checkpoint and log tail as stored, if it has a checkpoint. */
  storedState: (incidentId: string) => Promise<StoredState | undefined>
  /** A bigger WebSocket message closes that connection. */
  maxMessageBytes: number
}

const PERSON_ID = /^[A-Za-z0-9_-]{1,64}$/

const refuse = (socket: Duplex, status: number): void => {
  const body = `${STATUS_CODES[status] ?? 'Refused'}\n`
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
}

export const parseSyncPath = (url: string): { incidentId: string; token: string | null; person: string } | undefined => {
  const parsed = new URL(url, 'http://host.invalid')
  const match = /^\/sync\/([A-Za-z0-9_-]{1,64})$/.exec(parsed.pathname)
  if (!match) return undefined
  const person = parsed.searchParams.get('person') ?? ''
  return { incidentId: match[1]!, token: parsed.searchParams.get('token'), person: PERSON_ID.test(person) ? person : '' }
}

export interface UpgradeHandler {
  handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  /** Shutdown: refuse new connections (clients reconnect at once) and drop the open ones. */
  close: () => void
}

export const createUpgradeHandler = (options: UpgradeOptions): UpgradeHandler => {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
    // A board that offers its token as a subprotocol gets the protocol's name back (a browser insists on one).
    handleProtocols: (protocols) => (protocols.has(SYNC_PROTOCOL) ? SYNC_PROTOCOL : false),
  })
  let closing = false
  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy())
    if (closing) return refuse(socket, 503)
    const target = parseSyncPath(req.url ?? '/')
    if (!target) return refuse(socket, 404)
    const offered = req.headers['sec-websocket-protocol']?.split(',').map((p) => p.trim()) ?? []
    const token = tokenFromProtocols(offered) ?? target.token
    if (!token) return refuse(socket, 401)
    const access = options.authenticate(target.incidentId, token)
    if (access === 'unknown-incident') return refuse(socket, 404)
    if (!access) return refuse(socket, 401)
    const { incidentId } = target
    const who = { author: target.person, access }
    if (options.registry.isLoaded(incidentId)) return attachWhenLoaded(options, wss, req, socket, head, incidentId, who)
    wss.handleUpgrade(req, socket, head, (ws) => void openCold(options, ws, incidentId, who))
  }
  return {
    handle,
    close: () => {
      closing = true
      for (const ws of wss.clients) ws.terminate()
    },
  }
}

type Who = { author: string; access: Access | 'view' }

const attachWhenLoaded = (options: UpgradeOptions, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, incidentId: string, who: Who): void => {
  options.registry.acquire(incidentId).then(
    (room) => {
      if (socket.destroyed) return options.registry.release(incidentId)
      let attached = false
      // handleUpgrade answers a bad handshake itself and never calls back.
      socket.once('close', () => {
        if (!attached) options.registry.release(incidentId)
      })
      wss.handleUpgrade(req, socket, head, (ws) => {
        attached = true
        room.attach(ws, who, undefined)
        options.registry.release(incidentId)
      })
    },
    () => refuse(socket, 500),
  )
}

/**
 * A sync step 1 from a client that holds nothing yet (an empty state vector):
 * the bytes 0 (sync), 0 (step 1), then the vector. A client that already has
 * the board (it reconnects after a restart) waits for the room instead and is
 * sent only what it lacks, not the whole checkpoint again.
 */
const isFreshSyncStep1 = (data: Buffer | undefined): boolean => {
  if (data === undefined || data.length < 3 || data[0] !== MESSAGE_SYNC || data[1] !== syncProtocol.messageYjsSyncStep1) return false
  try {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset + 2, data.byteLength - 2))
    return decoding.readVarUint(decoding.createDecoder(decoding.readVarUint8Array(decoder))) === 0
  } catch {
    return false
  }
}

const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc())

const syncMessage = (type: number, update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, type)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/**
 * First person into an incident that is not in memory. Loading it (applying
 * the checkpoint and any log tail) blocks the host for a moment; a newcomer
 * who holds nothing yet is answered from the files before that: the
 * checkpoint, then what the log holds after it (after a crash), then the end
 * of the sync answer, so their board appears while the host loads. Whatever
 * they send meanwhile is kept and handled once the room is ready.
 */
const openCold = async (options: UpgradeOptions, ws: WebSocket, incidentId: string, who: Who): Promise<void> => {
  const early: EarlyMessages = { messages: [] }
  let closed = false
  const keep = (data: WebSocket.RawData, isBinary: boolean): void => {
    if (Buffer.isBuffer(data)) early.messages.push({ data, isBinary })
  }
  ws.on('message', keep)
  ws.on('error', () => ws.terminate())
  ws.once('close', () => {
    closed = true
  })
  const firstMessage = new Promise<void>((resolve) => {
    ws.once('message', () => resolve())
    setTimeout(resolve, FIRST_MESSAGE_WAIT_MS)
  })
  try {
    await firstMessage
    const stored = isFreshSyncStep1(early.messages[0]?.data) ? await options.storedState(incidentId) : undefined
    if (stored && !closed) {
      // Everything as updates, then an empty step 2: the client counts itself synced
      // only once it holds the tail too.
      const messages = [
        ...[stored.checkpoint, ...stored.tail].map((u) => syncMessage(syncProtocol.messageYjsUpdate, u)),
        syncMessage(syncProtocol.messageYjsSyncStep2, EMPTY_UPDATE),
      ]
      // Loading blocks the event loop: let the (large) answer reach the socket first.
      await Promise.all(messages.map((message) => new Promise<void>((resolve) => ws.send(message, () => resolve()))))
      early.answeredWith = [stored.checkpoint, ...stored.tail]
    }
    const room = await options.registry.acquire(incidentId)
    ws.off('message', keep)
    if (!closed && ws.readyState === WebSocket.OPEN) room.attach(ws, who, early)
    options.registry.release(incidentId)
  } catch {
    ws.close(1011, 'the incident could not be opened')
  }
}

/** y-websocket clients send sync step 1 at once; this only bounds a silent one. */
const FIRST_MESSAGE_WAIT_MS = 200
