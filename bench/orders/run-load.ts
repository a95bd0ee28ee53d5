/** Runs `load.ts` in a process of its own (so the load does not share the server's event loop) and reads its one JSON line. */
import { spawn } from 'node:child_process'
import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface LoadResult {
  sent: number
  ok: number
  failed: number
  seconds: number
  latenciesMs: number[]
}

/** `mode`: `rate=<per second>` (open loop) or `concurrency=<n>` (closed loop); see load.ts. */
export async function runLoad(url: string, mode: string, count: number, headers: Record<string, string>, bodies: unknown[]): Promise<LoadResult> {
  const file = join(tmpdir(), `onec-bridge-bench-bodies-${process.pid}.json`)
  await writeFile(file, JSON.stringify(bodies))
  const child = spawn(process.execPath, [fileURLToPath(new URL('./load.ts', import.meta.url)), url, mode, String(count), JSON.stringify(headers), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await new Promise((resolve) => child.on('close', resolve))
  await rm(file, { force: true })
  return JSON.parse(output) as LoadResult
}
