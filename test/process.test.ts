/**
 * The service as an operator runs it: `node src/main.ts` in a fresh directory with nothing
 * configured, on the embedded PostgreSQL it starts itself. Real processes, real ports, real signals.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres } from '../src/store/index.ts'
import { CLI, clusterDir, freePort, isAlive, MAIN, postmasterPid, startProcess, waitFor, type Started } from './helpers/service-process.ts'

let dir: string
let port: number
let first: Started

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onec-bridge-run-'))
  port = await freePort()
  first = startProcess(MAIN, dir, { PORT: String(port) })
})

afterAll(async () => {
  if (first.child.exitCode === null) first.child.kill('SIGKILL')
  const pid = await postmasterPid(join(dir, 'data'))
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL')
  await rm(await clusterDir(join(dir, 'data')), { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
})

describe('npm start with an empty environment', () => {
  it('answers /health and /ready with 200 within 20 s on a new data dir', async () => {
    const startedAt = Date.now()
    await waitFor(`http://127.0.0.1:${port}/health`, 20_000)
    const ready = await waitFor(`http://127.0.0.1:${port}/ready`, 20_000 - (Date.now() - startedAt))
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', jobs: 'ok' } })
  })

  it('runs its PostgreSQL on loopback with fsync on and logs where the cluster is', async () => {
    expect(first.output()).toMatch(/embedded store started: PostgreSQL 17\.\d+/)
    const conf = await readFile(join(await clusterDir(join(dir, 'data')), 'onec-bridge.conf'), 'utf8')
    expect(conf).toContain(`listen_addresses = '127.0.0.1'`)
    expect(conf).toContain('fsync = on')
    expect(conf).toContain(`unix_socket_directories = ''`)
  })

  it('generates the admin token, exchange password and store password once, keeps them in ./data and prints the first two', async () => {
    const secrets = JSON.parse(await readFile(join(dir, 'data', 'secrets.json'), 'utf8'))
    expect(first.output()).toContain(`generated admin token ${secrets.adminToken}`)
    expect(first.output()).toContain(`generated 1C exchange login 1c / ${secrets.exchangePassword}`)
    expect(secrets.storePassword).toMatch(/^[\w-]{20,}$/)
    expect(first.output()).not.toContain(secrets.storePassword)
    const runs = await fetch(`http://127.0.0.1:${port}/admin/api/runs`, { headers: { authorization: `Bearer ${secrets.adminToken}` } })
    expect(runs.status).toBe(200)
  })
})

describe("PostgreSQL's own log", () => {
  it('is kept in the cluster, and its FATAL lines reach the service log', async () => {
    const { port: pgPort } = JSON.parse(await readFile(join(dir, 'data', 'pg.json'), 'utf8')) as { port: number }
    const intruder = openPostgres({ connectionString: `postgres://onec_bridge:wrong-password@127.0.0.1:${pgPort}/onec_bridge`, max: 1, applicationName: 'test-intruder' })
    await expect(intruder).rejects.toThrow(/password authentication failed/)
    const until = Date.now() + 6000
    while (!/PostgreSQL: .*FATAL: +password authentication failed for user \\?"onec_bridge/.test(first.output()) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(first.output()).toMatch(/PostgreSQL: .*FATAL: +password authentication failed for user \\?"onec_bridge/)
    const logs = await readdir(join(await clusterDir(join(dir, 'data')), 'log'))
    expect(logs).toEqual([expect.stringMatching(/^postgresql-(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.log$/)])
  })
})

describe('a second process on the same DATA_DIR', () => {
  it('refuses a second service with one line, and leaves the first unharmed', async () => {
    const second = startProcess(MAIN, dir, { PORT: String(await freePort()) })
    expect(await second.exit).toBe(2)
    expect(second.output().trim().split('\n')).toEqual([
      expect.stringMatching(/^onec-bridge: DATA_DIR \.\/data is in use by another onec-bridge service \(onec-bridge service \d+\)\. Stop that process first/),
    ])
    await waitFor(`http://127.0.0.1:${port}/ready`, 2000)
  })

  it('runs the CLI beside the service on the same server, and leaves the server running when it exits', async () => {
    const cli = startProcess(CLI, dir, {}, ['migrate'])
    expect(await cli.exit).toBe(0)
    expect(cli.output()).toContain('migrations: up to date')
    await waitFor(`http://127.0.0.1:${port}/ready`, 2000)
    const secrets = JSON.parse(await readFile(join(dir, 'data', 'secrets.json'), 'utf8'))
    const runs = await fetch(`http://127.0.0.1:${port}/admin/api/runs`, { headers: { authorization: `Bearer ${secrets.adminToken}` } })
    expect(runs.status).toBe(200)
  })

  it('prints the embedded store URL for pg_dump and psql (store url), which reaches the running server', async () => {
    const cli = startProcess(CLI, dir, {}, ['store', 'url'])
    expect(await cli.exit).toBe(0)
    const url = cli.output().trim()
    expect(url).toMatch(/^postgres:\/\/onec_bridge:[^@]+@127\.0\.0\.1:\d+\/onec_bridge$/)
    const db = await openPostgres({ connectionString: url, max: 1, applicationName: 'test-observer' })
    const [row] = await db.query<{ version: string }>('select current_setting($$server_version$$) as version')
    await db.close()
    expect(row?.version).toMatch(/^17\./)
  })
})

describe('stopping', () => {
  it('stops cleanly on SIGTERM with its PostgreSQL, and starts again on the same data without printing secrets', async () => {
    const server = await postmasterPid(join(dir, 'data'))
    expect(server && isAlive(server)).toBe(true)
    first.child.kill('SIGTERM')
    expect(await first.exit).toBe(0)
    expect(first.output()).toContain('stopped cleanly')
    expect(await postmasterPid(join(dir, 'data'))).toBeUndefined()
    expect(isAlive(server!)).toBe(false)

    const again = startProcess(MAIN, dir, { PORT: String(port) })
    try {
      await waitFor(`http://127.0.0.1:${port}/ready`, 20_000)
      expect(again.output()).not.toContain('generated admin token')
    } finally {
      again.child.kill('SIGINT')
      expect(await again.exit).toBe(0)
    }
  })

  it('moves PostgreSQL to another free port when another program took the remembered one, and remembers that', async () => {
    const { port: remembered } = JSON.parse(await readFile(join(dir, 'data', 'pg.json'), 'utf8')) as { port: number }
    const squatter = createServer()
    await new Promise<void>((resolve) => squatter.listen(remembered, '127.0.0.1', resolve))
    const again = startProcess(MAIN, dir, { PORT: String(port) })
    try {
      await waitFor(`http://127.0.0.1:${port}/ready`, 20_000)
      const { port: moved } = JSON.parse(await readFile(join(dir, 'data', 'pg.json'), 'utf8')) as { port: number }
      expect(moved).not.toBe(remembered)
      expect(again.output()).toContain(`port ${remembered} of the embedded PostgreSQL is taken by another program; using ${moved} from now on`)
    } finally {
      again.child.kill('SIGTERM')
      expect(await again.exit).toBe(0)
      await new Promise((resolve) => squatter.close(resolve))
    }
  })

  it('starts the server for a CLI command when no service runs, and stops it afterwards', async () => {
    const cli = startProcess(CLI, dir, {}, ['migrate'])
    expect(await cli.exit).toBe(0)
    expect(await postmasterPid(join(dir, 'data'))).toBeUndefined()
  })
})

describe('a bad configuration value', () => {
  it('exits non-zero with one line naming the variable', async () => {
    const bad = startProcess(MAIN, dir, { PORT: 'abc' })
    expect(await bad.exit).toBe(2)
    expect(bad.output().trim()).toBe('onec-bridge: PORT=abc: must be a whole number from 1 to 65535')
  })

  it('a bad mapping profile stops start-up naming the file and the field', async () => {
    const profile = join(dir, 'bad-profile.yaml')
    await writeFile(profile, 'name: bad\ncommerceml:\n  priceTypes:\n    map:\n      - { name: "Оптовая" }\n')
    const bad = startProcess(MAIN, dir, { PORT: String(await freePort()), MAPPING_PROFILE: profile, DATA_DIR: join(dir, 'data-profile') })
    expect(await bad.exit).toBe(2)
    expect(bad.output().trim()).toBe(`onec-bridge: ${profile}: commerceml.priceTypes.map.0.code: Invalid input: expected string, received undefined`)
  })
})
