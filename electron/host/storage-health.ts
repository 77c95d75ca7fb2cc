// Whether the host can save. Every writer that keeps data in memory while its
// writes fail (each incident's log, the records) reports here; every board is
// told at once, and told again when writing works with nothing lost.
import { storageProblem } from './persistence/files'
import type { StorageState } from '../../shared/host-status'

export class StorageHealth {
  private readonly failing = new Map<string, { problem: string; since: number }>()
  private readonly listeners = new Set<(state: StorageState) => void>()
  private current: StorageState = { ok: true }

  constructor(private readonly now: () => number) {}

  get state(): StorageState {
    return this.current
  }

  /** `writer` names what failed ("records", "log:<incident>"); it stays failing until `recovered`. */
  failed(writer: string, error: unknown): void {
    if (!this.failing.has(writer)) this.failing.set(writer, { problem: storageProblem(error), since: this.now() })
    this.update()
  }

  recovered(writer: string): void {
    if (this.failing.delete(writer)) this.update()
  }

  /** Called with the new state on every change; returns the unsubscribe. */
  subscribe(listener: (state: StorageState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private update(): void {
    const failures = [...this.failing.values()]
    const next: StorageState =
      failures.length === 0
        ? { ok: true }
        : { ok: false, problem: failures[0]!.problem, since: Math.min(...failures.map((f) => f.since)) }
    if (JSON.stringify(next) === JSON.stringify(this.current)) return
    this.current = next
    for (const listener of this.listeners) listener(next)
  }
}
