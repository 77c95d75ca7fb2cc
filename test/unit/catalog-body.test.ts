import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACCEPTED_CATALOG_BODIES, CatalogBodyError, catalogFilesFromBody } from '../../shared/catalog-body'
import { type TestHost, removeDir, startTestHost } from './helpers/host'

const yaml = readFileSync(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url), 'utf8')

describe('what a catalog import body may be', () => {
  it('the files wrapped in JSON, or one catalog as the body itself', () => {
    expect(catalogFilesFromBody(JSON.stringify({ files: [{ name: 'a.yaml', text: 'x' }] }), 'application/json')).toEqual([{ name: 'a.yaml', text: 'x' }])
    expect(catalogFilesFromBody(yaml, 'application/yaml')).toEqual([{ name: 'catalog-info.yaml', text: yaml }])
    expect(catalogFilesFromBody(yaml, 'text/x-yaml', 'estate.yaml')).toEqual([{ name: 'estate.yaml', text: yaml }])
    // curl's default type, or none: not JSON, so YAML.
    expect(catalogFilesFromBody(yaml, 'application/x-www-form-urlencoded')[0]!.name).toBe('catalog-info.yaml')
    const json = JSON.stringify({ services: [{ id: 'a', name: 'A' }], dependencies: [] })
    expect(catalogFilesFromBody(json, 'application/json')).toEqual([{ name: 'catalog.json', text: json }])
  })

  it('refuses an empty body, broken declared JSON or a bad wrapper, saying what it accepts', () => {
    for (const [text, type] of [
      ['', 'application/json'],
      ['{"files": ', 'application/json'],
      ['{"files": []}', 'application/json'],
    ] as const) {
      expect(() => catalogFilesFromBody(text, type)).toThrow(CatalogBodyError)
      expect(() => catalogFilesFromBody(text, type)).toThrow(ACCEPTED_CATALOG_BODIES)
    }
  })
})

describe('POST /api/catalog with a bare catalog', () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost()
  })
  afterAll(async () => {
    await host.stop()
    await removeDir(host.dataDir)
  })

  const post = (body: string, type?: string, query = '') =>
    fetch(`${host.url}/api/catalog${query}`, { method: 'POST', headers: { Authorization: `Bearer ${host.hostToken}`, ...(type ? { 'Content-Type': type } : {}) }, body })

  it('imports Backstage YAML sent as it is, named as asked', async () => {
    const response = await post(yaml, 'application/yaml', '?name=estate.yaml')
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ services: 22, dependencies: 16, source: 'estate.yaml' })
  })

  it('answers a broken body with a 400 that names the problem and the accepted shapes', async () => {
    const response = await post('{"files": [}', 'application/json')
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: string }
    expect(error).toMatch(/not valid JSON/)
    expect(error).toContain('Backstage YAML (Content-Type: application/yaml)')
  })
})
