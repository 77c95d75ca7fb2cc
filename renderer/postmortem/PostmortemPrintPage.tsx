import MarkdownIt from 'markdown-it'
import { useEffect, useMemo, useState } from 'react'
import { fetchPostmortemMarkdown } from '../app/api'
import { desktopBridge } from '../app/bridge'
import { hostToken, incidentToken } from '../app/session'
import { PaneState } from '../common/PaneState'
import './postmortem-print.css'

/** HTML typed into the postmortem is shown as text, never run; links only to http(s) and mail (markdown-it's own check). */
const renderer = new MarkdownIt({ html: false, linkify: false, typographer: false })

type Load = { state: 'loading' } | { state: 'ready'; markdown: string } | { state: 'error'; message: string }

/**
 * The postmortem ready to print (`/postmortem/<id>`): light, on paper-sized
 * columns. The desktop app saves it as a PDF; a browser prints it, PDF included.
 */
export const PostmortemPrintPage = ({ incidentId }: { incidentId: string }) => {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [saved, setSaved] = useState('')
  const bridge = desktopBridge()
  useEffect(() => {
    void (async () => {
      const token = incidentToken(incidentId) ?? (await hostToken())
      if (!token) return setLoad({ state: 'error', message: 'Open the postmortem from the board, with an edit link or the host token.' })
      fetchPostmortemMarkdown(incidentId, token).then(
        (markdown) => setLoad({ state: 'ready', markdown }),
        (error: unknown) => setLoad({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
      )
    })()
  }, [incidentId])
  const html = useMemo(() => (load.state === 'ready' ? renderer.render(load.markdown) : ''), [load])
  useEffect(() => {
    const title = load.state === 'ready' ? (/^# (.+)$/m.exec(load.markdown)?.[1] ?? 'Postmortem') : 'Postmortem'
    document.title = `${title.replace(/\\(.)/g, '$1')} · War Room`
  }, [load])
  if (load.state === 'loading') return <PaneState kind="loading" title="Loading the postmortem…" />
  if (load.state === 'error') {
    return (
      <PaneState kind="error" title="The postmortem could not be loaded">
        <p>{load.message}</p>
      </PaneState>
    )
  }
  return (
    <main className="postmortem-print">
      <nav className="postmortem-print-actions" aria-label="Postmortem">
        <a href={`/i/${encodeURIComponent(incidentId)}`}>Back to the board</a>
        {bridge ? (
          <button type="button" onClick={() => void bridge.savePdf(`postmortem-${incidentId}.pdf`).then((path) => setSaved(path ? `Saved to ${path}` : ''))}>
            Save as PDF
          </button>
        ) : (
          <button type="button" onClick={() => window.print()}>
            Print or save as PDF
          </button>
        )}
        <span role="status">{saved}</span>
      </nav>
      {/* markdown-it with html off: everything typed is escaped before it reaches the page. */}
      <article className="postmortem-document" dangerouslySetInnerHTML={{ __html: html }} />
    </main>
  )
}
