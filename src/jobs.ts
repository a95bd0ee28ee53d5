/**
 * What this instance runs besides answering requests: each feature's queue workers, the fan-out
 * tick, and the scheduled work — pulls, hold expiry, order status polls, and the sweeps that
 * queue again rows whose job is gone (store/job-engine.ts). `startFeatures` starts them;
 * `scheduleWork` puts the periodic ones on the scheduler.
 */
import { join } from 'node:path'
import { AsyncTask, SimpleIntervalJob, type ToadScheduler } from 'toad-scheduler'
import { createExchangeImports, type ExchangeImports } from './catalog/exchange-imports.ts'
import { diskUploads, storeUploads, type UploadStore } from './onec/commerceml/index.ts'
import { startPullWorker, type Puller } from './catalog/odata-pull.ts'
import { ConfigError, type Config } from './config.ts'
import type { Logger } from './logger.ts'
import { ProfileError, type MappingProfile } from './onec/mapping/profile.ts'
import { createODataClient, type ODataClient } from './onec/odata/index.ts'
import { createOrderForwarder, createSaleExchange, expireHolds, SALE_SOURCE, type OrderForwarder, type SaleExchange } from './orders/index.ts'
import { checkAlerts } from './console/alerts.ts'
import { assessCustomersWhenDue, noticeExpiring, signalRulesOf } from './loyalty/index.ts'
import type { SourceSpec } from './console/health.ts'
import { listenForChanges, NO_CHANGES, type ChangeFeed, type Db, type JobEngine } from './store/index.ts'
import { createWebhooks, DEFAULT_RETRY_SCHEDULE_MS, seedStorefronts, type Webhooks } from './storefront/webhooks/index.ts'

/** How often new events are fanned out to storefronts (the change → delivered latency floor). */
const FANOUT_INTERVAL_MS = 250
const HOLD_EXPIRY_INTERVAL_MS = 5 * 60_000
/** How often rows whose job is gone are looked for (and once at start). */
const SWEEP_INTERVAL_MS = 60_000

export interface WorkDeps {
  config: Config
  db: Db
  jobs: JobEngine
  logger: Logger
  profile: MappingProfile
}

export interface Features {
  webhooks: Webhooks
  imports: ExchangeImports
  /** What other instances change in the store, for this process's caches. */
  changes: ChangeFeed
  /** Where the exchange's uploads wait for their import. */
  uploads: UploadStore
  sale: SaleExchange | undefined
  forwarder: OrderForwarder | undefined
  /** Queues a pull of an OData source; absent when OData is not configured. */
  pull: ((name: string) => Promise<string | null>) | undefined
  /** The schedule's pull of a source: once a period across the instances. */
  pullOnSchedule: Puller['onSchedule'] | undefined
}

function odataClient(config: Config): ODataClient | undefined {
  const { url, user, password, timeZone, timeoutMs } = config.odata
  return url ? createODataClient({ baseUrl: url, user: user ?? '', password: password ?? '', timeZone, timeoutMs }) : undefined
}

async function startForwarder(deps: WorkDeps, client: ODataClient | undefined): Promise<OrderForwarder | undefined> {
  const { orders } = deps.config
  if (orders.forward !== 'odata') return undefined
  const profile = deps.profile.orders.odata
  if (!client) throw new ConfigError('ORDERS_FORWARD=odata: odata needs the 1C OData address: set ODATA_URL (odata.url)')
  if (!profile) throw new ProfileError(`ORDERS_FORWARD=odata, but the mapping profile ${deps.profile.name} has no orders.odata section (see mappings/ut11.yaml)`)
  const forwarder = createOrderForwarder({
    db: deps.db,
    jobs: deps.jobs,
    client,
    profile,
    logger: deps.logger,
    maxAttempts: orders.maxForwardAttempts,
    minorDigits: deps.profile.commerceml.currency.minorDigits,
  })
  await forwarder.start()
  return forwarder
}

/**
 * Uploads in the store when instances share a PostgreSQL server (or `exchange.uploads: store`);
 * in DATA_DIR on the embedded store, which serves one service.
 */
export function uploadsOf(config: Config, db: Db, logger?: Logger): UploadStore {
  const { dataDir, databaseUrl } = config.store
  const where = config.exchange.uploads === 'auto' ? (databaseUrl ? 'store' : 'disk') : config.exchange.uploads
  if (where === 'disk' && databaseUrl)
    logger?.warn(
      'EXCHANGE_UPLOADS=disk with DATABASE_URL: 1C’s uploads stay in this instance’s DATA_DIR; behind a load balancer with several instances, imports on the others fail. Leave it auto (store).',
    )
  return where === 'store' ? storeUploads(db, join(dataDir, 'exchange-cache')) : diskUploads(db, join(dataDir, 'exchange'))
}

async function startImports(deps: WorkDeps, sale: SaleExchange | undefined, uploads: UploadStore): Promise<ExchangeImports> {
  const { exchange } = deps.config
  const imports = createExchangeImports({
    sale,
    db: deps.db,
    jobs: deps.jobs,
    profile: deps.profile.commerceml,
    uploads,
    zipLimits: { maxTotalBytes: exchange.maxUnzippedBytes, maxEntries: exchange.maxZipEntries, maxRatio: exchange.maxZipRatio },
    autoImportSeconds: exchange.autoImportSeconds,
    xml: deps.profile.xml,
    owners: deps.profile.owners,
    language: exchange.language,
    logger: deps.logger,
  })
  await imports.start()
  return imports
}

/**
 * The sources the health page, the gauges and the alerts watch, each with the interval it is
 * expected to succeed in: OData sources by their profile `every`, 1C's exchanges by the config
 * (1C keeps their schedule), any of them overridden by `health.schedules`.
 */
export function healthSources(config: Config, profile: MappingProfile): SourceSpec[] {
  const specs: SourceSpec[] = [{ name: 'commerceml', everyMinutes: config.health.exchangeMinutes }]
  if (config.orders.forward === 'commerceml') specs.push({ name: SALE_SOURCE, everyMinutes: config.health.orderExchangeMinutes })
  if (config.odata.url) for (const source of profile.odata?.sources ?? []) specs.push({ name: `odata:${source.name}`, everyMinutes: source.every / 60_000 })
  for (const name of Object.keys(config.health.schedules)) if (!specs.some((spec) => spec.name === name)) specs.push({ name, everyMinutes: 0 })
  return specs.map((spec) => ({ ...spec, everyMinutes: config.health.schedules[spec.name] ?? spec.everyMinutes }))
}

/** Starts every feature's workers on this instance. */
export async function startFeatures(deps: WorkDeps): Promise<Features> {
  // Configured storefronts are written to the store first: deliveries and API keys read them there.
  await seedStorefronts(deps.db, deps.config.storefronts)
  const webhooks = createWebhooks({
    db: deps.db,
    jobs: deps.jobs,
    logger: deps.logger,
    settings: { ...deps.config.webhooks, retryScheduleMs: deps.config.webhooks.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS },
  })
  await webhooks.start()
  const client = odataClient(deps.config)
  const odata = deps.profile.odata
  let puller: Puller | undefined
  if (odata && client) puller = await startPullWorker({ db: deps.db, jobs: deps.jobs, client, profile: odata, owners: deps.profile.owners, logger: deps.logger })
  else if (odata) deps.logger.warn('the mapping profile has OData sources but ODATA_URL is not set: no pulls')
  const forwarder = await startForwarder(deps, client)
  const sale =
    deps.config.orders.forward === 'commerceml'
      ? createSaleExchange({ db: deps.db, profile: deps.profile.commerceml, orders: deps.config.orders, logger: deps.logger, language: deps.config.exchange.language })
      : undefined
  const uploads = uploadsOf(deps.config, deps.db, deps.logger)
  const imports = await startImports(deps, sale, uploads)
  const changes = await listenForChanges(deps.db, deps.logger).catch((error: unknown) => {
    deps.logger.warn({ err: error }, 'cannot LISTEN for other instances’ changes: caches rely on their few seconds of age alone')
    return NO_CHANGES
  })
  return { webhooks, imports, changes, uploads, sale, forwarder, pull: puller?.pull, pullOnSchedule: puller?.onSchedule }
}

/** The fan-out tick: every instance ticks; a tick still running when the next is due is not doubled. */
function startFanOutTick(features: Features, logger: Logger): () => void {
  let running = false
  const tick = setInterval(() => {
    if (running) return
    running = true
    features.webhooks
      .fanOut()
      .catch((error: unknown) => logger.warn({ err: error }, 'webhook fan-out failed'))
      .finally(() => {
        running = false
      })
  }, FANOUT_INTERVAL_MS)
  tick.unref()
  return () => clearInterval(tick)
}

const EXPIRING_CHECK_MS = 15 * 60_000

/** Puts this instance's periodic work on `scheduler`; returns what stops the fan-out tick. */
export function scheduleWork(scheduler: ToadScheduler, features: Features, deps: WorkDeps): () => void {
  const every = (id: string, milliseconds: number, run: () => Promise<unknown>, runImmediately = false) => {
    const task = new AsyncTask(
      id,
      async () => void (await run()),
      (error) => deps.logger.warn({ err: error }, `${id} failed`),
    )
    scheduler.addSimpleIntervalJob(new SimpleIntervalJob({ milliseconds, runImmediately }, task, { id, preventOverrun: true }))
  }
  every('hold-expiry', HOLD_EXPIRY_INTERVAL_MS, () => expireHolds(deps.db, deps.config.orders.holdTtlHours, deps.logger))
  // Points due to expire within the profile's window: one bonus.expiring per batch, whichever instance ticks first.
  if (deps.profile.odata?.sources.some((source) => source.entity === 'bonus_movement'))
    every('bonus-expiring', EXPIRING_CHECK_MS, () => noticeExpiring(deps.db, deps.profile.bonus.expiringDays), true)
  // Levels and churn zones: daily by default (and at start when the last assessment is older), from the sales 1C reported and the orders taken here.
  const { assessEvery } = deps.profile.loyalty
  every('customer-signals', assessEvery, () => assessCustomersWhenDue(deps.db, signalRulesOf(deps.profile), assessEvery), true)
  const { alerts } = deps.config
  every('alerts', alerts.checkSeconds * 1000, () => checkAlerts(deps.db, healthSources(deps.config, deps.profile), deps.config.orders.holdTtlHours, alerts, deps.logger))
  every('sweep-deliveries', SWEEP_INTERVAL_MS, () => features.webhooks.sweep(), true)
  every('sweep-imports', SWEEP_INTERVAL_MS, () => features.imports.sweep(), true)
  const { forwarder, pullOnSchedule } = features
  if (forwarder) {
    every('order-status-poll', deps.config.orders.statusPollSeconds * 1000, async () => {
      await forwarder.sweep()
      await forwarder.pollStatuses()
    })
  }
  const odata = deps.profile.odata
  // Every instance ticks; one pull per source and period is queued whichever ticks (odata-pull.ts).
  if (odata && pullOnSchedule && deps.config.odata.schedule)
    for (const source of odata.sources) every(`pull-${source.name}`, source.every, () => pullOnSchedule(source.name, source.every), true)
  return startFanOutTick(features, deps.logger)
}
