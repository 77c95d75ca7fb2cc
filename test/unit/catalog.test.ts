import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { entityRef, parseCatalog } from '../../shared/catalog'
import { generateBackstageCatalog } from './helpers/catalog'

const fixture = readFileSync(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url), 'utf8')

describe('Backstage catalog', () => {
  it('reads the real example set: components, resources, APIs and systems, skipping groups, users and domains', () => {
    const { catalog, errors, unresolved } = parseCatalog([{ name: 'catalog-info.yaml', text: fixture }])
    expect(errors).toEqual([])
    expect(unresolved).toEqual([])
    const kinds = catalog.services.reduce<Record<string, number>>((n, s) => ({ ...n, [s.kind]: (n[s.kind] ?? 0) + 1 }), {})
    expect(kinds).toEqual({ system: 3, resource: 1, component: 13, api: 5 })
    expect(catalog.services.find((s) => s.id === 'system:default/podcast')).toMatchObject({ business: true, owner: 'team-b' })
    const edges = catalog.dependencies.map((d) => `${d.from} -> ${d.to}`)
    // dependsOn with a full reference; a system depends on its parts; an API on its provider; a consumer on the API.
    expect(edges).toContain('component:default/artist-lookup -> resource:default/artists-db')
    expect(edges).toContain('system:default/artist-engagement-portal -> component:default/artist-lookup')
    expect(edges).toContain('api:default/wayback-archive -> component:default/wayback-archive')
    expect(edges).toContain('component:default/wayback-search -> api:default/wayback-archive')
    expect(edges).toContain('component:default/wayback-archive -> component:default/wayback-archive-storage')
  })

  it.each([
    ['foo', 'component', 'component:default/foo'],
    ['resource:artists-db', 'component', 'resource:default/artists-db'],
    ['API:prod/Payments', 'component', 'api:prod/payments'],
    ['team/foo', 'api', 'api:team/foo'],
  ])('resolves the reference %s (default kind %s)', (ref, kind, id) => {
    expect(entityRef(ref, kind)).toBe(id)
  })

  it('lists references to unknown entities and still imports what it resolved', () => {
    const text = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: checkout }
spec: { owner: team-a, dependsOn: ['resource:payments-db', 'component:ghost'], consumesApis: [cart] }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: payments-db }
spec: { owner: team-a }
`
    const { catalog, unresolved, errors } = parseCatalog([{ name: 'checkout.yaml', text }])
    expect(errors).toEqual([])
    expect(catalog.dependencies).toEqual([{ from: 'component:default/checkout', to: 'resource:default/payments-db' }])
    expect(unresolved).toEqual([
      { from: 'component:default/checkout', field: 'spec.dependsOn', ref: 'component:ghost' },
      { from: 'component:default/checkout', field: 'spec.consumesApis', ref: 'cart' },
    ])
  })

  it('resolves references across files, and accepts dependency cycles', () => {
    const a = `kind: Component\nmetadata: { name: a }\nspec: { dependsOn: ['component:b'] }\n`
    const b = `kind: Component\nmetadata: { name: b }\nspec: { dependsOn: ['component:a'] }\n`
    const { catalog, unresolved } = parseCatalog([
      { name: 'a.yaml', text: a },
      { name: 'b.yaml', text: b },
    ])
    expect(unresolved).toEqual([])
    expect(catalog.dependencies).toHaveLength(2)
  })

  it('names the file and line of a YAML error', () => {
    const text = `kind: Component\nmetadata:\n  name: ok\n---\nkind: Component\nmetadata:\n  name: [unclosed\n  owner: x\n`
    const { errors } = parseCatalog([{ name: 'broken.yaml', text }])
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0]).toMatchObject({ file: 'broken.yaml', line: expect.any(Number) })
    expect(errors[0]!.line).toBeGreaterThanOrEqual(7)
  })

  // A catalog as big as an import may be (8 MiB): finding each document's line
  // used to rescan the file from its start, which took minutes here.
  it('reads a 21,000-entity, 7.5 MiB catalog whole', () => {
    const generated = generateBackstageCatalog()
    expect(generated.entities).toBe(21_000)
    expect(generated.text.length).toBeGreaterThan(7.4 * 1024 * 1024)
    const { catalog, errors, unresolved } = parseCatalog([{ name: 'catalog-info.yaml', text: generated.text }])
    expect(errors).toEqual([])
    expect(catalog.services).toHaveLength(generated.expected.services)
    expect(catalog.dependencies).toHaveLength(generated.expected.dependencies)
    expect(unresolved).toHaveLength(generated.expected.unresolved)
    expect(catalog.services.find((s) => s.id === 'component:default/svc-5124')).toMatchObject({ name: 'Service 5124', kind: 'component', owner: 'team-124', tier: 'production' })
    const edges = new Set(catalog.dependencies.map((d) => `${d.from} -> ${d.to}`))
    expect(edges).toContain('system:default/sys-124 -> component:default/web-5124')
    expect(edges).toContain('component:default/web-5124 -> component:default/svc-5124')
    expect(edges).toContain('api:default/api-5124 -> component:default/svc-5124')
    expect(unresolved).toContainEqual({ from: 'component:default/web-5120', field: 'spec.dependsOn', ref: 'component:ghost-5120' })
  }, 120_000)

  it('names the line of problems deep in a large file', () => {
    const { text } = generateBackstageCatalog({ systems: 10, blocks: 500 })
    const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length
    const broken = `${text}---\nkind: Component\nmetadata: {}\n---\nkind: Component\nmetadata:\n  name: [unclosed\n`
    const { errors } = parseCatalog([{ name: 'big.yaml', text: broken }])
    expect(errors[0]).toEqual({ file: 'big.yaml', line: lineAt(text.length + 4), message: 'An entity needs `kind` and `metadata.name`.' })
    expect(errors[1]).toMatchObject({ file: 'big.yaml' })
    expect(errors[1]!.line).toBeGreaterThanOrEqual(lineAt(text.length) + 6)
  })

  it('says which entity lacks a kind or a name', () => {
    const { errors } = parseCatalog([{ name: 'x.yaml', text: 'kind: Component\nmetadata: {}\n' }])
    expect(errors).toEqual([{ file: 'x.yaml', line: 1, message: 'An entity needs `kind` and `metadata.name`.' }])
  })
})

describe('plain JSON catalog', () => {
  it('reads services with owners, tiers, business flags and dependencies', () => {
    const text = JSON.stringify({
      services: [
        { id: 'checkout', name: 'Checkout', business: true, tier: 1, dependsOn: ['payments', 'nowhere'] },
        { id: 'payments', kind: 'resource', owner: 'team-pay' },
      ],
    })
    const { catalog, unresolved, errors } = parseCatalog([{ name: 'graph.json', text }])
    expect(errors).toEqual([])
    expect(catalog.services).toEqual([
      { id: 'checkout', name: 'Checkout', kind: 'component', business: true, tier: '1' },
      { id: 'payments', name: 'payments', kind: 'resource', business: false, owner: 'team-pay' },
    ])
    expect(catalog.dependencies).toEqual([{ from: 'checkout', to: 'payments' }])
    expect(unresolved).toEqual([{ from: 'checkout', field: 'dependsOn', ref: 'nowhere' }])
  })

  it('names the file and line of a JSON syntax error, and the field of a shape error', () => {
    const broken = parseCatalog([{ name: 'graph.json', text: '{\n  "services": [\n    { "id": "a", }\n  ]\n}' }])
    expect(broken.errors[0]).toMatchObject({ file: 'graph.json', line: 3 })
    const wrong = parseCatalog([{ name: 'graph.json', text: '{ "services": [ { "id": "" } ] }' }])
    expect(wrong.errors[0]!.message).toMatch(/^services\.0\.id: id must not be empty/)
  })
})
