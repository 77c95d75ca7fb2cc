// Layered layout (elkjs) for the service graph, computed in a Web Worker so the
// board never freezes, and written to the document so every screen shows the
// same picture.
import type { ElkNode } from 'elkjs/lib/elk-api'

export interface LayoutRequest {
  nodes: Array<{ id: string; width: number; height: number }>
  edges: Array<{ id: string; from: string; to: string }>
}

export type LayoutResult = Record<string, { x: number; y: number }>

/**
 * The shape the whole picture aims for: the wall screen's graph pane, a little
 * wider than high. ELK's own packing of separate components lines them up in
 * rows far wider than that, which the first fit then shrinks below readable.
 */
const ASPECT = 1.25
const COMPONENT_GAP = 24
/** Tried widths when packing: enough to find a good shape, few enough for thousands of components. */
const PACK_TRIES = 32

/** Groups of services linked by dependencies, each laid out on its own and then packed together. */
const components = (request: LayoutRequest): Array<{ nodes: LayoutRequest['nodes']; edges: LayoutRequest['edges'] }> => {
  const parent = new Map(request.nodes.map((n) => [n.id, n.id]))
  const root = (id: string): string => {
    let r = id
    while (parent.get(r) !== r) r = parent.get(r)!
    parent.set(id, r)
    return r
  }
  for (const e of request.edges) parent.set(root(e.from), root(e.to))
  const groups = new Map<string, { nodes: LayoutRequest['nodes']; edges: LayoutRequest['edges'] }>()
  const groupOf = (id: string) => {
    const r = root(id)
    if (!groups.has(r)) groups.set(r, { nodes: [], edges: [] })
    return groups.get(r)!
  }
  for (const n of request.nodes) groupOf(n.id).nodes.push(n)
  for (const e of request.edges) groupOf(e.from).edges.push(e)
  return [...groups.values()]
}

/**
 * Each component layered, dependents above what they depend on; the root only
 * holds them (its "fixed" algorithm places nothing), and fromElkGraph packs
 * them. Kept here so the worker and the benchmark agree.
 */
export const toElkGraph = (request: LayoutRequest): ElkNode => ({
  id: 'root',
  layoutOptions: { 'elk.algorithm': 'fixed' },
  children: components(request).map((group, i) => ({
    id: `layout:component:${i}`,
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.padding': '[top=0,left=0,bottom=0,right=0]',
      'elk.layered.spacing.nodeNodeBetweenLayers': '28',
      'elk.spacing.nodeNode': '14',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
    },
    children: group.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: group.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  })),
})

interface Box {
  width: number
  height: number
}

/** Skyline packing into a strip `width` wide: each box, in order, goes where its top lands highest (then leftmost). */
const skyline = (boxes: readonly Box[], width: number): Array<{ x: number; y: number }> => {
  // The strip's outline from the left: segments ordered by x, the last one open to the right.
  let sky = [{ x: 0, width: Infinity, y: 0 }]
  return boxes.map((box) => {
    let best = { x: 0, y: Infinity }
    for (let i = 0; i < sky.length; i++) {
      const x = sky[i]!.x
      if (x > 0 && x + box.width > width) break
      let y = 0
      for (let j = i; j < sky.length && sky[j]!.x < x + box.width; j++) y = Math.max(y, sky[j]!.y)
      if (y < best.y) best = { x, y }
    }
    const from = best.x
    const to = from + box.width + COMPONENT_GAP
    const next = [{ x: from, width: to - from, y: best.y + box.height + COMPONENT_GAP }]
    for (const s of sky) {
      if (s.x < from) next.push({ x: s.x, width: Math.min(s.width, from - s.x), y: s.y })
      if (s.x + s.width > to) next.push({ x: Math.max(s.x, to), width: s.x + s.width - Math.max(s.x, to), y: s.y })
    }
    sky = next.sort((a, b) => a.x - b.x)
    return best
  })
}

/** Where each box goes so that all of them, together, fill a box of ASPECT as fully as their shapes allow. */
export const packBoxes = (boxes: readonly Box[]): Array<{ x: number; y: number }> => {
  if (boxes.length <= 1) return boxes.map(() => ({ x: 0, y: 0 }))
  const widest = Math.max(...boxes.map((b) => b.width))
  const inOneRow = boxes.reduce((sum, b) => sum + b.width + COMPONENT_GAP, 0)
  const ideal = Math.sqrt(boxes.reduce((sum, b) => sum + (b.width + COMPONENT_GAP) * (b.height + COMPONENT_GAP), 0) * ASPECT)
  // Strip widths from half to twice the ideal one, within what the boxes allow.
  const low = Math.max(widest, ideal / 2)
  const high = Math.max(low, Math.min(inOneRow, ideal * 2))
  const orders = [(a: Box, b: Box) => b.height - a.height || b.width - a.width, (a: Box, b: Box) => b.width * b.height - a.width * a.height]
  let best: { scale: number; places: Array<{ x: number; y: number }> } | undefined
  for (const order of orders) {
    const sorted = boxes.map((box, i) => ({ box, i })).sort((a, b) => order(a.box, b.box))
    for (let t = 0; t <= PACK_TRIES; t++) {
      const placed = skyline(
        sorted.map((s) => s.box),
        low * (high / low) ** (t / PACK_TRIES),
      )
      let right = 0
      let bottom = 0
      placed.forEach((p, k) => {
        right = Math.max(right, p.x + sorted[k]!.box.width)
        bottom = Math.max(bottom, p.y + sorted[k]!.box.height)
      })
      const scale = Math.min(ASPECT / right, 1 / bottom)
      if (!best || scale > best.scale) {
        const places = new Array<{ x: number; y: number }>(boxes.length)
        placed.forEach((p, k) => (places[sorted[k]!.i] = p))
        best = { scale, places }
      }
    }
  }
  return best!.places
}

export const fromElkGraph = (graph: ElkNode): LayoutResult => {
  const groups = graph.children ?? []
  const places = packBoxes(groups.map((g) => ({ width: g.width ?? 0, height: g.height ?? 0 })))
  const result: LayoutResult = {}
  groups.forEach((group, i) => {
    for (const child of group.children ?? []) result[child.id] = { x: places[i]!.x + (child.x ?? 0), y: places[i]!.y + (child.y ?? 0) }
  })
  return result
}

/** Business services are drawn larger. Two lines for the name, one for the state, at the canvas's type sizes (graph.css). */
export const nodeSize = (business: boolean): { width: number; height: number } => (business ? { width: 184, height: 80 } : { width: 168, height: 70 })

let worker: Worker | undefined
let next = 0
const pending = new Map<number, { resolve: (result: LayoutResult) => void; reject: (error: Error) => void }>()

export const layoutGraph = (request: LayoutRequest): Promise<LayoutResult> => {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (event: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
      const job = pending.get(event.data.id)
      pending.delete(event.data.id)
      if (event.data.result) job?.resolve(event.data.result)
      else job?.reject(new Error(event.data.error ?? 'layout failed'))
    }
  }
  const id = next++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    worker!.postMessage({ id, request })
  })
}
