import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { adminHeaders, buildStorefrontApp, storefrontHeaders, type TestApp } from './helpers/app.ts'
import { offer } from './fixtures.ts'

const auth = storefrontHeaders

let t: TestApp
beforeAll(async () => {
  t = await buildStorefrontApp()
  await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
    offer('sku-1', { prices: { 'retail-price-type': { amountMinor: 100_000, currency: 'RUB' } } }),
    { kind: 'customer', data: { id: 'buyer', name: 'ООО «Ромашка»', inn: '7701234567', kpp: null, headId: null, priceTypeId: 'retail-price-type' } },
    { kind: 'bonus_account', data: { customerId: 'buyer', programId: null, balanceMinor: 5_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: {} } },
  ])
})
afterAll(async () => {
  await t.close()
})

const order = (externalId: string, bonusMinor: number) => ({
  externalId,
  number: `SHOP-${externalId}`,
  customerId: 'buyer',
  lines: [{ offerId: 'sku-1', quantity: 1, unitPriceMinor: 100_000 }],
  bonusMinor,
  paymentMethod: 'invoice',
})

const post = (key: string, body: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/orders', headers: { ...auth, 'idempotency-key': key }, payload: body as Record<string, unknown> })

describe('taking orders', () => {
  it('stores the order with its quote and holds the bonuses; the same key and body give the same order', async () => {
    const first = await post('key-00000001', order('1', 1_000))
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({
      externalId: '1',
      status: 'accepted',
      bonusMinor: 1_000,
      holds: [{ accountId: 'buyer', amountMinor: 1_000, status: 'active' }],
      history: [{ status: 'accepted' }],
    })
    const again = await post('key-00000001', order('1', 1_000))
    expect(again.statusCode).toBe(200)
    expect(again.json().id).toBe(first.json().id)
    const bonus = await t.app.inject({ method: 'GET', url: '/api/v1/customers/buyer/bonus', headers: auth })
    expect(bonus.json()).toMatchObject({ balanceMinor: 5_000, availableMinor: 4_000 })
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${first.json().id}`, headers: auth })
    expect(read.json()).toMatchObject({ id: first.json().id, number: 'SHOP-1' })
  })

  it('refuses the same key with another body (409)', async () => {
    const conflict = await post('key-00000001', order('1', 999))
    expect(conflict.statusCode).toBe(409)
  })

  it('refuses more bonuses than the cap or the balance allows (422, with the cap)', async () => {
    const above = await post('key-00000002', order('2', 30_001))
    expect(above.statusCode).toBe(422)
    expect(above.json().error.details).toMatchObject({ maxRedeemableMinor: 4_000, availableMinor: 4_000, requestedMinor: 30_001 })
  })

  it('refuses unknown offers naming them, and asks for an Idempotency-Key', async () => {
    const unknown = await post('key-00000003', { ...order('3', 0), lines: [{ offerId: 'nope', quantity: 1, unitPriceMinor: 1 }] })
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().error.message).toBe('line 0 (offer "nope"): no such offer, or 1C removed it')
    expect(unknown.json().error.details.lines).toEqual([{ line: 0, offerId: 'nope', reason: 'unknown_offer', sentMinor: 1, priceMinor: null, priceTypeId: 'retail-price-type' }])
    const noKey = await t.app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: order('4', 0) })
    expect(noKey.statusCode).toBe(400)
  })
})

describe('concurrent orders on one balance', () => {
  it('never hold more than the balance, whatever arrives at once', async () => {
    await applyChanges(t.db, await startRun(t.db, 'test', 'reset'), [
      { kind: 'bonus_account', data: { customerId: 'buyer', programId: null, balanceMinor: 10_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: {} } },
    ])
    const [before] = await t.db.query<{ held: number }>(`select coalesce(sum(amount_minor), 0)::bigint as held from bonus_holds where account_id = 'buyer' and status = 'active'`)
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => post(`concurrent-${index}-key`, order(`c${index}`, 1_500))))
    const accepted = answers.filter((answer) => answer.statusCode === 201).length
    expect(accepted).toBe(Math.floor((10_000 - (before?.held ?? 0)) / 1_500))
    expect(answers.every((answer) => answer.statusCode === 201 || answer.statusCode === 422)).toBe(true)
    const [after] = await t.db.query<{ held: number }>(`select coalesce(sum(amount_minor), 0)::bigint as held from bonus_holds where account_id = 'buyer' and status = 'active'`)
    expect(after?.held).toBeLessThanOrEqual(10_000)
  })
})

describe('quotes read from memory while the state is unchanged', () => {
  const quote = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/bonus/quote',
      headers: auth,
      payload: { customerId: 'cache-buyer', lines: [{ offerId: 'sku-1', quantity: 1, unitPriceMinor: 100_000 }] },
    })

  it('an order taken here shows in the next quote at once; a pulled change of the cap within a second, and in orders at once', async () => {
    await applyChanges(t.db, await startRun(t.db, 'test', 'cache'), [
      { kind: 'customer', data: { id: 'cache-buyer', name: 'ООО «Кэш»', inn: null, kpp: null, headId: null, priceTypeId: 'retail-price-type' } },
      {
        kind: 'bonus_account',
        data: { customerId: 'cache-buyer', programId: null, balanceMinor: 50_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: {} },
      },
    ])
    expect((await quote()).json()).toMatchObject({ availableMinor: 50_000, maxRedeemableMinor: 30_000 })
    const placed = await post('cache-order-1', { ...order('c1', 20_000), customerId: 'cache-buyer' })
    expect(placed.statusCode).toBe(201)
    expect((await quote()).json()).toMatchObject({ availableMinor: 30_000, maxRedeemableMinor: 30_000 })

    await applyChanges(t.db, await startRun(t.db, 'test', 'cap'), [
      {
        kind: 'bonus_account',
        data: { customerId: 'cache-buyer', programId: null, balanceMinor: 50_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 10, priceGroupCaps: {} },
      },
    ])
    // An order is checked against the store, never the cache.
    const above = await post('cache-order-2', { ...order('c2', 10_001), customerId: 'cache-buyer' })
    expect(above.statusCode).toBe(422)
    expect(above.json().error.details).toMatchObject({ maxRedeemableMinor: 10_000 })
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    expect((await quote()).json()).toMatchObject({ availableMinor: 30_000, maxRedeemableMinor: 10_000 })
  })
})

describe('support staff see orders and holds', () => {
  it('lists orders, shows one with its history, and the holds behind a customer’s available bonuses', async () => {
    await applyChanges(t.db, await startRun(t.db, 'test', 'support'), [
      { kind: 'customer', data: { id: 'support-buyer', name: 'ИП Петров', inn: null, kpp: null, headId: null, priceTypeId: 'retail-price-type' } },
      {
        kind: 'bonus_account',
        data: { customerId: 'support-buyer', programId: null, balanceMinor: 9_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: {} },
      },
    ])
    const placed = await post('support-order-1', { ...order('s1', 2_500), customerId: 'support-buyer' })
    expect(placed.statusCode).toBe(201)
    const id = placed.json().id as string
    const list = await t.app.inject({ method: 'GET', url: '/admin/api/orders?customerId=support-buyer', headers: adminHeaders })
    expect(list.json().orders).toEqual([expect.objectContaining({ id, number: 'SHOP-s1', status: 'accepted', storefrontId: 'shop', bonusMinor: 2_500 })])
    const one = await t.app.inject({ method: 'GET', url: `/admin/api/orders/${id}`, headers: adminHeaders })
    expect(one.json()).toMatchObject({ id, waitingForOrderExchange: true, history: [{ status: 'accepted' }], holds: [{ amountMinor: 2_500, status: 'active' }] })
    const bonus = await t.app.inject({ method: 'GET', url: '/admin/api/customers/support-buyer/bonus', headers: adminHeaders })
    expect(bonus.json()).toMatchObject({ heldMinor: 2_500, availableMinor: 6_500, holds: [{ orderId: id, number: 'SHOP-s1', amountMinor: 2_500, orderStatus: 'accepted' }] })
    expect((await t.app.inject({ method: 'GET', url: '/admin/api/orders', headers: auth })).statusCode).toBe(401)
  })
})
