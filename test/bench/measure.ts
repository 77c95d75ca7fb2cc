import { readFileSync } from 'node:fs'

export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export const median = (values: readonly number[]): number => percentile(values, 50)

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits

const TICKS_PER_SECOND = 100

/** CPU seconds (user + system) a process has used, from /proc. */
export const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/** Resident memory of a process in MiB, from /proc. */
export const rssMiB = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : Number.NaN
}

/** Samples a process's CPU share and peak RSS while `work` runs. */
export const watchProcess = async <T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuPercent: number; peakRssMiB: number }> => {
  const cpuStart = cpuSeconds(pid)
  const wallStart = performance.now()
  let peakRssMiB = rssMiB(pid)
  const timer = setInterval(() => {
    peakRssMiB = Math.max(peakRssMiB, rssMiB(pid))
  }, 250)
  try {
    const result = await work()
    const wall = (performance.now() - wallStart) / 1000
    return { result, cpuPercent: ((cpuSeconds(pid) - cpuStart) / wall) * 100, peakRssMiB }
  } finally {
    clearInterval(timer)
  }
}
