/**
 * What one more instance buys: 1, 2 and 3 processes of `node src/main.ts` on one PostgreSQL
 * server behind nginx (round-robin, deploy/nginx/onec-bridge.conf), on this machine.
 *
 *   npm run bench scale -- [instances=1,2,3] [seconds=15] [rounds=3] [changes=5000]
 *   BENCH_DATABASE_URL=postgres://… another server (default: the machine's, 127.0.0.1:5432); a new database per round.
 *
 * Input: the orders bench's data (20,000 products in 40 price groups, 1,000 customers with
 * accounts), one storefront whose endpoint is a loopback receiver answering 200 at once.
 * - quotes: the bonus quote through nginx, closed loop with 64 requests in flight from a separate
 *   process (bench/orders/load.ts) for `seconds`: quotes/s, p50 and p99.
 * - webhooks: `changes` offer changes committed at once; deliveries/s from the commit to the last
 *   arrival, every instance's workers taking their share.
 * Everything — nginx, PostgreSQL, the load and the instances — shares this machine's cores, so
 * the ratios say what more processes buy *here*; on separate hosts the instances do not compete.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { carts, CUSTOMERS, random, seed } from '../orders/fixture.ts'
import { runLoad } from '../orders/run-load.ts'
import { generateOffers } from '../generate.ts'
import { median, percentile } from '../stats.ts'
import { startArrivalReceiver } from '../receiver.ts'
import { admin } from '../store.ts'
import { applyChanges, startRun } from '../../src/state/index.ts'
import { openPostgres } from '../../src/store/index.ts'
import { killInstance, makeInstances, startInstance, startNginx } from '../../test/cluster/cluster.ts'

const [countsText = '1,2,3', secondsText = '15', roundsText = '3', changesText = '5000'] = process.argv.slice(2)
const counts = countsText.split(',').map(Number)
const seconds = Number(secondsText)
const rounds = Number(roundsText)
const changes = Number(changesText)
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ADMIN_TOKEN = 'bench-admin-token-0123456789'
/** The storefront's API key, made with it in each round. */
let key = ''
const QUOTE_CONCURRENCY = 64

const onServer = (sql: string) => admin(SERVER, sql)

const load = (url: string, count: number, bodies: unknown[]) => runLoad(url, `concurrency=${QUOTE_CONCURRENCY}`, count, { authorization: `Bearer ${key}` }, bodies)

const receiver = await startArrivalReceiver()
const { arrivals } = receiver

interface Measured {
  quotesPerSecond: number
  p50: number
  p99: number
  failed: number
  deliveriesPerSecond: number
  /** CPU time per quote and per delivery, ms: the instances together, PostgreSQL's processes together. */
  cpu: { quote: { bridge: number; postgres: number }; delivery: { bridge: number; postgres: number } }
}

/** user + system CPU seconds of these processes so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSeconds(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // gone
    }
  }
  return ticks / 100
}
const postgresPids = () => spawnSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number)

async function round(instancesWanted: number, index: number): Promise<Measured> {
  const folder = await mkdtemp(join(tmpdir(), 'onec-bridge-scale-'))
  const database = `onec_bridge_scale_${randomBytes(4).toString('hex')}`
  await onServer(`create database ${database}`)
  const url = new URL(SERVER)
  url.pathname = `/${database}`
  const instances = await makeInstances(instancesWanted, folder, {
    DATABASE_URL: url.toString(),
    ADMIN_TOKEN,
    EXCHANGE_PASSWORD: 'bench-exchange-password',
    MAPPING_PROFILE: 'commerceml',
    LOG_LEVEL: 'warn',
  })
  const db = await openPostgres({ connectionString: url.toString(), max: 4, applicationName: 'onec-bridge bench' })
  try {
    await Promise.all(instances.map((instance) => startInstance(instance, ROOT)))
    await applyChanges(db, await startRun(db, 'bench', 'seed'), seed())
    const balancer = await startNginx(
      folder,
      instances.map((instance) => instance.port),
    )
    try {
      // Made after the seed: a new storefront starts at the end of the change feed, so only the bench's changes go to it.
      const created = await fetch(`${balancer.url}/admin/api/storefronts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'bench', url: receiver.url, local: true }),
      })
      if (created.status !== 201) throw new Error(`storefront not made: ${created.status} ${await created.text()}`)
      key = ((await created.json()) as { apiKey: string }).apiKey
      const quoteBodies = carts(500, random(42 + index)).map((lines, n) => ({ customerId: `c${n % CUSTOMERS}`, lines }))
      // Warm-up, discarded: every instance's JIT and quote cache.
      await load(`${balancer.url}/api/v1/bonus/quote`, 1500 * instancesWanted, quoteBodies)
      // Closed loop for about `seconds`: the count comes from the warm-up's pace, the rate from the clock.
      const probe = await load(`${balancer.url}/api/v1/bonus/quote`, 1000, quoteBodies)
      const bridgePids = instances.map((instance) => instance.process?.child.pid ?? 0)
      const before = { bridge: cpuSeconds(bridgePids), postgres: cpuSeconds(postgresPids()) }
      const quoted = await load(`${balancer.url}/api/v1/bonus/quote`, Math.max(1000, Math.round((probe.ok / probe.seconds) * seconds)), quoteBodies)

      const afterQuotes = { bridge: cpuSeconds(bridgePids), postgres: cpuSeconds(postgresPids()) }
      arrivals.clear()
      const offers = generateOffers({ offers: changes, priceTypes: 5, warehouses: 10 }).map(
        (entity, n) => ({ ...entity, data: { ...entity.data, id: `s${instancesWanted}-${index}-o${n}` } }) as typeof entity,
      )
      const started = performance.now()
      await applyChanges(db, await startRun(db, 'bench', 'offers'), offers)
      const ids = offers.map((entity) => String((entity.data as { id: string }).id))
      await receiver.waitFor(ids, 600_000)
      const last = Math.max(...ids.map((id) => arrivals.get(id) ?? 0))
      const afterDeliveries = { bridge: cpuSeconds(bridgePids), postgres: cpuSeconds(postgresPids()) }
      const perMs = (from: number, to: number, count: number) => ((to - from) * 1000) / count
      return {
        quotesPerSecond: quoted.ok / quoted.seconds,
        p50: percentile(quoted.latenciesMs, 0.5),
        p99: percentile(quoted.latenciesMs, 0.99),
        failed: quoted.failed,
        deliveriesPerSecond: changes / ((last - started) / 1000),
        cpu: {
          quote: { bridge: perMs(before.bridge, afterQuotes.bridge, quoted.ok), postgres: perMs(before.postgres, afterQuotes.postgres, quoted.ok) },
          delivery: { bridge: perMs(afterQuotes.bridge, afterDeliveries.bridge, changes), postgres: perMs(afterQuotes.postgres, afterDeliveries.postgres, changes) },
        },
      }
    } finally {
      await balancer.stop()
    }
  } finally {
    await Promise.all(instances.map((instance) => killInstance(instance, 'SIGTERM')))
    await db.close()
    await onServer(`drop database if exists ${database} with (force)`)
    await rm(folder, { recursive: true, force: true })
  }
}

const results = new Map<number, Measured[]>()
// Interleaved (1, 2, 3, 1, 2, 3, …) so that a slow minute of this shared VM does not land on one count.
for (let index = 0; index < rounds; index += 1) {
  for (const count of counts) results.set(count, [...(results.get(count) ?? []), await round(count, index)])
}
receiver.close()

const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(`Instances behind nginx on one PostgreSQL server; ${availableParallelism()} cores (${cpu}); median of ${rounds} rounds (per-round values in brackets)`)
const base = median(results.get(counts[0] ?? 1)?.map((r) => r.quotesPerSecond) ?? [1])
const baseDeliveries = median(results.get(counts[0] ?? 1)?.map((r) => r.deliveriesPerSecond) ?? [1])
for (const count of counts) {
  const rows = results.get(count) ?? []
  const quotes = median(rows.map((r) => r.quotesPerSecond))
  const deliveries = median(rows.map((r) => r.deliveriesPerSecond))
  console.log(
    `  ${count} instance(s)  quotes ${quotes.toFixed(0)}/s (${(quotes / base).toFixed(2)}×) [${rows.map((r) => r.quotesPerSecond.toFixed(0)).join(', ')}], ` +
      `p50 ${median(rows.map((r) => r.p50)).toFixed(1)} ms, p99 ${median(rows.map((r) => r.p99)).toFixed(1)} ms, refused ${median(rows.map((r) => r.failed))}; ` +
      `webhooks ${deliveries.toFixed(0)}/s (${(deliveries / baseDeliveries).toFixed(2)}×) [${rows.map((r) => r.deliveriesPerSecond.toFixed(0)).join(', ')}]`,
  )
  const cpu = (pick: (r: Measured) => number) => median(rows.map(pick)).toFixed(2)
  console.log(
    `      CPU per quote: instances ${cpu((r) => r.cpu.quote.bridge)} ms, PostgreSQL ${cpu((r) => r.cpu.quote.postgres)} ms; ` +
      `per delivery: instances ${cpu((r) => r.cpu.delivery.bridge)} ms, PostgreSQL ${cpu((r) => r.cpu.delivery.postgres)} ms`,
  )
}
