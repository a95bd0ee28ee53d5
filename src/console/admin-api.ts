/**
 * The admin read API (Bearer ADMIN_TOKEN): runs, entity state with its history, the event log,
 * orders and bonus holds, storefronts and their deliveries, OData sources. Support staff use it
 * (and the console built on it) to answer "why does customer X see Y?".
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ENTITY_KINDS, isEntityKind, LineText, type Owners } from '../domain/index.ts'
import { StorefrontUrl } from '../config.ts'
import { hashApiKey, requireBearer } from '../http/auth.ts'
import { securedBy } from '../storefront/openapi.ts'
import { CustomerScopeRule } from '../storefront/scope.ts'
import { ErrorBody } from '../storefront/schemas.ts'
import {
  BonusDetail,
  DeliveriesList,
  DeliveryState,
  EntityDetail,
  EventsPage,
  OrderDetail,
  OrdersList,
  PullQueued,
  Recovered,
  Row,
  RunDetail,
  RunsPage,
  SourcesList,
  StorefrontSettings,
  StorefrontsList,
} from './admin-schemas.ts'
import { AppError } from '../http/errors.ts'
import { bonusDetail, getOrder, listOrders, OrderStatus, type RetryOutcome } from '../orders/index.ts'
import { listAudit, recordAudit } from './audit.ts'
import { listUsers, ROLES, saveUser, UserError, type Actor } from './users.ts'
import { getEntity, getRun, lastRunOf, listEvents, listRuns } from '../state/index.ts'
import type { Db } from '../store/index.ts'
import { deliverySummary, issueApiKey, keyIdOf, listDeliveries, listStorefronts, type Webhooks } from '../storefront/webhooks/index.ts'

export interface AdminApiOptions {
  db: Db
  adminToken: string
  /** OData sources of the mapping profile. */
  sources: Array<{ name: string; entity: string; set: string; everyMs: number }>
  /** Queues a pull of a source; absent when OData is not configured. */
  pull?: ((name: string) => Promise<string | null>) | undefined
  /** The profile's rule for groups of companies. */
  shareBonusAtHead: boolean
  /** The profile's `owners`: which source alone writes a field several sources feed. */
  owners: Owners
  webhooks: Webhooks
  /** Sends an order to 1C again (orders/retry.ts); null: no such order. */
  retryOrder: (orderId: string) => Promise<RetryOutcome | null>
}

/** Who the bearer token is, in the audit log. */
const TOKEN_ACTOR: Actor = { login: 'admin-token', role: 'admin', via: 'api' }

const RunId = z.coerce.number().int().positive()
const Limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback)
const IdParams = z.object({ id: LineText(200, 1) })
const RunsQuery = z.object({ limit: Limit(500, 50), before: RunId.optional(), source: z.string().optional(), status: z.enum(['running', 'succeeded', 'failed']).optional() })
const OrdersQuery = z.object({ status: OrderStatus.optional(), customerId: z.string().optional(), number: z.string().optional(), limit: Limit(500, 50) })
/** A rule of storefront/scope.ts; null: all customers. */
const ScopeRule = CustomerScopeRule.nullable()
const StorefrontPatch = z.object({
  enabled: z.boolean().optional(),
  events: z.array(z.string()).optional(),
  url: StorefrontUrl.optional(),
  customers: ScopeRule.optional(),
})
const StorefrontCreate = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -'),
  url: StorefrontUrl,
  events: z.array(z.string()).default(['*']),
  enabled: z.boolean().default(true),
  local: z.boolean().default(false),
  customers: ScopeRule.default(null),
  /** Send the current state of everything it subscribes to, in batches; else it starts with the next change. */
  backfill: z.boolean().default(false),
})
const StorefrontParams = z.object({ id: z.string() })
const IssuedKey = z.object({ storefront: z.string(), apiKey: z.string().describe('Shown once: only its hash is kept.'), keyId: z.string() })
const CreatedStorefront = z.object({
  storefront: z.string(),
  secret: z.string().describe('whsec_…, shown once'),
  apiKey: z.string().describe('sk_…, shown once'),
  keyId: z.string(),
  /** Entities queued per kind when a backfill was asked for; null otherwise. */
  backfill: z.record(z.string(), z.number().int()).nullable(),
})
const RotatedSecret = z.object({ storefront: z.string(), secret: z.string().describe('whsec_…, shown once'), retiringUntil: z.string() })
const BackfillQueued = z.object({ storefront: z.string(), entities: z.record(z.string(), z.number().int()) })
const DeliveriesQuery = z.object({ status: z.enum(['pending', 'delivered', 'dead', 'superseded']).optional(), limit: Limit(500, 50) })
const RecoverBody = z.object({ since: z.iso.datetime({ offset: true }), dryRun: z.boolean().default(true) })
const EventsQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: Limit(1000, 100) })

function found<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) throw new AppError('NOT_FOUND', message)
  return value
}

const stateRoutes: FastifyPluginAsyncZod<AdminApiOptions> = async (app, { db, shareBonusAtHead, owners }) => {
  app.get('/runs', { schema: { operationId: 'listRuns', summary: 'Sync runs, newest first', querystring: RunsQuery, response: { 200: RunsPage } } }, async (request) => {
    const runs = await listRuns(db, request.query)
    const last = runs.at(-1)
    return { runs, next: runs.length === request.query.limit && last ? { before: last.id } : null }
  })

  app.get(
    '/runs/:id',
    {
      schema: {
        operationId: 'getRun',
        summary: 'A sync run with the changes it made',
        params: z.object({ id: RunId }),
        querystring: z.object({ eventsLimit: Limit(1000, 100) }),
        response: { 200: RunDetail },
      },
    },
    async (request) => {
      const run = found(await getRun(db, request.params.id), `sync run ${request.params.id} does not exist`)
      return { run, events: await listEvents(db, 0, request.query.eventsLimit, run.id) }
    },
  )

  app.get(
    '/entities/:kind/:key',
    {
      schema: {
        operationId: 'getEntity',
        summary: 'An entity with its history',
        params: z.object({ kind: z.string(), key: z.string().min(1) }),
        querystring: z.object({ historyLimit: Limit(1000, 50) }),
        response: { 200: EntityDetail },
      },
    },
    async (request) => {
      const { kind, key } = request.params
      if (!isEntityKind(kind)) throw new AppError('NOT_FOUND', `unknown entity kind ${JSON.stringify(kind)}; kinds: ${ENTITY_KINDS.join(', ')}`)
      const entity = found(await getEntity(db, kind, key, request.query.historyLimit), `no ${kind} with key ${JSON.stringify(key)}`)
      const own = Object.fromEntries(Object.entries(owners).flatMap(([ref, source]) => (ref.startsWith(`${kind}.`) ? [[ref.slice(kind.length + 1), source]] : [])))
      return { ...entity, owners: own }
    },
  )

  app.get('/events', { schema: { operationId: 'listEvents', summary: 'The event log', querystring: EventsQuery, response: { 200: EventsPage } } }, async (request) => {
    const events = await listEvents(db, request.query.after, request.query.limit)
    return { events, next: { after: events.at(-1)?.seq ?? request.query.after } }
  })

  app.get(
    '/customers/:id/bonus',
    {
      schema: { operationId: 'getBonusDetail', summary: "A customer's bonus accounts, the one spent from, and the holds on it", params: IdParams, response: { 200: BonusDetail } },
    },
    async (request) => bonusDetail(db, request.params.id, shareBonusAtHead),
  )

  app.get('/orders', { schema: { operationId: 'listOrders', summary: 'Orders, newest first', querystring: OrdersQuery, response: { 200: OrdersList } } }, async (request) => ({
    orders: await listOrders(db, request.query),
  }))

  app.get(
    '/orders/:id',
    { schema: { operationId: 'getOrderDetail', summary: 'An order with its history and holds', params: IdParams, response: { 200: OrderDetail } } },
    async (request) => found(await getOrder(db, request.params.id, null), `no order ${JSON.stringify(request.params.id)}`),
  )
}

const storefrontRoutes: FastifyPluginAsyncZod<AdminApiOptions> = async (app, { db, webhooks }) => {
  const noStorefront = (id: string) => `no storefront ${JSON.stringify(id)}`

  app.get('/storefronts', { schema: { operationId: 'listStorefronts', summary: 'Storefronts with their delivery state', response: { 200: StorefrontsList } } }, async () => ({
    storefronts: await listStorefronts(db),
  }))

  app.patch(
    '/storefronts/:id',
    {
      schema: {
        operationId: 'changeStorefront',
        summary: "Change a storefront's settings",
        params: z.object({ id: z.string() }),
        body: StorefrontPatch,
        response: { 200: StorefrontSettings, 409: ErrorBody },
      },
    },
    async (request) => {
      const changed = found(await webhooks.change(request.params.id, request.body), noStorefront(request.params.id))
      await recordAudit(db, TOKEN_ACTOR, { action: 'changeStorefront', target: { kind: 'storefront', key: request.params.id }, count: 1, details: request.body })
      return changed
    },
  )

  app.post(
    '/storefronts/:id/keys',
    { schema: { operationId: 'issueApiKey', summary: 'Issue a REST API key (shown once)', params: z.object({ id: z.string() }), response: { 201: IssuedKey } } },
    async (request, reply) => {
      // Shown once: only its hash is kept.
      const apiKey = found(await issueApiKey(db, request.params.id), noStorefront(request.params.id))
      await recordAudit(db, TOKEN_ACTOR, { action: 'issueApiKey', target: { kind: 'storefront', key: request.params.id }, count: 1 })
      return reply.status(201).send({ storefront: request.params.id, apiKey, keyId: keyIdOf(hashApiKey(apiKey)) })
    },
  )

  app.get(
    '/storefronts/:id/deliveries',
    {
      schema: {
        operationId: 'listDeliveries',
        summary: "A storefront's deliveries with their attempts",
        params: z.object({ id: z.string() }),
        querystring: DeliveriesQuery,
        response: { 200: DeliveriesList },
      },
    },
    async (request) => ({
      deliveries: await listDeliveries(db, request.params.id, request.query),
    }),
  )

  app.post(
    '/deliveries/:id/replay',
    { schema: { operationId: 'replayDelivery', summary: 'Send a delivery again now', params: z.object({ id: RunId }), response: { 200: DeliveryState } } },
    async (request) => {
      found(await deliverySummary(db, request.params.id), `no delivery ${request.params.id}`)
      await webhooks.replay(request.params.id)
      await recordAudit(db, TOKEN_ACTOR, { action: 'replayDelivery', target: { kind: 'delivery', key: String(request.params.id) }, count: 1 })
      return deliverySummary(db, request.params.id)
    },
  )

  app.post(
    '/storefronts/:id/recover',
    {
      schema: {
        operationId: 'recoverDeliveries',
        summary: 'Requeue dead deliveries since a time',
        params: z.object({ id: z.string() }),
        body: RecoverBody,
        response: { 200: Recovered },
      },
    },
    async (request) => {
      const count = await webhooks.recover(request.params.id, new Date(request.body.since), request.body.dryRun)
      if (!request.body.dryRun)
        await recordAudit(db, TOKEN_ACTOR, { action: 'recoverDeliveries', target: { kind: 'storefront', key: request.params.id }, count, details: { since: request.body.since } })
      return { storefront: request.params.id, since: request.body.since, dryRun: request.body.dryRun, count }
    },
  )
}

/** Storefronts made, rotated, revoked and backfilled at run time (storefronts the config file declares keep its settings). */
const storefrontLifecycleRoutes: FastifyPluginAsyncZod<AdminApiOptions> = async (app, { db, webhooks }) => {
  const noStorefront = (id: string) => `no storefront ${JSON.stringify(id)}`

  app.post(
    '/storefronts',
    {
      schema: {
        operationId: 'createStorefront',
        summary: 'Create a storefront (its first secret and key are shown once)',
        body: StorefrontCreate,
        response: { 201: CreatedStorefront, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { backfill, ...input } = request.body
      const made = await webhooks.create(input, backfill)
      if (!made) throw new AppError('CONFLICT', `storefront ${JSON.stringify(input.id)} exists`)
      await recordAudit(db, TOKEN_ACTOR, { action: 'createStorefront', target: { kind: 'storefront', key: input.id }, count: 1, details: { url: input.url, backfill } })
      return reply.status(201).send({ storefront: input.id, ...made })
    },
  )

  app.post(
    '/storefronts/:id/secrets',
    {
      schema: {
        operationId: 'rotateSecret',
        summary: 'Rotate the signing secret: old and new both sign during the overlap',
        params: StorefrontParams,
        body: z.object({ overlapHours: z.number().min(0).max(720).default(24) }).prefault({}),
        response: { 201: RotatedSecret, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const rotated = found(await webhooks.rotateSecret(request.params.id, request.body.overlapHours), noStorefront(request.params.id))
      await recordAudit(db, TOKEN_ACTOR, { action: 'rotateSecret', target: { kind: 'storefront', key: request.params.id }, count: 1 })
      return reply.status(201).send({ storefront: request.params.id, ...rotated })
    },
  )

  app.delete(
    '/storefronts/:id/secrets/retiring',
    {
      schema: {
        operationId: 'retireSecrets',
        summary: 'End the overlap now: only the current secret signs',
        params: StorefrontParams,
        response: { 200: z.object({ storefront: z.string(), retired: z.boolean() }) },
      },
    },
    async (request) => {
      if (!(await webhooks.retireSecrets(request.params.id))) throw new AppError('NOT_FOUND', noStorefront(request.params.id))
      await recordAudit(db, TOKEN_ACTOR, { action: 'retireSecrets', target: { kind: 'storefront', key: request.params.id }, count: 1 })
      return { storefront: request.params.id, retired: true }
    },
  )
}

/** Keys revoked and storefronts sent their current state. */
const storefrontKeyRoutes: FastifyPluginAsyncZod<AdminApiOptions> = async (app, { db, webhooks }) => {
  app.delete(
    '/storefronts/:id/keys/:keyId',
    {
      schema: {
        operationId: 'revokeApiKey',
        summary: 'Revoke a REST API key by its id',
        params: z.object({ id: z.string(), keyId: z.string().regex(/^[0-9a-f]{16}$/, '16 hex digits, as keyIds lists it') }),
        response: { 200: z.object({ storefront: z.string(), revoked: z.string() }) },
      },
    },
    async (request) => {
      if (!(await webhooks.revokeKey(request.params.id, request.params.keyId)))
        throw new AppError('NOT_FOUND', `storefront ${JSON.stringify(request.params.id)} has no key ${request.params.keyId}`)
      await recordAudit(db, TOKEN_ACTOR, { action: 'revokeApiKey', target: { kind: 'storefront', key: request.params.id }, count: 1, details: { keyId: request.params.keyId } })
      return { storefront: request.params.id, revoked: request.params.keyId }
    },
  )

  app.post(
    '/storefronts/:id/backfill',
    {
      schema: {
        operationId: 'backfillStorefront',
        summary: 'Send the current state in backfill.batch messages',
        params: StorefrontParams,
        response: { 202: BackfillQueued },
      },
    },
    async (request, reply) => {
      const entities = await webhooks.backfill(request.params.id)
      const count = Object.values(entities).reduce((sum, n) => sum + n, 0)
      await recordAudit(db, TOKEN_ACTOR, { action: 'backfillStorefront', target: { kind: 'storefront', key: request.params.id }, count })
      return reply.status(202).send({ storefront: request.params.id, entities })
    },
  )
}

const sourceRoutes: FastifyPluginAsyncZod<AdminApiOptions> = async (app, { db, sources, pull }) => {
  app.get('/sources', { schema: { operationId: 'listSources', summary: 'OData sources with their last run', response: { 200: SourcesList } } }, async () => {
    const last = await lastRunOf(
      db,
      sources.map((source) => `odata:${source.name}`),
    )
    return { configured: pull !== undefined, sources: sources.map((source) => ({ ...source, lastRun: last.get(`odata:${source.name}`) ?? null })) }
  })

  app.post(
    '/sources/:name/pull',
    { schema: { operationId: 'pullSource', summary: 'Queue a pull of an OData source', params: z.object({ name: z.string() }), response: { 202: PullQueued, 409: ErrorBody } } },
    async (request, reply) => {
      const { name } = request.params
      if (!sources.some((source) => source.name === name))
        throw new AppError('NOT_FOUND', `no OData source ${JSON.stringify(name)}; sources: ${sources.map((source) => source.name).join(', ') || 'none'}`)
      if (!pull) throw new AppError('CONFLICT', 'OData is not configured (set ODATA_URL, ODATA_USER, ODATA_PASSWORD)')
      const jobId = await pull(name)
      await recordAudit(db, TOKEN_ACTOR, { action: 'pullSource', target: { kind: 'source', key: `odata:${name}` }, count: jobId === null ? 0 : 1 })
      return reply.status(202).send({ queued: jobId !== null, jobId, message: jobId === null ? 'a pull of this source is already queued' : 'queued' })
    },
  )
}

const UserBody = z.object({
  login: z.string(),
  password: z.string(),
  role: z.enum(ROLES),
  /** Change the password and role of an existing user instead of refusing. */
  replace: z.boolean().default(false),
})

/** Orders sent again, console users, the audit log. */
const supportRoutes: FastifyPluginAsyncZod<AdminApiOptions> = async (app, { db, retryOrder }) => {
  app.post(
    '/orders/:id/retry',
    {
      schema: {
        operationId: 'retryOrder',
        summary: 'Send an order 1C has not taken or posted to 1C again',
        params: IdParams,
        response: { 200: z.object({ orderId: z.string(), via: z.string() }), 409: ErrorBody },
      },
    },
    async (request) => {
      const outcome = found(await retryOrder(request.params.id), `no order ${JSON.stringify(request.params.id)}`)
      await recordAudit(db, TOKEN_ACTOR, { action: 'retryOrder', target: { kind: 'order', key: request.params.id }, count: outcome.retried ? 1 : 0, details: outcome })
      if (!outcome.retried) throw new AppError('CONFLICT', outcome.reason.en)
      return { orderId: request.params.id, via: outcome.via }
    },
  )
  app.get(
    '/users',
    {
      schema: { operationId: 'listUsers', summary: 'Console users and their roles', response: { 200: z.object({ users: z.array(Row({ login: z.string(), role: z.string() })) }) } },
    },
    async () => ({
      users: await listUsers(db),
    }),
  )
  app.post(
    '/users',
    {
      schema: {
        operationId: 'saveUser',
        summary: 'Create a console user (or, with replace, set its password and role)',
        body: UserBody,
        response: { 201: z.object({ login: z.string(), role: z.string(), done: z.string() }), 409: ErrorBody },
      },
    },
    async (request, reply) => {
      try {
        const done = await saveUser(db, { ...request.body, by: TOKEN_ACTOR.login })
        await recordAudit(db, TOKEN_ACTOR, { action: 'saveUser', target: { kind: 'user', key: request.body.login }, count: 1, details: { role: request.body.role, done } })
        return reply.status(201).send({ login: request.body.login, role: request.body.role, done })
      } catch (error) {
        if (error instanceof UserError) throw new AppError(error.message.endsWith('exists') ? 'CONFLICT' : 'BAD_REQUEST', error.message)
        throw error
      }
    },
  )
  app.get(
    '/audit',
    {
      schema: {
        operationId: 'listAudit',
        summary: 'Every write through the console and the admin API, newest first',
        querystring: z.object({ before: z.coerce.number().int().positive().optional(), actor: z.string().optional(), limit: Limit(500, 100) }),
        response: { 200: z.object({ entries: z.array(Row({ action: z.string(), actor: z.string() })) }) },
      },
    },
    async (request) => ({ entries: await listAudit(db, request.query) }),
  )
}

export const adminApi: FastifyPluginAsyncZod<AdminApiOptions> = async (app, { db, adminToken, sources, pull, shareBonusAtHead, owners, webhooks, retryOrder }) => {
  app.addHook('onRequest', requireBearer(adminToken))
  securedBy(app, 'adminToken')
  // Each group gets the options by name: passing them on whole would repeat the prefix.
  const options: AdminApiOptions = { db, adminToken, sources, pull, shareBonusAtHead, owners, webhooks, retryOrder }
  await app.register(stateRoutes, options)
  await app.register(storefrontRoutes, options)
  await app.register(storefrontLifecycleRoutes, options)
  await app.register(storefrontKeyRoutes, options)
  await app.register(sourceRoutes, options)
  await app.register(supportRoutes, options)
}
