import { useSyncExternalStore } from 'react'

export type Route =
  | { page: 'home' }
  | { page: 'incident'; incidentId: string }
  | { page: 'replay'; incidentId: string; at?: number }
  | { page: 'drill'; incidentId: string }
  | { page: 'compare'; incidentId: string }
  | { page: 'postmortem'; incidentId: string }
  | { page: 'not-found' }

/** The page for an address: `/`, `/i/<id>`, `/replay/<id>?at=<epoch ms>`, `/drill/<id>`, `/drill/<id>/compare`, `/postmortem/<id>`. */
export const parseRoute = (pathname: string, search = ''): Route => {
  if (pathname === '/' || pathname === '') return { page: 'home' }
  const board = /^\/i\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)
  if (board) return { page: 'incident', incidentId: board[1]! }
  const drill = /^\/drill\/([A-Za-z0-9_-]{1,64})(\/compare)?\/?$/.exec(pathname)
  if (drill) return { page: drill[2] ? 'compare' : 'drill', incidentId: drill[1]! }
  const postmortem = /^\/postmortem\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)
  if (postmortem) return { page: 'postmortem', incidentId: postmortem[1]! }
  const replay = /^\/replay\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)
  if (!replay) return { page: 'not-found' }
  const at = new URLSearchParams(search).get('at') ?? ''
  return { page: 'replay', incidentId: replay[1]!, ...(/^\d{1,16}$/.test(at) ? { at: Number(at) } : {}) }
}

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('popstate', onChange)
  return () => window.removeEventListener('popstate', onChange)
}

export const navigate = (path: string): void => {
  history.pushState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

export const usePathname = (): string => useSyncExternalStore(subscribe, () => location.pathname)

export const useSearch = (): string => useSyncExternalStore(subscribe, () => location.search)
