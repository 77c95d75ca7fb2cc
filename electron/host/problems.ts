// What the host found wrong with its files (damage set aside, a lost key,
// incident folders it did not know): said in its output and on the start page.
import type { Problem } from '../../shared/host-status'

/** The start page lists this many; the host's output has them all. */
const KEPT = 100

export class HostProblems {
  private readonly found: Problem[] = []

  constructor(
    private readonly now: () => number,
    private readonly log: (message: string) => void,
  ) {}

  /** The same problem found again (an incident opened again) is listed once, with its latest time. */
  report(finding: Omit<Problem, 'at'>): void {
    const same = this.found.findIndex((p) => p.file === finding.file && p.problem === finding.problem && p.setAsideAs === finding.setAsideAs)
    if (same >= 0) this.found.splice(same, 1)
    else this.log(`${finding.file}: ${finding.problem}${finding.setAsideAs ? ` (the damaged bytes are kept in ${finding.setAsideAs})` : ''}`)
    this.found.push({ at: this.now(), ...finding })
    if (this.found.length > KEPT) this.found.shift()
  }

  /** Newest first. */
  list(): readonly Problem[] {
    return [...this.found].reverse()
  }
}
