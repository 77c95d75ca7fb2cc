// What the host sends out (update webhooks, pages): one POST at a time with
// node:http(s), whose `lookup` is ours so only an allowed address is ever
// connected to (see destinations.ts); a redirect is never followed; an answer
// worth trying again is retried with backoff. Each kind of delivery keeps its
// own log; this is the part they share.
import { createHmac } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import type { Attempt } from '../../shared/deliveries'
import { DestinationRefused, type ResolveHost, guardedLookup, refuseLiteral, systemResolve } from './destinations'

export const SIGNATURE_HEADER = 'X-WarRoom-Signature'

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe signs:
 * the timestamp inside the signature stops an old body being replayed.
 */
export const signBody = (secret: string, body: string, unixSeconds: number): string =>
  `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`

const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000]

export const UNREADABLE_CHANNEL = "the channel's address cannot be read (seal.key was lost); add the channel again"

export interface SenderOptions {
  now: () => number
  onError: (error: unknown) => void
  /** Waits before each retry; the last failure after these is final. */
  retryDelaysMs?: readonly number[]
  timeoutMs?: number
  /** Also post to loopback and link-local addresses (--allow-local-webhooks). */
  allowLocalDestinations?: boolean
  /** Resolves a destination's host name; dns.lookup unless a test injects one. */
  lookup?: ResolveHost
}

/** A receiver's answer worth trying again: it may work in a moment. A 3xx is final, never followed. */
const retryable = (status: number): boolean => status >= 500 || status === 408 || status === 429

/**
 * One POST; resolves with the answer's status. node:http follows no redirect.
 * A literal address is connected to without a lookup, so it is checked first.
 */
const post = (url: URL, headers: Record<string, string>, body: string, signal: AbortSignal, lookup: LookupFunction, allowLocal: boolean): Promise<number> =>
  new Promise((resolve, reject) => {
    refuseLiteral(url.hostname, allowLocal)
    let status: number | undefined
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    // No shared agent: a pooled connection must never skip the address check.
    const request = send(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: false, lookup, signal }, (response) => {
      status = response.statusCode ?? 0
      // The answer's body is not needed; drain it so the connection is freed.
      response.resume()
      response.on('end', () => resolve(status!))
      response.on('close', () => resolve(status!))
    })
    // After the status line, a broken or slow body does not change the answer.
    request.on('error', (error) => (status === undefined ? reject(error) : resolve(status)))
    request.end(body)
  })

/** Where a delivery stands after an attempt, and when to try again. */
export interface Outcome {
  state: 'delivered' | 'retrying' | 'failed'
  retryInMs?: number
  /** For the timeline when it failed: "HTTP 400", "timed out". */
  failure?: string
}

/**
 * Sends with retries and keeps track of what is under way, so shutting down
 * waits for attempts in flight and starts no new one.
 */
export class RetryingSender {
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly inFlight = new Set<Promise<void>>()
  /** Set on shutdown: no new attempts start. */
  protected stopping = false
  /** Set once attempts under way have finished: nothing more is written. */
  protected stopped = false
  private readonly lookup: LookupFunction

  constructor(protected readonly sender: SenderOptions) {
    this.lookup = guardedLookup(sender.lookup ?? systemResolve, sender.allowLocalDestinations === true)
  }

  /**
   * One attempt, added to `attempts`. Never the URL in an error: for Slack it
   * is the secret. A refused address is final.
   */
  protected async send(url: string, headers: Record<string, string>, body: string, attempts: Attempt[]): Promise<Outcome> {
    const started = this.sender.now()
    const signal = AbortSignal.timeout(this.sender.timeoutMs ?? 10_000)
    let attempt: Attempt
    let refused = false
    try {
      const status = await post(new URL(url), headers, body, signal, this.lookup, this.sender.allowLocalDestinations === true)
      attempt = { at: started, ms: this.sender.now() - started, status }
    } catch (error) {
      refused = error instanceof DestinationRefused
      const reason = error instanceof DestinationRefused ? error.message : signal.aborted ? 'timed out' : 'could not connect'
      attempt = { at: started, ms: this.sender.now() - started, error: reason }
    }
    attempts.push(attempt)
    const delays = this.sender.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
    if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) return { state: 'delivered' }
    const again = !refused && (attempt.status === undefined || retryable(attempt.status)) && attempts.length <= delays.length
    if (again) return { state: 'retrying', retryInMs: delays[attempts.length - 1]! }
    return { state: 'failed', failure: attempt.status !== undefined ? `HTTP ${attempt.status}` : (attempt.error ?? 'failed') }
  }

  protected later(work: () => Promise<void>, delayMs: number): void {
    if (this.stopping) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.track(work())
    }, delayMs)
    this.timers.add(timer)
  }

  protected track(work: Promise<void>): void {
    this.inFlight.add(work)
    void work.catch(this.sender.onError).finally(() => this.inFlight.delete(work))
  }

  /** On shutdown: no new attempts; those under way finish writing their result. */
  async stop(): Promise<void> {
    this.stopping = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.inFlight])
    this.stopped = true
  }
}
