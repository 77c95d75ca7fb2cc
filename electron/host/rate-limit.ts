// A token bucket per caller: `rate` requests a second on average, bursts of
// `burst`. An intake key that floods is told when to come back (429,
// Retry-After) without slowing anyone else.
export class RateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {}

  /** Takes one token for `who`; when none is left, the seconds until one is. */
  take(who: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now()
    const bucket = this.buckets.get(who) ?? { tokens: this.burst, at: now }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate)
    bucket.at = now
    this.buckets.set(who, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { ok: true }
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate)) }
  }

  forget(who: string): void {
    this.buckets.delete(who)
  }
}
