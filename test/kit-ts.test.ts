/**
 * The TypeScript kit (kits/ts) against the real service: its OpenAPI document and generated types
 * are the service's own (they cannot go stale), its client quotes, orders and reads over HTTP, and
 * `verify()` takes a real signed delivery and refuses a forged one.
 */
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import openapiTS, { astToString } from 'openapi-typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, verify, WebhookVerificationError } from '../kits/ts/src/index.ts'
import { applyChanges, startRun } from '../src/state/index.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { until } from './helpers/receiver.ts'
import { bonusAccount, customer, offer, product } from './fixtures.ts'

const SPEC = new URL('../kits/ts/openapi.json', import.meta.url)
const TYPES = new URL('../kits/ts/src/schema.ts', import.meta.url)
const KEY = `sk_kit_${randomBytes(16).toString('hex')}`
const SECRET = `whsec_${randomBytes(32).toString('base64')}`

const received: Array<{ event?: ReturnType<typeof verify>; refused?: string }> = []
const hooks = createServer((request, response) => {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    try {
      received.push({ event: verify(SECRET, Buffer.concat(chunks), request.headers) })
      response.writeHead(204).end()
    } catch (error) {
      received.push({ refused: (error as Error).name })
      response.writeHead(400).end()
    }
  })
})

let t: TestApp
let baseUrl: string
beforeAll(async () => {
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve))
  const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`
  t = await buildTestApp({}, { configFile: { storefronts: [{ id: 'kit', url: hookUrl, secrets: [SECRET], apiKeys: [KEY], local: true, events: ['bonus.*', 'order.*'] }] } })
  await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [product('k1'), offer('k1'), customer('kit-buyer'), bonusAccount('kit-buyer', 100_000)])
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(async () => {
  await t.close()
  hooks.close()
})

describe('kits/ts', () => {
  it('ships the service’s own OpenAPI document and the types generated from it (UPDATE_KIT=1 writes them)', async () => {
    const live = `${JSON.stringify((await t.app.inject({ method: 'GET', url: '/docs/json' })).json(), null, 2)}\n`
    // Fields with a default are optional in what a storefront sends.
    const types = astToString(await openapiTS(JSON.parse(live), { defaultNonNullable: false }))
    if (process.env.UPDATE_KIT === '1') {
      await writeFile(SPEC, live)
      await writeFile(TYPES, types)
    }
    expect(await readFile(SPEC, 'utf8'), 'kits/ts/openapi.json is stale: run npm run kit:ts').toBe(live)
    expect(await readFile(TYPES, 'utf8'), 'kits/ts/src/schema.ts is stale: run npm run kit:ts').toBe(types)
  })

  it('quotes, orders and reads the bonus account over HTTP, typed', async () => {
    const api = createClient({ baseUrl, apiKey: KEY })
    const quote = await api.POST('/api/v1/bonus/quote', { body: { customerId: 'kit-buyer', lines: [{ offerId: 'k1', quantity: 2 }] } })
    expect(quote.error).toBeUndefined()
    // 2 × 123.45 at the customer's price type, 50 % of it.
    expect(quote.data).toMatchObject({ totalMinor: 24_690, maxRedeemableMinor: 12_345 })
    const order = await api.POST('/api/v1/orders', {
      params: { header: { 'idempotency-key': 'kit-order-0001' } },
      body: { externalId: 'k-1', number: 'K-1', customerId: 'kit-buyer', lines: [{ offerId: 'k1', quantity: 2 }], bonusMinor: quote.data?.maxRedeemableMinor ?? 0 },
    })
    expect(order.response.status).toBe(201)
    expect(order.data).toMatchObject({ number: 'K-1', status: 'accepted', bonusMinor: 12_345 })
    const bonus = await api.GET('/api/v1/customers/{id}/bonus', { params: { path: { id: 'kit-buyer' } } })
    expect(bonus.data).toMatchObject({ balanceMinor: 100_000, heldMinor: 12_345, availableMinor: 87_655 })
    const refused = await api.POST('/api/v1/orders', {
      params: { header: { 'idempotency-key': 'kit-order-0002' } },
      body: { externalId: 'k-2', number: 'K-2', customerId: 'kit-buyer', lines: [{ offerId: 'k1', quantity: 1, unitPriceMinor: 1 }] },
    })
    expect(refused.response.status).toBe(422)
    expect(refused.error?.error.details).toMatchObject({ lines: [{ reason: 'price_mismatch', priceMinor: 12_345 }] })
    const missing = await api.GET('/api/v1/customers/{id}', { params: { path: { id: 'nobody' } } })
    expect(missing.response.status).toBe(404)
  })

  it('verify() takes the service’s signed deliveries and refuses a forged or stale one', async () => {
    const messages = await until(
      () => received.filter((item) => item.event),
      (items) => items.some((item) => item.event?.type === 'order.accepted') && items.some((item) => item.event?.type === 'bonus.updated'),
    )
    const accepted = messages.find((item) => item.event?.type === 'order.accepted')?.event
    if (accepted?.type !== 'order.accepted') throw new Error('no order.accepted')
    // Narrowed by `type`: an order message carries the order.
    expect(accepted.data).toMatchObject({ number: 'K-1', status: 'accepted' })
    expect(accepted.id).toMatch(/^msg_kit_/)

    const body = JSON.stringify({ type: 'bonus.updated', timestamp: new Date().toISOString(), data: { customerId: 'kit-buyer', balanceMinor: 9_999_999, version: 99 } })
    const now = String(Math.floor(Date.now() / 1000))
    const forged = { 'webhook-id': 'msg_forged', 'webhook-timestamp': now, 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') }
    expect(() => verify(SECRET, body, forged)).toThrow(WebhookVerificationError)
    // Signed with another storefront's secret; then a rotation that lists both passes.
    const other = `whsec_${randomBytes(32).toString('base64')}`
    const { Webhook } = await import('standardwebhooks')
    const signed = { 'Webhook-Id': 'msg_other', 'Webhook-Timestamp': now, 'Webhook-Signature': new Webhook(other).sign('msg_other', new Date(), body) }
    expect(() => verify(SECRET, body, signed)).toThrow(WebhookVerificationError)
    expect(verify([SECRET, other], body, signed)).toMatchObject({ type: 'bonus.updated', id: 'msg_other' })
    const stale = { ...signed, 'Webhook-Timestamp': String(Number(now) - 600), 'Webhook-Signature': new Webhook(other).sign('msg_other', new Date(Date.now() - 600_000), body) }
    expect(() => verify(other, body, stale)).toThrow(WebhookVerificationError)
  })
})
