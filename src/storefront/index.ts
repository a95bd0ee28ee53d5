/**
 * The REST API storefronts read (`Authorization: Bearer <storefront key>`): price types,
 * warehouses, offers with cursor paging, the group tree, properties, products with their offers, customers by id or ИНН, a customer's bonus
 * account, the bonus quote, orders, and the change feed to catch up without webhooks.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Db } from '../store/index.ts'
import { requireStorefrontKey } from './auth.ts'
import { securedBy } from './openapi.ts'
import { catalogRoutes } from './routes/catalog.ts'
import { contentRoutes } from './routes/content.ts'
import { customerBonusRoutes, customerRoutes } from './routes/customers.ts'
import { eventRoutes } from './routes/events.ts'
import { orderReadRoutes, orderRoutes, type OrderRoutesOptions } from './routes/orders.ts'

export type StorefrontApiOptions = OrderRoutesOptions & { db: Db }

export const storefrontApi: FastifyPluginAsyncZod<StorefrontApiOptions> = async (app, { db, rules, viaSaleExchange, forward, numberMaxLength, changes }) => {
  requireStorefrontKey(app, db, changes)
  securedBy(app, 'storefrontKey')
  await app.register(catalogRoutes, { db, rules })
  await app.register(contentRoutes, { db })
  await app.register(customerRoutes, { db })
  await app.register(customerBonusRoutes, { db, rules })
  await app.register(orderRoutes, { db, rules, viaSaleExchange, forward, numberMaxLength, changes })
  await app.register(orderReadRoutes, { db })
  await app.register(eventRoutes, { db })
}
export { mediaRoutes } from './routes/media.ts'
