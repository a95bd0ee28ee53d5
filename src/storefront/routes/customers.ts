/** Customers by id or ИНН, the bonus account a customer spends from, its programme's conditions and the goods points pay for. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Customer as CustomerData } from '../../domain/index.ts'
import { AppError } from '../../http/errors.ts'
import { conditionsOf, eligibleOffers, requireTerms, spendableBonus, type QuoteRules } from '../../orders/index.ts'
import { levelsOf, movementsOf } from '../../loyalty/index.ts'
import { customersByInn, readEntity } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { requireVisible, visibleTo } from '../scope.ts'
import { BonusConditions, BonusMovementsPage, BonusOffersAnswer, CustomerView, Cursor, decodeCursor, encodeCursor, ErrorBody, IdParams, Limit, SpendableBonus } from '../schemas.ts'

const withB2b = <C extends CustomerData>(customer: C, levels: ReadonlyMap<string, string | null> = new Map()) => ({
  ...customer,
  b2b: customer.legalForm ? customer.legalForm !== 'person' : null,
  // The level as last assessed (profile loyalty.levels), else as 1C gives it.
  level: levels.get(customer.id) ?? customer.level ?? null,
})

export const customerRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const schema = { tags: ['customers'] }

  app.get(
    '/customers',
    {
      schema: {
        ...schema,
        operationId: 'findCustomersByInn',
        summary: 'Customers with an ИНН',
        description: 'A holding’s companies may share one ИНН: all of them in the storefront’s scope are listed.',
        querystring: z.object({ inn: z.string().regex(/^\d{10}(\d{2})?$/, 'an ИНН of 10 or 12 digits') }),
        response: { 200: z.object({ customers: z.array(CustomerView) }), 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const customers = await customersByInn(db, request.query.inn)
      const visible = await visibleTo(
        db,
        request.customerScope,
        customers.map((customer) => ({ kind: 'customer', key: customer.id, customer })),
      )
      const levels = await levelsOf(
        db,
        visible.map((item) => item.customer.id),
      )
      return { customers: visible.map((item) => withB2b(item.customer, levels)) }
    },
  )

  app.get(
    '/customers/:id',
    {
      schema: {
        ...schema,
        operationId: 'getCustomer',
        summary: 'A customer',
        description:
          'The customer as 1C has it: ИНН/КПП, head company, the price type of its agreement in force, its legal form (`b2b`), and its `level` (by turnover or as 1C gives it, as the profile says).',
        params: IdParams,
        response: { 200: CustomerView, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      await requireVisible(db, request.customerScope, request.params.id)
      const customer = await readEntity(db, 'customer', request.params.id)
      if (!customer) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(request.params.id)}`)
      return withB2b(customer, await levelsOf(db, [customer.id]))
    },
  )
}

/** A customer's bonus account, its programme's conditions, the goods points pay for. */
export const customerBonusRoutes: FastifyPluginAsyncZod<{ db: Db; rules: QuoteRules }> = async (app, { db, rules }) => {
  const schema = { tags: ['bonus'] }

  app.get(
    '/customers/:id/bonus',
    {
      schema: {
        ...schema,
        operationId: 'getCustomerBonus',
        summary: 'The bonus account a customer spends from',
        description:
          'The account (its head company’s when the profile shares bonuses at the head) as 1C reports it, what orders taken here hold on it (`heldMinor`; `holds` lists this storefront’s orders), and what is still available.',
        params: IdParams,
        response: { 200: SpendableBonus, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      await requireVisible(db, request.customerScope, request.params.id)
      return spendableBonus(db, request.params.id, rules.shareAtHead, request.storefrontId)
    },
  )

  app.get(
    '/customers/:id/bonus/programme',
    {
      schema: {
        ...schema,
        operationId: 'getBonusConditions',
        summary: 'The bonus programme’s conditions for a customer',
        description:
          'What the personal account page shows: the share of a purchase points may pay for (`maxRedeemPercent`, and per price group), what one point is worth (`pointValue` in `currency`), whether points pay only for a segment’s goods, whether caps ignore discounts.',
        params: IdParams,
        response: { 200: BonusConditions, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      await requireVisible(db, request.customerScope, request.params.id)
      return conditionsOf(await requireTerms(db, request.params.id, rules))
    },
  )

  app.get(
    '/customers/:id/bonus/offers',
    {
      schema: {
        ...schema,
        operationId: 'listBonusOffers',
        summary: 'The goods a customer may pay for with points',
        description:
          'Offers points may pay for, in key order, a page at a time (pass `next.cursor` back as `cursor`; a page may hold fewer than `limit` and still have a next): in the programme’s segment, not excluded, with a cap above 0. Each carries `forCustomer`: its price for the customer’s price type and the cap.',
        params: IdParams,
        querystring: z.object({ cursor: Cursor.optional(), limit: Limit }),
        response: { 200: BonusOffersAnswer, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      await requireVisible(db, request.customerScope, request.params.id)
      const terms = await requireTerms(db, request.params.id, rules)
      const page = await eligibleOffers(db, terms, decodeCursor(request.query.cursor), request.query.limit)
      return { offers: page.items, next: page.next === null ? null : { cursor: encodeCursor(page.next) } }
    },
  )

  ledgerRoutes(app, db)
}

/** A customer's bonus ledger: the movements up to now, and those 1C has dated ahead. */
function ledgerRoutes(app: Parameters<FastifyPluginAsyncZod>[0], db: Db): void {
  const schema = { tags: ['customers'] }
  for (const [path, upcoming] of [
    ['history', false],
    ['upcoming', true],
  ] as const) {
    app.get(
      `/customers/:id/bonus/${path}`,
      {
        schema: {
          ...schema,
          operationId: upcoming ? 'listUpcomingBonusMovements' : 'listBonusHistory',
          summary: upcoming ? 'Points that will arrive or expire' : 'The movements of a customer’s bonus account',
          description: upcoming
            ? 'Movements 1C has dated after now, soonest first: accruals that activate later (`accrual`) and points that will expire (`expiry`, negative). Pass `next.cursor` back as `cursor`.'
            : 'The movements of the customer’s own account up to now, newest first, as 1C keeps them (УТ 11.5: the register БонусныеБаллы): accruals, write-offs (with the order they paid for when it came from this service), expiries, reversals. They add up to the balance 1C reports. Pass `next.cursor` back as `cursor`.',
          params: IdParams,
          querystring: z.object({ cursor: Cursor.optional(), limit: Limit }),
          response: { 200: BonusMovementsPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        await requireVisible(db, request.customerScope, request.params.id)
        if (!(await readEntity(db, 'customer', request.params.id))) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(request.params.id)}`)
        return movementsOf(db, request.params.id, { upcoming, cursor: request.query.cursor, limit: request.query.limit })
      },
    )
  }
}
