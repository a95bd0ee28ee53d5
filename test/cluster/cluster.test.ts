/**
 * `npm run test:cluster`: three instances of the service on one PostgreSQL behind Debian's nginx
 * (round-robin), driven as 1C, storefronts and a webhook receiver drive them, with instances
 * killed (SIGKILL) on the way. What must hold: the state is the one a single instance reaches, no
 * webhook message is lost and each keeps its `webhook-id`, every order reaches 1C's order
 * exchange exactly once, no source is pulled twice at once.
 */
import { spawnSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLParser } from 'fast-xml-parser'
import pg from 'pg'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partnerOf, startEmulator, type Emulator } from '../../emulator/index.ts'
import { createSiteClient } from '../../emulator/site-client.ts'
import { until, webhookHeaders } from '../helpers/receiver.ts'
import { ADMIN_TOKEN, EXCHANGE, freshDatabase, killInstance, makeInstances, startInstance, startNginx, type Balancer, type Instance } from './cluster.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ODATA = { user: 'Сайт', password: 'пароль' }
const INSTANCES = 3
const ORDERS = 200
const CLIENTS = 20
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }

interface World {
  folder: string
  db: { url: string; drop: () => Promise<void> }
  pool: pg.Pool
  emulator: Emulator
  instances: Instance[]
  balancer: Balancer | null
  /** When the pulls every instance asks for at start were done. */
  startedAt: Date
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The emulator's OData first (the instances need its address), then the instances, then 1C's side of the exchange pointed at `site`. */
async function startWorld(prefix: string, count: number, withBalancer: boolean, seed: string): Promise<World> {
  const folder = await mkdtemp(join(tmpdir(), `onec-bridge-${prefix}-`))
  const db = await freshDatabase(`onec_bridge_${prefix}`)
  // The same 1C base for every world: its seed dates documents relative to the moment it is made.
  await mkdir(join(folder, '1c'))
  await copyFile(join(seed, 'base.json'), join(folder, '1c', 'base.json'))
  const first = await startEmulator({ dataDir: join(folder, '1c'), odata: ODATA })
  const odataPort = Number(new URL(first.odata.url).port)
  const instances = await makeInstances(count, folder, {
    DATABASE_URL: db.url,
    ADMIN_TOKEN,
    EXCHANGE_USER: EXCHANGE.user,
    EXCHANGE_PASSWORD: EXCHANGE.password,
    // 1C cuts the zip into chunks, which land on different instances.
    EXCHANGE_FILE_LIMIT: '4096',
    MAPPING_PROFILE: 'ut11',
    ODATA_URL: first.odata.url,
    ODATA_USER: ODATA.user,
    ODATA_PASSWORD: ODATA.password,
    LOG_LEVEL: 'info',
  })
  // Started together: migrations are taken by one, the others wait for it.
  await Promise.all(instances.map((instance) => startInstance(instance, ROOT)))
  const balancer = withBalancer
    ? await startNginx(
        folder,
        instances.map((instance) => instance.port),
      )
    : null
  const site = balancer ? balancer.url : `http://127.0.0.1:${instances[0]?.port}`
  await first.stop()
  const emulator = await startEmulator({
    dataDir: join(folder, '1c'),
    odata: { ...ODATA, port: odataPort },
    site: { url: `${site}/1c/exchange`, user: EXCHANGE.user, password: EXCHANGE.password },
    postAfterMs: 0,
  })
  const pool = new pg.Pool({ connectionString: db.url, max: 3 })
  const world = { folder, db, pool, emulator, instances, balancer, startedAt: new Date() }
  // The pulls every instance schedules at start, done once, before 1C's exchange: the two runs then see the same order of sources.
  // (Each instance asks at start; the queue keeps one waiting and one running per source, so a source may be pulled twice, one after the other.)
  await until(
    async () =>
      (
        await pool.query<{ done: number; waiting: number }>(
          `select (select count(distinct source)::int from sync_runs where source like 'odata:%' and status <> 'running') as done,
                  (select count(*)::int from pgboss.job where name = 'odata-pull' and state in ('created', 'retry', 'active')) as waiting`,
        )
      ).rows[0] ?? { done: 0, waiting: 1 },
    ({ done, waiting }) => done >= 10 && waiting === 0,
    180_000,
    'the pulls at start',
  )
  world.startedAt = (await pool.query<{ now: Date }>('select now() as now')).rows[0]?.now ?? new Date()
  return world
}

async function stopWorld(world: World | undefined): Promise<void> {
  if (!world) return
  await world.emulator.stop().catch(() => {})
  await Promise.all(world.instances.map((instance) => killInstance(instance, 'SIGTERM')))
  await world.balancer?.stop()
  await world.pool.end()
  await world.db.drop()
  await rm(world.folder, { recursive: true, force: true })
}

/** A pull of every OData source, queued through `base`, and waited for: each source has a finished run started after now. */
async function pullEverything(world: World, base: string): Promise<void> {
  const [{ now } = { now: new Date() }] = (await world.pool.query<{ now: Date }>('select now() as now')).rows
  const sources = ((await (await fetch(`${base}/admin/api/sources`, { headers: admin })).json()) as { sources: Array<{ name: string }> }).sources.map((source) => source.name)
  expect(sources.length).toBeGreaterThan(5)
  for (const name of sources) expect((await fetch(`${base}/admin/api/sources/${name}/pull`, { method: 'POST', headers: admin, body: '{}' })).status).toBe(202)
  await until(
    async () =>
      (
        await world.pool.query<{ source: string }>(`select distinct source from sync_runs where source like 'odata:%' and started_at >= $1 and status = 'succeeded'`, [now])
      ).rows.map((row) => row.source),
    (done) => sources.every((name) => done.includes(`odata:${name}`)),
    120_000,
    'every source pulled',
  )
}

/** What the storefronts see: every entity's content hash. */
async function stateOf(pool: pg.Pool): Promise<Map<string, string>> {
  const rows = (await pool.query<{ kind: string; key: string; data: unknown; removed: boolean }>('select kind, key, data, removed from entity_state')).rows
  return new Map(rows.map((row) => [`${row.kind}:${row.key}`, `${JSON.stringify(row.data)}${row.removed ? ' removed' : ''}`]))
}

/** Where two JSON texts differ, field by field (top level). */
function fieldsDiffering(a: string | undefined, b: string | undefined): string {
  if (!a || !b) return `${a ? 'present' : 'absent'} → ${b ? 'present' : 'absent'}`
  const left = JSON.parse(a.replace(/ removed$/, '')) as Record<string, unknown>
  const right = JSON.parse(b.replace(/ removed$/, '')) as Record<string, unknown>
  return Object.keys({ ...left, ...right })
    .filter((field) => JSON.stringify(left[field]) !== JSON.stringify(right[field]))
    .map((field) => `${field}: ${JSON.stringify(left[field])} → ${JSON.stringify(right[field])}`)
    .join('; ')
}

let reference: Map<string, string>
let referenceRuns = ''
let world: World

let seed: string

beforeAll(async () => {
  seed = await mkdtemp(join(tmpdir(), 'onec-bridge-seed-'))
  await (await startEmulator({ dataDir: seed, reset: true, odata: ODATA })).stop()
  // The single-instance run the cluster must agree with.
  const single = await startWorld('single', 1, false, seed)
  try {
    await single.emulator.runCatalogExchange(true)
    await pullEverything(single, `http://127.0.0.1:${single.instances[0]?.port}`)
    reference = await stateOf(single.pool)
    referenceRuns = (await single.pool.query(`select id, source, kind, status, started_at, finished_at, changed, unchanged from sync_runs order by id`)).rows
      .map((run) => JSON.stringify(run))
      .join('\n')
  } finally {
    await stopWorld(single)
  }
  world = await startWorld('cluster', INSTANCES, true, seed)
}, 300_000)

afterAll(async () => {
  await stopWorld(world)
  if (seed) await rm(seed, { recursive: true, force: true })
}, 60_000)

function dumpOnFailure(error: unknown): never {
  for (const instance of world.instances)
    console.error(`instance ${instance.index + 1} (port ${instance.port}):\n${instance.log.join('\n').slice(-4000)}\n${instance.process?.output().slice(-4000) ?? ''}`)
  throw error
}

describe('three instances behind nginx', () => {
  it('take a full UT 11 exchange (zipped, chunked), each request on another instance, and reach the single instance’s state', async () => {
    const balancer = world.balancer as Balancer
    const before = (await balancer.requests()).length
    const exchange = await world.emulator.runCatalogExchange(true).catch(dumpOnFailure)
    expect(exchange.chunks).toBeGreaterThan(4)
    const calls = (await balancer.requests()).slice(before).filter((request) => request.uri.startsWith('/1c/exchange'))
    expect(calls.length).toBeGreaterThan(10)
    expect(calls.every((call) => call.status === 200)).toBe(true)
    // Round-robin: no two calls in a row on one instance, and every instance took part.
    const served = calls.map((call) => call.upstreams.at(-1))
    expect(served.filter((upstream, index) => index > 0 && upstream === served[index - 1])).toEqual([])
    expect(new Set(served).size).toBe(INSTANCES)
    // `file` chunks of one upload on several instances, its `import` on yet others.
    const fileCalls = calls.filter((call) => call.uri.includes('mode=file'))
    expect(new Set(fileCalls.map((call) => call.upstreams.at(-1))).size).toBe(INSTANCES)

    await pullEverything(world, balancer.url)
    const state = await stateOf(world.pool)
    const differences = [...new Set([...reference.keys(), ...state.keys()])]
      .filter((key) => reference.get(key) !== state.get(key))
      .map((key) => `${key}: ${fieldsDiffering(reference.get(key), state.get(key))}`)
    expect(reference.size).toBeGreaterThan(500)
    if (differences.length > 0) {
      const runs = (await world.pool.query(`select id, source, kind, status, started_at, finished_at, changed, unchanged from sync_runs order by id`)).rows
      console.error(`runs:\n${runs.map((run) => JSON.stringify(run)).join('\n')}\nreference runs:\n${referenceRuns}`)
    }
    expect(differences.slice(0, 10)).toEqual([])
    // Each file of each session imported once.
    const imports = (
      await world.pool.query<{ n: number }>(`select count(*)::int as n from sync_runs where kind = 'commerceml' group by details->>'session', details->>'file' having count(*) > 1`)
    ).rows
    expect(imports).toEqual([])
  }, 300_000)

  it('deliver every webhook message, with a stable webhook-id, while an instance is killed in the middle', async () => {
    const balancer = world.balancer as Balancer
    const receiver = await startReceiver()
    try {
      const created = await fetch(`${balancer.url}/admin/api/storefronts`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ id: 'cluster-shop', url: receiver.url, local: true }),
      })
      expect(created.status).toBe(201)
      const { secret } = (await created.json()) as { secret: string }
      // The supplier's day in 1C: prices and stock of 250 goods change, and 1C sends the changes.
      world.emulator.base.changeSome(250)
      await world.emulator.runCatalogExchange(false)
      const total = await until(
        async () => Number((await world.pool.query<{ n: string }>(`select count(*) as n from deliveries where storefront_id = 'cluster-shop'`)).rows[0]?.n ?? 0),
        (n) => n >= 200,
        60_000,
        'deliveries made',
      )
      // Kill an instance while its messages are on the wire: the receiver holds every request until then.
      await until(
        async () => receiver.held,
        (n) => n >= total,
        60_000,
        'messages on the wire',
      )
      // The instance with the most of them on the wire (`ss` tells whose connections they are).
      const victim = busiestSender(world.instances, receiver.port)
      await killInstance(victim)
      receiver.release()
      const outcome = await until(
        async () =>
          (
            await world.pool.query<{ status: string; n: number }>(
              `select status, count(*)::int as n from deliveries where storefront_id = 'cluster-shop' group by status order by status`,
            )
          ).rows,
        (rows) => rows.every((row) => row.status === 'delivered' || row.status === 'superseded'),
        180_000,
        'every delivery delivered',
      ).catch(dumpOnFailure)
      expect(outcome.some((row) => row.status === 'delivered')).toBe(true)
      const made = (await world.pool.query<{ msg_id: string; status: string }>(`select msg_id, status from deliveries where storefront_id = 'cluster-shop'`)).rows
      const expected = new Set(made.filter((row) => row.status === 'delivered').map((row) => row.msg_id))
      const all = new Set(made.map((row) => row.msg_id))
      const got = new Map<string, string[]>()
      for (const message of receiver.received) got.set(message.id, [...(got.get(message.id) ?? []), message.body])
      // None lost; nothing but what was made; a message sent twice (its first try cut by the kill) carries the same id and the same body.
      expect([...expected].filter((id) => !got.has(id))).toEqual([])
      expect([...got.keys()].filter((id) => !all.has(id))).toEqual([])
      expect([...got.values()].filter((bodies) => new Set(bodies).size > 1)).toEqual([])
      // The killed instance had messages on the wire: they were sent again, by the others, under the same id.
      expect(receiver.received.length).toBeGreaterThan(got.size)
      expect(receiver.unverified(secret)).toBe(0)
      console.info(`webhooks: ${expected.size} delivered, ${receiver.received.length - got.size} sent again after the kill with the same webhook-id`)
      await startInstance(victim, ROOT)
    } finally {
      await receiver.close()
    }
  }, 400_000)

  it('take 200 orders from concurrent clients while an instance is killed and restarted, and give each to 1C exactly once', async () => {
    const balancer = world.balancer as Balancer
    const keyed = await fetch(`${balancer.url}/admin/api/storefronts/cluster-shop/keys`, { method: 'POST', headers: admin, body: '{}' })
    expect(keyed.status).toBe(201)
    const shop = { authorization: `Bearer ${((await keyed.json()) as { apiKey: string }).apiKey}`, 'content-type': 'application/json' }
    const customerId = partnerOf('ostozhenka')
    const page = (await (await fetch(`${balancer.url}/api/v1/offers?customerId=${customerId}&limit=1000`, { headers: shop })).json()) as {
      offers: Array<{ id: string; stock: { total: number | null } }>
    }
    const offers = page.offers.filter((offer) => (offer.stock.total ?? 0) > 0).slice(0, 20)
    expect(offers.length).toBe(20)

    const taken = new Map<number, string>()
    let retries = 0
    async function place(n: number): Promise<void> {
      const body = JSON.stringify({
        externalId: `K-${n}`,
        number: `K${n}`,
        customerId,
        lines: [{ offerId: offers[n % offers.length]?.id, quantity: 1 + (n % 3) }],
      })
      for (let attempt = 1; ; attempt += 1) {
        try {
          const response = await fetch(`${balancer.url}/api/v1/orders`, { method: 'POST', headers: { ...shop, 'idempotency-key': `cluster-order-${n}` }, body })
          if (response.status === 200 || response.status === 201) {
            taken.set(n, ((await response.json()) as { id: string }).id)
            return
          }
          if (response.status < 500) throw new Error(`order ${n}: ${response.status} ${await response.text()}`)
        } catch (error) {
          if ((error as Error).message.startsWith(`order ${n}:`) || attempt > 30) throw error
        }
        // The same key again, as a storefront retries: the order is made once.
        retries += 1
        await sleep(200)
      }
    }
    const victim = world.instances[2] as Instance
    let next = 0
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (next < ORDERS) {
        const n = next++
        if (n === 60) await killInstance(victim)
        if (n === 120) await startInstance(victim, ROOT)
        await place(n)
      }
    })
    await Promise.all(clients).catch(dumpOnFailure)
    expect(taken.size).toBe(ORDERS)
    expect(new Set(taken.values()).size).toBe(ORDERS)
    const stored = (await world.pool.query<{ n: number }>(`select count(*)::int as n from orders where storefront_id = 'cluster-shop'`)).rows[0]?.n
    expect(stored).toBe(ORDERS)

    // 1C's order exchange through the balancer: query, then success, until nothing is new.
    const site = createSiteClient({ url: `${balancer.url}/1c/exchange`, user: EXCHANGE.user, password: EXCHANGE.password })
    const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === 'Документ' || name === 'Контейнер' })
    const seen = new Map<string, number>()
    for (let round = 0; round < 20; round += 1) {
      const { session, xml } = await site.queryOrders()
      const root = (parser.parse(xml.toString('utf8')) as { КоммерческаяИнформация?: Record<string, unknown> }).КоммерческаяИнформация ?? {}
      const documents = [
        ...((root.Документ as Array<{ Ид: string }> | undefined) ?? []),
        ...((root.Контейнер as Array<{ Документ?: Array<{ Ид: string }> }> | undefined) ?? []).flatMap((container) => container.Документ ?? []),
      ]
      await site.confirmOrders(session)
      if (documents.length === 0) break
      for (const document of documents) seen.set(String(document.Ид), (seen.get(String(document.Ид)) ?? 0) + 1)
    }
    expect(seen.size).toBe(ORDERS)
    expect([...seen.values()].filter((times) => times !== 1)).toEqual([])
    expect(new Set(seen.keys())).toEqual(new Set(taken.values()))
    console.info(`orders: ${ORDERS} taken by ${CLIENTS} clients with ${retries} retries across the kill and restart`)
  }, 400_000)

  it('never ran a pull of one source twice at once, nor an import twice', async () => {
    const overlapping = (
      await world.pool.query<{ source: string }>(
        `select a.source from sync_runs a join sync_runs b on a.source = b.source and a.id < b.id
          where a.source like 'odata:%' and b.started_at < coalesce(a.finished_at, now()) and a.started_at < coalesce(b.finished_at, now())`,
      )
    ).rows
    expect(overlapping).toEqual([])
    // At start, three instances asked for a pull of every source at once: each source was pulled once
    // (twice only across the boundary of its schedule's period, where two periods each have their pull).
    const every = new Map(
      ((await (await fetch(`${world.balancer?.url}/admin/api/sources`, { headers: admin })).json()) as { sources: Array<{ name: string; everyMs: number }> }).sources.map(
        (source) => [`odata:${source.name}`, source.everyMs],
      ),
    )
    const atStart = (
      await world.pool.query<{ source: string; started: Date }>(`select source, started_at as started from sync_runs where source like 'odata:%' and started_at < $1`, [
        world.startedAt,
      ])
    ).rows
    expect(new Set(atStart.map((run) => run.source)).size).toBe(every.size)
    const twice = [...Map.groupBy(atStart, (run) => run.source)].filter(
      ([source, runs]) => new Set(runs.map((run) => Math.floor(run.started.getTime() / (every.get(source) ?? 1)))).size < runs.length,
    )
    expect(twice.map(([source, runs]) => `${source}: ${runs.length} runs in one period`)).toEqual([])
  })
})

/** The running instance with the most connections open to `port`. */
function busiestSender(instances: Instance[], port: number): Instance {
  const listed = spawnSync('ss', ['-tnpH', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' })
  const count = (pid: number | undefined) => listed.stdout.split('\n').filter((line) => pid !== undefined && line.includes(`pid=${pid},`)).length
  const ranked = instances.filter((instance) => instance.process).sort((a, b) => count(b.process?.child.pid) - count(a.process?.child.pid))
  const busiest = ranked[0]
  if (!busiest || count(busiest.process?.child.pid) === 0) throw new Error(`no instance has a connection to the receiver: ${listed.stdout}${listed.stderr}`)
  return busiest
}

interface Receiver {
  url: string
  port: number
  /** Every message as it arrived (a receiver acts on what it gets, even when its answer never reaches the sender). */
  received: Array<{ id: string; body: string; raw: string; headers: Record<string, string> }>
  /** Requests waiting for `release`. */
  readonly held: number
  /** Answers what waits, and every later request at once. */
  release(): void
  /** Messages whose signature `secret` does not verify (checked after the fact: the secret is known once the storefront is made). */
  unverified(secret: string): number
  close(): Promise<void>
}

/** A storefront's endpoint that keeps every request waiting until `release()`; signatures checked with the public standardwebhooks library. */
async function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = []
  let waiting: Array<() => void> | null = []
  const server: Server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk) => (raw += chunk))
    request.on('end', () => {
      const headers = webhookHeaders(request)
      const body = JSON.parse(raw) as { data?: unknown; type?: string }
      received.push({ id: headers['webhook-id'], body: JSON.stringify({ type: body.type, data: body.data }), raw, headers })
      const answer = () => {
        if (!response.destroyed) response.writeHead(200).end('ok')
      }
      if (waiting) waiting.push(answer)
      else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    get held() {
      return waiting?.length ?? 0
    },
    release() {
      const answers = waiting ?? []
      waiting = null
      for (const answer of answers) answer()
    },
    unverified(secret) {
      const hook = new Webhook(secret)
      return received.filter((message) => {
        try {
          hook.verify(message.raw, message.headers)
          return false
        } catch {
          return true
        }
      }).length
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
