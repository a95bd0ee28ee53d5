/**
 * One round of the catalogue bench in a process of its own (so its peak RSS is this round's):
 * a fresh bench store, the exchange's zip unpacked as the service does (unpackZipOnThread), then import.xml
 * through importCommerceMlFile as the exchange job calls it (on its import thread, pictures from the
 * upload folder), then the same file again (nothing changes). Prints JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importCommerceMlFile } from '../../src/catalog/commerceml-import.ts'
import { unpackZipOnThread } from '../../src/onec/commerceml/index.ts'
import { CommerceMlProfile } from '../../src/onec/mapping/profile.ts'
import { ownPeakRss } from '../stats.ts'
import { freshBenchDb, stopBenchStore } from '../store.ts'

const [source] = process.argv.slice(2)
if (!source) throw new Error('usage: round.ts <generated dir>')
const bench = await freshBenchDb()
const upload = await mkdtemp(join(tmpdir(), 'onec-bridge-catalogue-'))
const profile = CommerceMlProfile.parse({})
const seconds = (started: number) => (performance.now() - started) / 1000
try {
  let started = performance.now()
  const files = await unpackZipOnThread(join(source, 'v8_bench.zip'), upload, 'v8_bench.zip', { maxTotalBytes: 2 ** 40, maxEntries: 1_000_000, maxRatio: 100_000 })
  const unzip = seconds(started)
  const runs = []
  for (const pass of ['new', 'unchanged']) {
    started = performance.now()
    const result = await importCommerceMlFile(bench.db, join(upload, 'import.xml'), { profile, fileName: 'import.xml', mediaRoot: upload })
    runs.push({ pass, seconds: seconds(started), bytes: result.bytes, changed: result.totals.changed, byKind: result.byKind, pictures: result.pictures })
  }
  const [size] = await bench.db.query<{ media: string; state: string }>(
    `select pg_total_relation_size('media')::text as media, pg_total_relation_size('entity_state')::text as state`,
  )
  const peak = await ownPeakRss()
  console.log(JSON.stringify({ files: files.length, unzip, runs, peakRssBytes: peak, mediaBytes: Number(size?.media), stateBytes: Number(size?.state) }))
} finally {
  await rm(upload, { recursive: true, force: true })
  await bench.drop()
  await stopBenchStore()
}
