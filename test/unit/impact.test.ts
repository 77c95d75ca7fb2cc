import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCatalog } from '../../shared/catalog'
import { ImpactModel, computeImpact } from '../../shared/impact'
import { SERVICE_STATUSES, type ServiceStatus } from '../../shared/services'
import { seededRandom } from './helpers/random'

type Node = { id: string; status: ServiceStatus; business: boolean }
const nodes = (ids: string[], business: string[] = []): Node[] => ids.map((id) => ({ id, status: 'operational', business: business.includes(id) }))
const edges = (list: string): Array<{ from: string; to: string }> =>
  list.split(',').map((pair) => {
    const [from, to] = pair.trim().split('>')
    return { from: from!, to: to! }
  })
const sorted = (s: ReturnType<typeof computeImpact>) => ({ ...s, down: [...s.down].sort(), impacted: [...s.impacted].sort(), likelyOrigins: [...s.likelyOrigins].sort(), businessImpacted: [...s.businessImpacted].sort() })

describe('impact', () => {
  it('a chain: everything upstream of a failure is impacted; the failure is the likely origin', () => {
    const model = new ImpactModel(nodes(['web', 'api', 'db'], ['web']), edges('web>api, api>db'))
    model.setStatus('db', 'majorOutage')
    expect(sorted(model.summary())).toEqual({ down: ['db'], impacted: ['api', 'web'], likelyOrigins: ['db'], businessImpacted: ['web'] })
    model.setStatus('api', 'degraded')
    expect(model.summary().likelyOrigins).toEqual(['db'])
    model.setStatus('db', 'operational')
    expect(sorted(model.summary())).toEqual({ down: ['api'], impacted: ['web'], likelyOrigins: ['api'], businessImpacted: ['web'] })
    model.setStatus('api', 'operational')
    expect(model.summary()).toEqual({ down: [], impacted: [], likelyOrigins: [], businessImpacted: [] })
  })

  it('a diamond: fixing one of two failing paths leaves the top impacted through the other', () => {
    const model = new ImpactModel(nodes(['top', 'left', 'right', 'bottom']), edges('top>left, top>right, left>bottom, right>bottom'))
    model.setStatus('left', 'partialOutage')
    model.setStatus('right', 'partialOutage')
    expect(model.causesOf('top').sort()).toEqual(['left', 'right'])
    model.setStatus('left', 'operational')
    expect(model.stateOf('top')).toBe('impacted')
    expect(model.causesOf('top')).toEqual(['right'])
    expect(model.stateOf('bottom')).toBe('healthy')
  })

  it('a cycle: a failure reaches round the loop and stops; no one in a failing loop is a likely origin unless its dependencies are fine', () => {
    const model = new ImpactModel(nodes(['a', 'b', 'c', 'user']), edges('a>b, b>c, c>a, user>a'))
    model.setStatus('b', 'majorOutage')
    expect(sorted(model.summary())).toMatchObject({ down: ['b'], impacted: ['a', 'c', 'user'], likelyOrigins: ['b'] })
    model.setStatus('c', 'degraded')
    // b depends on c, which is down, and c on a, which is operational: c is the likely origin.
    expect(model.summary().likelyOrigins).toEqual(['c'])
  })

  it('the example catalog: the artists database down takes the artist portal (a business service) with it', () => {
    const { catalog } = parseCatalog([{ name: 'catalog', text: readFileSync(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url), 'utf8') }])
    const model = new ImpactModel(
      catalog.services.map((s) => ({ ...s, status: 'operational' as const })),
      catalog.dependencies,
    )
    model.setStatus('resource:default/artists-db', 'majorOutage')
    const summary = model.summary()
    expect(summary.likelyOrigins).toEqual(['resource:default/artists-db'])
    expect(summary.impacted.sort()).toEqual(['component:default/artist-lookup', 'system:default/artist-engagement-portal'])
    expect(summary.businessImpacted).toEqual(['system:default/artist-engagement-portal'])
  })

  it('stays equal to a from-scratch computation through random changes on random graphs, cycles included', () => {
    const random = seededRandom(7)
    for (let graph = 0; graph < 20; graph++) {
      const count = 5 + random(60)
      const list: Node[] = Array.from({ length: count }, (_, i) => ({ id: `s${i}`, status: 'operational', business: random(5) === 0 }))
      const links = Array.from({ length: count * 2 }, () => ({ from: `s${random(count)}`, to: `s${random(count)}` }))
      const model = new ImpactModel(list, links)
      for (let step = 0; step < 40; step++) {
        const node = list[random(count)]!
        node.status = SERVICE_STATUSES[random(2) === 0 ? 0 : 1 + random(3)]!
        model.setStatus(node.id, node.status)
        expect(sorted(model.summary())).toEqual(sorted(computeImpact(list, links)))
      }
    }
  })

  it('starts from the statuses it is given', () => {
    const model = new ImpactModel([{ id: 'a', status: 'operational', business: true }, { id: 'b', status: 'majorOutage', business: false }], edges('a>b'))
    expect(model.stateOf('a')).toBe('impacted')
  })
})
