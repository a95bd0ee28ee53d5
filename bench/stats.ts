/** Medians and percentiles for benchmark reports. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

/**
 * This process's peak RSS (VmHWM), bytes. Not getrusage's maxRSS: Linux carries that over from the
 * parent across fork and exec, so a bench child of a parent that has just written a 300 MB file
 * reported 687 MB where VmHWM said 307 MB.
 */
export async function ownPeakRss(): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  return Number(/VmHWM:\s+(\d+) kB/.exec(await readFile('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024
}
