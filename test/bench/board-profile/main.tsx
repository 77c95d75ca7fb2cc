// The board as shipped, wrapped in React's Profiler and built against
// react-dom/profiling, so the benchmark can read real commit times in Chromium.
import { Profiler } from 'react'
import { createRoot } from 'react-dom/client'
import '../../../renderer/tokens.css'
import '../../../renderer/base.css'
import { App } from '../../../renderer/app/App'

export interface Commit {
  /** performance.now() when React committed. */
  at: number
  actualMs: number
}

declare global {
  interface Window {
    benchCommits: Commit[]
  }
}

window.benchCommits = []
createRoot(document.getElementById('root')!).render(
  <Profiler id="board" onRender={(_id, _phase, actualMs, _base, _start, at) => window.benchCommits.push({ at, actualMs })}>
    <App />
  </Profiler>,
)
