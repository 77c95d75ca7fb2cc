// One Content-Security-Policy for the board, whether the host serves it to a
// browser or Electron loads it: scripts only from the app itself, no eval, no
// plugins, no framing, and network access only back to the host.

export interface CspOptions {
  /** Extra connect-src sources, e.g. the host's ws:// origin. */
  connect?: readonly string[]
}

export const contentSecurityPolicy = (options: CspOptions = {}): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    // React and React Flow position elements with style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ['connect-src', "'self'", ...(options.connect ?? [])].join(' '),
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ')

const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/

/** The WebSocket origin matching the page's own, from a Host header that is well formed (else none). */
export const websocketOriginFor = (hostHeader: string | undefined, secure: boolean): string[] =>
  hostHeader && HOST_HEADER.test(hostHeader) ? [`${secure ? 'wss' : 'ws'}://${hostHeader}`] : []
