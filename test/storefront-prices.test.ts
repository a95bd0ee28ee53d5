/**
 * Prices come from 1C, not from the storefront (orders.prices: strict, the default): a quote and
 * an order price each line at the stored offer price of the customer's price type; a different
 * `unitPriceMinor` is refused naming the line, both prices and the price type; the order sent to
 * 1C carries the checked price. `storefront` keeps the storefront's prices.
 */
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { applyChanges, startRun } from '../src/state/index.ts'
import { buildStorefrontApp, buildTestApp, storefrontHeaders, STOREFRONT_KEY, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { bonusAccount, customer, offer, product } from './fixtures.ts'

const WHOLESALE = 'a1b2c3d4-0000-11ee-8000-00000000000a'
const RETAIL = 'a1b2c3d4-0000-11ee-8000-00000000000b'
const prices = (wholesale: number, retail: number) => ({
  prices: { [WHOLESALE]: { amountMinor: wholesale, currency: 'RUB' }, [RETAIL]: { amountMinor: retail, currency: 'RUB' } },
})

const seed = [
  product('cable'),
  offer('cable', prices(10_000, 15_000)),
  product('drill'),
  offer('drill', prices(200_000, 250_000)),
  product('retail-only'),
  offer('retail-only', { prices: { [RETAIL]: { amountMinor: 5_000, currency: 'RUB' } } }),
  product('gone'),
  offer('gone', { ...prices(1_000, 1_000), removed: true }),
  // Wholesale by its agreement; bonuses up to 30 % of a line.
  customer('wholesaler', { priceTypeId: WHOLESALE }),
  bonusAccount('wholesaler', 1_000_000, { maxRedeemPercent: 30 }),
  // No agreement in force: no price type.
  customer('no-agreement', { priceTypeId: null }),
  bonusAccount('no-agreement', 1_000_000, { maxRedeemPercent: 30 }),
]

const post = (t: TestApp, url: string, payload: unknown, key?: string) =>
  t.app.inject({ method: 'POST', url, headers: { ...storefrontHeaders, ...(key && { 'idempotency-key': key }) }, payload: payload as Record<string, unknown> })

let orderNo = 0
const order = (customerId: string, lines: unknown[], bonusMinor = 0) => {
  orderNo += 1
  return { externalId: `p-${orderNo}`, number: `P-${orderNo}`, customerId, lines, bonusMinor }
}

describe('orders.prices: strict (the default)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildStorefrontApp()
    await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), seed)
  })
  afterAll(async () => {
    await t.close()
  })

  it("the quote prices lines at the customer's price type and computes the cap from 1C's price, whatever the storefront claims", async () => {
    const quote = await post(t, '/api/v1/bonus/quote', { customerId: 'wholesaler', lines: [{ offerId: 'cable', quantity: 3 }] })
    expect(quote.statusCode).toBe(200)
    // 3 × 100.00 wholesale, 30 % cap = 90.00
    expect(quote.json()).toMatchObject({ priceTypeId: WHOLESALE, totalMinor: 30_000, maxRedeemableMinor: 9_000, payableMinor: 21_000 })
    expect(quote.json().lines[0]).toMatchObject({ offerId: 'cable', unitPriceMinor: 10_000, sumMinor: 30_000, capMinor: 9_000 })

    // An inflated price would have raised the cap to 30 000.00; it is refused instead.
    const inflated = await post(t, '/api/v1/bonus/quote', { customerId: 'wholesaler', lines: [{ offerId: 'cable', quantity: 3, unitPriceMinor: 10_000_000 }] })
    expect(inflated.statusCode).toBe(422)
    expect(inflated.json().error.message).toBe(`line 0 (offer "cable"): unitPriceMinor 10000000 differs from 1C's price 10000 for price type "${WHOLESALE}"`)
    expect(inflated.json().error.details.lines).toEqual([
      { line: 0, offerId: 'cable', reason: 'price_mismatch', sentMinor: 10_000_000, priceMinor: 10_000, priceTypeId: WHOLESALE },
    ])
    // The price the storefront shows, when it is 1C's, passes.
    expect((await post(t, '/api/v1/bonus/quote', { customerId: 'wholesaler', lines: [{ offerId: 'cable', quantity: 3, unitPriceMinor: 10_000 }] })).statusCode).toBe(200)
  })

  it('an order whose line price differs from 1C’s is refused naming the line; nothing is held', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/customers/wholesaler/bonus', headers: storefrontHeaders })).json()
    // The retail price sent for a wholesale customer: 150.00 instead of 100.00.
    const refused = await post(
      t,
      '/api/v1/orders',
      order(
        'wholesaler',
        [
          { offerId: 'drill', quantity: 1 },
          { offerId: 'cable', quantity: 2, unitPriceMinor: 15_000 },
        ],
        5_000,
      ),
      'strict-order-0001',
    )
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error.details.lines).toEqual([{ line: 1, offerId: 'cable', reason: 'price_mismatch', sentMinor: 15_000, priceMinor: 10_000, priceTypeId: WHOLESALE }])
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/customers/wholesaler/bonus', headers: storefrontHeaders })).json()
    expect(after.availableMinor).toBe(before.availableMinor)
  })

  it("an order is kept, and sent to 1C's order exchange, at 1C's prices; the storefront's discount goes with it", async () => {
    const placed = await post(
      t,
      '/api/v1/orders',
      order(
        'wholesaler',
        [
          { offerId: 'drill', quantity: 1, autoDiscountPercent: 5 },
          { offerId: 'cable', quantity: 2, unitPriceMinor: 10_000 },
        ],
        56_000,
      ),
      'strict-order-0002',
    )
    expect(placed.statusCode).toBe(201)
    const stored = placed.json()
    expect(stored.body.lines).toEqual([
      { offerId: 'drill', quantity: 1, autoDiscountPercent: 5, unitPriceMinor: 200_000 },
      { offerId: 'cable', quantity: 2, unitPriceMinor: 10_000 },
    ])
    // The cap from 1C's prices: 30 % − 5 % of 2 000.00 = 500.00, + 30 % of 200.00 = 60.00.
    expect(stored.quote).toMatchObject({ maxRedeemableMinor: 56_000, priceTypeId: WHOLESALE })
    expect(stored.bonusMinor).toBe(56_000)

    const client = new ExchangeClient(t.app, { type: 'sale' })
    await client.checkauth()
    const xml = (await client.request('mode=query')).body
    const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['Документ', 'Товар', 'Скидка'].includes(name), parseTagValue: false })
    const documents = (parser.parse(xml) as { КоммерческаяИнформация: { Документ: Array<{ Номер: string; Товары: { Товар: Array<Record<string, unknown>> } }> } })
      .КоммерческаяИнформация.Документ
    const document = documents.find((doc) => doc.Номер === stored.number)
    expect(document?.Товары.Товар.map((line) => [line.Ид, line.ЦенаЗаЕдиницу])).toEqual([
      ['drill', '2000.00'],
      ['cable', '100.00'],
    ])
    expect(document?.Товары.Товар[0]).toMatchObject({ Скидки: { Скидка: [expect.objectContaining({ Процент: '5', Сумма: '100.00' })] } })
  })

  it('an offer without a price for the price type, a removed one, and a customer with no price type are 422 naming them', async () => {
    const refused = await post(t, '/api/v1/bonus/quote', {
      customerId: 'wholesaler',
      lines: [
        { offerId: 'cable', quantity: 1 },
        { offerId: 'retail-only', quantity: 1 },
        { offerId: 'gone', quantity: 1 },
        { offerId: 'never-was', quantity: 1 },
      ],
    })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error.details.lines.map((line: { line: number; reason: string }) => [line.line, line.reason])).toEqual([
      [1, 'no_price'],
      [2, 'unknown_offer'],
      [3, 'unknown_offer'],
    ])
    expect(refused.json().error.message).toContain(`line 1 (offer "retail-only"): 1C has no price for price type "${WHOLESALE}"`)

    const noType = await post(t, '/api/v1/orders', order('no-agreement', [{ offerId: 'cable', quantity: 1, unitPriceMinor: 10_000 }]), 'strict-order-0003')
    expect(noType.statusCode).toBe(422)
    expect(noType.json().error.message).toContain('the customer has no price type')
  })
})

describe('the profile names a fallback price type', () => {
  it('customers without an agreement are priced at it', async () => {
    const profile = await loadProfile('ut11')
    const t = await buildTestApp(
      {},
      {
        profile: { ...profile, orders: { ...profile.orders, fallbackPriceType: RETAIL } },
        configFile: {
          storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: [`whsec_${Buffer.alloc(32, 1).toString('base64')}`], enabled: false, apiKeys: [STOREFRONT_KEY] }],
        },
      },
    )
    try {
      await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), seed)
      const quote = await post(t, '/api/v1/bonus/quote', { customerId: 'no-agreement', lines: [{ offerId: 'cable', quantity: 1 }] })
      expect(quote.json()).toMatchObject({ priceTypeId: RETAIL, totalMinor: 15_000 })
      // The agreement's price type still wins where there is one.
      expect((await post(t, '/api/v1/bonus/quote', { customerId: 'wholesaler', lines: [{ offerId: 'cable', quantity: 1 }] })).json().totalMinor).toBe(10_000)
    } finally {
      await t.close()
    }
  })
})

describe('orders.prices: storefront', () => {
  it('takes the storefront’s prices as sent, and 1C’s where it sends none', async () => {
    const profile = await loadProfile('ut11')
    const t = await buildTestApp(
      {},
      {
        profile: { ...profile, orders: { ...profile.orders, prices: 'storefront' } },
        configFile: {
          storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: [`whsec_${Buffer.alloc(32, 2).toString('base64')}`], enabled: false, apiKeys: [STOREFRONT_KEY] }],
        },
      },
    )
    try {
      await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), seed)
      const quote = await post(t, '/api/v1/bonus/quote', {
        customerId: 'wholesaler',
        lines: [
          { offerId: 'cable', quantity: 1, unitPriceMinor: 12_000 },
          { offerId: 'drill', quantity: 1 },
        ],
      })
      expect(quote.statusCode).toBe(200)
      expect(quote.json().lines.map((line: { unitPriceMinor: number }) => line.unitPriceMinor)).toEqual([12_000, 200_000])
      const placed = await post(t, '/api/v1/orders', order('wholesaler', [{ offerId: 'cable', quantity: 1, unitPriceMinor: 12_000 }]), 'storefront-order-1')
      expect(placed.statusCode).toBe(201)
      expect(placed.json().body.lines[0].unitPriceMinor).toBe(12_000)
    } finally {
      await t.close()
    }
  })
})
