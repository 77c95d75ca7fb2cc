// Where a webhook may be sent. Not to this machine (loopback), not to
// link-local addresses (169.254.169.254 is the cloud metadata service, which
// hands out credentials), not to the unspecified address (0.0.0.0 reaches this
// machine), nor to those written another way (::ffff:127.0.0.1), unless the
// host is started with --allow-local-webhooks. Private LAN ranges stay
// allowed: Mattermost and Rocket.Chat receivers live there.
//
// Checked twice: a literal address or `localhost` when a channel is added
// (webhookUrlProblem), and the address actually connected to at delivery
// (refuseLiteral and guardedLookup), so a name that resolves to 127.0.0.1 or
// 169.254.169.254, now or after a DNS change, is refused too.
import type { LookupAddress } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns/promises'
import { type LookupFunction, isIP } from 'node:net'

export type RefusedKind = 'loopback' | 'link-local' | 'unspecified' | 'cloud metadata' | 'not an IP address'

export const LOCAL_WEBHOOK_REFUSED =
  'a webhook may not point at this machine or a link-local address (cloud metadata); start the host with --allow-local-webhooks to allow it'

/** Without brackets ([::1]) or a zone (fe80::1%eth0). */
const bare = (address: string): string => address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '')

const ipv4Kind = (a: number, b: number, c: number, d: number): RefusedKind | undefined => {
  if (a === 127) return 'loopback'
  if (a === 169 && b === 254) return 'link-local'
  if (a === 0) return 'unspecified'
  // Alibaba Cloud's metadata service, outside link-local.
  if (a === 100 && b === 100 && c === 100 && d === 200) return 'cloud metadata'
  return undefined
}

/** An IPv6 address (already checked by isIP) as its eight 16-bit groups. */
const ipv6Groups = (address: string): number[] => {
  let text = address
  const tail: number[] = []
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    tail.push((a << 8) | b, (c << 8) | d)
    text = text.slice(0, dotted.index)
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1)
  }
  const hex = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)))
  const [head = '', rest] = text.split('::')
  const before = hex(head)
  const after = rest === undefined ? [] : hex(rest)
  const zeros = rest === undefined ? [] : new Array<number>(8 - before.length - after.length - tail.length).fill(0)
  return [...before, ...zeros, ...after, ...tail]
}

const ipv6Kind = (g: number[]): RefusedKind | undefined => {
  const zeroUpTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0)
  if (zeroUpTo(8)) return 'unspecified'
  if (zeroUpTo(7) && g[7] === 1) return 'loopback'
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local'
  // AWS's metadata service over IPv6 (inside fc00::/7, which otherwise stays allowed).
  if (g.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':')) return 'cloud metadata'
  // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d),
  // translated (::ffff:0:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach that IPv4 address.
  const embedded = (zeroUpTo(5) && g[5] === 0xffff) || zeroUpTo(6) || (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) || (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
  if (embedded) return ipv4Kind(g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff)
  return undefined
}

/** Why an IP address may not receive webhooks, or undefined when it may. */
export const refusedKind = (ip: string): RefusedKind | undefined => {
  const address = bare(ip)
  switch (isIP(address)) {
    case 4:
      return ipv4Kind(...(address.split('.').map(Number) as [number, number, number, number]))
    case 6:
      return ipv6Kind(ipv6Groups(address))
    default:
      return 'not an IP address'
  }
}

export const isAllowedDestination = (ip: string): boolean => refusedKind(ip) === undefined

/**
 * When a channel is added: what is wrong with its URL's host, if anything.
 * Only literal addresses and `localhost` can be judged here; names are
 * checked when they are resolved, at each delivery.
 */
export const webhookUrlProblem = (url: string, allowLocal: boolean): string | undefined => {
  let hostname: string
  try {
    // The URL parser writes 2130706433, 0x7f.1 and 127.1 as 127.0.0.1.
    hostname = new URL(url).hostname
  } catch {
    return 'not a valid http:// or https:// address'
  }
  if (allowLocal) return undefined
  const host = bare(hostname).toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return LOCAL_WEBHOOK_REFUSED
  if (isIP(host) !== 0 && !isAllowedDestination(host)) return LOCAL_WEBHOOK_REFUSED
  return undefined
}

/** A delivery refused because of the address it would reach: final, never retried. */
export class DestinationRefused extends Error {
  readonly code = 'EDESTINATIONREFUSED'
  constructor(
    readonly address: string,
    readonly kind: RefusedKind,
  ) {
    super(`the address ${address} is not allowed: ${kind}`)
    this.name = 'DestinationRefused'
  }
}

/** A URL whose host is a literal address is connected to without a lookup: check it here. */
export const refuseLiteral = (hostname: string, allowLocal: boolean): void => {
  const host = bare(hostname)
  if (allowLocal || isIP(host) === 0) return
  const kind = refusedKind(host)
  if (kind) throw new DestinationRefused(host, kind)
}

/** Resolves a host name to all its addresses (dns.lookup by default; tests inject one). */
export type ResolveHost = (hostname: string, options: { family: 0 | 4 | 6; hints: number }) => Promise<LookupAddress[]>

export const systemResolve: ResolveHost = (hostname, options) => dnsLookup(hostname, { ...options, all: true })

/**
 * The `lookup` for node:http(s) and node:net: resolves the name and hands back
 * only allowed addresses, so the socket connects to an address that was
 * checked (no second lookup a rebinding DNS server could answer differently).
 * When every address is refused, the connection fails with DestinationRefused.
 */
export const guardedLookup =
  (resolve: ResolveHost, allowLocal: boolean): LookupFunction =>
  (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0
    resolve(hostname, { family, hints: options.hints ?? 0 }).then(
      (found) => {
        const usable = allowLocal ? found : found.filter((a) => isAllowedDestination(a.address))
        if (usable.length === 0) {
          const first = found[0]
          const error = first
            ? new DestinationRefused(first.address, refusedKind(first.address) ?? 'not an IP address')
            : Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' })
          return callback(error, options.all ? [] : '')
        }
        if (options.all) callback(null, usable)
        else callback(null, usable[0]!.address, usable[0]!.family)
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : ''),
    )
  }
