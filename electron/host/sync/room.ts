// One incident's live document and the people connected to it, speaking the
// y-websocket protocol (sync + awareness) over y-protocols.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { markAbsent, markPresent } from '../../../shared/attendance'
import type { HostPresence, HostState } from '../../../shared/host-status'
import { HOST_AUTHOR } from '../../../shared/people'
import { type DurableIncident, SYSTEM_ORIGIN } from '../persistence/durable-incident'
import { pendingBytes, restorePending, savePending } from '../persistence/pending'
import type { Access } from '../persistence/update-log'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

/** Close codes a client sees when the host drops it. */
export const CLOSE_MALFORMED = 1007
export const CLOSE_POLICY = 1008
export const CLOSE_TOO_SLOW = 1013

export class ProtocolError extends Error {}

export const DEFAULT_MAX_PENDING_BYTES = 2 * 1024 * 1024

/** A connection's updates would hold back more than the room allows: refused, that connection closed. */
export class PendingLimitError extends Error {}

/** What a connection did before its room was loaded (see upgrade.ts). */
export interface EarlyMessages {
  messages: Array<{ data: Buffer; isBinary: boolean }>
  /** The updates it was already sent in answer to its first sync step 1, if any. */
  answeredWith?: Uint8Array[]
}

/**
 * What a client holds once it had `vector` and then applied `updates` in
 * order: each update's run of a client's changes counts when it joins on to
 * what the client already had.
 */
const stateAfter = (vector: Uint8Array, updates: readonly Uint8Array[]): Uint8Array => {
  const known = Y.decodeStateVector(vector)
  for (const update of updates) {
    const { from, to } = Y.parseUpdateMeta(update)
    for (const [client, start] of from) {
      const held = known.get(client) ?? 0
      if (start <= held) known.set(client, Math.max(held, to.get(client) ?? held))
    }
  }
  return Y.encodeStateVector(known)
}

/**
 * A connection is also the transaction origin of what it applies, so the log
 * knows its author (a ChangeOrigin; view connections never apply anything).
 */
export interface Connection {
  ws: WebSocket
  author: string
  access: Access | 'view'
  awarenessIds: Set<number>
  alive: boolean
}

export interface RoomOptions {
  /** A client that falls this far behind is dropped; it resyncs when it reconnects. */
  maxBufferedBytes: number
  /** Presence is small; a bigger awareness message is an abuse. */
  maxAwarenessBytes: number
  /**
   * Most bytes of updates the document may hold back waiting for changes that
   * have not arrived. A peer only sends updates that build on what it got, so
   * these stay tiny; a connection that pushes past this is refused and closed.
   */
  maxPendingBytes?: number
  onEmpty: (room: Room) => void
  onError: (error: unknown) => void
  /** Host clock. */
  now: () => number
}

const isConnection = (origin: unknown): origin is Connection =>
  typeof origin === 'object' && origin !== null && (origin as Connection).ws instanceof WebSocket

export class Room {
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<Connection>()
  /** Open connections per person, for attendance (who is on the board, since when). */
  private readonly perPerson = new Map<string, number>()

  constructor(
    readonly id: string,
    readonly durable: DurableIncident,
    private readonly options: RoomOptions,
  ) {
    this.awareness = new awarenessProtocol.Awareness(durable.doc)
    // The host has no presence of its own, only news about itself (setHostState).
    this.awareness.setLocalState(null)
    durable.doc.on('update', this.broadcastUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  get doc(): Y.Doc {
    return this.durable.doc
  }

  /** Tell every board what the host says about itself: whether it can save, when its settings changed. */
  setHostState(host: HostState): void {
    const state: HostPresence = { host }
    this.awareness.setLocalState(state)
  }

  /**
   * Apply a connection's update. What it leaves waiting for missing changes is
   * bounded: past `maxPendingBytes` the update's held-back part is dropped again
   * and the connection refused (what it completed stays: it is logged).
   */
  private applyFrom(conn: Connection, update: Uint8Array): void {
    const before = savePending(this.doc)
    const beforeBytes = pendingBytes(this.doc)
    Y.applyUpdate(this.doc, update, conn)
    const after = pendingBytes(this.doc)
    const limit = this.options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES
    if (after > limit && after > beforeBytes) {
      restorePending(this.doc, before)
      throw new PendingLimitError(`updates waiting for missing changes passed ${limit} bytes`)
    }
  }

  attach(ws: WebSocket, who: { author: string; access: Access | 'view' }, early?: EarlyMessages): Connection {
    const conn: Connection = { ws, author: who.author, access: who.access, awarenessIds: new Set(), alive: true }
    this.connections.add(conn)
    this.countPresence(conn, +1)
    ws.binaryType = 'nodebuffer'
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary))
    ws.on('close', () => this.detach(conn))
    ws.on('error', () => ws.terminate())
    ws.on('pong', () => {
      conn.alive = true
    })
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, this.doc)
    this.send(conn, encoding.toUint8Array(encoder))
    const states = this.awareness.getStates()
    if (states.size > 0) this.send(conn, this.awarenessMessage([...states.keys()]))
    let answeredWith = early?.answeredWith
    for (const { data, isBinary } of early?.messages ?? []) {
      this.onMessage(conn, data, isBinary, answeredWith)
      answeredWith = undefined
    }
    return conn
  }

  /** Stakeholders' view links and anonymous connections are not attendance. */
  private countPresence(conn: Connection, delta: 1 | -1): void {
    if (!conn.author || conn.access === 'view') return
    const count = (this.perPerson.get(conn.author) ?? 0) + delta
    if (count > 0) this.perPerson.set(conn.author, count)
    else this.perPerson.delete(conn.author)
    const first = delta === 1 && count === 1
    const last = delta === -1 && count === 0
    if (!first && !last) return
    const change = { by: HOST_AUTHOR, at: this.options.now() }
    this.doc.transact(() => (first ? markPresent : markAbsent)(this.doc, change, conn.author), SYSTEM_ORIGIN)
  }

  private detach(conn: Connection): void {
    if (!this.connections.delete(conn)) return
    this.countPresence(conn, -1)
    if (conn.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null)
    if (this.connections.size === 0) this.options.onEmpty(this)
  }

  private onMessage(conn: Connection, data: WebSocket.RawData, isBinary: boolean, answeredWith?: Uint8Array[]): void {
    try {
      if (!isBinary || !Buffer.isBuffer(data)) throw new ProtocolError('expected one binary message')
      const reply = this.handle(conn, data, answeredWith)
      if (reply) this.send(conn, reply)
    } catch (error) {
      // Only this connection pays for a bad message; the room carries on.
      this.options.onError(error)
      if (error instanceof PendingLimitError) conn.ws.close(CLOSE_POLICY, 'too many updates waiting for missing changes')
      else conn.ws.close(CLOSE_MALFORMED, 'malformed message')
      this.detach(conn)
    }
  }

  /**
   * Apply one message; returns the reply, if any. Throws on anything malformed.
   * `answeredWith`: a sync step 1 already answered with these updates before
   * the room loaded, so only what they lacked is sent now.
   */
  private handle(conn: Connection, data: Buffer, answeredWith?: Uint8Array[]): Uint8Array | undefined {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MESSAGE_SYNC: {
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MESSAGE_SYNC)
        const syncType = decoding.readVarUint(decoder)
        if (syncType === syncProtocol.messageYjsSyncStep1 && answeredWith) {
          const known = stateAfter(decoding.readVarUint8Array(decoder), answeredWith)
          syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(this.doc, known))
        } else if (syncType === syncProtocol.messageYjsSyncStep1) {
          syncProtocol.readSyncStep1(decoder, encoder, this.doc)
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          const update = decoding.readVarUint8Array(decoder)
          // A view link syncs down only: its updates are dropped before they touch the document.
          if (conn.access !== 'view') this.applyFrom(conn, update)
        } else {
          throw new ProtocolError(`unknown sync message ${syncType}`)
        }
        return encoding.length(encoder) > 1 ? encoding.toUint8Array(encoder) : undefined
      }
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder)
        if (update.length > this.options.maxAwarenessBytes) throw new ProtocolError('awareness message too large')
        if (conn.access !== 'view') awarenessProtocol.applyAwarenessUpdate(this.awareness, this.withoutHost(update), conn)
        return undefined
      }
      case MESSAGE_QUERY_AWARENESS:
        return this.awarenessMessage([...this.awareness.getStates().keys()])
      case MESSAGE_AUTH:
        // Authentication happens on the HTTP upgrade; clients never send this.
        return undefined
      default:
        throw new ProtocolError(`unknown message type ${type}`)
    }
  }

  /**
   * Only the host speaks for the host: a peer's presence may neither use the
   * host's own client id nor carry a `host` entry (it would fake or hide the
   * "cannot save" warning on every board). Such entries are dropped, not
   * refused: y-websocket clients echo every presence they receive, the host's
   * included.
   */
  private withoutHost(update: Uint8Array): Uint8Array {
    const decoder = decoding.createDecoder(update)
    const kept: Array<{ clientId: number; clock: number; json: string }> = []
    const count = decoding.readVarUint(decoder)
    for (let n = 0; n < count; n++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const json = decoding.readVarString(decoder)
      const state: unknown = JSON.parse(json)
      if (clientId !== this.doc.clientID && !(typeof state === 'object' && state !== null && 'host' in state)) kept.push({ clientId, clock, json })
    }
    if (kept.length === count) return update
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, kept.length)
    for (const { clientId, clock, json } of kept) {
      encoding.writeVarUint(encoder, clientId)
      encoding.writeVarUint(encoder, clock)
      encoding.writeVarString(encoder, json)
    }
    return encoding.toUint8Array(encoder)
  }

  private awarenessMessage(clients: number[]): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
    return encoding.toUint8Array(encoder)
  }

  private readonly broadcastUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.connections.size === 0) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, update)
    const message = encoding.toUint8Array(encoder)
    // At once, before the log's fsync: waiting for it was measured and costs every board
    // latency (docs/ARCHITECTURE.md, "Broadcast before the fsync").
    for (const conn of this.connections) if (conn !== origin) this.send(conn, message)
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (isConnection(origin)) {
      for (const id of added) origin.awarenessIds.add(id)
      for (const id of removed) origin.awarenessIds.delete(id)
    }
    if (this.connections.size === 0) return
    const message = this.awarenessMessage([...added, ...updated, ...removed])
    for (const conn of this.connections) this.send(conn, message)
  }

  private send(conn: Connection, message: Uint8Array): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return
    if (conn.ws.bufferedAmount > this.options.maxBufferedBytes) {
      conn.ws.terminate()
      return
    }
    conn.ws.send(message, (error) => {
      if (error) conn.ws.terminate()
    })
  }

  /**
   * Called every 15 s: drop connections that stopped answering pings, and send
   * everyone an empty awareness message, because a y-websocket client that
   * hears nothing for 30 s reconnects (a lone viewer would otherwise loop).
   */
  heartbeat(): void {
    const keepAlive = this.awarenessMessage([])
    for (const conn of this.connections) {
      if (!conn.alive) {
        conn.ws.terminate()
        continue
      }
      conn.alive = false
      conn.ws.ping()
      this.send(conn, keepAlive)
    }
  }

  /** Drop every connection (host shutdown); clients will reconnect elsewhere or later. */
  disconnectAll(): void {
    for (const conn of [...this.connections]) {
      conn.ws.close(1001, 'host shutting down')
      // Now, not when the close handshake ends: who left is then written before
      // the last checkpoint, not after it as a log tail the next start replays.
      this.detach(conn)
    }
  }

  destroy(): void {
    this.durable.doc.off('update', this.broadcastUpdate)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
  }
}
