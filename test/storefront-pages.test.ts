/**
 * What a shop's pages read: the personal account (account with holds, the programme's conditions,
 * the goods points may pay for), the catalogue (each offer's price and bonus label for this
 * customer, whether the customer is B2B), the cart (the quote in one call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { buildStorefrontApp, storefrontHeaders, type TestApp } from './helpers/app.ts'
import { bonusAccount, customer, offer, product } from './fixtures.ts'

const OPT = 'opt-type'
const priced = (amountMinor: number) => ({ prices: { [OPT]: { amountMinor, currency: 'RUB' } } })

let t: TestApp
beforeAll(async () => {
  t = await buildStorefrontApp()
  await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
    {
      kind: 'bonus_programme',
      data: {
        id: 'prog',
        name: 'Бонусы для дилеров',
        maxRedeemPercent: 30,
        priceGroupCaps: { cheap: 10, none: 0 },
        segmentId: 'seg',
        pointValue: '0.5',
        currency: 'RUB',
        capsIgnoreDiscounts: false,
      },
    },
    { kind: 'product_segment', data: { id: 'seg', members: { a: true, b: true, 'c#red': true, excluded: true, zero: true } } },
    product('a', { priceGroupId: 'cheap' }),
    offer('a', priced(1_000)),
    product('b'),
    offer('b', priced(2_000)),
    product('c'),
    offer('c#red', priced(3_000)),
    offer('c#blue', priced(3_000)),
    product('excluded', { bonusEligible: false }),
    offer('excluded', priced(4_000)),
    product('zero', { priceGroupId: 'none' }),
    offer('zero', priced(5_000)),
    product('outside'),
    offer('outside', priced(6_000)),
    customer('dealer', { priceTypeId: OPT, legalForm: 'company' }),
    bonusAccount('dealer', 10_000, { programId: 'prog' }),
    customer('neighbour', { priceTypeId: OPT, legalForm: 'person' }),
  ])
})
afterAll(async () => {
  await t.close()
})

const get = async (url: string) => {
  const response = await t.app.inject({ method: 'GET', url, headers: storefrontHeaders })
  return { status: response.statusCode, body: response.json() }
}

describe('the catalogue, for one customer', () => {
  it('says whether the customer is B2B (1C’s ЮрФизЛицо)', async () => {
    expect((await get('/api/v1/customers/dealer')).body).toMatchObject({ legalForm: 'company', b2b: true })
    expect((await get('/api/v1/customers/neighbour')).body).toMatchObject({ legalForm: 'person', b2b: false })
  })

  it('each offer carries its price for the customer’s price type and whether points may pay for it', async () => {
    const { body } = await get('/api/v1/offers?customerId=dealer&limit=100')
    const labels = Object.fromEntries(
      body.offers.map((item: { id: string; forCustomer: { price: { amountMinor: number } | null; bonus: { eligible: boolean; reason: string | null; capPercent: number } } }) => [
        item.id,
        [item.forCustomer.price?.amountMinor, item.forCustomer.bonus.eligible, item.forCustomer.bonus.reason, item.forCustomer.bonus.capPercent],
      ]),
    )
    expect(labels).toEqual({
      a: [1_000, true, null, 10],
      b: [2_000, true, null, 30],
      'c#red': [3_000, true, null, 30],
      // The variant outside the segment: no label, though its sibling has one.
      'c#blue': [3_000, false, 'outside_segment', 30],
      excluded: [4_000, false, 'not_bonus_eligible', 30],
      zero: [5_000, false, 'no_cap', 0],
      outside: [6_000, false, 'outside_segment', 30],
    })
    expect((await get('/api/v1/offers/a?customerId=dealer')).body.forCustomer).toEqual({
      price: { priceTypeId: OPT, amountMinor: 1_000, currency: 'RUB' },
      bonus: { eligible: true, reason: null, capPercent: 10, capSource: 'price_group' },
    })
    // Without a customer: the offer as 1C has it.
    expect((await get('/api/v1/offers/a')).body.forCustomer).toBeUndefined()
    expect((await get('/api/v1/offers/a?customerId=nobody')).status).toBe(404)
  })
})

describe('the personal account', () => {
  it('shows the programme’s conditions', async () => {
    expect((await get('/api/v1/customers/dealer/bonus/programme')).body).toEqual({
      customerId: 'dealer',
      accountId: 'dealer',
      sharedFrom: null,
      programId: 'prog',
      name: 'Бонусы для дилеров',
      maxRedeemPercent: 30,
      priceGroupCaps: { cheap: 10, none: 0 },
      segmentId: 'seg',
      pointValue: '0.5',
      currency: 'RUB',
      capsIgnoreDiscounts: false,
    })
  })

  it('lists the goods points may pay for, a page at a time, by the quote’s rule', async () => {
    const ids: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const { body } = await get(`/api/v1/customers/dealer/bonus/offers?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      if (!body.offers) throw new Error(JSON.stringify(body))
      ids.push(...body.offers.map((item: { id: string; forCustomer: { bonus: { eligible: boolean } } }) => (expect(item.forCustomer.bonus.eligible).toBe(true), item.id)))
      cursor = body.next?.cursor
      pages += 1
    } while (cursor && pages < 10)
    expect(ids).toEqual(['a', 'b', 'c#red'])
    // A customer without an account may pay for nothing.
    expect((await get('/api/v1/customers/neighbour/bonus/offers')).body).toEqual({ offers: [], next: null })
  })

  it('the account shows what this storefront’s orders hold; the cart quote answers in one call', async () => {
    const quote = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bonus/quote',
      headers: storefrontHeaders,
      payload: {
        customerId: 'dealer',
        lines: [
          { offerId: 'b', quantity: 10 },
          { offerId: 'outside', quantity: 1 },
        ],
      },
    })
    // 30 % of 200.00 = 60.00 in money = 120.00 points at 0.50 each.
    expect(quote.json()).toMatchObject({ totalMinor: 26_000, maxRedeemableMinor: 10_000, appliedMinor: 10_000, appliedMoneyMinor: 5_000, payableMinor: 21_000 })
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...storefrontHeaders, 'idempotency-key': 'pages-order-1' },
      payload: { externalId: 'pg-1', number: 'PG-1', customerId: 'dealer', lines: [{ offerId: 'b', quantity: 10 }], bonusMinor: 4_000 },
    })
    expect(placed.statusCode).toBe(201)
    const { body } = await get('/api/v1/customers/dealer/bonus')
    expect(body).toMatchObject({ balanceMinor: 10_000, heldMinor: 4_000, availableMinor: 6_000 })
    expect(body.holds).toEqual([{ orderId: placed.json().id, number: 'PG-1', amountMinor: 4_000, createdAt: expect.any(String) }])
  })
})
