/**
 * Catalogue content benchmark: a UT 11-style import.xml of N products with groups, properties and
 * pictures (generate.ts), unpacked and imported as the exchange job does it (round.ts, a process per
 * round), new and then unchanged. Reports medians of `rounds`: MB/s, products/s, the unzip of the
 * pictures, the process's peak RSS (the service's import path: parser and import threads included).
 *
 *   npm run bench catalogue-import -- [products=100000] [rounds=3] [pictures=20000] [groups=500] [properties=200]
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from '../stats.ts'
import { storeName } from '../store.ts'
import { generateCatalogue } from './generate.ts'

const [products = 100_000, rounds = 3, pictures = 20_000, groups = 500, properties = 200] = process.argv.slice(2).map(Number)
const dir = await mkdtemp(join(tmpdir(), 'onec-bridge-catalogue-bench-'))
try {
  const sizes = await generateCatalogue(dir, { products, pictures, groups, properties })
  console.log(
    `catalogue-import: ${products} products, ${groups} groups, ${properties} properties, ${pictures} pictures; import.xml ${(sizes.xmlBytes / 1e6).toFixed(1)} MB, pictures ${(sizes.pictureBytes / 1e6).toFixed(1)} MB, zip ${(sizes.zipBytes / 1e6).toFixed(1)} MB; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${storeName}`,
  )
  interface Pass {
    pass: string
    seconds: number
    changed: number
    pictures: { seen: number; stored: number }
  }
  const results: Array<{ files: number; unzip: number; runs: Pass[]; peakRssBytes: number; mediaBytes: number; stateBytes: number }> = []
  for (let round = 0; round < rounds; round += 1) {
    const output = execFileSync(process.execPath, [fileURLToPath(new URL('./round.ts', import.meta.url)), dir], { encoding: 'utf8', maxBuffer: 1 << 24, env: process.env })
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}')
    results.push(result)
    console.log(`  round ${round + 1}: ${output.trim().split('\n').at(-1)}`)
  }
  const pass = (name: string) => results.flatMap((result) => result.runs.filter((run) => run.pass === name))
  for (const name of ['new', 'unchanged']) {
    const runs = pass(name)
    const seconds = median(runs.map((run) => run.seconds))
    console.log(
      `  ${name.padEnd(9)} median ${seconds.toFixed(1)} s = ${(sizes.xmlBytes / 1e6 / seconds).toFixed(1)} MB/s, ${Math.round(products / seconds)} products/s; changed ${runs[0]?.changed}; pictures stored ${runs[0]?.pictures.stored} of ${runs[0]?.pictures.seen}`,
    )
  }
  console.log(`  unzip of ${results[0]?.files} files: median ${median(results.map((result) => result.unzip)).toFixed(1)} s`)
  console.log(
    `  peak RSS of the import process: median ${(median(results.map((result) => result.peakRssBytes)) / 1e6).toFixed(0)} MB [${results.map((result) => (result.peakRssBytes / 1e6).toFixed(0)).join(', ')}]`,
  )
  console.log(`  stored: entity_state ${((results[0]?.stateBytes ?? 0) / 1e6).toFixed(0)} MB, media ${((results[0]?.mediaBytes ?? 0) / 1e6).toFixed(1)} MB`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
