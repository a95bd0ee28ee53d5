/**
 * An exchange's zip unpacked on a thread of its own with a heap ceiling. UT 11 packs every picture
 * into the archive: measured, 20,001 small entries unpacked on the service's own thread left ~125 MB
 * of garbage (a stream and a file handle per entry) that V8 collected late, and the process peaked
 * at 319 MB in 7.6–7.8 s; on this thread 170–176 MB in 8.1–9.0 s (a young generation of 8 MB
 * instead of 16 was slower, not smaller).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import type { Said } from '../texts.ts'
import { unpackZip, ZipRefusedError, type ZipLimits } from './spool.ts'

const LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 }

interface Input {
  zipPath: string
  dir: string
  name: string
  limits: ZipLimits
}

type Output = { files: string[] } | { refused: Said } | { error: string }

/** `unpackZip` on its own thread: the same files, the same refusals. */
export function unpackZipOnThread(zipPath: string, dir: string, name: string, limits: ZipLimits): Promise<string[]> {
  const input: Input = { zipPath, dir, name, limits }
  const thread = new Worker(new URL(import.meta.url), { workerData: input, resourceLimits: LIMITS })
  return new Promise((resolve, reject) => {
    let settled = false
    thread.once('message', (output: Output) => {
      settled = true
      if ('files' in output) resolve(output.files)
      else if ('refused' in output) reject(new ZipRefusedError(name, output.refused, { whole: true }))
      else reject(new Error(output.error))
    })
    thread.once('error', (error) => {
      settled = true
      reject(error)
    })
    thread.once('exit', (code) => {
      if (!settled) reject(new Error(`the unzip thread of ${name} stopped (exit code ${code}) before it finished`))
    })
  })
}

if (!isMainThread && (workerData as Partial<Input> | null)?.zipPath !== undefined) {
  const { zipPath, dir, name, limits } = workerData as Input
  const post = (output: Output) => parentPort?.postMessage(output)
  unpackZip(zipPath, dir, name, limits).then(
    (files) => post({ files }),
    (error: unknown) => post(error instanceof ZipRefusedError ? { refused: error.said } : { error: (error as Error).message }),
  )
}
