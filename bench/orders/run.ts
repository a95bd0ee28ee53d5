/**
 * Orders bench: the bonus quote under a steady 500 requests/s, and order intake per second.
 *
 *   npm run bench orders -- [rate=500] [seconds=20] [rounds=3]
 *   BENCH_DATABASE_URL=postgres://… for a PostgreSQL server (its public and pgboss schemas are dropped each round).
 *
 * The service is the real app on loopback; the load comes from a separate process
 * (`load.ts`). Input (generated): 20,000 products in 40 price groups with their offers, a
 * programme with a cap per price group and a 10,000-product segment, 1,000 customers with
 * accounts; carts of 10 lines.
 *
 * - quote: open loop at `rate` per second for `seconds`; p50/p99/max from when each request was due,
 *   after a discarded warm-up (every cart once, then 3 s at the rate).
 * - intake: 2,000 orders from 16 concurrent clients over 1,000 customers (orders/s), and
 *   400 orders on one account (every order waits for the previous one's hold).
 */
import { randomBytes } from 'node:crypto'
import { carts, CUSTOMERS, random, seed } from './fixture.ts'
import { runLoad } from './run-load.ts'
import { startBenchApp, storeName } from '../app.ts'
import { stopBenchStore } from '../store.ts'
import { applyChanges, startRun } from '../../src/state/index.ts'
import { median, percentile } from '../stats.ts'

const [rate = 500, seconds = 20, rounds = 3] = process.argv.slice(2).map(Number)
const KEY = `sk_bench_${randomBytes(16).toString('hex')}`

const load = (url: string, mode: string, count: number, bodies: unknown[]) => runLoad(url, mode, count, { authorization: `Bearer ${KEY}` }, bodies)

const quote = { p50: [] as number[], p99: [] as number[], max: [] as number[], failed: [] as number[] }
const intake = { spread: [] as number[], oneAccount: [] as number[], p99: [] as number[] }
for (let round = 0; round < rounds; round += 1) {
  const { app, db, close } = await startBenchApp({ url: 'http://127.0.0.1:9/hooks', enabled: false, apiKeys: [KEY] })
  await applyChanges(db, await startRun(db, 'bench', 'seed'), seed())
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const next = random(42 + round)

  const quoteBodies = carts(500, next).map((lines, index) => ({ customerId: `c${index % CUSTOMERS}`, lines }))
  // Warm-up, discarded: every cart once (the JIT, the quote cache), then 3 s at the rate (connections).
  await load(`${address}/api/v1/bonus/quote`, 'concurrency=8', 500, quoteBodies)
  await load(`${address}/api/v1/bonus/quote`, `rate=${rate}`, rate * 3, quoteBodies)
  const quoted = await load(`${address}/api/v1/bonus/quote`, `rate=${rate}`, rate * seconds, quoteBodies)
  quote.p50.push(percentile(quoted.latenciesMs, 0.5))
  quote.p99.push(percentile(quoted.latenciesMs, 0.99))
  quote.max.push(Math.max(...quoted.latenciesMs))
  quote.failed.push(quoted.failed)

  const orderBodies = carts(500, next).map((lines, index) => ({ externalId: `o-{i}`, number: `B-{i}`, customerId: `c${index % CUSTOMERS}`, lines, bonusMinor: 100 }))
  const spread = await load(
    `${address}/api/v1/orders`,
    'concurrency=16',
    2_000,
    orderBodies.map((body, index) => ({ ...body, customerId: `c${index % CUSTOMERS}` })),
  )
  intake.spread.push(spread.ok / spread.seconds)
  intake.p99.push(percentile(spread.latenciesMs, 0.99))
  if (spread.failed > 0) console.warn(`round ${round}: ${spread.failed} orders refused`)
  const one = await load(
    `${address}/api/v1/orders`,
    'concurrency=16',
    400,
    orderBodies.map((body) => ({ ...body, externalId: 'h-{i}', number: 'H-{i}', customerId: 'c0' })),
  )
  intake.oneAccount.push(one.ok / one.seconds)

  await close()
}

const ms = (value: number) => `${value.toFixed(1)} ms`
console.log(`Orders on ${storeName}; median of ${rounds} rounds (per-round values in brackets)`)
console.log(
  `  quote at ${rate}/s for ${seconds} s   p50 ${ms(median(quote.p50))}, p99 ${ms(median(quote.p99))} [${quote.p99.map(ms).join(', ')}], max ${ms(median(quote.max))}, refused ${median(quote.failed)}`,
)
console.log(
  `  intake, 16 clients, 1,000 accounts   ${median(intake.spread).toFixed(0)} orders/s [${intake.spread.map((value) => value.toFixed(0)).join(', ')}], p99 ${ms(median(intake.p99))}`,
)
console.log(`  intake, 16 clients, one account      ${median(intake.oneAccount).toFixed(0)} orders/s`)
await stopBenchStore()
