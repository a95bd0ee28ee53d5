/**
 * The service as an operator runs it: `node src/main.ts` in a fresh directory with nothing
 * configured. Real processes, real ports, the embedded store on disk.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url))

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

interface Started {
  child: ChildProcess
  output: () => string
  exit: Promise<number | null>
}

function start(cwd: string, env: Record<string, string>): Started {
  // Only PATH and HOME from outside: the service must run with nothing configured.
  const child = spawn(process.execPath, [MAIN], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exit }
}

async function waitFor(url: string, deadlineMs: number): Promise<Response> {
  const until = Date.now() + deadlineMs
  for (;;) {
    try {
      const response = await fetch(url)
      if (response.status === 200) return response
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer 200 within ${deadlineMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

let dir: string
let port: number
let first: Started

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onec-bridge-run-'))
  port = await freePort()
  first = start(dir, { PORT: String(port) })
})

afterAll(async () => {
  if (first.child.exitCode === null) first.child.kill('SIGKILL')
  await rm(dir, { recursive: true, force: true })
})

describe('npm start with an empty environment', () => {
  it('answers /health and /ready with 200 within 20 s on a new data dir', async () => {
    const startedAt = Date.now()
    await waitFor(`http://127.0.0.1:${port}/health`, 20_000)
    const ready = await waitFor(`http://127.0.0.1:${port}/ready`, 20_000 - (Date.now() - startedAt))
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', jobs: 'ok' } })
  })

  it('generates the admin token and exchange password once, keeps them in ./data and prints them', async () => {
    const secrets = JSON.parse(await readFile(join(dir, 'data', 'secrets.json'), 'utf8'))
    expect(first.output()).toContain(`generated ADMIN_TOKEN=${secrets.adminToken}`)
    expect(first.output()).toContain(`generated 1C exchange login 1c / ${secrets.exchangePassword}`)
    const runs = await fetch(`http://127.0.0.1:${port}/admin/api/runs`, { headers: { authorization: `Bearer ${secrets.adminToken}` } })
    expect(runs.status).toBe(200)
  })

  it('refuses a second process on the same DATA_DIR while the first runs', async () => {
    const second = start(dir, { PORT: String(await freePort()) })
    expect(await second.exit).toBe(2)
    expect(second.output()).toMatch(/DATA_DIR \.\/data is in use by another onec-bridge process/)
    // The first one is unharmed.
    await waitFor(`http://127.0.0.1:${port}/ready`, 2000)
  })

  it('stops cleanly on SIGTERM, and starts again on the same data without printing secrets', async () => {
    first.child.kill('SIGTERM')
    expect(await first.exit).toBe(0)
    expect(first.output()).toContain('stopped cleanly')

    const again = start(dir, { PORT: String(port) })
    try {
      await waitFor(`http://127.0.0.1:${port}/ready`, 20_000)
      expect(again.output()).not.toContain('generated ADMIN_TOKEN')
    } finally {
      again.child.kill('SIGINT')
      expect(await again.exit).toBe(0)
    }
  })
})

describe('a bad configuration value', () => {
  it('exits non-zero with one line naming the variable', async () => {
    const bad = start(dir, { PORT: 'abc' })
    expect(await bad.exit).toBe(2)
    expect(bad.output().trim()).toBe('onec-bridge: PORT=abc: must be a whole number from 1 to 65535')
  })

  it('a bad mapping profile stops start-up naming the file and the field', async () => {
    const profile = join(dir, 'bad-profile.yaml')
    await writeFile(profile, 'name: bad\ncommerceml:\n  priceTypes:\n    map:\n      - { name: "Оптовая" }\n')
    const bad = start(dir, { PORT: String(await freePort()), MAPPING_PROFILE: profile, DATA_DIR: join(dir, 'data-profile') })
    expect(await bad.exit).toBe(2)
    expect(bad.output().trim()).toBe(`onec-bridge: ${profile}: commerceml.priceTypes.map.0.code: Invalid input: expected string, received undefined`)
  })
})
