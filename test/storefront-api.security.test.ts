/**
 * The storefront API as an attacker and a careless client would use it: keys, bodies too big or
 * not JSON, numbers 1C cannot hold, text 1C cannot take. Every refusal is 4xx naming the field;
 * nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { bonusAccount, customer, offer, product } from './fixtures.ts'
import { ADMIN_TOKEN, buildStorefrontApp, storefrontHeaders, type TestApp } from './helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildStorefrontApp()
  await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
    product('sp1', { name: 'Кабель' }),
    offer('sp1', { prices: { 'retail-price-type': { amountMinor: 10_000, currency: 'RUB' } } }),
    product('sp-penny', { name: 'Шайба' }),
    offer('sp-penny', { prices: { 'retail-price-type': { amountMinor: 1, currency: 'RUB' } } }),
    customer('sec-buyer', { name: 'ООО «Ромашка»' }),
    bonusAccount('sec-buyer', 100_000),
  ])
})
afterAll(async () => {
  await t.close()
})

const line = { offerId: 'sp1', quantity: 2, unitPriceMinor: 10_000 }
const goodOrder = { externalId: 'sec-1', number: 'SEC-1', customerId: 'sec-buyer', lines: [line], bonusMinor: 0 }
let keys = 0
const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...storefrontHeaders, 'content-type': 'application/json', 'idempotency-key': `security-key-${++keys}`, ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })
const ordersStored = async () => Number((await t.db.query<{ n: number }>('select count(*)::int as n from orders'))[0]?.n)

describe('who may use the storefront API', () => {
  it.each([
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer sk_test_not-a-key-of-this-service' }],
    ['the admin token', { authorization: `Bearer ${ADMIN_TOKEN}` }],
    ['the key as Basic auth', { authorization: `Basic ${Buffer.from(`shop:${storefrontHeaders.authorization.slice(7)}`).toString('base64')}` }],
  ])('%s: 401', async (_what, headers) => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/customers/sec-buyer', headers })
    expect(response.statusCode).toBe(401)
  })

  it.each(['/api/v1/customers/%00', '/api/v1/orders/x%00', '/api/v1/customers/sec%01buyer/bonus'])('a control character in the path: 400, never 500 (%s)', async (url) => {
    const response = await t.app.inject({ method: 'GET', url, headers: storefrontHeaders })
    expect(response.statusCode).toBe(400)
  })

  it('the key in the query string is not a key', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/customers/sec-buyer?key=${storefrontHeaders.authorization.slice(7)}` })
    expect(response.statusCode).toBe(401)
  })
})

describe('bodies', () => {
  it('a body over 10 MB: 413; not JSON: 400; another content type: 415 — nothing stored', async () => {
    const before = await ordersStored()
    expect((await post('/api/v1/orders', JSON.stringify({ ...goodOrder, comment: 'x'.repeat(11 * 1024 * 1024) }))).statusCode).toBe(413)
    expect((await post('/api/v1/orders', '{"externalId": ')).statusCode).toBe(400)
    expect((await post('/api/v1/orders', 'externalId=1', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415)
    expect(await ordersStored()).toBe(before)
  })
})

describe('numbers 1C cannot hold are refused naming the field, on quote and order alike', () => {
  const cases: Array<[string, string, string]> = [
    ['quantity 1e20', `{"offerId":"sp1","quantity":1e20,"unitPriceMinor":100}`, 'lines/0/quantity'],
    ['quantity 1e308', `{"offerId":"sp1","quantity":1e308,"unitPriceMinor":100}`, 'lines/0/quantity'],
    ['quantity 1e400 (Infinity once parsed)', `{"offerId":"sp1","quantity":1e400,"unitPriceMinor":100}`, 'lines/0/quantity'],
    ['quantity with 4 decimals', `{"offerId":"sp1","quantity":1.0005,"unitPriceMinor":100}`, 'lines/0/quantity'],
    ['a negative quantity', `{"offerId":"sp1","quantity":-1,"unitPriceMinor":100}`, 'lines/0/quantity'],
    ['a price of 16 digits', `{"offerId":"sp1","quantity":1,"unitPriceMinor":1000000000000000}`, 'lines/0/unitPriceMinor'],
    ['a fractional price', `{"offerId":"sp1","quantity":1,"unitPriceMinor":10.5}`, 'lines/0/unitPriceMinor'],
    ['quantity × price beyond 15 digits', `{"offerId":"sp1","quantity":1000,"unitPriceMinor":999999999999999}`, 'lines/0/quantity'],
    ['a discount over 100 %', `{"offerId":"sp1","quantity":1,"unitPriceMinor":100,"autoDiscountPercent":101}`, 'lines/0/autoDiscountPercent'],
    ['a discount with 3 decimals', `{"offerId":"sp1","quantity":1,"unitPriceMinor":100,"autoDiscountPercent":33.333}`, 'lines/0/autoDiscountPercent'],
  ]
  it.each(cases)('%s', async (_what, lineJson, field) => {
    const before = await ordersStored()
    const quote = await post('/api/v1/bonus/quote', `{"customerId":"sec-buyer","lines":[${lineJson}]}`)
    const order = await post('/api/v1/orders', `{"externalId":"n-${keys}","number":"N-${keys}","customerId":"sec-buyer","lines":[${lineJson}]}`)
    for (const response of [quote, order]) {
      expect(response.statusCode).toBe(400)
      expect(response.json().error.message).toContain(`body/${field}`)
    }
    expect(await ordersStored()).toBe(before)
  })

  it.each([
    ['bonusMinor', { ...goodOrder, bonusMinor: 1e300 }, 'body/bonusMinor'],
    ['a negative bonusMinor', { ...goodOrder, bonusMinor: -5 }, 'body/bonusMinor'],
    ['a delivery price of 16 digits', { ...goodOrder, delivery: { priceMinor: 1e15 } }, 'body/delivery/priceMinor'],
    ['an order total beyond 15 digits', { ...goodOrder, lines: [line, { ...line, unitPriceMinor: 999_999_999_999_999, quantity: 1 }] }, 'body/lines'],
  ])('order: %s', async (_what, body, field) => {
    const response = await post('/api/v1/orders', body)
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain(field)
  })

  it('quote: requestedPoints out of range', async () => {
    for (const requestedPoints of [-1, 1e300, 0.5]) {
      const response = await post('/api/v1/bonus/quote', { customerId: 'sec-buyer', lines: [line], requestedPoints })
      expect(response.statusCode).toBe(400)
      expect(response.json().error.message).toContain('body/requestedPoints')
    }
  })

  it('the largest values 1C holds are taken', async () => {
    const quote = await post('/api/v1/bonus/quote', { customerId: 'sec-buyer', lines: [{ offerId: 'sp-penny', quantity: 999_999_999_999.999 }] })
    expect(quote.statusCode).toBe(200)
  })
})

describe('text 1C cannot take is refused naming the field', () => {
  it.each([
    ['a NUL in paymentMethod', { paymentMethod: 'cash\u0000' }, 'body/paymentMethod', 'U+0000'],
    ['a control character in the comment', { comment: 'call\u0001me' }, 'body/comment', 'U+0001'],
    ['a lone surrogate in the comment', { comment: 'bad \ud800 text' }, 'body/comment', 'U+D800'],
    ['a line break in the number', { number: 'A\n1' }, 'body/number', 'line break'],
    ['a tab in externalId', { externalId: 'a\tb' }, 'body/externalId', 'tab'],
    ['an escape in the delivery address', { delivery: { address: 'ул. \u001b[31mКрасная' } }, 'body/delivery/address', 'U+001B'],
    ['a control character in any delivery field', { delivery: { note: { floor: '2\u0007' } } }, 'body/delivery/note/floor', 'U+0007'],
    ['DEL in the delivery method', { delivery: { method: 'Курьер\u007f' } }, 'body/delivery/method', 'U+007F'],
  ])('%s', async (_what, patch, field, what) => {
    const before = await ordersStored()
    const response = await post('/api/v1/orders', { ...goodOrder, ...patch })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain(field)
    expect(response.json().error.message).toContain(what)
    expect(await ordersStored()).toBe(before)
  })

  it('a control character in a quote’s customer or offer id', async () => {
    const response = await post('/api/v1/bonus/quote', { customerId: 'sec\u0000buyer', lines: [{ ...line, offerId: 'sp1\u0002' }] })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain('body/customerId')
    expect(response.json().error.message).toContain('body/lines/0/offerId')
  })

  it('tab and line breaks pass in the comment and the address; the order is taken', async () => {
    const response = await post('/api/v1/orders', {
      ...goodOrder,
      externalId: 'sec-ml',
      number: 'SEC-ML',
      comment: 'Позвонить\n\tзаранее 😀',
      delivery: { address: 'Москва,\r\nТверская, 1' },
    })
    expect(response.statusCode).toBe(201)
  })

  it('an order number longer than 1C keeps (11 characters in UT 11): 422 naming the field and the limit', async () => {
    const response = await post('/api/v1/orders', { ...goodOrder, externalId: 'sec-long', number: 'SHOP-2026-000123' })
    expect(response.statusCode).toBe(422)
    expect(response.json().error).toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('number "SHOP-2026-000123" is 16 characters; 1C keeps the site\'s order number in 11'),
      details: { field: 'number', maxLength: 11 },
    })
    expect((await post('/api/v1/orders', { ...goodOrder, externalId: 'sec-11', number: 'SHOP-000123' })).statusCode).toBe(201)
  })
})
