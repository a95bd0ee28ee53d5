/**
 * CommerceML import benchmark.
 *
 *   npm run bench commerceml-import -- [offers=100000] [rounds=3] [priceTypes=5] [warehouses=10] [smallOffers=25000] [quoteRate=200]
 *   BENCH_DATABASE_URL=postgres://… to run the service on a PostgreSQL server instead of the embedded one
 *   (its uploads then go to PostgreSQL; EXCHANGE_UPLOADS=disk keeps them in DATA_DIR, to compare)
 *   (a database of its own: its public schema is dropped before each round).
 *
 * parse-only: the streaming parser and offer normalization alone, in a child process.
 * full: the real service (`node src/main.ts`, fresh DATA_DIR, its embedded PostgreSQL) and a
 * client speaking the protocol as UT 11 does over HTTP: checkauth, init, the file posted in
 * file_limit chunks, `import` polled every 200 ms until success. Measured from the first chunk to
 * `success`; the slowest single `import` answer is recorded. Then the same file again in a new
 * session (nothing changes). Memory: the service's VmHWM (all its threads), and the PostgreSQL
 * processes of its cluster together (sum of PSS, sampled every 250 ms; RSS double-counts the
 * shared buffers every backend touched). The small file runs first in the same bench, so that
 * growth with file size shows. During the large file's first import, bonus quotes arrive at
 * `quoteRate` per second from another process (the orders bench's data, loaded beforehand); their
 * latencies while the import runs are reported. Medians of `rounds`.
 */
import { execFileSync, spawn } from 'node:child_process'
import { createReadStream, existsSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir, cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { readdir, writeFile } from 'node:fs/promises'
import { embeddedClusterDir, embeddedUrl, openPostgres } from '../../src/store/index.ts'
import { applyChanges, startRun } from '../../src/state/index.ts'
import { carts, CUSTOMERS, random, seed } from '../orders/fixture.ts'
import { percentile } from '../stats.ts'
import { generateOffersFile } from './generate.ts'
import { median } from '../stats.ts'

const [offers = 100_000, rounds = 3, priceTypes = 5, warehouses = 10, smallOffers = 25_000, quoteRate = 200] = process.argv.slice(2).map(Number)
const KEY = `sk_bench_${randomBytes(16).toString('hex')}`
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))

const mb = (bytes: number) => bytes / 1e6

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function peakRss(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((text) => Number(/VmHWM:\s+(\d+) kB/.exec(text)?.[1] ?? 0) * 1024)
}

/** A server database is emptied before each round, so that "new" is new. */
async function resetServerDatabase(): Promise<void> {
  if (!process.env.BENCH_DATABASE_URL) return
  const client = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
  await client.connect()
  await client.query('drop schema if exists public cascade; drop schema if exists pgboss cascade; create schema public')
  await client.end()
}

/** The cluster's postmaster and its children: PSS and RSS summed over all of them, bytes. */
async function postgresMemory(dataDir: string): Promise<{ pss: number; rss: number }> {
  const cluster = await embeddedClusterDir(dataDir)
  const postmaster = Number((await readFile(join(cluster, 'postmaster.pid'), 'utf8').catch(() => '0')).split('\n')[0])
  if (!postmaster) return { pss: 0, rss: 0 }
  const pids = [postmaster]
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(entry))
  }
  let pss = 0
  let rss = 0
  for (const pid of pids) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '')
    pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024
    rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024
  }
  return { pss, rss }
}

interface LoadResult {
  startEpochMs: number
  latenciesMs: number[]
  dueMs: number[]
  failed: number
}

function startQuotes(address: string, count: number, bodies: unknown[]): Promise<LoadResult> {
  const file = join(tmpdir(), `onec-bridge-bench-quotes-${process.pid}.json`)
  return writeFile(file, JSON.stringify(bodies)).then(
    () =>
      new Promise<LoadResult>((resolve) => {
        const child = spawn(
          process.execPath,
          [here('../orders/load.ts'), `${address}/api/v1/bonus/quote`, `rate=${quoteRate}`, String(count), JSON.stringify({ authorization: `Bearer ${KEY}` }), file],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        )
        let output = ''
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
        child.on('close', () => void rm(file, { force: true }).then(() => resolve(JSON.parse(output) as LoadResult)))
      }),
  )
}

async function fullRound(file: string, bytes: number, withQuotes: boolean) {
  await resetServerDatabase()
  const dataDir = await mkdtemp(join(tmpdir(), 'onec-bridge-bench-'))
  const port = await freePort()
  const configFile = join(dataDir, 'bench.json')
  await writeFile(
    configFile,
    JSON.stringify({ storefronts: [{ id: 'bench', url: 'http://127.0.0.1:9/hooks', secrets: [`whsec_${randomBytes(32).toString('base64')}`], enabled: false, apiKeys: [KEY] }] }),
  )
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CONFIG_FILE: configFile,
    LOG_LEVEL: 'warn',
    EXCHANGE_PASSWORD: 'bench-password',
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    // With DATABASE_URL the uploads go to PostgreSQL; EXCHANGE_UPLOADS=disk measures them in DATA_DIR instead.
    ...(process.env.EXCHANGE_UPLOADS ? { EXCHANGE_UPLOADS: process.env.EXCHANGE_UPLOADS } : {}),
  }
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] })
  const address = `http://127.0.0.1:${port}`
  const base = `${address}/1c/exchange`
  const auth = `Basic ${Buffer.from('1c:bench-password').toString('base64')}`
  let pgPeak = { pss: 0, rss: 0 }
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      const now = await postgresMemory(dataDir).catch(() => ({ pss: 0, rss: 0 }))
      pgPeak = { pss: Math.max(pgPeak.pss, now.pss), rss: Math.max(pgPeak.rss, now.rss) }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  })()
  try {
    for (let ready = false; !ready;) {
      ready = await fetch(`${address}/ready`).then(
        (response) => response.ok,
        () => false,
      )
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    let quotes: Promise<LoadResult> | undefined
    if (withQuotes) {
      const url = process.env.BENCH_DATABASE_URL ?? (await embeddedUrl(dataDir))
      const db = await openPostgres({ connectionString: url!, max: 1, applicationName: 'bench-seed' })
      await applyChanges(db, await startRun(db, 'bench', 'seed'), seed())
      await db.close()
      const bodies = carts(500, random(42)).map((lines, index) => ({ customerId: `c${index % CUSTOMERS}`, lines }))
      // Warm-up, not counted: every cart once at the rate.
      await startQuotes(address, 500, bodies)
      // Long enough to outlast the import; only those due while it runs are counted.
      quotes = startQuotes(address, quoteRate * 90, bodies)
      await new Promise((resolve) => setTimeout(resolve, 1500))
    }
    const runs: Array<{ seconds: number; uploadSeconds: number; slowestAnswerMs: number; fromEpochMs: number; uploadedEpochMs: number; toEpochMs: number }> = []
    // With quotes: the first import only (what the quotes are measured against).
    for (let pass = 0; pass < (withQuotes ? 1 : 2); pass += 1) {
      const [, cookieName, cookieValue] = (await (await fetch(`${base}?type=catalog&mode=checkauth`, { headers: { authorization: auth } })).text()).split('\n')
      const headers = { authorization: auth, cookie: `${cookieName}=${cookieValue}` }
      const init = (await (await fetch(`${base}?type=catalog&mode=init`, { headers })).text()).split('\n')
      const limit = Number((init[1] ?? '').replace('file_limit=', ''))
      const fromEpochMs = Date.now()
      const started = performance.now()
      for (let offset = 0; offset < bytes; offset += limit) {
        const answer = await postChunk(`${base}?type=catalog&mode=file&filename=offers0_1.xml`, headers, file, offset, Math.min(offset + limit, bytes) - 1)
        if (answer !== 'success') throw new Error(`upload: ${answer}`)
      }
      const uploadSeconds = (performance.now() - started) / 1000
      const uploadedEpochMs = Date.now()
      let slowest = 0
      for (;;) {
        const asked = performance.now()
        const answer = await (await fetch(`${base}?type=catalog&mode=import&filename=offers0_1.xml`, { headers })).text()
        slowest = Math.max(slowest, performance.now() - asked)
        const status = answer.split('\n')[0]
        if (status === 'success') break
        if (status !== 'progress') throw new Error(`import: ${answer}`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      runs.push({ seconds: (performance.now() - started) / 1000, uploadSeconds, slowestAnswerMs: slowest, fromEpochMs, uploadedEpochMs, toEpochMs: Date.now() })
    }
    let quoteStats: (Record<'upload' | 'import', { p50: number; p99: number; max: number; count: number }> & { failed: number }) | undefined
    if (quotes) {
      const result = await quotes
      const first = runs[0]!
      const within = (from: number, to: number) => {
        const picked = result.latenciesMs.filter((_, index) => {
          const due = result.startEpochMs + (result.dueMs[index] ?? 0)
          return due >= from && due <= to
        })
        return { p50: percentile(picked, 0.5), p99: percentile(picked, 0.99), max: Math.max(...picked), count: picked.length }
      }
      quoteStats = { upload: within(first.fromEpochMs, first.uploadedEpochMs), import: within(first.uploadedEpochMs, first.toEpochMs), failed: result.failed }
    }
    return { first: runs[0]!, again: runs[1] ?? runs[0]!, peakRssBytes: await peakRss(child.pid ?? 0), pgPeak, quotes: quoteStats }
  } finally {
    sampling = false
    await sampler
    child.kill('SIGTERM')
    await new Promise((resolve) => child.on('exit', resolve))
    // As root the cluster may live outside DATA_DIR (DATA_DIR/pg.location says where).
    await rm(await embeddedClusterDir(dataDir), { recursive: true, force: true })
    await rm(dataDir, { recursive: true, force: true })
  }
}

/**
 * One chunk streamed from the file into the request, as 1C sends it: the bench's own copying
 * (fetch with a 10 MiB Buffer per chunk) took longer than the service took to store the chunk.
 */
function postChunk(url: string, headers: Record<string, string>, file: string, start: number, end: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': end - start + 1, 'content-type': 'application/octet-stream' },
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (part: string) => (text += part))
        response.on('end', () => resolve(text))
      },
    )
    req.on('error', reject)
    createReadStream(file, { start, end, highWaterMark: 1 << 20 })
      .on('error', reject)
      .pipe(req)
  })
}

async function offersFile(count: number): Promise<{ file: string; bytes: number }> {
  const file = join(tmpdir(), `onec-bridge-bench-offers-${count}x${priceTypes}x${warehouses}.xml`)
  if (!existsSync(file)) await generateOffersFile(file, { offers: count, priceTypes, warehouses })
  return { file, bytes: (await stat(file)).size }
}

const small = await offersFile(smallOffers)
const large = await offersFile(offers)

const parse: Array<{ seconds: number; peakRssBytes: number }> = []
for (let round = 0; round < rounds; round += 1) {
  parse.push(JSON.parse(execFileSync(process.execPath, [here('./parse-only.ts'), large.file], { encoding: 'utf8' })))
}
const smallRounds: Array<Awaited<ReturnType<typeof fullRound>>> = []
const full: Array<Awaited<ReturnType<typeof fullRound>>> = []
const loaded: Array<Awaited<ReturnType<typeof fullRound>>> = []
for (let round = 0; round < rounds; round += 1) {
  smallRounds.push(await fullRound(small.file, small.bytes, false))
  full.push(await fullRound(large.file, large.bytes, false))
  loaded.push(await fullRound(large.file, large.bytes, true))
}

const store = process.env.BENCH_DATABASE_URL ? 'PostgreSQL server' : 'embedded PostgreSQL'
const bytes = large.bytes
console.log(
  `CommerceML import on the ${store}: ${offers} offers × ${priceTypes} price types × ${warehouses} warehouses, ${mb(bytes).toFixed(0)} MB, UT 11 layout; ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.versions.node}; median of ${rounds}`,
)
const parseSeconds = median(parse.map((item) => item.seconds))
console.log(
  `  parse-only                ${(mb(bytes) / parseSeconds).toFixed(1)} MB/s  ${Math.round(offers / parseSeconds)} offers/s  ${parseSeconds.toFixed(1)} s  peak RSS ${mb(median(parse.map((item) => item.peakRssBytes))).toFixed(0)} MB`,
)
for (const [label, pick] of [
  ['upload→stored, new', (item: (typeof full)[number]) => item.first],
  ['upload→stored, unchanged', (item: (typeof full)[number]) => item.again],
] as const) {
  const seconds = median(full.map((item) => pick(item).seconds))
  const slowest = Math.max(...full.map((item) => pick(item).slowestAnswerMs))
  const upload = median(full.map((item) => pick(item).uploadSeconds))
  console.log(
    `  ${label.padEnd(25)} ${(mb(bytes) / seconds).toFixed(1)} MB/s  ${Math.round(offers / seconds)} offers/s  ${(parseSeconds / seconds).toFixed(2)}× parse-only speed, ${(seconds / parseSeconds).toFixed(2)}× its time  (upload ${upload.toFixed(1)} s, import ${(seconds - upload).toFixed(1)} s, import alone ${(parseSeconds / (seconds - upload)).toFixed(2)}× parse-only speed)  slowest import answer ${slowest.toFixed(0)} ms`,
  )
}
const memory = (rounds_: typeof full) =>
  `service peak RSS ${mb(median(rounds_.map((item) => item.peakRssBytes))).toFixed(0)} MB, PostgreSQL processes together peak PSS ${mb(median(rounds_.map((item) => item.pgPeak.pss))).toFixed(0)} MB (RSS summed ${mb(median(rounds_.map((item) => item.pgPeak.rss))).toFixed(0)} MB)`
console.log(`  ${mb(large.bytes).toFixed(0)} MB file: ${memory(full)}`)
console.log(
  `  ${mb(small.bytes).toFixed(0)} MB file (${smallOffers} offers): ${memory(smallRounds)}; new ${(mb(small.bytes) / median(smallRounds.map((item) => item.first.seconds))).toFixed(1)} MB/s, slowest import answer ${Math.max(...smallRounds.map((item) => item.first.slowestAnswerMs)).toFixed(0)} ms`,
)
const quoteRounds = loaded.flatMap((item) => (item.quotes ? [item.quotes] : []))
if (quoteRounds.length > 0) {
  const ms = (value: number) => `${value.toFixed(1)} ms`
  console.log(
    `  quotes at ${quoteRate}/s during the ${mb(bytes).toFixed(0)} MB exchange (which took ${median(loaded.map((item) => item.first.seconds)).toFixed(1)} s under that load, slowest import answer ${Math.max(...loaded.map((item) => item.first.slowestAnswerMs)).toFixed(0)} ms; service peak RSS ${mb(median(loaded.map((item) => item.peakRssBytes))).toFixed(0)} MB), refused ${median(quoteRounds.map((item) => item.failed))}:`,
  )
  for (const phase of ['upload', 'import'] as const) {
    const stats = quoteRounds.map((item) => item[phase])
    console.log(
      `    while 1C ${phase === 'upload' ? 'uploads the file  ' : 'waits for the import'}: p50 ${ms(median(stats.map((item) => item.p50)))}, p99 ${ms(median(stats.map((item) => item.p99)))} [${stats.map((item) => ms(item.p99)).join(', ')}], max ${ms(median(stats.map((item) => item.max)))}, ${median(stats.map((item) => item.count))} quotes`,
    )
  }
}
