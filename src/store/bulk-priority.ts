/**
 * Bulk work (parsing and importing a large file) runs at a lower CPU priority than requests, so
 * that exchange answers and bonus quotes keep their latency on a 2-core machine while a 400 MB
 * file imports. Linux keeps a nice value per thread: pid 0 is the calling thread, not the process.
 * Elsewhere the value is per process, so nothing is changed there.
 */
import { platform, setPriority } from 'node:os'

const BULK_NICE = 10

export function yieldToRequests(pid = 0): void {
  if (platform() !== 'linux') return
  try {
    setPriority(pid, BULK_NICE)
  } catch {
    // Not allowed (another user's process): the work runs at normal priority.
  }
}
