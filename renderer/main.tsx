import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
// The tokens and the base first: every pane's stylesheet (imported by its component) comes after them.
import './tokens.css'
import './base.css'
import { App } from './app/App'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)

// Keeps the app shell for a reload while the host is unreachable. Browsers allow
// service workers on https and on localhost; on a plain-http LAN address the
// board still works, but a reload needs the host.
if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('/sw.js').catch(() => undefined)
}
