/**
 * OData pull benchmark: N bonus accounts (custom-bonus-register.yaml's register) served by a
 * local endpoint that waits `delay` ms before each page, pulled into the store.
 *
 *   npm run bench odata-pull -- [accounts=50000] [rounds=3] [delayMs=20]
 *   BENCH_DATABASE_URL=postgres://… for a PostgreSQL server (its public schema is dropped each round).
 *
 * Reports the first pull (every account new) and a second one (nothing changed): wall time,
 * accounts/s, and the process's peak RSS.
 */
import { createServer } from 'node:http'
import { loadProfile } from '../../src/onec/mapping/profile.ts'
import { createODataClient } from '../../src/onec/odata/index.ts'
import { freshBenchDb, stopBenchStore, storeName } from '../store.ts'
import { pullSource } from '../../src/catalog/odata-pull.ts'
import { median } from '../stats.ts'

const [accounts = 50_000, rounds = 3, delayMs = 20] = process.argv.slice(2).map(Number)
const id = (index: number) => `c0ffee00-0000-4000-8000-${index.toString(16).padStart(12, '0')}`

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost')
  const top = Number(url.searchParams.get('$top') ?? accounts)
  const skip = Number(url.searchParams.get('$skip') ?? 0)
  const rows: Array<Record<string, unknown>> = []
  for (let index = skip; index < Math.min(skip + top, accounts); index += 1) {
    rows.push({ Контрагент_Key: id(index), СуммаБонусов: (index % 5000) + 0.5, Зарезервировано: 0, МаксимальныйПроцентОплаты: 20 + (index % 3) * 5 })
  }
  setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ 'odata.metadata': 'bench', value: rows })), delayMs)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const address = server.address()
const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/bench/odata/standard.odata`

const profile = (await loadProfile('custom-bonus-register')).odata!
const client = createODataClient({ baseUrl, user: 'bench', password: 'bench', timeZone: 'Europe/Moscow' })
const first: number[] = []
const again: number[] = []
for (let round = 0; round < rounds; round += 1) {
  const { db, drop } = await freshBenchDb()
  let started = performance.now()
  const created = await pullSource(db, client, profile, 'bonus-accounts')
  first.push(performance.now() - started)
  if (created.counts.created !== accounts) throw new Error(`expected ${accounts} new accounts, got ${created.counts.created}`)
  started = performance.now()
  const unchanged = await pullSource(db, client, profile, 'bonus-accounts')
  again.push(performance.now() - started)
  if (unchanged.counts.changed !== 0) throw new Error('the second pull changed something')
  await drop()
}
server.close()
await stopBenchStore()
const pages = Math.ceil(accounts / 1000)
console.log(`OData pull: ${accounts} bonus accounts, ${pages} pages of 1000, ${delayMs} ms per page on ${storeName}; median of ${rounds}`)
for (const [label, values] of [
  ['first pull (all new)', first],
  ['second pull (unchanged)', again],
] as const) {
  const ms = median(values)
  console.log(`  ${label.padEnd(24)} ${(ms / 1000).toFixed(2)} s  ${Math.round(accounts / (ms / 1000))} accounts/s  (page waits alone: ${((pages * delayMs) / 1000).toFixed(2)} s)`)
}
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
