// A large, realistic Backstage catalog generated on the fly (multi-document
// YAML), with the counts a correct import must arrive at.

export interface GeneratedCatalog {
  text: string
  entities: number
  expected: { services: number; dependencies: number; unresolved: number }
}

/**
 * `systems` systems, each with an owning group, and `blocks` blocks of four
 * entities: a resource, an API, a component that provides the API and depends
 * on the resource, and a component that consumes the API and depends on the
 * first component. Every tenth block's consumer also names a missing entity.
 * `padding` characters of description per entity set the size.
 */
export const generateBackstageCatalog = ({ systems = 250, blocks = 5125, padding = 150 } = {}): GeneratedCatalog => {
  const filler = 'Handles part of the checkout estate; paged at night by its owning team. '.repeat(Math.ceil(padding / 72)).slice(0, padding).trim()
  const docs: string[] = []
  for (let s = 0; s < systems; s++) {
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-${s}
spec:
  type: team
  children: []`)
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: sys-${s}
  title: System ${s}
  description: ${filler}
spec:
  owner: group:team-${s}`)
  }
  for (let b = 0; b < blocks; b++) {
    const system = `sys-${b % systems}`
    const owner = `team-${b % systems}`
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: db-${b}
  description: ${filler}
spec:
  type: database
  owner: ${owner}`)
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: api-${b}
  description: ${filler}
spec:
  type: openapi
  lifecycle: production
  owner: ${owner}
  definition: "openapi: 3.0.0"`)
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc-${b}
  title: Service ${b}
  description: ${filler}
  annotations:
    github.com/project-slug: example/svc-${b}
  tags: [java, payments]
spec:
  type: service
  lifecycle: production
  owner: ${owner}
  system: ${system}
  providesApis: [api-${b}]
  dependsOn: ['resource:db-${b}']`)
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web-${b}
  description: ${filler}
spec:
  type: website
  lifecycle: production
  owner: ${owner}
  system: ${system}
  consumesApis: [api-${b}]
  dependsOn: ['component:svc-${b}'${b % 10 === 0 ? `, 'component:ghost-${b}'` : ''}]`)
  }
  return {
    text: `${docs.join('\n---\n')}\n`,
    entities: docs.length,
    expected: {
      // Groups are not services; systems, resources, APIs and components are.
      services: systems + 4 * blocks,
      // svc: system→svc, svc→db, api→svc; web: system→web, web→svc, web→api.
      dependencies: 6 * blocks,
      unresolved: Math.ceil(blocks / 10),
    },
  }
}

/** A catalog import's request body, as `POST /api/catalog` receives it. */
export const catalogBody = (files: ReadonlyArray<{ name: string; text: string }>): Uint8Array => Buffer.from(JSON.stringify({ files }))
