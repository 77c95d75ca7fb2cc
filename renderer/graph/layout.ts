// Layered layout (elkjs) for the service graph, computed in a Web Worker so the
// board never freezes, and written to the document so every screen shows the
// same picture.

export interface LayoutRequest {
  nodes: Array<{ id: string; width: number; height: number }>
  edges: Array<{ id: string; from: string; to: string }>
}

export type LayoutResult = Record<string, { x: number; y: number }>

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
