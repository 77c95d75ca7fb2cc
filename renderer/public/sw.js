// War Room's service worker: keeps the app shell so a reload while the host
// is unreachable still opens the board from this device's local copy
// (IndexedDB). It never caches the API, the sync socket or the status page.
const SHELL = 'warroom-shell-v1'

const cacheShell = async () => {
  const cache = await caches.open(SHELL)
  const response = await fetch('/', { cache: 'no-store' })
  if (!response.ok) return
  const html = await response.clone().text()
  await cache.put('/', response)
  const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1])
  await cache.addAll(assets)
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  )
})

const isAppRequest = (url) =>
  url.origin === self.location.origin && !/^\/(api|sync|status)\//.test(url.pathname)

self.addEventListener('fetch', (event) => {
  const { request } = event
  const url = new URL(request.url)
  if (request.method !== 'GET' || !isAppRequest(url)) return
  if (request.mode === 'navigate') {
    // Network first, so a new version is picked up; the kept shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone()
            void caches.open(SHELL).then((cache) => cache.put('/', copy))
          }
          return response
        })
        .catch(() => caches.match('/').then((hit) => hit ?? Response.error())),
    )
    return
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed file names never change content: the cache is always right.
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone()
              void caches.open(SHELL).then((cache) => cache.put(request, copy))
            }
            return response
          }),
      ),
    )
  }
})
