// What the host found wrong with its files (damage set aside, a lost key,
// incident folders it did not know): said in its output and on the start page.
import type { Problem } from '../../shared/host-status'

export class HostProblems {
  private readonly found: Problem[] = []

  constructor(
    private readonly now: () => number,
    private readonly log: (message: string) => void,
  ) {}

  report(finding: Omit<Problem, 'at'>): void {
    this.found.push({ at: this.now(), ...finding })
    this.log(`${finding.file}: ${finding.problem}${finding.setAsideAs ? ` (the damaged bytes are kept in ${finding.setAsideAs})` : ''}`)
  }

  /** Newest first. */
  list(): readonly Problem[] {
    return [...this.found].reverse()
  }
}
