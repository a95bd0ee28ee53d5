/**
 * The REST API storefronts read (`Authorization: Bearer <storefront key>`): price types,
 * warehouses, offers with cursor paging, products, customers by id or ИНН, a customer's bonus
 * account, and the change feed to catch up without webhooks. Schemas are zod, and the OpenAPI
 * document at /docs is generated from the same schemas.
 */
import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  BonusAccount,
  Customer,
  Offer,
  PriceType,
  Product,
  QuoteInputError,
  Warehouse,
} from '../domain/index.ts'
import { loadBonusView } from '../sync/bonus-view.ts'
import { activeHolds, cancelOrder, getOrder, OrderError, QuoteCache, quoteFor, takeOrder } from '../sync/orders.ts'
import { AppError } from '../http/errors.ts'
import { bearerToken } from '../http/auth.ts'
import type { Db } from '../store/index.ts'
import { webhookType } from './webhook-rules.ts'

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

const Versioned = { version: z.number().int(), updatedAt: z.string() }
const Error_ = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string() }) })
const KEY_CACHE_MS = 5_000
/**
 * A cart quote may use holds and the state generation read up to this long ago (an order is
 * checked afresh under its lock; orders taken by this process are seen at once).
 */
const QUOTE_STALE_MS = 1_000
const Limit = z.coerce.number().int().min(1).max(1000).default(100)

export interface StorefrontApiOptions {
  db: Db
  shareBonusAtHead: boolean
  /** Orders wait for 1C's order exchange (type=sale&mode=query). */
  viaSaleExchange?: boolean
  /** Called after a new order is stored (queues its forwarding to 1C). */
  onAccepted?: (orderId: string) => Promise<unknown>
}

interface StateRow extends Record<string, unknown> {
  key: string
  version: number
  updated_at: Date
  data: Record<string, unknown>
}

const view = (row: StateRow) => ({ ...row.data, version: row.version, updatedAt: row.updated_at.toISOString() })

declare module 'fastify' {
  interface FastifyRequest {
    /** The storefront whose API key the request carries. */
    storefrontId: string
  }
}

export const storefrontApi: FastifyPluginAsyncZod<StorefrontApiOptions> = async (app, { db, shareBonusAtHead, viaSaleExchange = true, onAccepted }) => {
  // Reference data of quotes, kept while no import or pull changes the state.
  const quoteCache = new QuoteCache()
  // Keys recognised in the last few seconds, so that a busy storefront costs no statement per
  // request for its key; a key taken away stops working within KEY_CACHE_MS.
  const knownKeys = new Map<string, { storefrontId: string; until: number }>()
  app.decorateRequest('storefrontId', '')
  app.addHook('onRequest', async (request) => {
    const key = bearerToken(request)
    if (!key) throw new AppError('UNAUTHORIZED', 'missing Authorization: Bearer <storefront API key>')
    const hash = hashApiKey(key)
    const known = knownKeys.get(hash)
    if (known && known.until > Date.now()) {
      request.storefrontId = known.storefrontId
      return
    }
    const [storefront] = await db.query<{ id: string }>(`select id from storefronts where api_key_hashes @> $1::jsonb`, [JSON.stringify([hash])])
    if (!storefront) {
      knownKeys.delete(hash)
      throw new AppError('UNAUTHORIZED', 'unknown API key')
    }
    if (knownKeys.size > 1000) knownKeys.clear()
    knownKeys.set(hash, { storefrontId: storefront.id, until: Date.now() + KEY_CACHE_MS })
    request.storefrontId = storefront.id
  })

  const one = async (kind: string, key: string) => {
    const [row] = await db.query<StateRow>('select key, version, updated_at, data from entity_state where kind = $1 and key = $2', [kind, key])
    if (!row) throw new AppError('NOT_FOUND', `no ${kind.replace('_', ' ')} ${JSON.stringify(key)}`)
    return row
  }
  const all = async (kind: string) =>
    (await db.query<StateRow>('select key, version, updated_at, data from entity_state where kind = $1 and not removed order by key', [kind])).map(view)

  app.get('/price-types', { schema: { tags: ['catalogue'], response: { 200: z.object({ priceTypes: z.array(PriceType.extend(Versioned)) }) } } }, async () => ({
    priceTypes: (await all('price_type')) as never,
  }))

  app.get('/warehouses', { schema: { tags: ['catalogue'], response: { 200: z.object({ warehouses: z.array(Warehouse.extend(Versioned)) }) } } }, async () => ({
    warehouses: (await all('warehouse')) as never,
  }))

  app.get(
    '/offers',
    {
      schema: {
        tags: ['catalogue'],
        description: 'Offers in key order, a page at a time: pass `next.cursor` back as `cursor`. `updatedSince` (ISO time) keeps only offers changed after it.',
        querystring: z.object({ cursor: z.string().optional(), limit: Limit, updatedSince: z.iso.datetime({ offset: true }).optional() }),
        response: { 200: z.object({ offers: z.array(Offer.extend(Versioned)), next: z.object({ cursor: z.string() }).nullable() }) },
      },
    },
    async (request) => {
      const after = request.query.cursor ? Buffer.from(request.query.cursor, 'base64url').toString('utf8') : ''
      const rows = await db.query<StateRow>(
        `select key, version, updated_at, data from entity_state
          where kind = 'offer' and key > $1 and ($2::timestamptz is null or updated_at > $2)
          order by key limit $3`,
        [after, request.query.updatedSince ?? null, request.query.limit],
      )
      const last = rows.at(-1)
      return {
        offers: rows.map(view) as never,
        next: rows.length === request.query.limit && last ? { cursor: Buffer.from(last.key).toString('base64url') } : null,
      }
    },
  )

  app.get('/offers/:id', { schema: { tags: ['catalogue'], params: z.object({ id: z.string() }), response: { 200: Offer.extend(Versioned), 404: Error_ } } }, async (request) => view(await one('offer', request.params.id)) as never)

  app.get('/products/:id', { schema: { tags: ['catalogue'], params: z.object({ id: z.string() }), response: { 200: Product.extend(Versioned), 404: Error_ } } }, async (request) => view(await one('product', request.params.id)) as never)

  app.get(
    '/customers',
    { schema: { tags: ['customers'], querystring: z.object({ inn: z.string().regex(/^\d{10}(\d{2})?$/, 'an ИНН of 10 or 12 digits') }), response: { 200: z.object({ customers: z.array(Customer.extend(Versioned)) }) } } },
    async (request) => ({
      customers: (await db.query<StateRow>(`select key, version, updated_at, data from entity_state where kind = 'customer' and data->>'inn' = $1 order by key`, [request.query.inn])).map(view) as never,
    }),
  )

  app.get('/customers/:id', { schema: { tags: ['customers'], params: z.object({ id: z.string() }), response: { 200: Customer.extend(Versioned), 404: Error_ } } }, async (request) => view(await one('customer', request.params.id)) as never)

  app.get(
    '/customers/:id/bonus',
    {
      schema: {
        tags: ['customers'],
        description: 'The bonus account the customer spends from (its head company’s when the profile shares bonuses at the head), with what is still available.',
        params: z.object({ id: z.string() }),
        response: {
          200: BonusAccount.extend({ availableMinor: z.number().int(), sharedFrom: z.string().nullable() }),
          404: Error_,
        },
      },
    },
    async (request) => {
      await one('customer', request.params.id)
      const bonus = await loadBonusView(db, request.params.id, shareBonusAtHead)
      if (!bonus) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(request.params.id)}`)
      if (!bonus.effective) throw new AppError('NOT_FOUND', `customer ${JSON.stringify(request.params.id)} has no bonus account`)
      // What orders taken here hold is spent already, although 1C does not know it yet.
      const held = await activeHolds(db, bonus.effective.customerId)
      return { ...bonus.effective, availableMinor: Math.max(0, bonus.effective.balanceMinor - held), sharedFrom: bonus.sharedFrom }
    },
  )

  app.post(
    '/bonus/quote',
    {
      schema: {
        tags: ['bonus'],
        description:
          'How many points this cart may take, by УТ 11.5’s rule: the cap per line (price group, else the product, else the programme), lines outside the programme’s segment or with a discount above the cap excluded, at most the available balance; the applied amount spread over lines in proportion to their caps. Points are minor units (2 decimals).',
        body: z.object({
          customerId: z.string().min(1),
          lines: z.array(z.object({ offerId: z.string().min(1), quantity: z.number().positive(), unitPriceMinor: z.number().int().min(0), autoDiscountPercent: z.number().min(0).max(100).optional() })).min(1).max(500),
          requestedPoints: z.number().int().min(0).optional(),
        }),
        response: {
          200: z.object({
            customerId: z.string(),
            programId: z.string().nullable(),
            sharedFrom: z.string().nullable(),
            lines: z.array(
              z.object({
                offerId: z.string(),
                eligible: z.boolean(),
                reason: z.string().nullable(),
                capPercent: z.number(),
                capSource: z.enum(['price_group', 'programme', 'product']).nullable(),
                capMinor: z.number().int(),
                allocatedMinor: z.number().int(),
              }),
            ),
            availableMinor: z.number().int(),
            maxRedeemableMinor: z.number().int(),
            appliedMinor: z.number().int(),
            appliedMoneyMinor: z.number().int(),
          }),
          404: Error_,
        },
      },
    },
    async (request) => {
      const { customerId, lines, requestedPoints } = request.body
      try {
        const result = await quoteFor(db, customerId, lines, requestedPoints, shareBonusAtHead, quoteCache, QUOTE_STALE_MS)
        if (!result) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(customerId)}`)
        return { customerId, programId: result.account?.programId ?? null, sharedFrom: result.bonus.sharedFrom, ...result.quote }
      } catch (error) {
        if (error instanceof QuoteInputError) throw new AppError('BAD_REQUEST', error.message)
        throw error
      }
    },
  )

  const OrderBody = z.object({
    externalId: z.string().min(1).max(100),
    number: z.string().min(1).max(100),
    customerId: z.string().min(1),
    lines: z
      .array(z.object({ offerId: z.string().min(1), quantity: z.number().positive(), unitPriceMinor: z.number().int().min(0), autoDiscountPercent: z.number().min(0).max(100).optional() }))
      .min(1)
      .max(500),
    bonusMinor: z.number().int().min(0).default(0),
    delivery: z.record(z.string(), z.unknown()).optional(),
    paymentMethod: z.string().max(200).optional(),
    comment: z.string().max(2000).optional(),
  })

  app.post(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        description:
          'Takes an order. Send an `Idempotency-Key` header: the same key and body give the same order, the same key with another body 409. The bonus amount is checked against the quote computed here (422 with the cap when above it) and held on the account at once.',
        headers: z.object({ 'idempotency-key': z.string().min(8).max(200) }),
        body: OrderBody,
      },
    },
    async (request, reply) => {
      try {
        const stored = await takeOrder(db, request.storefrontId, request.headers['idempotency-key'], request.body, shareBonusAtHead, { viaSaleExchange, cache: quoteCache })
        if (stored.created && onAccepted) {
          // Stored durably already; a lost queue message is picked up by the sweep.
          await onAccepted(stored.id).catch((error: unknown) => request.log.warn({ err: error, order: stored.id }, 'could not queue the order for 1C'))
        }
        const order = await getOrder(db, stored.id, request.storefrontId)
        return reply.status(stored.created ? 201 : 200).send(order)
      } catch (error) {
        if (error instanceof OrderError) throw new AppError(error.code === 'conflict' ? 'CONFLICT' : error.code === 'not_found' ? 'NOT_FOUND' : 'UNPROCESSABLE', error.message, { details: error.details })
        if (error instanceof QuoteInputError) throw new AppError('BAD_REQUEST', error.message)
        throw error
      }
    },
  )

  app.post(
    '/orders/:id/cancel',
    {
      schema: {
        tags: ['orders'],
        description:
          'Cancels an order: its bonus hold is released. If 1C took it through the order exchange, it is sent again with Отменен=true and UT 11 cancels its order; if it was sent over OData, 409 — cancel it in 1C (the status comes back).',
        params: z.object({ id: z.string() }),
        body: z.object({ reason: z.string().max(500).optional() }).optional(),
      },
    },
    async (request) => {
      try {
        await cancelOrder(db, request.params.id, request.storefrontId, request.body?.reason, quoteCache)
      } catch (error) {
        if (error instanceof OrderError) throw new AppError(error.code === 'conflict' ? 'CONFLICT' : error.code === 'not_found' ? 'NOT_FOUND' : 'UNPROCESSABLE', error.message)
        throw error
      }
      return getOrder(db, request.params.id, request.storefrontId)
    },
  )

  app.get('/orders/:id', { schema: { tags: ['orders'], params: z.object({ id: z.string() }) } }, async (request) => {
    const order = await getOrder(db, request.params.id, request.storefrontId)
    if (!order) throw new AppError('NOT_FOUND', `no order ${JSON.stringify(request.params.id)}`)
    return order
  })

  app.get(
    '/events',
    {
      schema: {
        tags: ['changes'],
        description: 'The change feed: every change after `after`, in order; pass `next.after` back. The same messages as the webhooks, without the bodies: fetch the entity by id.',
        querystring: z.object({ after: z.coerce.number().int().min(0).default(0), limit: Limit }),
        response: {
          200: z.object({
            events: z.array(z.object({ seq: z.number().int(), type: z.string(), kind: z.string(), key: z.string(), version: z.number().int(), createdAt: z.string() })),
            next: z.object({ after: z.number().int() }),
          }),
        },
      },
    },
    async (request) => {
      const rows = await db.query<{ seq: number; kind: string; key: string; version: number; type: 'created' | 'updated' | 'removed'; message_type: string | null; created_at: Date }>(
        `select seq, kind, key, version, type, message_type, created_at from events
          where seq > $1 and (storefront_id is null or storefront_id = $3) order by seq limit $2`,
        [request.query.after, request.query.limit, request.storefrontId],
      )
      return {
        events: rows.map((row) => ({ seq: row.seq, type: row.message_type ?? webhookType(row.kind, row.type), kind: row.kind, key: row.key, version: row.version, createdAt: row.created_at.toISOString() })),
        next: { after: rows.at(-1)?.seq ?? request.query.after },
      }
    },
  )
}
