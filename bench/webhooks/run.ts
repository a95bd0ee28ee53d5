/**
 * Webhook delivery benchmark: N offer changes fanned out to one storefront whose endpoint is a
 * loopback receiver that verifies nothing and answers 200 at once.
 *
 *   npm run bench webhooks -- [changes=2000] [rounds=3]
 *   BENCH_DATABASE_URL=postgres://… for a PostgreSQL server (its public and pgboss schemas are dropped each round).
 *
 * Throughput: deliveries per second from the first commit to the last delivery. Latency: from
 * the commit of a change to its arrival at the receiver, for changes committed one at a time
 * while the engine is idle (what a storefront sees after an import), p50 and p99.
 */
import { startBenchApp, storeName } from '../app.ts'
import { startArrivalReceiver } from '../receiver.ts'
import { stopBenchStore } from '../store.ts'
import { applyChanges, startRun } from '../../src/state/index.ts'
import { generateOffers } from '../generate.ts'
import { median, percentile } from '../stats.ts'

const [changes = 2000, rounds = 3] = process.argv.slice(2).map(Number)

const receiver = await startArrivalReceiver()
const { arrivals, url } = receiver
const waitFor = (ids: string[]) => receiver.waitFor(ids, 300_000)

const throughput: number[] = []
const latencies: number[] = []
for (let round = 0; round < rounds; round += 1) {
  arrivals.clear()
  const { app, db, close } = await startBenchApp({ url })
  await app.ready()

  const offers = generateOffers({ offers: changes, priceTypes: 5, warehouses: 10 }).map(
    (entity, index) => ({ ...entity, data: { ...entity.data, id: `r${round}-o${index}` } }) as typeof entity,
  )
  const started = performance.now()
  await applyChanges(db, await startRun(db, 'bench', 'offers'), offers)
  await waitFor(offers.map((entity) => String((entity.data as { id: string }).id)))
  throughput.push(changes / ((performance.now() - started) / 1000))

  for (let index = 0; index < 30; index += 1) {
    const single = { ...offers[0]!, data: { ...offers[0]!.data, id: `r${round}-single-${index}` } } as (typeof offers)[number]
    await applyChanges(db, await startRun(db, 'bench', 'offers'), [single])
    const committed = performance.now()
    const id = String((single.data as { id: string }).id)
    await waitFor([id])
    latencies.push((arrivals.get(id) ?? committed) - committed)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }

  await close()
}
receiver.close()
console.log(`Webhooks to one loopback storefront on ${storeName}: ${changes} changes, median of ${rounds}`)
console.log(`  throughput              ${median(throughput).toFixed(0)} deliveries/s`)
console.log(`  change → delivered      p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms (${latencies.length} single changes)`)
await stopBenchStore()
