/** Price types, warehouses, offers a page at a time (with a customer's prices and bonus terms when asked). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { LineText, type Offer } from '../../domain/index.ts'
import { AppError } from '../../http/errors.ts'
import { offersForCustomer, requireTerms, type QuoteRules } from '../../orders/index.ts'
import { readAll, readEntity, readPage } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { requireVisible, type CustomerScope } from '../scope.ts'
import { Cursor, decodeCursor, encodeCursor, ErrorBody, IdParams, Limit, NextCursor, OfferView, PriceTypeView, WarehouseView } from '../schemas.ts'

const ForCustomer = {
  /** Adds `forCustomer` to each offer: its price for this customer's price type, and whether points may pay for it (the bonus label). */
  customerId: LineText(200, 1).optional(),
}
const OffersQuery = z.object({ cursor: Cursor.optional(), limit: Limit, updatedSince: z.iso.datetime({ offset: true }).optional(), ...ForCustomer })

/** Adds `forCustomer` to offers when a customer is named (and in the storefront's scope). */
function withCustomerTerms(db: Db, rules: QuoteRules) {
  return async <O extends Offer>(request: { customerScope: CustomerScope | null }, customerId: string | undefined, offers: O[]) => {
    if (customerId === undefined) return offers
    await requireVisible(db, request.customerScope, customerId)
    const terms = await requireTerms(db, customerId, rules)
    const known = await offersForCustomer(db, terms, offers)
    return offers.map((offer) => ({ ...offer, forCustomer: known.get(offer.id) }))
  }
}

export const catalogRoutes: FastifyPluginAsyncZod<{ db: Db; rules: QuoteRules }> = async (app, { db, rules }) => {
  const found = <T>(value: T | null, what: string, id: string): T => {
    if (value === null) throw new AppError('NOT_FOUND', `no ${what} ${JSON.stringify(id)}`)
    return value
  }
  const schema = { tags: ['catalogue'] }

  const forCustomer = withCustomerTerms(db, rules)

  app.get(
    '/price-types',
    {
      schema: {
        ...schema,
        operationId: 'listPriceTypes',
        summary: 'Price types',
        response: { 200: z.object({ priceTypes: z.array(PriceTypeView) }), 401: ErrorBody },
      },
    },
    async () => ({ priceTypes: await readAll(db, 'price_type') }),
  )

  app.get(
    '/warehouses',
    {
      schema: {
        ...schema,
        operationId: 'listWarehouses',
        summary: 'Warehouses',
        response: { 200: z.object({ warehouses: z.array(WarehouseView) }), 401: ErrorBody },
      },
    },
    async () => ({ warehouses: await readAll(db, 'warehouse') }),
  )

  app.get(
    '/offers',
    {
      schema: {
        ...schema,
        operationId: 'listOffers',
        summary: 'Offers, a page at a time',
        description:
          'Offers in key order, a page at a time: pass `next.cursor` back as `cursor`. `updatedSince` (ISO time) keeps only offers changed after it. With `customerId`, each offer carries `forCustomer`: its price for the customer’s price type and whether points may pay for it.',
        querystring: OffersQuery,
        response: { 200: z.object({ offers: z.array(OfferView), next: NextCursor }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { cursor, updatedSince, limit, customerId } = request.query
      const page = await readPage(db, 'offer', { after: decodeCursor(cursor), updatedSince, limit })
      return { offers: await forCustomer(request, customerId, page.items), next: page.next === null ? null : { cursor: encodeCursor(page.next) } }
    },
  )

  app.get(
    '/offers/:id',
    {
      schema: {
        ...schema,
        operationId: 'getOffer',
        summary: 'An offer',
        description: 'Prices of every price type and stock per warehouse; with `customerId`, `forCustomer` as in the list.',
        params: IdParams,
        querystring: z.object(ForCustomer),
        response: { 200: OfferView, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const offer = found(await readEntity(db, 'offer', request.params.id), 'offer', request.params.id)
      const [answer] = await forCustomer(request, request.query.customerId, [offer])
      return answer ?? offer
    },
  )
}
