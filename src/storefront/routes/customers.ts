/** Customers by id or ИНН, and the bonus account a customer spends from. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { Customer } from '../../domain/index.ts'
import { AppError } from '../../http/errors.ts'
import { spendableBonus } from '../../orders/index.ts'
import { customersByInn, readEntity } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { requireVisible, scopedCustomers, inScope } from '../scope.ts'
import { ErrorBody, IdParams, SpendableBonus, Versioned } from '../schemas.ts'

export const customerRoutes: FastifyPluginAsyncZod<{ db: Db; shareBonusAtHead: boolean }> = async (app, { db, shareBonusAtHead }) => {
  const schema = { tags: ['customers'] }

  app.get(
    '/customers',
    {
      schema: {
        ...schema,
        querystring: z.object({ inn: z.string().regex(/^\d{10}(\d{2})?$/, 'an ИНН of 10 or 12 digits') }),
        response: { 200: z.object({ customers: z.array(Customer.extend(Versioned)) }) },
      },
    },
    async (request) => {
      const customers = await customersByInn(db, request.query.inn)
      if (request.customerScope === null) return { customers }
      const scoped = await scopedCustomers(
        db,
        customers.map((customer) => customer.id),
      )
      return { customers: customers.filter((customer) => inScope(request.customerScope, scoped.get(customer.id))) }
    },
  )

  app.get('/customers/:id', { schema: { ...schema, params: IdParams, response: { 200: Customer.extend(Versioned), 404: ErrorBody } } }, async (request) => {
    await requireVisible(db, request.customerScope, request.params.id)
    const customer = await readEntity(db, 'customer', request.params.id)
    if (!customer) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(request.params.id)}`)
    return customer
  })

  app.get(
    '/customers/:id/bonus',
    {
      schema: {
        ...schema,
        description: 'The bonus account the customer spends from (its head company’s when the profile shares bonuses at the head), with what is still available.',
        params: IdParams,
        response: { 200: SpendableBonus, 404: ErrorBody },
      },
    },
    async (request) => {
      await requireVisible(db, request.customerScope, request.params.id)
      return spendableBonus(db, request.params.id, shareBonusAtHead)
    },
  )
}
