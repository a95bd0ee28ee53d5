/**
 * applyChanges throughput: first load (all created), identical re-apply (nothing written),
 * and a re-apply with 1 % changed. Medians of several rounds, each on a fresh database.
 *
 *   node bench/change-detection.ts [offers=20000] [rounds=5]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/change-detection.ts
 */
import type { Db } from '../src/store/index.ts'
import { freshBenchDb, stopBenchStore, storeName } from './store.ts'
import { applyChanges, startRun } from '../src/state/index.ts'
import { generateOffers } from './generate.ts'
import { median } from './stats.ts'

const offers = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 5)

async function freshDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  return freshBenchDb()
}

const shape = { offers, priceTypes: 5, warehouses: 10 }
const base = generateOffers(shape)
const changed = generateOffers(shape, 1, 100)
const timings: Record<'first load' | 'identical re-apply' | '1 % changed', number[]> = {
  'first load': [],
  'identical re-apply': [],
  '1 % changed': [],
}

for (let round = 0; round < rounds; round += 1) {
  const { db, drop } = await freshDb()
  const time = async (label: keyof typeof timings, entities: typeof base, expectChanged: number) => {
    const started = performance.now()
    const result = await applyChanges(db, await startRun(db, 'bench', 'offers'), entities)
    timings[label].push(performance.now() - started)
    if (result.changed !== expectChanged) throw new Error(`${label}: expected ${expectChanged} changes, got ${result.changed}`)
  }
  await time('first load', base, offers)
  await time('identical re-apply', base, 0)
  await time('1 % changed', changed, Math.ceil(offers / 100))
  await drop()
}

console.log(`applyChanges on ${storeName}: ${offers} offers × 5 price types × 10 warehouses, median of ${rounds} rounds`)
const firstLoad = median(timings['first load'])
for (const [label, values] of Object.entries(timings)) {
  const ms = median(values)
  console.log(
    `  ${label.padEnd(20)} ${ms.toFixed(0).padStart(7)} ms  ${Math.round(offers / (ms / 1000))
      .toLocaleString('en')
      .padStart(9)} offers/s  ${(firstLoad / ms).toFixed(2)}× first load`,
  )
}
await stopBenchStore()
