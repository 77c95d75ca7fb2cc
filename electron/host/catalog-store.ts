// The host's service catalog, in its own file (DATA/catalog.json): it can be
// megabytes, and the records (warroom.json) are rewritten on every change of
// an incident's title or duty periods, which must stay cheap.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as v from 'valibot'
import { SERVICE_KINDS } from '../../shared/services'
import { StorageError, setAside, writeFileDurably } from './persistence/files'

export const CATALOG_FILE = 'catalog.json'

export const StoredCatalogSchema = v.object({
  source: v.string(),
  importedAt: v.number(),
  services: v.array(
    v.object({
      id: v.string(),
      name: v.string(),
      kind: v.picklist(SERVICE_KINDS),
      business: v.boolean(),
      owner: v.optional(v.string()),
      tier: v.optional(v.string()),
      description: v.optional(v.string()),
      links: v.optional(v.array(v.object({ title: v.string(), url: v.string(), kind: v.optional(v.string()) }))),
      /** The owner's PagerDuty routing key: kept here (owner-only file), never put in an incident's document. */
      pagerduty: v.optional(v.object({ integrationKey: v.optional(v.string()), serviceId: v.optional(v.string()) })),
    }),
  ),
  dependencies: v.array(v.object({ from: v.string(), to: v.string() })),
})
export type StoredCatalog = v.InferOutput<typeof StoredCatalogSchema>

export class CatalogStore {
  private constructor(
    private readonly path: string,
    private current: StoredCatalog | undefined,
  ) {}

  /**
   * Read the catalog. A damaged file is moved aside and reported (the host
   * starts without a catalog; importing again restores it); `legacy` is one an
   * older host kept inside warroom.json, moved here.
   */
  static async open(dataDir: string, legacy: StoredCatalog | undefined, now: number): Promise<{ store: CatalogStore; finding?: { file: string; problem: string; setAsideAs?: string } }> {
    const path = join(dataDir, CATALOG_FILE)
    let text: string | undefined
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    if (text === undefined) {
      // An older host's catalog moves to its own file; on a full disk it stays where it was until the next start.
      const store = new CatalogStore(path, legacy)
      if (legacy) await store.set(legacy).catch(() => undefined)
      return { store }
    }
    let parsed: StoredCatalog | undefined
    try {
      const result = v.safeParse(StoredCatalogSchema, JSON.parse(text))
      if (result.success) parsed = result.output
    } catch {
      parsed = undefined
    }
    if (parsed) return { store: new CatalogStore(path, parsed) }
    const setAsideAs = await setAside(path, now, 'move').catch(() => undefined)
    return {
      store: new CatalogStore(path, undefined),
      finding: {
        file: CATALOG_FILE,
        problem: 'the service catalog could not be read; new incidents start without one until it is imported again',
        ...(setAsideAs ? { setAsideAs: setAsideAs.slice(dataDir.length + 1) } : {}),
      },
    }
  }

  get(): StoredCatalog | undefined {
    return this.current
  }

  /**
   * On disk before it resolves; when the disk refuses it, nothing changed.
   * `json`: the catalog already serialised (an import does it off the event loop).
   */
  async set(catalog: StoredCatalog, json: Uint8Array | string = JSON.stringify(catalog)): Promise<void> {
    try {
      await writeFileDurably(this.path, json, 0o600)
    } catch (error) {
      throw new StorageError(error)
    }
    this.current = catalog
  }
}
