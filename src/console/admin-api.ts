/**
 * The admin read API (Bearer ADMIN_TOKEN): runs, entity state with its history, and the event
 * log. Support staff use it (and the console built on it) to answer "why does customer X see Y?".
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ENTITY_KINDS, isEntityKind } from '../domain/index.ts'
import { loadBonusView } from '../sync/bonus-view.ts'
import { AppError } from '../http/errors.ts'
import { requireBearer } from '../http/auth.ts'
import type { Db } from '../store/index.ts'
import type { WebhookEngine } from '../sync/webhooks.ts'
import { randomBytes } from 'node:crypto'
import { hashApiKey } from '../storefront/api.ts'
import { getEntity, getRun, listEvents, listRuns } from '../sync/index.ts'
import { getOrder } from '../sync/orders.ts'

export interface AdminApiOptions {
  db: Db
  adminToken: string
  /** OData sources of the mapping profile. */
  sources: Array<{ name: string; entity: string; set: string; everyMs: number }>
  /** Queues a pull of a source; absent when OData is not configured. */
  pull?: (name: string) => Promise<string | null>
  /** The profile's rule for groups of companies. */
  shareBonusAtHead: boolean
  webhooks: WebhookEngine
}

const RunId = z.coerce.number().int().positive()
const Limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback)

export const adminApi: FastifyPluginAsyncZod<AdminApiOptions> = async (app, { db, adminToken, sources, pull, shareBonusAtHead, webhooks }) => {
  app.addHook('onRequest', requireBearer(adminToken))

  app.get(
    '/runs',
    {
      schema: {
        querystring: z.object({
          limit: Limit(500, 50),
          before: RunId.optional(),
          source: z.string().optional(),
          status: z.enum(['running', 'succeeded', 'failed']).optional(),
        }),
      },
    },
    async (request) => {
      const runs = await listRuns(db, request.query)
      const last = runs.at(-1)
      return { runs, next: runs.length === request.query.limit && last ? { before: last.id } : null }
    },
  )

  app.get(
    '/runs/:id',
    { schema: { params: z.object({ id: RunId }), querystring: z.object({ eventsLimit: Limit(1000, 100) }) } },
    async (request) => {
      const run = await getRun(db, request.params.id)
      if (!run) throw new AppError('NOT_FOUND', `sync run ${request.params.id} does not exist`)
      const events = await listEvents(db, 0, request.query.eventsLimit, run.id)
      return { run, events }
    },
  )

  app.get(
    '/entities/:kind/:key',
    { schema: { params: z.object({ kind: z.string(), key: z.string().min(1) }), querystring: z.object({ historyLimit: Limit(1000, 50) }) } },
    async (request) => {
      const { kind, key } = request.params
      if (!isEntityKind(kind)) throw new AppError('NOT_FOUND', `unknown entity kind ${JSON.stringify(kind)}; kinds: ${ENTITY_KINDS.join(', ')}`)
      const entity = await getEntity(db, kind, key, request.query.historyLimit)
      if (!entity) throw new AppError('NOT_FOUND', `no ${kind} with key ${JSON.stringify(key)}`)
      return entity
    },
  )

  app.get('/customers/:id/bonus', { schema: { params: z.object({ id: z.string().min(1) }) } }, async (request) => {
    const view = await loadBonusView(db, request.params.id, shareBonusAtHead)
    if (!view) throw new AppError('NOT_FOUND', `no customer with key ${JSON.stringify(request.params.id)}`)
    // What orders taken here hold on the account spent from: the difference between 1C's balance and what the storefront shows.
    const accountId = view.effective?.customerId ?? null
    const holds = accountId
      ? await db.query<{ amountMinor: number }>(
          `select h.order_id as "orderId", o.number, o.status as "orderStatus", h.amount_minor as "amountMinor", h.created_at as "createdAt", h.confirmed_at as "confirmedAt"
             from bonus_holds h join orders o on o.id = h.order_id
            where h.account_id = $1 and h.status = 'active' order by h.id`,
          [accountId],
        )
      : []
    const heldMinor = holds.reduce((sum, hold) => sum + Number(hold.amountMinor), 0)
    return {
      customerId: request.params.id,
      shareAtHead: shareBonusAtHead,
      ...view,
      heldMinor,
      availableMinor: view.effective ? Math.max(0, view.effective.balanceMinor - heldMinor) : 0,
      holds,
    }
  })

  app.get(
    '/orders',
    {
      schema: {
        querystring: z.object({
          status: z.enum(['accepted', 'exported', 'confirmed', 'cancelled', 'failed']).optional(),
          customerId: z.string().optional(),
          number: z.string().optional(),
          limit: Limit(500, 50),
        }),
      },
    },
    async (request) => {
      const { status, customerId, number, limit } = request.query
      return {
        orders: await db.query(
          `select id, storefront_id as "storefrontId", external_id as "externalId", number, customer_id as "customerId", status, bonus_minor as "bonusMinor",
                  onec->>'number' as "oneCNumber", last_error as "error", created_at as "createdAt", updated_at as "updatedAt"
             from orders
            where ($1::text is null or status = $1) and ($2::text is null or customer_id = $2) and ($3::text is null or number = $3)
            order by created_at desc, id limit $4`,
          [status ?? null, customerId ?? null, number ?? null, limit],
        ),
      }
    },
  )

  app.get('/orders/:id', { schema: { params: z.object({ id: z.string().min(1) }) } }, async (request) => {
    const order = await getOrder(db, request.params.id, null)
    if (!order) throw new AppError('NOT_FOUND', `no order ${JSON.stringify(request.params.id)}`)
    return order
  })

  app.get('/storefronts', async () => ({
    storefronts: await db.query(
      `select s.id, s.url, s.event_types as events, s.enabled, s.local, s.disabled_reason as "disabledReason", s.failing_since as "failingSince", s.cursor,
              (select count(*)::int from deliveries d where d.storefront_id = s.id and d.status = 'pending') as pending,
              (select count(*)::int from deliveries d where d.storefront_id = s.id and d.status = 'dead') as dead
         from storefronts s order by s.id`,
    ),
  }))

  app.patch(
    '/storefronts/:id',
    { schema: { params: z.object({ id: z.string() }), body: z.object({ enabled: z.boolean().optional(), events: z.array(z.string()).optional(), url: z.string().url().optional() }) } },
    async (request) => {
      const { enabled, events, url } = request.body
      const rows = await db.query(
        `update storefronts set enabled = coalesce($2, enabled), event_types = coalesce($3::jsonb, event_types), url = coalesce($4, url),
           disabled_reason = case when $2 then null else disabled_reason end, failing_since = case when $2 then null else failing_since end, updated_at = now()
         where id = $1 returning id, url, event_types as events, enabled`,
        [request.params.id, enabled ?? null, events ? JSON.stringify(events) : null, url ?? null],
      )
      if (rows.length === 0) throw new AppError('NOT_FOUND', `no storefront ${JSON.stringify(request.params.id)}`)
      return rows[0]
    },
  )

  app.post('/storefronts/:id/keys', { schema: { params: z.object({ id: z.string() }) } }, async (request, reply) => {
    const key = `sk_${randomBytes(24).toString('base64url')}`
    const rows = await db.query(`update storefronts set api_key_hashes = api_key_hashes || $2::jsonb, updated_at = now() where id = $1 returning id`, [
      request.params.id,
      JSON.stringify([hashApiKey(key)]),
    ])
    if (rows.length === 0) throw new AppError('NOT_FOUND', `no storefront ${JSON.stringify(request.params.id)}`)
    // Shown once: only its hash is kept.
    return reply.status(201).send({ storefront: request.params.id, apiKey: key })
  })

  app.get(
    '/storefronts/:id/deliveries',
    { schema: { params: z.object({ id: z.string() }), querystring: z.object({ status: z.enum(['pending', 'delivered', 'dead', 'superseded']).optional(), limit: Limit(500, 50) }) } },
    async (request) => ({
      deliveries: await db.query(
        `select d.*, (select json_agg(a order by a.id) from delivery_attempts a where a.delivery_id = d.id) as attempt_log
           from deliveries d where d.storefront_id = $1 and ($2::text is null or d.status = $2) order by d.id desc limit $3`,
        [request.params.id, request.query.status ?? null, request.query.limit],
      ),
    }),
  )

  app.post('/deliveries/:id/replay', { schema: { params: z.object({ id: RunId }) } }, async (request) => {
    const [exists] = await db.query('select 1 from deliveries where id = $1', [request.params.id])
    if (!exists) throw new AppError('NOT_FOUND', `no delivery ${request.params.id}`)
    await webhooks.replay(request.params.id)
    const [delivery] = await db.query('select id, status, attempts, last_status as "lastStatus", last_error as "lastError" from deliveries where id = $1', [request.params.id])
    return delivery
  })

  app.post(
    '/storefronts/:id/recover',
    { schema: { params: z.object({ id: z.string() }), body: z.object({ since: z.iso.datetime({ offset: true }), dryRun: z.boolean().default(true) }) } },
    async (request) => {
      const count = await webhooks.recover(request.params.id, new Date(request.body.since), request.body.dryRun)
      return { storefront: request.params.id, since: request.body.since, dryRun: request.body.dryRun, count }
    },
  )

  app.get('/sources', async () => {
    const last = await listRuns(db, { limit: 500 })
    return {
      configured: pull !== undefined,
      sources: sources.map((source) => ({ ...source, lastRun: last.find((run) => run.source === `odata:${source.name}`) ?? null })),
    }
  })

  app.post('/sources/:name/pull', { schema: { params: z.object({ name: z.string() }) } }, async (request, reply) => {
    const { name } = request.params
    if (!sources.some((source) => source.name === name)) throw new AppError('NOT_FOUND', `no OData source ${JSON.stringify(name)}; sources: ${sources.map((source) => source.name).join(', ') || 'none'}`)
    if (!pull) throw new AppError('CONFLICT', 'OData is not configured (set ODATA_URL, ODATA_USER, ODATA_PASSWORD)')
    const jobId = await pull(name)
    return reply.status(202).send({ queued: jobId !== null, jobId, message: jobId === null ? 'a pull of this source is already queued' : 'queued' })
  })

  app.get(
    '/events',
    { schema: { querystring: z.object({ after: z.coerce.number().int().min(0).default(0), limit: Limit(1000, 100) }) } },
    async (request) => {
      const events = await listEvents(db, request.query.after, request.query.limit)
      return { events, next: { after: events.at(-1)?.seq ?? request.query.after } }
    },
  )
}
