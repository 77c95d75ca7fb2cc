import type { NetworkInterfaceInfo } from 'node:os'

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || host.startsWith('127.')

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === ''

/**
 * The address to put in invite links. A host bound to every interface is
 * reached through its first LAN address; an explicit --public-url wins.
 */
export const inviteBaseUrl = (
  bindHost: string,
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  publicUrl?: string,
): string => {
  if (publicUrl) return publicUrl.replace(/\/+$/, '')
  if (!isWildcard(bindHost)) return `http://${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`
  for (const list of Object.values(interfaces)) {
    const lan = list?.find((i) => i.family === 'IPv4' && !i.internal)
    if (lan) return `http://${lan.address}:${port}`
  }
  return `http://127.0.0.1:${port}`
}
