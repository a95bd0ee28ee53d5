/**
 * Two instances of the service on one store, each with a DATA_DIR of its own, as behind a load
 * balancer: 1C's calls of one session land on either. (The real thing — processes, nginx, a kill —
 * is `npm run test:cluster`; this pins the same rules in the suite, on both stores.)
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { ExchangeClient, sessionIdOf } from './helpers/exchange-client.ts'
import { zipOf } from './helpers/zip.ts'
import { catalogXml, offersXml, OFFER, PRICE_TYPE } from './samples/ut11.ts'

/** UT 11's exchange, each request to the next instance in turn. */
class RoundRobinClient extends ExchangeClient {
  readonly apps: FastifyInstance[]
  readonly landed: number[] = []
  private next = 0

  constructor(apps: FastifyInstance[], options: { type?: string } = {}) {
    super(apps[0] as FastifyInstance, options)
    this.apps = apps
  }

  protected override target(): FastifyInstance {
    const index = this.next++ % this.apps.length
    this.landed.push(index)
    return this.apps[index] as FastifyInstance
  }
}

let a: TestApp
let b: TestApp

beforeAll(async () => {
  // Uploads in the store, whichever store the pass runs on: DATA_DIR is not shared.
  a = await buildTestApp({ EXCHANGE_FILE_LIMIT: '1024', EXCHANGE_UPLOADS: 'store' })
  b = await buildTestApp({ EXCHANGE_FILE_LIMIT: '1024', EXCHANGE_UPLOADS: 'store' }, { beside: a })
})

afterAll(async () => {
  await b?.close()
  await a?.close()
})

const priceOf = async (app: FastifyInstance) =>
  (await app.inject({ method: 'GET', url: `/admin/api/entities/offer/${encodeURIComponent(OFFER)}`, headers: adminHeaders })).json().data?.prices?.[PRICE_TYPE]

describe('two instances on one store', () => {
  it('take a zipped, chunked exchange whose every call lands on the other instance', async () => {
    const archive = await zipOf({ 'import0_1.xml': catalogXml(), 'offers0_1.xml': offersXml({ price: '1234.56' }) })
    const client = new RoundRobinClient([a.app, b.app])
    await client.checkauth()
    expect((await client.init())[0]).toBe('zip=yes')
    const chunks = await client.upload('v8_1A76_1.zip', archive)
    expect(chunks).toBeGreaterThan(1)
    expect((await client.import('import0_1.xml')).status).toBe('success')
    expect((await client.import('offers0_1.xml')).status).toBe('success')
    expect(new Set(client.landed)).toEqual(new Set([0, 1]))
    expect(await priceOf(a.app)).toEqual({ amountMinor: 123_456, currency: 'RUB' })
    expect(await priceOf(b.app)).toEqual({ amountMinor: 123_456, currency: 'RUB' })
    // Neither DATA_DIR holds the upload: the store does, as pieces.
    const [stored] = await a.db.query<{ bytes: number }>('select sum(length(data))::int as bytes from exchange_upload_pieces')
    expect(stored?.bytes).toBe(archive.length)
  })

  it('imports a file once when `import` reaches both instances at the same moment', async () => {
    const client = new ExchangeClient(a.app)
    await client.checkauth()
    await client.init()
    await client.upload('import0_1.xml', catalogXml())
    const onB = new ExchangeClient(b.app)
    onB.cookie = client.cookie
    const answers = await Promise.all([client.import('import0_1.xml'), onB.import('import0_1.xml')])
    expect(answers.map((answer) => answer.status)).toEqual(['success', 'success'])
    const runs = await a.db.query("select 1 from sync_runs where source = 'commerceml' and details->>'file' = 'import0_1.xml' and details->>'session' = $1", [
      await sessionOf(client),
    ])
    expect(runs).toHaveLength(1)
  })

  it('answers `progress` on the instance that did not run the import until the store says it is done', async () => {
    const client = new ExchangeClient(a.app)
    await client.checkauth()
    await client.init()
    await client.upload('offers0_1.xml', offersXml({ price: '10.00' }))
    // The first `import` queues it on A; every later poll goes to B, whose memory never saw it.
    const first = await client.request('mode=import&filename=offers0_1.xml')
    expect(first.body.split('\n')[0]).toMatch(/^(progress|success)$/)
    const onB = new ExchangeClient(b.app)
    onB.cookie = client.cookie
    expect((await onB.import('offers0_1.xml')).status).toBe('success')
    // And A, which queued it and may have run it or not, ends on success too (not a remembered `progress`).
    expect((await client.import('offers0_1.xml')).status).toBe('success')
  })

  it('deletes an expired session’s pieces in the store and its copies on every instance', async () => {
    const client = new RoundRobinClient([a.app, b.app])
    await client.checkauth()
    await client.init()
    await client.upload('import0_1.xml', catalogXml())
    expect((await client.import('import0_1.xml')).status).toBe('success')
    const session = await sessionOf(client)
    const copies = [a, b].map((app) => join(app.dataDir, 'exchange-cache', session))
    expect(copies.some((copy) => existsSync(copy))).toBe(true)
    await a.db.query(`update exchange_sessions set last_seen_at = now() - interval '100 hours' where id = $1`, [session])
    // The next checkauth on each instance sweeps what expired.
    await new ExchangeClient(a.app).checkauth()
    await new ExchangeClient(b.app).checkauth()
    expect(await a.db.query('select 1 from exchange_upload_pieces where session_id = $1', [session])).toHaveLength(0)
    expect(copies.filter((copy) => existsSync(copy))).toEqual([])
  })

  it('refuses a chunk over the limit without keeping any of it', async () => {
    const small = await buildTestApp({ EXCHANGE_UPLOADS: 'store' }, { beside: a, configFile: { exchange: { maxFileBytes: 4096 } } })
    try {
      const client = new ExchangeClient(small.app)
      await client.checkauth()
      await client.init()
      const session = await sessionOf(client)
      const response = await client.request('mode=file&filename=import0_1.xml', { method: 'POST', body: Buffer.alloc(5000, 0x41) })
      expect(response.body.split('\n')[0]).toBe('failure')
      expect(response.body).toContain('4096')
      expect(await a.db.query('select 1 from exchange_upload_pieces where session_id = $1', [session])).toHaveLength(0)
    } finally {
      await small.close()
    }
  })
})

const sessionOf = (client: ExchangeClient) => sessionIdOf(a.db, client.cookie)

describe('caches across instances', () => {
  it('a key revoked on one instance stops working on the other when it commits, not after the cache’s seconds', async () => {
    const created = await a.app.inject({
      method: 'POST',
      url: '/admin/api/storefronts',
      headers: adminHeaders,
      payload: { id: 'two-instances', url: 'http://127.0.0.1:9/hooks', local: true },
    })
    expect(created.statusCode).toBe(201)
    const { apiKey, keyId } = created.json() as { apiKey: string; keyId: string }
    const asShop = { authorization: `Bearer ${apiKey}` }
    // B has seen the key: it is in B's cache now.
    expect((await b.app.inject({ method: 'GET', url: '/api/v1/price-types', headers: asShop })).statusCode).toBe(200)
    const revoked = await a.app.inject({ method: 'DELETE', url: `/admin/api/storefronts/two-instances/keys/${keyId}`, headers: adminHeaders })
    expect(revoked.statusCode).toBe(200)
    const started = Date.now()
    let status = 200
    while (status === 200 && Date.now() - started < 5_000) {
      status = (await b.app.inject({ method: 'GET', url: '/api/v1/price-types', headers: asShop })).statusCode
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(status).toBe(401)
    // The key cache alone would have kept it for 5 s.
    expect(Date.now() - started).toBeLessThan(1_000)
  })
})

describe('two sources merging into the same offers at the same moment', () => {
  it('keep both: the prices pull and the stock pull, run side by side as two instances run them, lose neither’s fields', async () => {
    const { startEmulatedBase } = await import('./helpers/emulated-base.ts')
    const world = await startEmulatedBase({ prime: true })
    try {
      const changed = world.emulator.base.changeSome(60)
      expect(changed.length).toBeGreaterThan(0)
      await Promise.all([world.pull('prices'), world.pull('stock')])
      const together = await world.t.db.query<{ key: string; data: string }>(`select key, data::text as data from entity_state where kind = 'offer' order by key`)
      // The same pulls one after the other give the state both must reach.
      await world.pull('prices')
      await world.pull('stock')
      const apart = await world.t.db.query<{ key: string; data: string }>(`select key, data::text as data from entity_state where kind = 'offer' order by key`)
      expect(together.filter((row, index) => row.data !== apart[index]?.data).map((row) => row.key)).toEqual([])
    } finally {
      await world.close()
    }
  })
})

describe('1C set not to wait for the site, two instances', () => {
  it('imports every session’s uploads unasked, whichever instance took the chunks and whichever runs the job', async () => {
    const c = await buildTestApp({ EXCHANGE_FILE_LIMIT: '1024', EXCHANGE_UPLOADS: 'store' }, { configFile: { exchange: { autoImportSeconds: 1 } } })
    const d = await buildTestApp({ EXCHANGE_FILE_LIMIT: '1024', EXCHANGE_UPLOADS: 'store' }, { beside: c, configFile: { exchange: { autoImportSeconds: 1 } } })
    try {
      // Three portions as UT 11 sends them when it does not wait: checkauth, init, the zip's chunks — and no `import`.
      for (const price of ['101', '102', '103']) {
        const client = new RoundRobinClient([c.app, d.app])
        await client.checkauth()
        await client.init()
        await client.upload(`v8_${price}_1.zip`, await zipOf({ 'offers0_1.xml': offersXml({ price }), 'import0_1.xml': catalogXml() }))
      }
      const until = Date.now() + 30_000
      let runs: Array<{ source: string; kind: string; status: string; session: string | null }> = []
      while (Date.now() < until) {
        runs = await c.db.query<{ source: string; kind: string; status: string; session: string | null }>(
          `select source, kind, status, details->>'session' as session from sync_runs order by id`,
        )
        if (runs.filter((run) => run.source === 'commerceml' && run.status !== 'running').length >= 6) break
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      // Six imports (catalogue, then offers, of each session), all succeeded; no job failed on an instance without the files.
      const imports = runs.filter((run) => run.source === 'commerceml')
      const bySession = Map.groupBy(imports, (run) => run.session)
      expect(bySession.size).toBe(3)
      expect([...bySession.values()].map((sessionRuns) => sessionRuns.map((run) => `${run.kind} ${run.status}`))).toEqual(Array(3).fill(['catalog succeeded', 'offers succeeded']))
      expect(runs.filter((run) => run.status !== 'succeeded')).toEqual([])
    } finally {
      await d.close()
      await c.close()
    }
  })
})
