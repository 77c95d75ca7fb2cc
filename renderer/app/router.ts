import { useSyncExternalStore } from 'react'

export type Route = { page: 'home' } | { page: 'incident'; incidentId: string } | { page: 'not-found' }

export const parseRoute = (pathname: string): Route => {
  if (pathname === '/' || pathname === '') return { page: 'home' }
  const match = /^\/i\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)
  return match ? { page: 'incident', incidentId: match[1]! } : { page: 'not-found' }
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
