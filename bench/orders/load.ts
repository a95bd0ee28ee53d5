/**
 * Load for the orders bench, in its own process so that it does not share the server's event loop.
 *
 *   node bench/orders/load.ts <url> rate=<per second> <count> <headers-json> <bodies-json-file>
 *     open loop: requests leave on a fixed schedule whatever the answers, and each latency counts
 *     from the moment its request was due, so a slow server cannot hide behind a waiting client
 *     (no coordinated omission);
 *   node bench/orders/load.ts <url> concurrency=<n> <count> <headers-json> <bodies-json-file>
 *     closed loop: n requests in flight at all times, for throughput.
 * Bodies are used in turn; `{i}` in a body becomes the request's index. Prints one JSON line:
 * { startEpochMs, sent, ok, failed, seconds, latenciesMs, dueMs }.
 */
import { Agent, request } from 'node:http'
import { readFile } from 'node:fs/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const [url = '', modeText = 'rate=500', countText = '1000', headersText = '{}', bodiesFile = ''] = process.argv.slice(2)
const [mode, valueText] = modeText.split('=')
const rate = mode === 'rate' ? Number(valueText) : 0
const concurrency = mode === 'concurrency' ? Number(valueText) : 0
const total = Number(countText)
const headers = JSON.parse(headersText) as Record<string, string>
const bodies = JSON.parse(await readFile(bodiesFile, 'utf8')) as unknown[]
const agent = new Agent({ keepAlive: true, maxSockets: 256 })
const target = new URL(url)

/** One POST of body `index` (`{i}` in it → `tag`); `done` learns whether the answer was a 2xx. */
function post(index: number, tag: string, done: (ok: boolean) => void): void {
  const payload = JSON.stringify(bodies[index % bodies.length]).replaceAll('{i}', tag)
  const req = request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      agent,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'idempotency-key': `bench-${process.pid}-${tag}` },
    },
    (response) => {
      response.resume()
      response.on('end', () => done(Boolean(response.statusCode && response.statusCode < 300)))
    },
  )
  req.on('error', () => done(false))
  req.end(payload)
}

/**
 * Before the clock starts: 16 connections opened and 208 requests sent (not counted), so that
 * this process's own start-up (module compilation, first sockets) is not charged to the server.
 */
async function primeClient(): Promise<void> {
  const one = (index: number) => new Promise<void>((resolve) => post(index, `prime-${index}`, () => resolve()))
  for (let round = 0; round < 13; round += 1) await Promise.all(Array.from({ length: 16 }, (_, lane) => one(round * 16 + lane)))
}
if (process.env.LOAD_PRIME !== '0') await primeClient()

const latencies: number[] = []
/** When each request was due, ms after the start (same order as `latencies`). */
const dueAt: number[] = []
let ok = 0
let failed = 0
let done = 0
const start = performance.now() + 50
// The same moment on the wall clock, so another process can tell which requests fell in its window.
const startEpochMs = Date.now() + 50
// This process's own stalls, reported so that a slow client is not mistaken for a slow server.
const loop = monitorEventLoopDelay({ resolution: 5 })
loop.enable()

await new Promise<void>((resolve) => {
  const send = (index: number, due: number, then?: () => void) => {
    post(index, String(index), (success) => {
      latencies.push(performance.now() - due)
      dueAt.push(due - start)
      if (success) ok += 1
      else failed += 1
      done += 1
      if (done === total) resolve()
      else then?.()
    })
  }
  let next = 0
  if (rate > 0) {
    const tick = () => {
      const now = performance.now()
      while (next < total && start + (next * 1000) / rate <= now) {
        send(next, start + (next * 1000) / rate)
        next += 1
      }
      if (next < total) setTimeout(tick, Math.max(0, Math.min(5, start + (next * 1000) / rate - performance.now())))
    }
    setTimeout(tick, 50)
  } else {
    const worker = () => {
      if (next >= total) return
      const index = next++
      send(index, performance.now(), worker)
    }
    setTimeout(() => {
      for (let lane = 0; lane < concurrency; lane += 1) worker()
    }, 50)
  }
})
agent.destroy()
console.log(
  JSON.stringify({ startEpochMs, sent: total, ok, failed, seconds: (performance.now() - start) / 1000, clientStallMaxMs: loop.max / 1e6, latenciesMs: latencies, dueMs: dueAt }),
)
