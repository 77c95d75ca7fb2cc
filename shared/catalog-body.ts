// What `POST /api/catalog` takes: the files wrapped in JSON (`{ files: [{ name,
// text }] }`, as the board sends them), or one catalog as the body itself:
// Backstage YAML (`curl --data-binary @catalog-info.yaml -H 'content-type:
// application/yaml'`) or the plain JSON catalog format.
import * as v from 'valibot'
import type { CatalogFile } from './catalog'
import { CatalogBody } from './contract'

export const ACCEPTED_CATALOG_BODIES =
  'Send {"files": [{"name": "…", "text": "…"}]} as JSON, or one catalog as the body itself: Backstage YAML (Content-Type: application/yaml) or the JSON catalog format.'

export class CatalogBodyError extends Error {}

const YAML = /^(application|text)\/(x-)?yaml$/

const refuse = (problem: string): never => {
  throw new CatalogBodyError(`${problem} ${ACCEPTED_CATALOG_BODIES}`)
}

/** The files a catalog import's body holds; `mediaType` is its Content-Type without parameters, `name` names a bare catalog. */
export const catalogFilesFromBody = (text: string, mediaType: string, name?: string): CatalogFile[] => {
  if (text.trim() === '') refuse('The request body is empty.')
  const bare = (fallback: string): CatalogFile[] => [{ name: name ?? fallback, text }]
  if (YAML.test(mediaType)) return bare('catalog-info.yaml')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    // Declared JSON must be JSON; anything else that is not JSON is read as YAML, whose errors name the line.
    if (mediaType === 'application/json') refuse(`The request body is not valid JSON (${(error as Error).message.split('\n')[0]}).`)
    return bare('catalog-info.yaml')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('files' in value)) return bare('catalog.json')
  const parsed = v.safeParse(CatalogBody, value)
  if (parsed.success) return parsed.output.files
  const issue = parsed.issues[0]
  const path = v.getDotPath(issue)
  return refuse(`${path ? `${path}: ` : ''}${issue.message}.`)
}
