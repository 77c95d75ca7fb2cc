// Runs elkjs off the main thread: a layered layout, dependents above what they depend on.
import ELK from 'elkjs/lib/elk.bundled.js'
import type { LayoutRequest, LayoutResult } from './layout'

const elk = new ELK()

self.onmessage = async (event: MessageEvent<{ id: number; request: LayoutRequest }>) => {
  const { id, request } = event.data
  try {
    const graph = await elk.layout({
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
    const result: LayoutResult = {}
    for (const child of graph.children ?? []) result[child.id] = { x: child.x ?? 0, y: child.y ?? 0 }
    self.postMessage({ id, result })
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
}
