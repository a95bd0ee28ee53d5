/** One import of a file through importCommerceMlFile into an embedded store on disk. Prints JSON. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CommerceMlProfile } from '../../src/onec/mapping/profile.ts'
import { migrate, openPglite, openPostgres, type Db } from '../../src/store/index.ts'
import { importCommerceMlFile } from '../../src/sync/commerceml-import.ts'

const [path, second, worker = 'auto'] = process.argv.slice(2)
if (!path) throw new Error('usage: import-file.ts <file> [second file] [worker: auto|yes|no]')
const dir = await mkdtemp(join(tmpdir(), 'onec-bridge-bench-'))
const db: Db = process.env.BENCH_DATABASE_URL ? await openPostgres({ connectionString: process.env.BENCH_DATABASE_URL }) : await openPglite(process.env.BENCH_MEMORY ? {} : { dataDir: dir })
await migrate(db)
const profile = CommerceMlProfile.parse({})
const timings: Array<{ file: string; seconds: number; changed: number; bytes: number }> = []
for (const file of [path, ...(second ? [second] : [])]) {
  const started = performance.now()
  const result = await importCommerceMlFile(db, file, { profile, fileName: file, worker: worker === 'auto' ? 'auto' : worker === 'yes', ...(process.env.BENCH_TRACE ? { onProgress: (m: string) => console.error(m, Math.round(process.memoryUsage().rss / 1e6), Math.round(process.memoryUsage().external / 1e6), Math.round(process.memoryUsage().heapUsed / 1e6)) } : {}) })
  timings.push({ file, seconds: (performance.now() - started) / 1000, changed: result.totals.changed, bytes: result.bytes })
  if (process.env.BENCH_TRACE) console.error('after import', Math.round(process.resourceUsage().maxRSS / 1e3), Math.round(process.memoryUsage().rss / 1e6))
}
if (process.env.BENCH_TRACE) console.error('before close', Math.round(process.resourceUsage().maxRSS / 1e3))
await db.close()
if (process.env.BENCH_TRACE) console.error('after close', Math.round(process.resourceUsage().maxRSS / 1e3))
await rm(dir, { recursive: true, force: true })
console.log(JSON.stringify({ timings, peakRssBytes: process.resourceUsage().maxRSS * 1024 }))
