/**
 * A service with data as support staff meet it: a customer with an ИНН, a bonus account pulled
 * twice over OData (so its history names the runs), a product in a capped price group, an order
 * holding bonuses, a storefront whose endpoint is a real receiver, and an alert endpoint.
 */
import { randomBytes } from 'node:crypto'
import { applyChanges, finishRun, startRun } from '../../src/state/index.ts'
import { adminHeaders, buildTestApp, type TestApp } from './app.ts'
import { Receiver } from './receiver.ts'
import { bonusAccount, customer, offer, product } from '../fixtures.ts'

export const SHOP_KEY = `sk_console_${randomBytes(16).toString('hex')}`
export const SHOP_SECRET = `whsec_${randomBytes(32).toString('base64')}`
export const ALERT_SECRET = `whsec_${randomBytes(32).toString('base64')}`
export const INN = '7701234567'
export const ORDER_NUMBER = 'SHOP-1001'
export const PASSWORDS = { viewer: 'viewer-password-1', operator: 'operator-password-1' }

export interface ConsoleWorld {
  t: TestApp
  shop: Receiver
  alerts: Receiver
  orderId: string
  balanceRuns: number[]
  close(): Promise<void>
}

async function seedState(t: TestApp): Promise<number[]> {
  const catalogue = await startRun(t.db, 'commerceml', 'commerceml', { file: 'import.xml' })
  await applyChanges(t.db, catalogue, [
    product('prod-1', { name: 'Кофе зерновой 1 кг', sku: 'KF-1000', priceGroupId: 'pg-coffee' }),
    offer('prod-1', { prices: { 'opt-price': { amountMinor: 123_450, currency: 'RUB' } } }),
    customer('buyer-1', { name: 'ООО «Ромашка»', inn: INN, kpp: '770101001', priceTypeId: 'opt-price' }),
  ])
  await finishRun(t.db, catalogue.id, { counts: { seen: 3, changed: 3 } })
  const runs: number[] = []
  for (const balance of [400_000, 500_000]) {
    const run = await startRun(t.db, 'odata:bonus-balances', 'bonus_account', { set: 'AccumulationRegister_БонусныеБаллы/Balance' })
    await applyChanges(t.db, run, [bonusAccount('buyer-1', balance, { maxRedeemPercent: null, priceGroupCaps: { 'pg-coffee': 10 } })])
    await finishRun(t.db, run.id, { counts: { seen: 1, changed: 1 } })
    runs.push(run.id)
  }
  return runs
}

export async function buildConsoleWorld(options: { staleMinutes?: number } = {}): Promise<ConsoleWorld> {
  const shop = new Receiver([SHOP_SECRET])
  const alerts = new Receiver([ALERT_SECRET])
  await Promise.all([shop.listen(), alerts.listen()])
  const t = await buildTestApp(
    {},
    {
      configFile: {
        storefronts: [{ id: 'shop', url: shop.url, secrets: [SHOP_SECRET], local: true, apiKeys: [SHOP_KEY] }],
        alerts: { url: alerts.url, secret: ALERT_SECRET, checkSeconds: 1 },
        health: { schedules: { 'odata:bonus-balances': options.staleMinutes ?? 60 } },
      },
    },
  )
  const balanceRuns = await seedState(t)
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const placed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { authorization: `Bearer ${SHOP_KEY}`, 'idempotency-key': 'console-order-1' },
    payload: { externalId: '1001', number: ORDER_NUMBER, customerId: 'buyer-1', lines: [{ offerId: 'prod-1', quantity: 2 }], bonusMinor: 10_000 },
  })
  if (placed.statusCode !== 201) throw new Error(`seed order: ${placed.statusCode} ${placed.body}`)
  for (const [login, password] of Object.entries(PASSWORDS)) {
    const made = await t.app.inject({ method: 'POST', url: '/admin/api/users', headers: adminHeaders, payload: { login, password, role: login } })
    if (made.statusCode !== 201) throw new Error(`seed user: ${made.statusCode} ${made.body}`)
  }
  return {
    t,
    shop,
    alerts,
    orderId: placed.json().id,
    balanceRuns,
    async close() {
      await t.close()
      shop.server.close()
      alerts.server.close()
    },
  }
}
