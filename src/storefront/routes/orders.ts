/** The bonus quote of a cart, and orders: take, cancel, read. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { LineText } from '../../domain/index.ts'
import { AppError } from '../../http/errors.ts'
import { cancelOrder, getOrder, OrderInput, quoteCart, QuoteAnswer, QuoteCache, QuoteRequest, takeOrder, type IntakeOptions, type QuoteRules } from '../../orders/index.ts'
import { crashPoint } from '../../store/crash-point.ts'
import type { ChangeFeed, Db } from '../../store/index.ts'
import { requireVisible } from '../scope.ts'
import { asJson, CancelRequest, ErrorBody, IdParams, OrderView } from '../schemas.ts'

export interface OrderRoutesOptions {
  db: Db
  /** The profile's rules of quotes: groups of companies, whose prices count. */
  rules: QuoteRules
  /** Orders wait for 1C's order exchange (type=sale&mode=query). */
  viaSaleExchange: boolean
  /** Forwarding over OData: the job queued with each new order, and the wake after its commit. */
  forward?: { queue: NonNullable<IntakeOptions['queueForward']>; wake: () => void } | undefined
  /** The longest order number 1C keeps (profile orders.numberMaxLength). */
  numberMaxLength: number
  /** Holds other instances take or end (the quote cache drops their accounts at once). */
  changes?: ChangeFeed | undefined
}

export const orderRoutes: FastifyPluginAsyncZod<OrderRoutesOptions> = async (app, { db, rules, viaSaleExchange, forward, numberMaxLength, changes }) => {
  // Reference data of quotes, kept while no import or pull changes the state.
  const cache = new QuoteCache()
  changes?.on('holds', (change) => {
    if (change.topic === 'holds' && change.accounts) cache.holdsChanged(change.accounts)
    else cache.reset(-1)
  })

  app.post(
    '/bonus/quote',
    {
      schema: {
        tags: ['bonus'],
        operationId: 'quoteCart',
        summary: 'How many points this cart may take',
        description:
          'How many points this cart may take, by УТ 11.5’s rule: the cap per line (price group, else the product, else the programme), lines outside the programme’s segment or with a discount above the cap excluded, at most the available balance; the applied amount spread over lines in proportion to their caps. Points are minor units (2 decimals).',
        body: QuoteRequest,
        response: { 200: QuoteAnswer, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      await requireVisible(db, request.customerScope, request.body.customerId)
      return quoteCart(db, request.body, rules, cache)
    },
  )

  app.post(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        operationId: 'createOrder',
        summary: 'Take an order',
        description:
          'Takes an order: 201 with the new order; 200 with the order this key already made. Send an `Idempotency-Key` header: the same key and body give the same order, the same key with another body 409. The bonus amount is checked against the quote computed here (422 with the cap when above it) and held on the account at once.',
        headers: z.object({ 'idempotency-key': LineText(200, 8).describe('A stable value per order (site id + order id): the same on every retry.') }),
        body: OrderInput,
        response: { 200: OrderView, 201: OrderView, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      await requireVisible(db, request.customerScope, request.body.customerId)
      const options: IntakeOptions = { viaSaleExchange, cache, queueForward: forward?.queue, numberMaxLength }
      const stored = await takeOrder(db, request.storefrontId, request.headers['idempotency-key'], request.body, rules, options)
      if (stored.created) {
        crashPoint('after-order-commit')
        forward?.wake()
      }
      return reply.status(stored.created ? 201 : 200).send(asJson(await getOrder(db, stored.id, request.storefrontId)) as z.infer<typeof OrderView>)
    },
  )

  app.post(
    '/orders/:id/cancel',
    {
      schema: {
        tags: ['orders'],
        operationId: 'cancelOrder',
        summary: 'Cancel an order',
        description:
          'Cancels an order: its bonus hold is released. If 1C took it through the order exchange, it is sent again with Отменен=true and UT 11 cancels its order; if it was sent over OData, 409 — cancel it in 1C (the status comes back).',
        params: IdParams,
        body: CancelRequest,
        response: { 200: OrderView, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      await cancelOrder(db, request.params.id, request.storefrontId, request.body?.reason, cache)
      return asJson(await getOrder(db, request.params.id, request.storefrontId)) as z.infer<typeof OrderView>
    },
  )
}

/** One of the storefront's orders. */
export const orderReadRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/orders/:id',
    {
      schema: {
        tags: ['orders'],
        operationId: 'getOrder',
        summary: 'An order',
        description: 'One of this storefront’s orders: its status, what 1C says of it, its history and holds.',
        params: IdParams,
        response: { 200: OrderView, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const order = await getOrder(db, request.params.id, request.storefrontId)
      if (!order) throw new AppError('NOT_FOUND', `no order ${JSON.stringify(request.params.id)}`)
      return asJson(order) as z.infer<typeof OrderView>
    },
  )
}
