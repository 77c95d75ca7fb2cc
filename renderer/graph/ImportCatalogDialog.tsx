import { type DragEvent, useState } from 'react'
import { type CatalogFile, type ParsedCatalog, parseCatalog } from '../../shared/catalog'
import { loadCatalog } from '../../shared/services'
import { importHostCatalog } from '../app/api'
import { desktopBridge } from '../app/bridge'
import { hostToken } from '../app/session'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import './graph.css'

const MAX_FILE_BYTES = 5 * 1024 * 1024

const readFiles = async (files: FileList | File[]): Promise<CatalogFile[]> => {
  const list = [...files]
  const tooBig = list.find((f) => f.size > MAX_FILE_BYTES)
  if (tooBig) throw new Error(`${tooBig.name} is over 5 MB.`)
  return Promise.all(list.map(async (f) => ({ name: f.name, text: await f.text() })))
}

/**
 * Backstage catalog-info.yaml or the plain JSON format: checked here first, so
 * errors (with file and line) and unknown references show before anything changes.
 */
export const ImportCatalogDialog = ({ onClose }: { onClose: () => void }) => {
  const { connection } = useBoard()
  const [files, setFiles] = useState<CatalogFile[]>([])
  const [parsed, setParsed] = useState<ParsedCatalog>()
  const [alsoHost, setAlsoHost] = useState(false)
  const [canSaveForHost, setCanSaveForHost] = useState(false)
  const { error, run, setError } = useAction()

  const take = (next: CatalogFile[]): void => {
    setFiles(next)
    setParsed(parseCatalog(next))
    void hostToken().then((t) => setCanSaveForHost(t !== undefined))
  }
  const pick = (list: FileList | File[]): void => void readFiles(list).then(take, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  const onDrop = (event: DragEvent): void => {
    event.preventDefault()
    pick(event.dataTransfer.files)
  }

  const load = async (): Promise<void> => {
    if (!parsed || parsed.errors.length > 0) return
    const names = files.map((f) => f.name).join(', ')
    if (!run(() => loadCatalog(connection.doc, connection.change(), parsed.catalog, names))) return
    const token = alsoHost ? await hostToken() : undefined
    if (token) await importHostCatalog(token, files).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
    onClose()
  }

  const bridge = desktopBridge()
  return (
    <Dialog title="Import a service catalog" onClose={onClose} wide>
      <div className="dialog-form">
        <div className="drop-zone" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
          <p>Drop catalog-info.yaml or a JSON catalog here, or</p>
          {bridge ? (
            <button type="button" onClick={() => void bridge.openCatalogFiles().then((f) => f.length > 0 && take(f), (e: unknown) => setError(String(e)))}>
              Choose files…
            </button>
          ) : (
            <label className="file-label">
              Choose files
              <input type="file" multiple accept=".yaml,.yml,.json" onChange={(e) => e.target.files && pick(e.target.files)} />
            </label>
          )}
        </div>
        {parsed && (
          <div className="import-result" aria-live="polite">
            <p>
              <strong>{files.map((f) => f.name).join(', ')}</strong>: {parsed.catalog.services.length} services, {parsed.catalog.dependencies.length} dependencies.
            </p>
            {parsed.errors.length > 0 && (
              <div role="alert">
                <p className="form-error">Nothing will change until these are fixed:</p>
                <ul className="import-errors">
                  {parsed.errors.map((e, i) => (
                    <li key={i}>
                      {e.file}
                      {e.line ? `:${e.line}` : ''} — {e.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {parsed.unresolved.length > 0 && (
              <div>
                <p className="warning-text">{parsed.unresolved.length} references point to entities not in these files; they are left out:</p>
                <ul className="import-unresolved">
                  {parsed.unresolved.slice(0, 50).map((u, i) => (
                    <li key={i}>
                      {u.from} {u.field} → <code>{u.ref}</code>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
        {canSaveForHost && parsed && parsed.errors.length === 0 && (
          <label className="choice">
            <input type="checkbox" checked={alsoHost} onChange={(e) => setAlsoHost(e.target.checked)} />
            Also keep it as the host's catalog for new incidents
          </label>
        )}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" className="primary" disabled={!parsed || parsed.errors.length > 0 || parsed.catalog.services.length === 0} onClick={() => void load()}>
            Load into this incident
          </button>
        </div>
      </div>
    </Dialog>
  )
}
