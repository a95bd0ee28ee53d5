/**
 * buildApp(deps) wires the HTTP application from what it is given; it touches no process
 * state (env, signals, listen). Its registration list is the table of contents of the service.
 */
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fastifySchedule from '@fastify/schedule'
import { z } from 'zod'
import { adminApi } from './console/admin-api.ts'
import { handleError, handleNotFound } from './http/errors.ts'
import { registerMetrics } from './http/metrics.ts'
import { healthSources, scheduleWork, startFeatures, type Features, type WorkDeps } from './jobs.ts'
import { registerGauges } from './console/alerts.ts'
import { readHealth } from './console/health.ts'
import { consoleRoutes } from './console/routes.ts'
import { retryOrder } from './orders/index.ts'
import { exchangeRoutes } from './onec/commerceml/index.ts'
import { mediaRoutes, storefrontApi } from './storefront/index.ts'
import { registerComponents, SECURITY_SCHEMES } from './storefront/openapi.ts'

export type AppDeps = WorkDeps

const REQUEST_ID = /^[\w.:-]{1,128}$/
const READY_TIMEOUT_MS = 2000

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

const Readiness = z.object({ status: z.string(), checks: z.object({ store: z.string(), jobs: z.string() }) })

/** Fastify with the service's error table, request ids, metrics, OpenAPI and health checks. */
async function createHttp(deps: AppDeps) {
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

  const metrics = registerMetrics(app)
  registerGauges(metrics, () => readHealth(deps.db, healthSources(deps.config, deps.profile), deps.config.orders.holdTtlHours))

  registerComponents()
  // OpenAPI from the routes' zod schemas; the exchange routes are hidden (1C speaks text, not JSON).
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'onec-bridge', version: '0.1.0', description: 'Storefront REST API (Bearer storefront key) and admin API (Bearer ADMIN_TOKEN).' },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })

  app.get('/health', { schema: { operationId: 'health', summary: 'The process answers', response: { 200: z.object({ status: z.string() }) } } }, async () => ({ status: 'ok' }))
  app.get(
    '/ready',
    { schema: { operationId: 'ready', summary: 'The store and the job engine answer (200, else 503)', response: { 200: Readiness, 503: Readiness } } },
    async (_request, reply) => {
      const checks = await Promise.allSettled([withTimeout(deps.db.query('select 1'), READY_TIMEOUT_MS, 'store'), withTimeout(deps.jobs.check(), READY_TIMEOUT_MS, 'job engine')])
      const [store, jobs] = checks.map((check) => (check.status === 'fulfilled' ? 'ok' : String((check.reason as Error).message)))
      const ready = store === 'ok' && jobs === 'ok'
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: { store: store ?? 'unknown', jobs: jobs ?? 'unknown' } })
    },
  )

  return app
}

/** The console and the admin API: what support staff, operators and admins use. */
async function registerSupport(app: Awaited<ReturnType<typeof createHttp>>, deps: AppDeps, features: Features): Promise<void> {
  const { config, profile, db } = deps
  const { forwarder } = features
  const retry = (orderId: string) => retryOrder({ db, forward: config.orders.forward, queueForward: forwarder?.queueForward, wake: forwarder?.wake }, orderId)
  await app.register(adminApi, {
    prefix: '/admin/api',
    db,
    adminToken: config.auth.adminToken,
    shareBonusAtHead: profile.bonus.shareAtHead,
    owners: profile.owners,
    webhooks: features.webhooks,
    sources: profile.odata?.sources.map((source) => ({ name: source.name, entity: source.entity, set: source.read.set, everyMs: source.every })) ?? [],
    pull: features.pull,
    retryOrder: retry,
  })
  await app.register(consoleRoutes, {
    prefix: '/console',
    db,
    adminToken: config.auth.adminToken,
    oneCZone: config.odata.timeZone,
    healthSources: healthSources(config, profile),
    holdTtlHours: config.orders.holdTtlHours,
    churnRule: profile.loyalty.churn,
    shareBonusAtHead: profile.bonus.shareAtHead,
    owners: profile.owners,
    quoteRules: quoteRulesOf(profile),
    webhooks: features.webhooks,
    pull: features.pull,
    retryOrder: retry,
  })
}

const quoteRulesOf = (profile: AppDeps['profile']) => ({
  shareAtHead: profile.bonus.shareAtHead,
  prices: profile.orders.prices,
  fallbackPriceTypeId: profile.orders.fallbackPriceType ?? null,
})

/** The feature routes, each given the features it calls. */
async function registerRoutes(app: Awaited<ReturnType<typeof createHttp>>, deps: AppDeps, features: Features): Promise<void> {
  const { config, profile, db } = deps
  await registerSupport(app, deps, features)
  const { forwarder } = features
  await app.register(storefrontApi, {
    prefix: '/api/v1',
    db,
    rules: quoteRulesOf(profile),
    viaSaleExchange: config.orders.forward === 'commerceml',
    numberMaxLength: profile.orders.numberMaxLength,
    forward: forwarder && { queue: forwarder.queueForward, wake: forwarder.wake },
    changes: features.changes,
  })
  await app.register(mediaRoutes, { db })
  await app.register(exchangeRoutes, { db, exchange: config.exchange, uploads: features.uploads, imports: features.imports, sale: features.sale })
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = await createHttp(deps)
  const features = await startFeatures(deps)
  await app.register(fastifySchedule)
  let stopTick = () => {}
  app.addHook('onReady', async () => {
    stopTick = scheduleWork(app.scheduler, features, deps)
  })
  app.addHook('onClose', async () => {
    stopTick()
    await features.changes.close()
  })
  await registerRoutes(app, deps, features)
  return app
}
