// The WebSocket door: `/sync/<incidentId>?token=…&person=…`. The token is
// checked before the upgrade; a refused upgrade gets a status line and nothing else.
import type { IncomingMessage } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { Access } from '../persistence/update-log'
import type { RoomRegistry } from './registry'

export type Authenticate = (incidentId: string, token: string) => Access | 'view' | 'unknown-incident' | undefined

export interface UpgradeOptions {
  registry: RoomRegistry
  authenticate: Authenticate
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

export const createUpgradeHandler = (options: UpgradeOptions): ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) => {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false })
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    const target = parseSyncPath(req.url ?? '/')
    if (!target) return refuse(socket, 404)
    if (!target.token) return refuse(socket, 401)
    const access = options.authenticate(target.incidentId, target.token)
    if (access === 'unknown-incident') return refuse(socket, 404)
    if (!access) return refuse(socket, 401)
    const { incidentId } = target
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
          room.attach(ws, { author: target.person, access })
          options.registry.release(incidentId)
        })
      },
      () => refuse(socket, 500),
    )
  }
}
