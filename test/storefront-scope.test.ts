/**
 * Each storefront sees its own customers: with two storefronts of different scopes, a key reads,
 * quotes and orders only for customers in its storefront's scope (404 otherwise, as for a
 * customer that does not exist), and customer and bonus messages reach only the storefronts
 * that see the customer, in webhooks and in the change feed.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { announceMovements } from '../src/loyalty/index.ts'
import { inScope } from '../src/storefront/scope.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { Receiver, until } from './helpers/receiver.ts'
import { bonusAccount, customer, offer, product } from './fixtures.ts'

const WHOLESALE = 'wholesale-type'
const RETAIL = 'retail-price-type'
const KEY_A = `sk_a_${randomBytes(16).toString('hex')}`
const KEY_B = `sk_b_${randomBytes(16).toString('hex')}`
const SECRET_A = `whsec_${randomBytes(32).toString('base64')}`
const SECRET_B = `whsec_${randomBytes(32).toString('base64')}`

let t: TestApp
let a: Receiver
let b: Receiver
beforeAll(async () => {
  a = new Receiver([SECRET_A])
  b = new Receiver([SECRET_B])
  await Promise.all([a.listen(), b.listen()])
  t = await buildTestApp(
    {},
    {
      configFile: {
        storefronts: [
          // The B2B shop: wholesale customers that are companies, and the group of «Холдинг».
          {
            id: 'b2b',
            url: a.url,
            secrets: [SECRET_A],
            apiKeys: [KEY_A],
            local: true,
            events: ['customer.*', 'bonus.*'],
            customers: { priceTypes: [WHOLESALE], legalForms: ['company'] },
          },
          // The retail shop: an explicit list.
          { id: 'retail', url: b.url, secrets: [SECRET_B], apiKeys: [KEY_B], local: true, events: ['customer.*', 'bonus.*'], customers: { ids: ['person'] } },
        ],
      },
    },
  )
  await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
    product('p1'),
    offer('p1', { prices: { [WHOLESALE]: { amountMinor: 10_000, currency: 'RUB' }, [RETAIL]: { amountMinor: 12_000, currency: 'RUB' } } }),
    customer('dealer', { priceTypeId: WHOLESALE, legalForm: 'company', inn: '7701000001' }),
    bonusAccount('dealer', 50_000),
    customer('person', { priceTypeId: RETAIL, legalForm: 'person', inn: '770100000002' }),
    bonusAccount('person', 50_000),
    // Wholesale, but an entrepreneur: outside the B2B rule, and not in the retail list.
    customer('ip', { priceTypeId: WHOLESALE, legalForm: 'entrepreneur', inn: '7701000001' }),
    bonusAccount('ip', 50_000),
  ])
})
afterAll(async () => {
  await t.close()
  a.server.close()
  b.server.close()
})

const as = (key: string) => ({
  get: (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } }),
  post: (url: string, payload: Record<string, unknown>, extra: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, ...extra }, payload }),
})
const A = as(KEY_A)
const B = as(KEY_B)
const cart = (customerId: string) => ({ customerId, lines: [{ offerId: 'p1', quantity: 1 }] })
let orders = 0
const order = (customerId: string) => {
  orders += 1
  return { externalId: `sc-${orders}`, number: `SC-${orders}`, customerId, lines: [{ offerId: 'p1', quantity: 1 }], bonusMinor: 1_000 }
}

describe('a storefront key reaches only customers in its scope', () => {
  it.each([
    ['b2b', A, 'dealer', ['person', 'ip']],
    ['retail', B, 'person', ['dealer', 'ip']],
  ])('%s: its customer answers, the others are 404 as if absent', async (_name, client, mine, others) => {
    expect((await client.get(`/api/v1/customers/${mine}`)).statusCode).toBe(200)
    expect((await client.get(`/api/v1/customers/${mine}/bonus`)).statusCode).toBe(200)
    expect((await client.post('/api/v1/bonus/quote', cart(mine))).statusCode).toBe(200)
    for (const other of others) {
      const read = await client.get(`/api/v1/customers/${other}`)
      expect(read.statusCode).toBe(404)
      expect(read.json().error.message).toBe(`no customer "${other}"`)
      expect((await client.get(`/api/v1/customers/${other}/bonus`)).statusCode).toBe(404)
      expect((await client.post('/api/v1/bonus/quote', cart(other))).statusCode).toBe(404)
      const placed = await client.post('/api/v1/orders', order(other), { 'idempotency-key': `scope-${other}-${orders}` })
      expect(placed.statusCode).toBe(404)
      expect((await client.get(`/api/v1/customers/nobody-${other}`)).statusCode).toBe(404)
    }
    const held = await t.db.query<{ account_id: string }>(`select account_id from bonus_holds where account_id = any($1::text[])`, [others])
    expect(held).toEqual([])
  })

  it('the ИНН search lists only customers in scope', async () => {
    const found = await A.get('/api/v1/customers?inn=7701000001')
    expect(found.json().customers.map((row: { id: string }) => row.id)).toEqual(['dealer'])
  })

  it('an order for a customer in scope is taken', async () => {
    const placed = await A.post('/api/v1/orders', order('dealer'), { 'idempotency-key': 'scope-dealer-order' })
    expect(placed.statusCode).toBe(201)
  })
})

describe('messages about a customer go only to storefronts that see it', () => {
  it('webhooks and the change feed', async () => {
    await applyChanges(t.db, await startRun(t.db, 'test', 'change'), [bonusAccount('dealer', 60_000), bonusAccount('person', 70_000), bonusAccount('ip', 80_000)])
    const keysOf = (receiver: Receiver) => receiver.received.map((message) => `${message.body.type}:${String(message.body.data.id ?? message.body.data.customerId)}`)
    await until(
      () => [keysOf(a), keysOf(b)],
      ([toA, toB]) => Boolean(toA?.includes('bonus.updated:dealer') && toB?.includes('bonus.updated:person')),
    )
    // The other storefront's and nobody's customers are never sent (a few more moments for any stray message).
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(new Set(keysOf(a).map((key) => key.split(':')[1]))).toEqual(new Set(['dealer']))
    expect(new Set(keysOf(b).map((key) => key.split(':')[1]))).toEqual(new Set(['person']))
    expect(keysOf(a)).toContain('customer.updated:dealer')
    expect(a.received.every((message) => message.verifiedWith.length === 1)).toBe(true)

    const feedOf = async (client: typeof A) =>
      (await client.get('/api/v1/events?after=0&limit=1000')).json().events.filter((event: { kind: string }) => event.kind !== 'offer' && event.kind !== 'product')
    const feedA = await feedOf(A)
    expect(new Set(feedA.filter((event: { kind: string }) => event.kind !== 'order').map((event: { key: string }) => event.key))).toEqual(new Set(['dealer']))
    const feedB = await feedOf(B)
    expect(new Set(feedB.map((event: { key: string }) => event.key))).toEqual(new Set(['person']))
  })
})

describe('the bonus ledger of a customer goes only to storefronts that see it', () => {
  it('movements in the change feed and the ledger’s messages', async () => {
    const movement = (id: string, customerId: string) => ({
      kind: 'bonus_movement' as const,
      data: {
        id,
        customerId,
        programId: null,
        at: '2026-11-01T09:00:00.000Z',
        amountMinor: 1_000,
        kind: 'accrual' as const,
        document: { type: 'НачислениеИСписаниеБонусныхБаллов', id: null, number: 'ОП00-1', date: null },
        activatesAt: null,
        expiresAt: null,
        removed: false,
      },
    })
    const movements = [movement('mv-dealer', 'dealer'), movement('mv-person', 'person'), movement('mv-ip', 'ip')]
    await applyChanges(t.db, await startRun(t.db, 'test', 'ledger'), movements)
    await t.db.transaction((tx) =>
      announceMovements(
        tx,
        movements.map((item) => item.data),
        new Set(movements.map((item) => item.data.id)),
      ),
    )
    const accrued = (receiver: Receiver) => receiver.received.filter((message) => message.body.type === 'bonus.accrued').map((message) => String(message.body.data.customerId))
    await until(
      () => [accrued(a), accrued(b)],
      ([toA, toB]) => Boolean(toA?.includes('dealer') && toB?.includes('person')),
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(accrued(a)).toEqual(['dealer'])
    expect(accrued(b)).toEqual(['person'])
    const ledgerFeed = async (client: typeof A) =>
      (await client.get('/api/v1/events?after=0&limit=1000'))
        .json()
        .events.filter((event: { kind: string }) => event.kind === 'bonus_movement')
        .map((event: { key: string }) => event.key)
    expect(new Set(await ledgerFeed(A))).toEqual(new Set(['mv-dealer']))
    expect(new Set(await ledgerFeed(B))).toEqual(new Set(['mv-person']))
    expect((await B.get('/api/v1/customers/dealer/bonus/history')).statusCode).toBe(404)
    expect((await A.get('/api/v1/customers/dealer/bonus/history')).json().movements.map((item: { id: string }) => item.id)).toEqual(['mv-dealer'])
  })
})

describe('the scope rule', () => {
  const subject = (id: string, priceTypeId: string | null, legalForm: 'company' | 'person' | null, heads: string[] = []) => ({ customer: { id, priceTypeId, legalForm }, heads })
  it('every criterion given must hold; ids are in scope whatever else; heads reach down the whole group', () => {
    const rule = { priceTypes: ['w'], heads: ['holding'] }
    expect(inScope(rule, subject('branch', 'w', null, ['region', 'holding']))).toBe(true)
    expect(inScope(rule, subject('holding', 'w', null))).toBe(true)
    expect(inScope(rule, subject('branch', 'r', null, ['holding']))).toBe(false)
    expect(inScope(rule, subject('stranger', 'w', null, ['other']))).toBe(false)
    expect(inScope({ ids: ['x'], legalForms: ['company'] }, subject('x', null, 'person'))).toBe(true)
    expect(inScope({ ids: ['x'] }, subject('y', null, 'company'))).toBe(false)
    expect(inScope({ legalForms: ['company'] }, subject('z', null, null))).toBe(false)
    expect(inScope('all', undefined)).toBe(true)
    expect(inScope({ ids: ['x'] }, undefined)).toBe(false)
  })
})
