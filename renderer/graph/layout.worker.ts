// Runs elkjs off the main thread so a large estate never freezes the board.
import ELK from 'elkjs/lib/elk.bundled.js'
import { type LayoutRequest, fromElkGraph, toElkGraph } from './layout'

const elk = new ELK()

self.onmessage = async (event: MessageEvent<{ id: number; request: LayoutRequest }>) => {
  const { id, request } = event.data
  try {
    self.postMessage({ id, result: fromElkGraph(await elk.layout(toElkGraph(request))) })
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
}
