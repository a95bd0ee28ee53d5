import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { adminHeaders, buildStorefrontApp, storefrontHeaders, type TestApp } from './helpers/app.ts'
import { offer, product } from './fixtures.ts'

const auth = storefrontHeaders

let t: TestApp
beforeAll(async () => {
  t = await buildStorefrontApp()
  const run = await startRun(t.db, 'test', 'seed')
  await applyChanges(t.db, run, [
    { kind: 'price_type', data: { id: 'wholesale', name: 'Оптовая', currency: 'RUB' } },
    { kind: 'warehouse', data: { id: 'msk', name: 'Москва' } },
    offer('o1', { prices: { wholesale: { amountMinor: 10_000, currency: 'RUB' }, 'retail-price-type': { amountMinor: 12_345, currency: 'RUB' } } }),
    offer('o2#v1', { prices: { wholesale: { amountMinor: 10_000, currency: 'RUB' }, 'retail-price-type': { amountMinor: 12_345, currency: 'RUB' } } }),
    offer('o3', { prices: { wholesale: { amountMinor: 10_000, currency: 'RUB' }, 'retail-price-type': { amountMinor: 12_345, currency: 'RUB' } } }),
    product('o1'),
    { kind: 'customer', data: { id: 'branch', name: 'ООО «Ромашка»', inn: '7701234567', kpp: '770101001', headId: null, priceTypeId: 'wholesale' } },
    {
      kind: 'bonus_account',
      data: { customerId: 'branch', programId: null, balanceMinor: 150_050, reservedMinor: 10_000, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: { pg: 10 } },
    },
  ])
})
afterAll(async () => {
  await t.close()
})

const get = async (url: string, headers: Record<string, string> = auth) => {
  const response = await t.app.inject({ method: 'GET', url, headers })
  return { status: response.statusCode, body: response.json() }
}

describe('storefront API authentication', () => {
  it('answers 401 without a key and with an unknown key', async () => {
    expect((await get('/api/v1/price-types', {})).status).toBe(401)
    expect((await get('/api/v1/price-types', { authorization: 'Bearer sk_unknown_key_000000000000' })).status).toBe(401)
    expect((await get('/api/v1/price-types', adminHeaders)).status).toBe(401)
  })

  it('accepts a key issued through the admin API, shown once', async () => {
    const issued = await t.app.inject({ method: 'POST', url: '/admin/api/storefronts/shop/keys', headers: adminHeaders })
    expect(issued.statusCode).toBe(201)
    const { apiKey } = issued.json()
    expect((await get('/api/v1/warehouses', { authorization: `Bearer ${apiKey}` })).status).toBe(200)
    const [row] = await t.db.query<{ hashes: string[] }>(`select api_key_hashes as hashes from storefronts where id = 'shop'`)
    expect(JSON.stringify(row?.hashes)).not.toContain(apiKey)
  })
})

describe('storefront API', () => {
  it('lists price types and warehouses with their versions', async () => {
    expect((await get('/api/v1/price-types')).body).toEqual({ priceTypes: [{ id: 'wholesale', name: 'Оптовая', currency: 'RUB', version: 1, updatedAt: expect.any(String) }] })
    expect((await get('/api/v1/warehouses')).body.warehouses).toHaveLength(1)
  })

  it('pages offers with a cursor and filters by updatedSince', async () => {
    const first = await get('/api/v1/offers?limit=2')
    expect(first.body.offers.map((item: { id: string }) => item.id)).toEqual(['o1', 'o2#v1'])
    const rest = await get(`/api/v1/offers?limit=2&cursor=${first.body.next.cursor}`)
    expect(rest.body).toMatchObject({ offers: [{ id: 'o3' }], next: null })
    const future = await get(`/api/v1/offers?updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
    expect(future.body.offers).toEqual([])
  })

  it('reads one offer (variant ids with %23), one product, and 404 for an unknown one', async () => {
    expect((await get('/api/v1/offers/o2%23v1')).body).toMatchObject({ id: 'o2#v1', productId: 'o2', variantId: 'v1', version: 1 })
    expect((await get('/api/v1/products/o1')).body).toMatchObject({ id: 'o1', sku: 'SKU-o1' })
    const missing = await get('/api/v1/offers/nope')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('NOT_FOUND')
  })

  it('finds a customer by id or by ИНН, with its price type', async () => {
    expect((await get('/api/v1/customers/branch')).body).toMatchObject({ id: 'branch', priceTypeId: 'wholesale', headId: null })
    expect((await get('/api/v1/customers?inn=7701234567')).body.customers.map((item: { id: string }) => item.id)).toEqual(['branch'])
    expect((await get('/api/v1/customers?inn=12')).status).toBe(400)
  })

  it('gives a customer’s bonus account with what is available and the caps', async () => {
    expect((await get('/api/v1/customers/branch/bonus')).body).toEqual({
      customerId: 'branch',
      programId: null,
      balanceMinor: 150_050,
      reservedMinor: 10_000,
      availableMinor: 150_050,
      heldMinor: 0,
      holds: [],
      currency: 'RUB',
      maxRedeemPercent: 30,
      priceGroupCaps: { pg: 10 },
      sharedFrom: null,
    })
  })

  it('serves the change feed with webhook type names and a cursor', async () => {
    const feed = await get('/api/v1/events?limit=3')
    expect(feed.body.events.map((event: { type: string }) => event.type)).toEqual(['price_type.updated', 'warehouse.updated', 'offer.updated'])
    const next = await get(`/api/v1/events?after=${feed.body.next.after}&limit=100`)
    expect(next.body.events.map((event: { type: string }) => event.type)).toContain('bonus.updated')
  })

  it('publishes an OpenAPI document built from the same schemas at /docs', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/json' })
    expect(response.statusCode).toBe(200)
    const document = response.json()
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/offers', '/api/v1/customers/{id}/bonus', '/api/v1/events']))
    expect(Object.keys(document.paths)).not.toContain('/1c/exchange')
  })
})

describe('POST /api/v1/bonus/quote', () => {
  it('quotes a cart from the stored programme, products, segment and balance', async () => {
    const run = await startRun(t.db, 'test', 'quote')
    await applyChanges(t.db, run, [
      {
        kind: 'bonus_programme',
        data: { id: 'prog', name: 'Бонусы', maxRedeemPercent: 30, priceGroupCaps: { pg: 10 }, segmentId: 'seg', pointValue: '1', currency: 'RUB', capsIgnoreDiscounts: false },
      },
      { kind: 'product_segment', data: { id: 'seg', members: { o1: true, 'o2#v1': true } } },
      {
        kind: 'product',
        data: { id: 'o2', sku: null, name: 'Губка', groupIds: [], priceGroupId: 'pg', barcode: null, properties: {}, bonusEligible: null, maxBonusPercent: null, removed: false },
      },
      { kind: 'customer', data: { id: 'buyer', name: 'ИП Петров', inn: '770200000000', kpp: null, headId: null, priceTypeId: 'wholesale' } },
      {
        kind: 'bonus_account',
        data: { customerId: 'buyer', programId: 'prog', balanceMinor: 2_500, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: { pg: 10 } },
      },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bonus/quote',
      headers: auth,
      payload: {
        customerId: 'buyer',
        lines: [
          // Priced at the buyer's price type (wholesale, 100.00), not sent.
          { offerId: 'o1', quantity: 2 },
          { offerId: 'o2#v1', quantity: 1 },
          { offerId: 'o3', quantity: 1, unitPriceMinor: 10_000 },
        ],
      },
    })
    expect(response.statusCode).toBe(200)
    const quote = response.json()
    expect(
      quote.lines.map((line: { offerId: string; eligible: boolean; capSource: string | null; capMinor: number; reason: string | null }) => [
        line.offerId,
        line.eligible,
        line.capSource,
        line.capMinor,
        line.reason,
      ]),
    ).toEqual([
      ['o1', true, 'programme', 6_000, null],
      ['o2#v1', true, 'price_group', 1_000, null],
      ['o3', false, 'programme', 0, 'outside_segment'],
    ])
    expect(quote).toMatchObject({ availableMinor: 2_500, maxRedeemableMinor: 2_500, appliedMinor: 2_500, appliedMoneyMinor: 2_500, programId: 'prog', priceTypeId: 'wholesale' })
    // What a cart widget shows, in the same answer: each line at 1C's price, the total, what is left to pay.
    expect(quote.lines.map((line: { unitPriceMinor: number; sumMinor: number }) => [line.unitPriceMinor, line.sumMinor])).toEqual([
      [10_000, 20_000],
      [10_000, 10_000],
      [10_000, 10_000],
    ])
    expect(quote).toMatchObject({ totalMinor: 40_000, payableMinor: 37_500 })
    expect(quote.lines[0].allocatedMinor + quote.lines[1].allocatedMinor).toBe(2_500)
  })

  it('answers 400 for a bad cart and 404 for an unknown customer', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bonus/quote',
      headers: auth,
      payload: { customerId: 'buyer', lines: [{ offerId: 'o1', quantity: -1, unitPriceMinor: 1 }] },
    })
    expect(bad.statusCode).toBe(400)
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bonus/quote',
      headers: auth,
      payload: { customerId: 'nobody', lines: [{ offerId: 'o1', quantity: 1, unitPriceMinor: 1 }] },
    })
    expect(unknown.statusCode).toBe(404)
  })
})
