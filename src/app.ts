/**
 * buildApp(deps) wires the HTTP application from what it is given; it touches no process
 * state (env, signals, listen). Its registration list is the table of contents of the service.
 */
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { storefrontApi } from './storefront/api.ts'
import { ConfigError, type Config } from './config.ts'
import { adminApi } from './console/admin-api.ts'
import { handleError, handleNotFound } from './http/errors.ts'
import { registerMetrics } from './http/metrics.ts'
import type { Logger } from './logger.ts'
import { join } from 'node:path'
import { exchangeRoutes } from './onec/commerceml/index.ts'
import { ProfileError, type MappingProfile } from './onec/mapping/profile.ts'
import type { Db, JobEngine } from './store/index.ts'
import { createExchangeImports } from './sync/exchange-imports.ts'
import fastifySchedule from '@fastify/schedule'
import { AsyncTask, SimpleIntervalJob } from 'toad-scheduler'
import { createODataClient } from './onec/odata/index.ts'
import { startPullWorker } from './sync/odata-pull.ts'
import { createWebhookEngine, seedStorefronts } from './sync/webhooks.ts'
import { createSaleExchange } from './sync/sale-exchange.ts'
import { createOrderForwarder, type OrderForwarder } from './sync/order-forward.ts'
import { expireHolds } from './sync/order-lifecycle.ts'
import { DEFAULT_RETRY_SCHEDULE_MS } from './storefront/webhook-rules.ts'

/** How often new events are fanned out to storefronts (the change → delivered latency floor). */
const FANOUT_INTERVAL_MS = 250
const HOLD_EXPIRY_INTERVAL_MS = 5 * 60_000

export interface AppDeps {
  config: Config
  db: Db
  jobs: JobEngine
  logger: Logger
  profile: MappingProfile
}

const REQUEST_ID = /^[\w.:-]{1,128}$/
const READY_TIMEOUT_MS = 2000

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // A caller's own request id is kept (1C and proxies rarely send one; storefronts may).
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    bodyLimit: 10 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(handleNotFound)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  registerMetrics(app)

  // OpenAPI from the routes' zod schemas; the exchange routes are hidden (1C speaks text, not JSON).
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'onec-bridge', version: '0.1.0', description: 'Storefront REST API (Bearer storefront key) and admin API (Bearer ADMIN_TOKEN).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })

  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/ready', async (_request, reply) => {
    const checks = await Promise.allSettled([
      withTimeout(deps.db.query('select 1'), READY_TIMEOUT_MS, 'store'),
      withTimeout(deps.jobs.check(), READY_TIMEOUT_MS, 'job engine'),
    ])
    const [store, jobs] = checks.map((check) => (check.status === 'fulfilled' ? 'ok' : String((check.reason as Error).message)))
    const ready = store === 'ok' && jobs === 'ok'
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: { store, jobs } })
  })

  // Webhooks: configured storefronts are written to the store; a tick fans new events out.
  await seedStorefronts(deps.db, deps.config.storefronts)
  const webhooks = createWebhookEngine({
    db: deps.db,
    jobs: deps.jobs,
    logger: deps.logger,
    settings: { ...deps.config.webhooks, retryScheduleMs: deps.config.webhooks.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS },
  })
  await webhooks.start()
  let fanningOut = false
  const tick = setInterval(() => {
    if (fanningOut) return
    fanningOut = true
    webhooks
      .fanOut()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'webhook fan-out failed'))
      .finally(() => {
        fanningOut = false
      })
  }, FANOUT_INTERVAL_MS)
  tick.unref()
  app.addHook('onClose', async () => clearInterval(tick))

  // Scheduled work of this instance: pulls, hold expiry, order forwarding and status polls.
  await app.register(fastifySchedule)
  const schedule = (id: string, milliseconds: number, run: () => Promise<unknown>, runImmediately = false) => {
    const task = new AsyncTask(id, async () => {
      await run()
    }, (error) => deps.logger.warn({ err: error }, `${id} failed`))
    app.addHook('onReady', async () => {
      app.scheduler.addSimpleIntervalJob(new SimpleIntervalJob({ milliseconds, runImmediately }, task, { id, preventOverrun: true }))
    })
  }
  schedule('hold-expiry', HOLD_EXPIRY_INTERVAL_MS, () => expireHolds(deps.db, deps.config.orders.holdTtlHours, deps.logger))

  const odata = deps.profile.odata
  const odataConfig = deps.config.odata
  let pull: ((name: string) => Promise<string | null>) | undefined
  const client = odataConfig.url
    ? createODataClient({
        baseUrl: odataConfig.url,
        user: odataConfig.user ?? '',
        password: odataConfig.password ?? '',
        timeZone: odataConfig.timeZone,
        timeoutMs: odataConfig.timeoutMs,
      })
    : undefined
  if (odata && client) {
    pull = await startPullWorker({ db: deps.db, jobs: deps.jobs, client, profile: odata, logger: deps.logger })
    if (odataConfig.schedule) {
      const enqueue = pull
      // Every instance ticks; the queue's singleton key makes the pull happen once.
      for (const source of odata.sources) schedule(`pull-${source.name}`, source.every, () => enqueue(source.name), true)
    }
  } else if (odata) {
    deps.logger.warn('the mapping profile has OData sources but ODATA_URL is not set: no pulls')
  }

  await app.register(adminApi, {
    prefix: '/admin/api',
    db: deps.db,
    adminToken: deps.config.auth.adminToken,
    shareBonusAtHead: deps.profile.bonus.shareAtHead,
    webhooks,
    sources: odata?.sources.map((source) => ({ name: source.name, entity: source.entity, set: source.read.set, everyMs: source.every })) ?? [],
    ...(pull ? { pull } : {}),
  })

  const ordersConfig = deps.config.orders
  let forwarder: OrderForwarder | undefined
  if (ordersConfig.forward === 'odata') {
    const ordersProfile = deps.profile.orders.odata
    if (!client) throw new ConfigError('ORDERS_FORWARD=odata: odata needs the 1C OData address: set ODATA_URL (odata.url)')
    if (!ordersProfile) throw new ProfileError(`ORDERS_FORWARD=odata, but the mapping profile ${deps.profile.name} has no orders.odata section (see mappings/ut11.yaml)`)
    forwarder = createOrderForwarder({
      db: deps.db,
      jobs: deps.jobs,
      client,
      profile: ordersProfile,
      logger: deps.logger,
      maxAttempts: ordersConfig.maxForwardAttempts,
      minorDigits: deps.profile.commerceml.currency.minorDigits,
    })
    await forwarder.start()
    const forwarding = forwarder
    schedule('order-status-poll', ordersConfig.statusPollSeconds * 1000, async () => {
      await forwarding.sweep()
      await forwarding.pollStatuses()
    })
  }
  await app.register(storefrontApi, {
    prefix: '/api/v1',
    db: deps.db,
    shareBonusAtHead: deps.profile.bonus.shareAtHead,
    viaSaleExchange: ordersConfig.forward === 'commerceml',
    ...(forwarder && { onAccepted: forwarder.enqueue }),
  })

  const { exchange } = deps.config
  const uploadRoot = join(deps.config.store.dataDir, 'exchange')
  const sale =
    ordersConfig.forward === 'commerceml'
      ? createSaleExchange({ db: deps.db, profile: deps.profile.commerceml, orders: ordersConfig, logger: deps.logger })
      : undefined
  const imports = createExchangeImports({
    sale,
    db: deps.db,
    jobs: deps.jobs,
    profile: deps.profile.commerceml,
    uploadRoot,
    zipLimits: { maxTotalBytes: exchange.maxUnzippedBytes, maxEntries: exchange.maxZipEntries, maxRatio: exchange.maxZipRatio },
    autoImportSeconds: exchange.autoImportSeconds,
    xml: deps.profile.xml,
    logger: deps.logger,
  })
  await imports.start()
  await app.register(exchangeRoutes, { db: deps.db, exchange, uploadRoot, imports, sale })

  return app
}
