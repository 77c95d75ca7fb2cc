// Serves the built web UI. Unknown app paths get index.html (the board is a
// single-page app); hashed assets are cached forever, the shell never.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

const fileIn = async (root: string, urlPath: string): Promise<string | undefined> => {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  const path = normalize(join(root, decoded))
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined
  const info = await stat(path).catch(() => undefined)
  return info?.isFile() ? path : undefined
}

export type HtmlHeaders = (req: IncomingMessage) => Record<string, string>

/** Returns false when the request is not for the web UI. */
export const serveWebUi = async (
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  htmlHeaders: HtmlHeaders,
): Promise<boolean> => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  const pathname = new URL(req.url ?? '/', 'http://host.invalid').pathname
  let file = pathname === '/' ? undefined : await fileIn(root, pathname)
  if (!file) {
    // Paths with an extension are files that do not exist; the rest are app routes.
    if (extname(pathname) !== '') return false
    file = await fileIn(root, '/index.html')
    if (!file) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('The web UI is not built yet: run `npm run build`.\n')
      return true
    }
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  const headers: Record<string, string> = { 'Content-Type': type }
  if (type.startsWith('text/html')) Object.assign(headers, htmlHeaders(req), { 'Cache-Control': 'no-cache' })
  else if (pathname.startsWith('/assets/')) headers['Cache-Control'] = 'public, max-age=31536000, immutable'
  else headers['Cache-Control'] = 'no-cache'
  res.writeHead(200, headers)
  if (req.method === 'HEAD') {
    res.end()
    return true
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
  return true
}
