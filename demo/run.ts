/**
 * `npm run demo` / `npx onec-bridge demo`: the whole loop on one machine — the service on its
 * embedded store with demo settings, a УТ 11.5 emulator (OData server and 1C's side of the
 * exchange), and a demo B2B shop on the service's REST API and webhooks. Prints the addresses
 * and logins; Ctrl-C stops everything; `--reset` starts from empty.
 *
 * Everything listens on 127.0.0.1 only, with fixed demo secrets: a demo, never a deployment.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import YAML from 'yaml'
import { CUSTOMERS, partnerOf, startEmulator, type Emulator } from '../emulator/index.ts'
import { startShop, type Shop } from './shop/server.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

export const DEMO = {
  adminToken: 'demo-admin-token-0001',
  exchange: { user: '1c', password: 'demo-exchange-pass' },
  odata: { user: 'Сайт', password: 'demo-odata-pass' },
  apiKey: 'sk_demo_7f3a9c2e5b8d1f4a6c0e9b2d',
  webhookSecret: `whsec_${Buffer.from('onec-bridge demo shop secret!!!').toString('base64')}`,
  support: { login: 'support', password: 'support-demo-pass' },
}

export interface DemoOptions {
  dataDir: string
  reset: boolean
  host: string
  ports: { service: number; shop: number; onec: number }
  /** Short intervals for tests: order exchange every 2 s, posting 3 s later, balance pulls every 10 s. */
  fast: boolean
  log: (line: string) => void
}

export interface Demo {
  urls: { shop: string; console: string; openapi: string; service: string; odata: string; exchange: string }
  emulator: Emulator
  shop: Shop
  service: ChildProcess
  stop(): Promise<void>
}

/** The ut11 profile with the demo's pull intervals: a balance a few seconds behind 1C instead of minutes. */
function demoProfile(dataDir: string, fast: boolean): string {
  const profile = YAML.parse(readFileSync(join(ROOT, 'mappings', 'ut11.yaml'), 'utf8')) as {
    name: string
    odata: { sources: Array<{ name: string; every: string }> }
    loyalty: { assessEvery?: string }
  }
  profile.loyalty.assessEvery = '1m'
  const every: Record<string, string> = fast ? { 'bonus-accounts': '5s' } : { 'bonus-accounts': '20s', customers: '1m', prices: '1m', stock: '1m' }
  for (const source of profile.odata.sources) source.every = every[source.name] ?? (fast ? '20s' : '5m')
  profile.name = 'ut11-demo'
  const file = join(dataDir, 'ut11-demo.yaml')
  writeFileSync(file, YAML.stringify(profile))
  return file
}

/**
 * Removes the demo's folder and, where the service ran as root, the PostgreSQL cluster its
 * DATA_DIR points to (`service/pg.location`, under /var/lib/onec-bridge/clusters/).
 */
export function removeDemoData(dataDir: string): void {
  const location = join(dataDir, 'service', 'pg.location')
  if (existsSync(location)) {
    const cluster = readFileSync(location, 'utf8').trim()
    if (cluster.startsWith('/var/lib/onec-bridge/clusters/')) rmSync(cluster, { recursive: true, force: true })
  }
  rmSync(dataDir, { recursive: true, force: true })
}

/** A port another program holds stops the demo before it starts anything, naming the flag that moves it. */
async function ensureFree(host: string, port: number, flag: string): Promise<void> {
  if (port === 0) return
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `порт ${port} занят (уже запущен сервис или демо?): укажите другой, ${flag} <порт> / port ${port} is in use: choose another with ${flag}`
            : error.message,
        ),
      ),
    )
    probe.listen(port, host, () => probe.close(() => resolve()))
  })
}

async function waitReady(url: string, service: ChildProcess, deadlineMs: number, log: string): Promise<void> {
  const until = Date.now() + deadlineMs
  for (;;) {
    if (service.exitCode !== null) throw new Error(`сервис остановился (код ${service.exitCode}), см. ${log} / the service exited with code ${service.exitCode}, see ${log}`)
    try {
      if ((await fetch(url)).status === 200) return
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${deadlineMs / 1000} s`)
    await new Promise((done) => setTimeout(done, 200))
  }
}

// The start-up sequence reads best in one place: 1C's OData first (the service pulls from it), then
// the service, its first console user, the catalogue exchange, and the shop.
// eslint-disable-next-line max-lines-per-function
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const dataDir = resolve(options.dataDir)
  if (options.reset) removeDemoData(dataDir)
  mkdirSync(dataDir, { recursive: true })
  const { host, ports } = options
  await ensureFree(host, ports.service, '--port')
  await ensureFree(host, ports.shop, '--shop-port')
  await ensureFree(host, ports.onec, '--onec-port')
  const serviceUrl = `http://${host}:${ports.service}`
  const shopUrl = `http://${host}:${ports.shop}`

  const emulator = await startEmulator({
    dataDir: join(dataDir, '1c'),
    reset: options.reset,
    odata: { host, port: ports.onec, ...DEMO.odata },
    site: { url: `${serviceUrl}/1c/exchange`, ...DEMO.exchange },
    catalogEveryMs: options.fast ? 0 : 3 * 60_000,
    orderEveryMs: options.fast ? 2_000 : 10_000,
    postAfterMs: options.fast ? 3_000 : 15_000,
    log: (line) => options.log(`1С: ${line}`),
  })

  const config = {
    storefronts: [{ id: 'demo-shop', url: `${shopUrl}/webhooks`, secrets: [DEMO.webhookSecret], local: true, apiKeys: [DEMO.apiKey], customers: 'all' }],
    health: { exchangeMinutes: 5, orderExchangeMinutes: 1 },
    webhooks: { retryScheduleMs: [1000, 5000, 30000, 120000] },
    orders: { statusPollSeconds: 10 },
  }
  writeFileSync(join(dataDir, 'onec-bridge.yaml'), YAML.stringify(config))
  const serviceLog = createWriteStream(join(dataDir, 'service.log'), { flags: 'a' })
  const service = spawn(process.execPath, [join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    // Its own process group: Ctrl-C reaches the demo, which stops the service once, in order.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(ports.service),
      HOST: host,
      DATA_DIR: join(dataDir, 'service'),
      CONFIG_FILE: join(dataDir, 'onec-bridge.yaml'),
      MAPPING_PROFILE: demoProfile(dataDir, options.fast),
      ADMIN_TOKEN: DEMO.adminToken,
      EXCHANGE_USER: DEMO.exchange.user,
      EXCHANGE_PASSWORD: DEMO.exchange.password,
      // Small enough that 1C cuts the catalogue's archive into chunks, as with a real catalogue.
      EXCHANGE_FILE_LIMIT: '16384',
      ODATA_URL: emulator.odata.url,
      ODATA_USER: DEMO.odata.user,
      ODATA_PASSWORD: DEMO.odata.password,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
  })
  service.stdout?.pipe(serviceLog)
  service.stderr?.pipe(serviceLog)
  const stopService = async () => {
    if (service.exitCode !== null) return
    const exited = new Promise((done) => service.once('exit', done))
    service.kill('SIGTERM')
    await Promise.race([exited, new Promise((done) => setTimeout(done, 20_000))])
    if (service.exitCode === null) service.kill('SIGKILL')
  }
  try {
    await waitReady(`${serviceUrl}/ready`, service, 120_000, join(dataDir, 'service.log'))
    const users = await fetch(`${serviceUrl}/admin/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ login: DEMO.support.login, password: DEMO.support.password, role: 'operator', replace: true }),
    })
    if (!users.ok) options.log(`демо: пользователь консоли не создан (${users.status}): ${await users.text()}`)
    await emulator.runCatalogExchange(options.reset || !emulator.base.state.exchange.fullSent)
  } catch (error) {
    await emulator.stop()
    await stopService()
    throw error
  }
  const shop = await startShop({
    host,
    port: ports.shop,
    serviceUrl,
    apiKey: DEMO.apiKey,
    webhookSecret: DEMO.webhookSecret,
    customers: CUSTOMERS.map((customer) => ({ id: partnerOf(customer.key), name: customer.fullName, inn: customer.inn || null })),
    dataDir: join(dataDir, 'shop'),
  })
  return {
    urls: { shop: shopUrl, console: `${serviceUrl}/console`, openapi: `${serviceUrl}/docs`, service: serviceUrl, odata: emulator.odata.url, exchange: `${serviceUrl}/1c/exchange` },
    emulator,
    shop,
    service,
    async stop() {
      await shop.close()
      await emulator.stop()
      await stopService()
      serviceLog.end()
    },
  }
}

function banner(demo: Demo, dataDir: string): string {
  return [
    '',
    'onec-bridge: демо запущено / the demo is up',
    `  Магазин (shop):        ${demo.urls.shop}`,
    `  Консоль (console):     ${demo.urls.console}   вход: ${DEMO.support.login} / ${DEMO.support.password} (оператор) или admin / ${DEMO.adminToken}`,
    `  OpenAPI:               ${demo.urls.openapi}`,
    `  REST API:              ${demo.urls.service}/api/v1   ключ: ${DEMO.apiKey}`,
    `  1С (эмулятор OData):   ${demo.urls.odata}   ${DEMO.odata.user} / ${DEMO.odata.password}`,
    `  Обмен с сайтом:        ${demo.urls.exchange}   ${DEMO.exchange.user} / ${DEMO.exchange.password}`,
    `  Данные: ${dataDir} (журнал сервиса: service.log)`,
    'Ctrl-C — остановить; --reset — начать с пустой базы.',
    '',
  ].join('\n')
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      reset: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: './data/demo' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'shop-port': { type: 'string', default: '8090' },
      'onec-port': { type: 'string', default: '8091' },
      fast: { type: 'boolean', default: false },
    },
  })
  const log = (line: string) => process.stdout.write(`${new Date().toLocaleTimeString('ru-RU')} ${line}\n`)
  const dataDir = resolve(values['data-dir'])
  log(`демо: запускаю сервис, эмулятор 1С и магазин (${values.reset ? 'с пустой базы' : 'с данными прошлого запуска, если они есть'})…`)
  const demo = await startDemo({
    dataDir,
    reset: values.reset,
    host: values.host,
    ports: { service: Number(values.port), shop: Number(values['shop-port']), onec: Number(values['onec-port']) },
    fast: values.fast,
    log,
  })
  process.stdout.write(banner(demo, dataDir))
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    log('демо: останавливаю…')
    await demo.stop()
    log('демо: остановлено')
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`onec-bridge demo: ${(error as Error).message}\n`)
    process.exit(1)
  })
}
