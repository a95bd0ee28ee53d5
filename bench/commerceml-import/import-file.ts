/** One import of a file through importCommerceMlFile into a fresh bench store (bench/store.ts). Prints JSON. */
import { CommerceMlProfile } from '../../src/onec/mapping/profile.ts'
import { freshBenchDb, stopBenchStore } from '../store.ts'
import { importCommerceMlFile } from '../../src/catalog/commerceml-import.ts'
import { ownPeakRss } from '../stats.ts'

const [path, second, worker = 'auto'] = process.argv.slice(2)
if (!path) throw new Error('usage: import-file.ts <file> [second file] [worker: auto|yes|no]')
const bench = await freshBenchDb()
const db = bench.db
const profile = CommerceMlProfile.parse({})
const timings: Array<{ file: string; seconds: number; changed: number; bytes: number }> = []
for (const file of [path, ...(second ? [second] : [])]) {
  const started = performance.now()
  const result = await importCommerceMlFile(db, file, {
    profile,
    fileName: file,
    worker: worker === 'auto' ? 'auto' : worker === 'yes',
    ...(process.env.BENCH_TRACE
      ? {
          onProgress: (m: string) =>
            console.error(m, Math.round(process.memoryUsage().rss / 1e6), Math.round(process.memoryUsage().external / 1e6), Math.round(process.memoryUsage().heapUsed / 1e6)),
        }
      : {}),
  })
  timings.push({ file, seconds: (performance.now() - started) / 1000, changed: result.totals.changed, bytes: result.bytes })
  if (process.env.BENCH_TRACE) console.error('after import', Math.round(process.resourceUsage().maxRSS / 1e3), Math.round(process.memoryUsage().rss / 1e6))
}
if (process.env.BENCH_TRACE) console.error('before close', Math.round(process.resourceUsage().maxRSS / 1e3))
await bench.drop()
await stopBenchStore()
if (process.env.BENCH_TRACE) console.error('after close', Math.round(process.resourceUsage().maxRSS / 1e3))
console.log(JSON.stringify({ timings, peakRssBytes: await ownPeakRss() }))
