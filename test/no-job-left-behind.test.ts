/**
 * No job left behind: the real service on its embedded PostgreSQL, killed with SIGKILL while 100
 * webhook deliveries are in flight (the endpoint holds its answers), and killed right after the
 * commit that made deliveries and their jobs. After a restart every message arrives, with the
 * `webhook-id` it had before.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { offer } from './fixtures.ts'
import { until } from './helpers/receiver.ts'
import { clusterDir, freePort, isAlive, openEmbeddedOf, postmasterPid, startReady, type Started } from './helpers/service-process.ts'

/** An endpoint that holds every request until told to answer; it answers 200 afterwards. */
class HoldingEndpoint {
  held = new Map<string, ServerResponse>()
  /** webhook-id → how many times it was answered 200. */
  delivered = new Map<string, number>()
  holding = true
  readonly server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume()
    request.on('end', () => {
      const id = String(request.headers['webhook-id'])
      if (this.holding) this.held.set(id, response)
      else {
        this.delivered.set(id, (this.delivered.get(id) ?? 0) + 1)
        response.writeHead(200).end('ok')
      }
    })
  })
  url = ''
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    const address = this.server.address()
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`
  }
  answerFromNowOn(): void {
    this.holding = false
    // The requests of the killed process: their sockets are gone with it.
    for (const response of this.held.values()) response.destroy()
  }
}

let dir: string
let dataDir: string
let env: Record<string, string>
let service: Started | undefined
const endpoint = new HoldingEndpoint()

beforeAll(async () => {
  await endpoint.listen()
  dir = await mkdtemp(join(tmpdir(), 'onec-bridge-jobs-'))
  dataDir = join(dir, 'data')
  const config = join(dir, 'onec-bridge.json')
  await writeFile(
    config,
    JSON.stringify({
      storefronts: [{ id: 'shop', url: endpoint.url, secrets: [`whsec_${randomBytes(32).toString('base64')}`], events: ['offer.*'], local: true }],
      // The held requests must still be in flight when the service is killed.
      webhooks: { timeoutMs: 60_000 },
    }),
  )
  env = { PORT: String(await freePort()), HOST: '127.0.0.1', CONFIG_FILE: config, LOG_LEVEL: 'warn', EXCHANGE_PASSWORD: 'exchange-password' }
})

afterAll(async () => {
  if (service && service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL')
  const pid = await postmasterPid(dataDir)
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL')
  await rm(await clusterDir(dataDir), { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
  endpoint.server.closeAllConnections()
  endpoint.server.close()
})

async function changeOffers(prefix: string, count: number): Promise<void> {
  const db = await openEmbeddedOf(dataDir)
  try {
    const offers = Array.from({ length: count }, (_, index) => offer(`${prefix}-${index}`))
    await applyChanges(db, await startRun(db, 'test', 'offers'), offers)
  } finally {
    await db.close()
  }
}

async function deliveries(prefix: string): Promise<Array<{ msg_id: string; status: string; job_id: string | null }>> {
  const db = await openEmbeddedOf(dataDir)
  try {
    return await db.query(`select msg_id, status, job_id::text from deliveries where key like $1 order by id`, [`${prefix}-%`])
  } finally {
    await db.close()
  }
}

describe('webhook deliveries and a SIGKILL', () => {
  it('delivers all 100 that were in flight when the service was killed, after a restart, each with its webhook-id', { timeout: 120_000 }, async () => {
    service = await startReady(dir, env)
    await changeOffers('inflight', 100)
    await until(
      () => endpoint.held.size,
      (held) => held === 100,
      30_000,
    )
    const inFlight = new Set(endpoint.held.keys())
    expect((await deliveries('inflight')).every((row) => row.status === 'pending')).toBe(true)

    service.child.kill('SIGKILL')
    await service.exit
    endpoint.answerFromNowOn()
    service = await startReady(dir, env)

    // Their jobs were claimed by the dead process: pg-boss retries them once their heartbeats stop.
    await until(
      () => [...inFlight].filter((id) => endpoint.delivered.has(id)).length,
      (count) => count === 100,
      90_000,
    )
    const rows = await deliveries('inflight')
    expect(new Set(rows.map((row) => row.msg_id))).toEqual(inFlight)
    await until(
      async () => (await deliveries('inflight')).filter((row) => row.status === 'delivered').length,
      (count) => count === 100,
      10_000,
    )
  })

  it('delivers what was committed with its jobs when the process died right after that commit', { timeout: 120_000 }, async () => {
    if (service) {
      service.child.kill('SIGTERM')
      await service.exit
    }
    service = await startReady(dir, { ...env, ONEC_BRIDGE_CRASH_AT: 'after-fan-out-commit' })
    const exited = service.exit
    await changeOffers('aftercommit', 10)
    await exited
    expect(service.child.signalCode).toBe('SIGKILL')
    const committed = await deliveries('aftercommit')
    expect(committed).toHaveLength(10)
    // Each delivery came with its job, in the same transaction.
    expect(committed.every((row) => row.status === 'pending' && row.job_id !== null)).toBe(true)

    service = await startReady(dir, env)
    await until(
      () => committed.filter((row) => endpoint.delivered.has(row.msg_id)).length,
      (count) => count === 10,
      60_000,
    )
  })
})
