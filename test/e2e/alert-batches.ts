// Alertmanager batches for the e2e specs: the real fixtures, and posting one
// to an integration's intake address as Alertmanager does.
import { readFile } from 'node:fs/promises'

export interface Batch {
  alerts: Array<{ status?: string; labels: Record<string, string>; annotations: Record<string, string>; fingerprint?: string; endsAt?: string }>
  commonLabels: Record<string, string>
  groupKey?: string
  status?: string
}

/** A payload from test/fixtures/alerts (an Alertmanager batch unless said otherwise). */
export const alertFixture = async <T = Batch>(name: string): Promise<T> => JSON.parse(await readFile(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8')) as T

export const postBatch = (url: string, batch: Batch): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch) })
