// What this device remembers: who you are, and the tokens you were given.
// Kept in localStorage so a reload while offline still opens the board.
import * as v from 'valibot'
import { checkName, colorFor } from '../../shared/people'
import type { AccessLevel } from './api'
import { desktopBridge } from './bridge'

const IDENTITY_KEY = 'warroom.identity'
const HOST_TOKEN_KEY = 'warroom.hostToken'
const tokenKey = (incidentId: string): string => `warroom.token.${incidentId}`
const accessKey = (incidentId: string): string => `warroom.access.${incidentId}`

export interface Identity {
  id: string
  name: string
  color: string
}

const IdentitySchema = v.object({ id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)), name: v.string() })

const randomId = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export const loadIdentity = (): Identity | undefined => {
  try {
    const parsed = v.safeParse(IdentitySchema, JSON.parse(localStorage.getItem(IDENTITY_KEY) ?? 'null'))
    return parsed.success ? { ...parsed.output, color: colorFor(parsed.output.id) } : undefined
  } catch {
    return undefined
  }
}

/**
 * Remember who this device's person is: their roster id when the host could be
 * asked, else a local one. Throws a PeopleError for an empty or overlong name.
 */
export const saveIdentity = (name: string, rosterId?: string): Identity => {
  const id = rosterId ?? loadIdentity()?.id ?? randomId()
  const identity = { id, name: checkName(name) }
  localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity))
  return { ...identity, color: colorFor(id) }
}

/**
 * The incident token: taken from an invite link's fragment (never sent to the
 * host in a URL, and removed from the address bar), else remembered.
 */
export const incidentToken = (incidentId: string): string | undefined => {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromLink) {
    localStorage.setItem(tokenKey(incidentId), fromLink)
    history.replaceState(history.state, '', location.pathname + location.search)
    return fromLink
  }
  return localStorage.getItem(tokenKey(incidentId)) ?? undefined
}

export const forgetIncidentToken = (incidentId: string): void => localStorage.removeItem(tokenKey(incidentId))

export const rememberAccess = (incidentId: string, access: AccessLevel): void =>
  localStorage.setItem(accessKey(incidentId), access)

export const rememberedAccess = (incidentId: string): AccessLevel | undefined => {
  const value = localStorage.getItem(accessKey(incidentId))
  return value === 'host' || value === 'edit' || value === 'view' ? value : undefined
}

/** The host token: from the desktop app's bridge, or pasted once by an administrator in this browser. */
export const hostToken = async (): Promise<string | undefined> => {
  const bridge = desktopBridge()
  if (bridge) return bridge.getHostToken().catch(() => undefined)
  return localStorage.getItem(HOST_TOKEN_KEY) ?? undefined
}

export const saveHostToken = (token: string): void => localStorage.setItem(HOST_TOKEN_KEY, token.trim())
export const forgetHostToken = (): void => localStorage.removeItem(HOST_TOKEN_KEY)
