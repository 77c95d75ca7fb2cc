// Layered layout (elkjs) for the service graph, computed in a Web Worker so the
// board never freezes, and written to the document so every screen shows the
// same picture.
import type { ElkNode } from 'elkjs/lib/elk-api'

export interface LayoutRequest {
  nodes: Array<{ id: string; width: number; height: number }>
  edges: Array<{ id: string; from: string; to: string }>
}

export type LayoutResult = Record<string, { x: number; y: number }>

/** Layered, dependents above what they depend on; kept here so the worker and the benchmark agree. */
export const toElkGraph = (request: LayoutRequest): ElkNode => ({
  id: 'root',
  layoutOptions: {
    'elk.algorithm': 'layered',
    'elk.direction': 'DOWN',
    'elk.layered.spacing.nodeNodeBetweenLayers': '70',
    'elk.spacing.nodeNode': '36',
    'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
    'elk.separateConnectedComponents': 'true',
    'elk.spacing.componentComponent': '80',
  },
  children: request.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
  edges: request.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
})

export const fromElkGraph = (graph: ElkNode): LayoutResult => {
  const result: LayoutResult = {}
  for (const child of graph.children ?? []) result[child.id] = { x: child.x ?? 0, y: child.y ?? 0 }
  return result
}

/** Business services are drawn larger. */
export const nodeSize = (business: boolean): { width: number; height: number } => (business ? { width: 240, height: 84 } : { width: 200, height: 64 })

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
