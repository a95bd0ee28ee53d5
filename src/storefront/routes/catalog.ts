/** Price types, warehouses, offers a page at a time, products. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { Offer, PriceType, Product, Warehouse } from '../../domain/index.ts'
import { AppError } from '../../http/errors.ts'
import { readAll, readEntity, readPage } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { ErrorBody, IdParams, Limit, Versioned } from '../schemas.ts'

const OffersQuery = z.object({ cursor: z.string().optional(), limit: Limit, updatedSince: z.iso.datetime({ offset: true }).optional() })

export const catalogRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const found = <T>(value: T | null, what: string, id: string): T => {
    if (value === null) throw new AppError('NOT_FOUND', `no ${what} ${JSON.stringify(id)}`)
    return value
  }
  const schema = { tags: ['catalogue'] }

  app.get('/price-types', { schema: { ...schema, response: { 200: z.object({ priceTypes: z.array(PriceType.extend(Versioned)) }) } } }, async () => ({
    priceTypes: await readAll(db, 'price_type'),
  }))

  app.get('/warehouses', { schema: { ...schema, response: { 200: z.object({ warehouses: z.array(Warehouse.extend(Versioned)) }) } } }, async () => ({
    warehouses: await readAll(db, 'warehouse'),
  }))

  app.get(
    '/offers',
    {
      schema: {
        ...schema,
        description: 'Offers in key order, a page at a time: pass `next.cursor` back as `cursor`. `updatedSince` (ISO time) keeps only offers changed after it.',
        querystring: OffersQuery,
        response: { 200: z.object({ offers: z.array(Offer.extend(Versioned)), next: z.object({ cursor: z.string() }).nullable() }) },
      },
    },
    async (request) => {
      const { cursor, updatedSince, limit } = request.query
      const after = cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : ''
      const page = await readPage(db, 'offer', { after, updatedSince, limit })
      return { offers: page.items, next: page.next === null ? null : { cursor: Buffer.from(page.next).toString('base64url') } }
    },
  )

  app.get('/offers/:id', { schema: { ...schema, params: IdParams, response: { 200: Offer.extend(Versioned), 404: ErrorBody } } }, async (request) =>
    found(await readEntity(db, 'offer', request.params.id), 'offer', request.params.id),
  )

  app.get('/products/:id', { schema: { ...schema, params: IdParams, response: { 200: Product.extend(Versioned), 404: ErrorBody } } }, async (request) =>
    found(await readEntity(db, 'product', request.params.id), 'product', request.params.id),
  )
}
