/**
 * What survives a kill: the real service on its embedded PostgreSQL, killed with SIGKILL alone
 * (its server orphaned) and together with the server (a stale postmaster.pid for PostgreSQL's
 * crash recovery). Every start after a kill must be ready within 5 s and lose no committed row.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateOffersFile } from '../bench/commerceml-import/generate.ts'
import { applyChanges, startRun } from '../src/state/index.ts'
import { offer } from './fixtures.ts'
import { clusterDir, freePort, isAlive, openEmbeddedOf, postmasterPid, startReady, type Started } from './helpers/service-process.ts'
import { sessionIdOf } from './helpers/exchange-client.ts'

const READY_AFTER_KILL_MS = 5000
const KEY = `sk_test_${randomBytes(16).toString('hex')}`

let dir: string
let dataDir: string
let env: Record<string, string>
let service: (Started & { readyMs?: number }) | undefined

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onec-bridge-crash-'))
  dataDir = join(dir, 'data')
  const config = join(dir, 'onec-bridge.json')
  await writeFile(
    config,
    JSON.stringify({ storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: [`whsec_${randomBytes(32).toString('base64')}`], enabled: false, apiKeys: [KEY] }] }),
  )
  env = { PORT: String(await freePort()), HOST: '127.0.0.1', CONFIG_FILE: config, LOG_LEVEL: 'warn', EXCHANGE_PASSWORD: 'exchange-password' }
})

afterAll(async () => {
  if (service && service.child.exitCode === null) service.child.kill('SIGKILL')
  const pid = await postmasterPid(dataDir)
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL')
  await rm(await clusterDir(dataDir), { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
})

async function killService(withServer: boolean): Promise<void> {
  const server = await postmasterPid(dataDir)
  expect(server && isAlive(server)).toBe(true)
  service!.child.kill('SIGKILL')
  await service!.exit
  if (withServer) {
    process.kill(server!, 'SIGKILL')
    for (let waited = 0; isAlive(server!) && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20))
  } else {
    // Orphaned, still serving: the next start must adopt it.
    expect(isAlive(server!)).toBe(true)
  }
}

const api = (path: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${env.PORT}${path}`, { ...init, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(init.headers ?? {}) } })

async function placeOrders(from: number, count: number): Promise<string[]> {
  const ids: string[] = []
  for (let index = from; index < from + count; index += 1) {
    const response = await api('/api/v1/orders', {
      method: 'POST',
      headers: { 'idempotency-key': `durable-${index}-key` },
      body: JSON.stringify({
        externalId: `d${index}`,
        number: `D-${index}`,
        customerId: 'buyer',
        lines: [{ offerId: 'sku-1', quantity: 1, unitPriceMinor: 100_000 }],
        bonusMinor: 100,
        paymentMethod: 'invoice',
      }),
    })
    expect(response.status).toBe(201)
    ids.push(((await response.json()) as { id: string }).id)
  }
  return ids
}

async function expectOrdersKept(ids: string[]): Promise<void> {
  const db = await openEmbeddedOf(dataDir)
  try {
    const rows = await db.query<{ id: string; holds: number }>(
      `select o.id::text, (select count(*)::int from bonus_holds h where h.order_id = o.id and h.status = 'active') as holds
         from orders o where o.id::text = any($1)`,
      [ids],
    )
    expect(rows).toHaveLength(ids.length)
    expect(rows.every((row) => row.holds === 1)).toBe(true)
  } finally {
    await db.close()
  }
}

describe('orders acknowledged with 201', () => {
  const acknowledged: string[] = []

  it('are all there, with their holds, after a SIGKILL of the service alone; ready again within 5 s', async () => {
    service = await startReady(dir, env)
    const db = await openEmbeddedOf(dataDir)
    await applyChanges(db, await startRun(db, 'test', 'seed'), [
      offer('sku-1', { prices: { 'retail-price-type': { amountMinor: 100_000, currency: 'RUB' } } }),
      { kind: 'customer', data: { id: 'buyer', name: 'ООО «Ромашка»', inn: '7701234567', kpp: null, headId: null, priceTypeId: 'retail-price-type' } },
      { kind: 'bonus_account', data: { customerId: 'buyer', programId: null, balanceMinor: 500_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: {} } },
    ])
    await db.close()
    acknowledged.push(...(await placeOrders(0, 10)))
    await killService(false)

    service = await startReady(dir, env)
    expect(service.readyMs).toBeLessThan(READY_AFTER_KILL_MS)
    await expectOrdersKept(acknowledged)
  })

  it('are all there after a SIGKILL of the service and its PostgreSQL (crash recovery); ready again within 5 s', async () => {
    acknowledged.push(...(await placeOrders(10, 10)))
    await killService(true)

    service = await startReady(dir, env)
    expect(service.readyMs).toBeLessThan(READY_AFTER_KILL_MS)
    await expectOrdersKept(acknowledged)
    // And it takes new ones.
    acknowledged.push(...(await placeOrders(20, 1)))
  })
})

describe('a SIGKILL in the middle of an import', () => {
  const OFFERS = 20_000
  let file: string
  const auth = `Basic ${Buffer.from('1c:exchange-password').toString('base64')}`
  const exchange = (query: string, init: RequestInit = {}, cookie = '') =>
    fetch(`http://127.0.0.1:${env.PORT}/1c/exchange?type=catalog&${query}`, { ...init, headers: { authorization: auth, ...(cookie ? { cookie } : {}) } })

  beforeAll(async () => {
    file = join(dir, 'offers.xml')
    await generateOffersFile(file, { offers: OFFERS, priceTypes: 3, warehouses: 3 })
  })

  /** checkauth, init, upload in file_limit chunks, first `import`; returns the session cookie. */
  async function uploadAndStartImport(): Promise<string> {
    const [, name, value] = (await (await exchange('mode=checkauth')).text()).split('\n')
    const cookie = `${name}=${value}`
    const init = (await (await exchange('mode=init', {}, cookie)).text()).split('\n')
    const limit = Number((init[1] ?? '').replace('file_limit=', ''))
    const { size } = await stat(file)
    const handle = await open(file, 'r')
    try {
      for (let offset = 0; offset < size; offset += limit) {
        const chunk = Buffer.alloc(Math.min(limit, size - offset))
        await handle.read(chunk, 0, chunk.length, offset)
        expect(await (await exchange('mode=file&filename=offers0_1.xml', { method: 'POST', body: chunk }, cookie)).text()).toBe('success')
      }
    } finally {
      await handle.close()
    }
    expect((await (await exchange('mode=import&filename=offers0_1.xml', {}, cookie)).text()).split('\n')[0]).toBe('progress')
    return cookie
  }

  async function waitForRunningImport(): Promise<void> {
    const db = await openEmbeddedOf(dataDir)
    try {
      for (let waited = 0; waited < 10_000; waited += 20) {
        const [row] = await db.query<{ n: number }>(`select count(*)::int as n from sync_runs where status = 'running' and kind = 'commerceml'`)
        if (row && row.n > 0) return
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error('the import never started')
    } finally {
      await db.close()
    }
  }

  async function offersStored(): Promise<number> {
    const db = await openEmbeddedOf(dataDir)
    try {
      const [row] = await db.query<{ n: number }>(`select count(*)::int as n from entity_state where kind = 'offer'`)
      return row?.n ?? 0
    } finally {
      await db.close()
    }
  }

  /** Waits until no import is open: the killed round's job, retried by pg-boss, has finished too. */
  async function settleImports(): Promise<void> {
    const db = await openEmbeddedOf(dataDir)
    try {
      for (let waited = 0; ; waited += 200) {
        const [row] = await db.query<{ n: number }>(`select count(*)::int as n from exchange_imports where status in ('queued', 'running')`)
        if (row?.n === 0) return
        if (waited > 90_000) throw new Error(`${row?.n} import(s) still open after 90 s`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    } finally {
      await db.close()
    }
  }

  async function importToSuccess(cookie: string): Promise<string> {
    for (;;) {
      const answer = await (await exchange('mode=import&filename=offers0_1.xml', {}, cookie)).text()
      if (answer.split('\n')[0] !== 'progress') return answer
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  for (const withServer of [false, true]) {
    it(
      `leaves nothing half-applied after a SIGKILL of the service${withServer ? ' and its PostgreSQL' : ' alone'}; ready within 5 s, and the repeated exchange completes`,
      { timeout: 120_000 },
      async () => {
        const before = await offersStored()
        await uploadAndStartImport()
        await waitForRunningImport()
        await new Promise((resolve) => setTimeout(resolve, 300))
        await killService(withServer)

        service = await startReady(dir, env)
        expect(service.readyMs).toBeLessThan(READY_AFTER_KILL_MS)
        // The file is one transaction: all of it or (here) none of it; its run says it was cut off.
        expect(await offersStored()).toBe(before)
        const observer = await openEmbeddedOf(dataDir)
        const runs = await observer.query<{ status: string; error_reason: string }>(`select status, error_reason from sync_runs where kind = 'commerceml' order by id desc limit 1`)
        await observer.close()
        expect(runs[0]).toMatchObject({ status: 'failed', error_reason: expect.stringMatching(/^interrupted/) })

        const cookie = await uploadAndStartImport()
        expect((await importToSuccess(cookie)).split('\n')[0]).toBe('success')
        // The same file each round: its offers, whatever a retried job of an earlier round put back.
        expect(await offersStored()).toBe(before + OFFERS)
        // The next round starts from an empty catalogue again, once the killed round's retried job is done.
        await settleImports()
        const db = await openEmbeddedOf(dataDir)
        await db.query(`delete from entity_state where kind in ('offer', 'product')`)
        await db.close()
      },
    )
  }

  it('finishes the import that was cut off on its own after the restart: 1C polling the same session gets success', { timeout: 120_000 }, async () => {
    const before = await offersStored()
    const cookie = await uploadAndStartImport()
    await waitForRunningImport()
    await killService(false)
    service = await startReady(dir, env)
    // The job's worker died with the process: pg-boss retries it once its heartbeats stop.
    expect((await importToSuccess(cookie)).split('\n')[0]).toBe('success')
    expect(await offersStored()).toBe(before + OFFERS)
    const db = await openEmbeddedOf(dataDir)
    await settleImports()
    const session = await sessionIdOf(db, cookie)
    const runs = await db.query<{ status: string; error_reason: string | null }>(`select status, error_reason from sync_runs where details->>'session' = $1 order by id`, [session])
    await db.query(`delete from entity_state where kind in ('offer', 'product')`)
    await db.close()
    // The attempt cut off by the kill, then the retry that finished it.
    expect(runs).toEqual([
      { status: 'failed', error_reason: expect.stringMatching(/^interrupted/) },
      { status: 'succeeded', error_reason: null },
    ])
  })
})
