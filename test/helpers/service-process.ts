/**
 * The service as an operator runs it: `node src/main.ts` as a real process on a real DATA_DIR,
 * and what a test needs to reach its embedded PostgreSQL from outside (port, password, pid).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { embeddedClusterDir, embeddedUrl, openPostgres, type Db } from '../../src/store/index.ts'

export const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))
export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export interface Started {
  child: ChildProcess
  output: () => string
  exit: Promise<number | null>
}

/** Only PATH and HOME from outside: the service must run with nothing else configured. */
export function startProcess(script: string, cwd: string, env: Record<string, string>, args: string[] = []): Started {
  const child = spawn(process.execPath, [script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exit }
}

export async function waitFor(url: string, deadlineMs: number): Promise<Response> {
  const until = Date.now() + deadlineMs
  for (;;) {
    try {
      const response = await fetch(url)
      if (response.status === 200) return response
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer 200 within ${deadlineMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Starts the service and resolves once /ready answers, with how long that took. */
export async function startReady(cwd: string, env: Record<string, string>, deadlineMs = 20_000): Promise<Started & { readyMs: number }> {
  const started = Date.now()
  const service = startProcess(MAIN, cwd, env)
  try {
    await waitFor(`http://127.0.0.1:${env.PORT}/ready`, deadlineMs)
  } catch (error) {
    service.child.kill('SIGKILL')
    throw new Error(`${(error as Error).message}; the service printed:\n${service.output()}`, { cause: error })
  }
  return { ...service, readyMs: Date.now() - started }
}

/** The cluster folder of a DATA_DIR (DATA_DIR/pg, or where DATA_DIR/pg.location points). */
export const clusterDir = embeddedClusterDir

/** The postmaster's pid from postmaster.pid, or undefined when no server holds the cluster. */
export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(join(await clusterDir(dataDir), 'postmaster.pid'), 'utf8').catch(() => undefined)
  return text ? Number(text.split('\n')[0]) : undefined
}

/** Running, and not a zombie waiting to be reaped (this machine's init reaps orphans late). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = readFileSyncOrEmpty(`/proc/${pid}/stat`)
  return !/^\d+ \(.*\) Z/.test(stat)
}

function readFileSyncOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** A connection to the embedded store of a DATA_DIR, as the service itself connects. */
export async function openEmbeddedOf(dataDir: string): Promise<Db> {
  const connectionString = await embeddedUrl(dataDir)
  if (!connectionString) throw new Error(`${dataDir} has no embedded store yet`)
  return openPostgres({ connectionString, max: 2, applicationName: 'test-observer' })
}
