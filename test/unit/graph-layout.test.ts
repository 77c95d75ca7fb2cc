// The service graph's shared layout (#11, readable from three metres): each group of
// linked services layered, the groups packed into the wall's graph pane's shape, so
// the first fit shows the example catalog whole with its names at 14 px or more.
import { readFileSync } from 'node:fs'
import ELK from 'elkjs/lib/elk.bundled.js'
import { describe, expect, it } from 'vitest'
import { type LayoutRequest, fromElkGraph, nodeSize, packBoxes, toElkGraph } from '../../renderer/graph/layout'
import { parseCatalog } from '../../shared/catalog'

type Rect = { x: number; y: number; width: number; height: number }
const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
const overlaps = (rects: Rect[]): Array<[number, number]> => rects.flatMap((a, i) => rects.slice(i + 1).flatMap((b, j) => (overlap(a, b) ? [[i, i + 1 + j] as [number, number]] : [])))
const extent = (rects: Rect[]) => ({ width: Math.max(...rects.map((r) => r.x + r.width)), height: Math.max(...rects.map((r) => r.y + r.height)) })

describe('the service graph\u2019s layout', () => {
  it('packs boxes without overlaps into a shape a little wider than high', () => {
    const boxes = Array.from({ length: 40 }, (_, i) => ({ width: 100 + (i % 5) * 60, height: 60 + (i % 7) * 40 }))
    const rects = packBoxes(boxes).map((p, i) => ({ ...p, ...boxes[i]! }))
    expect(overlaps(rects)).toEqual([])
    const { width, height } = extent(rects)
    expect(width / height).toBeGreaterThan(0.9)
    expect(width / height).toBeLessThan(1.8)
  })

  it('lays out the example catalog to fit the 1920×1080 wall\u2019s graph pane with its names at 14 px', async () => {
    const text = readFileSync(new URL('../fixtures/backstage-catalog-example-graph.yaml', import.meta.url), 'utf8')
    const { catalog } = parseCatalog([{ name: 'backstage-catalog-example-graph.yaml', text }])
    const request: LayoutRequest = {
      nodes: catalog.services.map((s) => ({ id: s.id, ...nodeSize(s.business ?? false) })),
      edges: catalog.dependencies.map((d, i) => ({ id: `e${i}`, from: d.from, to: d.to })),
    }
    const positions = fromElkGraph(await new ELK().layout(toElkGraph(request)))
    const rects = request.nodes.map((n) => ({ ...positions[n.id]!, width: n.width, height: n.height }))
    expect(rects).toHaveLength(22)
    expect(overlaps(rects)).toEqual([])
    // Dependents above what they depend on.
    for (const d of catalog.dependencies) expect(positions[d.from]!.y, `${d.from} above ${d.to}`).toBeLessThan(positions[d.to]!.y)
    // The canvas's smallest type is 16 px: at 14/16 zoom the whole graph stays within the wall's
    // graph pane (about 840 × 700 px at 1920×1080, fit padding aside).
    const { width, height } = extent(rects)
    expect(width * (14 / 16)).toBeLessThanOrEqual(840)
    expect(height * (14 / 16)).toBeLessThanOrEqual(700)
  })
})
