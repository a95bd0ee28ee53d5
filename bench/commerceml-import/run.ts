/**
 * CommerceML import benchmark.
 *
 *   npm run bench commerceml-import -- [offers=100000] [rounds=3] [priceTypes=5] [warehouses=10]
 *   BENCH_DATABASE_URL=postgres://… to run the service on a PostgreSQL server instead of PGlite
 *   (a database of its own: its public schema is dropped before each round).
 *
 * parse-only: the streaming parser and offer normalization alone, in a child process.
 * full: the real service (`node src/main.ts`, fresh DATA_DIR) and a client speaking the protocol
 * as UT 11 does over HTTP: checkauth, init, the file posted in file_limit chunks, `import`
 * polled every 200 ms until success. Measured from the first chunk to `success`; the slowest
 * single `import` answer is recorded; peak RSS is the service's VmHWM. Then the same file again
 * in a new session (nothing changes). Medians of `rounds`.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir, cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { generateOffersFile } from './generate.ts'
import { median } from '../stats.ts'

const [offers = 100_000, rounds = 3, priceTypes = 5, warehouses = 10] = process.argv.slice(2).map(Number)
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

async function fullRound(file: string, bytes: number) {
  await resetServerDatabase()
  const dataDir = await mkdtemp(join(tmpdir(), 'onec-bridge-bench-'))
  const port = await freePort()
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', EXCHANGE_PASSWORD: 'bench-password', ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}) }
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] })
  const base = `http://127.0.0.1:${port}/1c/exchange`
  const auth = `Basic ${Buffer.from('1c:bench-password').toString('base64')}`
  try {
    for (let ready = false; !ready; ) {
      ready = await fetch(`http://127.0.0.1:${port}/ready`).then((response) => response.ok, () => false)
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const runs: Array<{ seconds: number; uploadSeconds: number; slowestAnswerMs: number }> = []
    for (let pass = 0; pass < 2; pass += 1) {
      const [, cookieName, cookieValue] = (await (await fetch(`${base}?type=catalog&mode=checkauth`, { headers: { authorization: auth } })).text()).split('\n')
      const headers = { authorization: auth, cookie: `${cookieName}=${cookieValue}` }
      const init = (await (await fetch(`${base}?type=catalog&mode=init`, { headers })).text()).split('\n')
      const limit = Number((init[1] ?? '').replace('file_limit=', ''))
      const started = performance.now()
      const handle = await open(file, 'r')
      try {
        for (let offset = 0; offset < bytes; offset += limit) {
          const chunk = Buffer.alloc(Math.min(limit, bytes - offset))
          await handle.read(chunk, 0, chunk.length, offset)
          const answer = await (await fetch(`${base}?type=catalog&mode=file&filename=offers0_1.xml`, { method: 'POST', headers, body: chunk })).text()
          if (answer !== 'success') throw new Error(`upload: ${answer}`)
        }
      } finally {
        await handle.close()
      }
      const uploadSeconds = (performance.now() - started) / 1000
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
      runs.push({ seconds: (performance.now() - started) / 1000, uploadSeconds, slowestAnswerMs: slowest })
    }
    return { first: runs[0]!, again: runs[1]!, peakRssBytes: await peakRss(child.pid ?? 0) }
  } finally {
    child.kill('SIGTERM')
    await new Promise((resolve) => child.on('exit', resolve))
    await rm(dataDir, { recursive: true, force: true })
  }
}

const file = join(tmpdir(), `onec-bridge-bench-offers-${offers}x${priceTypes}x${warehouses}.xml`)
if (!existsSync(file)) await generateOffersFile(file, { offers, priceTypes, warehouses })
const { size: bytes } = await stat(file)

const parse: Array<{ seconds: number; peakRssBytes: number }> = []
for (let round = 0; round < rounds; round += 1) {
  parse.push(JSON.parse(execFileSync(process.execPath, [here('./parse-only.ts'), file], { encoding: 'utf8' })))
}
const full: Array<Awaited<ReturnType<typeof fullRound>>> = []
for (let round = 0; round < rounds; round += 1) full.push(await fullRound(file, bytes))

const store = process.env.BENCH_DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite'
console.log(`CommerceML import: ${offers} offers × ${priceTypes} price types × ${warehouses} warehouses, ${mb(bytes).toFixed(0)} MB, UT 11 layout; ${cpus().length} cores, Node ${process.versions.node}; median of ${rounds}`)
const parseSeconds = median(parse.map((item) => item.seconds))
console.log(`  parse-only                ${(mb(bytes) / parseSeconds).toFixed(1)} MB/s  ${Math.round(offers / parseSeconds)} offers/s  peak RSS ${mb(median(parse.map((item) => item.peakRssBytes))).toFixed(0)} MB`)
for (const [label, pick] of [['upload→stored, new', (item: (typeof full)[number]) => item.first], ['upload→stored, unchanged', (item: (typeof full)[number]) => item.again]] as const) {
  const seconds = median(full.map((item) => pick(item).seconds))
  const slowest = Math.max(...full.map((item) => pick(item).slowestAnswerMs))
  const upload = median(full.map((item) => pick(item).uploadSeconds))
  console.log(
    `  ${label.padEnd(25)} ${(mb(bytes) / seconds).toFixed(1)} MB/s  ${Math.round(offers / seconds)} offers/s  ${(parseSeconds / seconds).toFixed(2)}× parse-only speed  (upload ${upload.toFixed(1)} s, import ${(seconds - upload).toFixed(1)} s)  slowest import answer ${slowest.toFixed(0)} ms`,
  )
}
console.log(`  service peak RSS (${store}): ${mb(median(full.map((item) => item.peakRssBytes))).toFixed(0)} MB`)
