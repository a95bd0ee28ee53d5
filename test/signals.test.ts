/**
 * Customer levels and the silent-churn signal of the ut11 profile, against the УТ 11.5 emulator's
 * year of sales: the café (every 14 days, quiet for 20) is in the red zone, ТД Восток (every 30,
 * quiet for 34) in the warning zone and turns red six days later, the tea shop is fine, ИП Смирнова
 * has too little history. Each change is announced once; an order taken here clears the zone. Levels
 * L1–L4 by the year's turnover, on the customer resource and in customer.level_changed.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partnerOf, startEmulator, type Emulator } from '../emulator/index.ts'
import { pullSource } from '../src/catalog/odata-pull.ts'
import { assessCustomers, signalRulesOf } from '../src/loyalty/index.ts'
import { createODataClient } from '../src/onec/odata/index.ts'
import { adminHeaders, ADMIN_TOKEN, buildTestApp, EXCHANGE_PASSWORD, EXCHANGE_USER, STOREFRONT_KEY, storefrontHeaders, type TestApp } from './helpers/app.ts'

const ODATA = { user: 'Сайт', password: 'пароль' }
let t: TestApp
let emulator: Emulator
let folder: string
const DAY = 86_400_000

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'onec-bridge-signals-'))
  const first = await startEmulator({ dataDir: folder, reset: true, odata: ODATA })
  const odataPort = Number(new URL(first.odata.url).port)
  t = await buildTestApp(
    { MAPPING_PROFILE: 'ut11', ODATA_URL: first.odata.url, ODATA_USER: ODATA.user, ODATA_PASSWORD: ODATA.password },
    {
      configFile: {
        odata: { schedule: false },
        storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: ['whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0'], enabled: false, apiKeys: [STOREFRONT_KEY] }],
      },
    },
  )
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  await first.stop()
  emulator = await startEmulator({
    dataDir: folder,
    odata: { ...ODATA, port: odataPort },
    site: { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/1c/exchange`, user: EXCHANGE_USER, password: EXCHANGE_PASSWORD },
  })
  await emulator.runCatalogExchange(true)
  const client = createODataClient({ baseUrl: emulator.odata.url, user: ODATA.user, password: ODATA.password, timeZone: 'Europe/Moscow', retries: 0 })
  for (const source of t.profile.odata?.sources ?? []) await pullSource(t.db, client, t.profile.odata!, source.name, { owners: t.profile.owners })
}, 120_000)

afterAll(async () => {
  await emulator?.stop()
  await t?.close()
  await rm(folder, { recursive: true, force: true })
})

const messages = async (type: string) =>
  (
    await t.db.query<{ payload: Record<string, unknown> }>(
      `select payload from (select payload, 1 as part, seq as n from events where message_type = $1 union all select payload, 2, id from event_notices where message_type = $1) x order by part, n`,
      [type],
    )
  ).map((row) => row.payload)
const churnOf = async (key: string) => (await messages('customer.churn_risk')).filter((message) => message.customerId === partnerOf(key)).map((message) => message.zone)
const assess = (now: Date) => assessCustomers(t.db, signalRulesOf(t.profile), now)

describe('the silent-churn signal', () => {
  it('puts the café in the red zone and ТД Восток in the warning zone, with their numbers; too little history says nothing', async () => {
    const outcome = await assess(new Date())
    expect(outcome.zones).toMatchObject({ red: 1, warning: 1 })
    const [cafe] = await messages('customer.churn_risk').then((list) => list.filter((message) => message.customerId === partnerOf('ostozhenka')))
    expect(cafe).toMatchObject({ zone: 'red', cycleDays: 14, gapDays: 20, daysOverdue: 6 })
    expect(await churnOf('vostok')).toEqual(['warning'])
    expect(await churnOf('lavka')).toEqual([])
    expect(await churnOf('smirnova')).toEqual([])
  })

  it('announces a zone once: the same assessment again says nothing', async () => {
    const before = (await messages('customer.churn_risk')).length
    expect((await assess(new Date())).churnMessages).toBe(0)
    expect((await messages('customer.churn_risk')).length).toBe(before)
  })

  it('crossing +10 % and then +30 % gives two messages; an order taken here clears it', async () => {
    await assess(new Date(Date.now() + 6 * DAY))
    expect(await churnOf('vostok')).toEqual(['warning', 'red'])
    const offers = (await t.app.inject({ method: 'GET', url: `/api/v1/offers?customerId=${partnerOf('vostok')}&limit=5`, headers: storefrontHeaders })).json() as {
      offers: Array<{ id: string }>
    }
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...storefrontHeaders, 'idempotency-key': 'signals-order-1' },
      payload: { externalId: 'S-1', number: 'S-0001', customerId: partnerOf('vostok'), lines: [{ offerId: offers.offers[0]?.id, quantity: 1 }], bonusMinor: 0 },
    })
    expect(placed.statusCode).toBe(201)
    await assess(new Date(Date.now() + 60_000))
    expect(await churnOf('vostok')).toEqual(['warning', 'red', 'none'])
  })

  it('lists the customers at risk in the console and counts them per zone on /metrics', async () => {
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/console/login',
      payload: new URLSearchParams({ login: 'admin', password: ADMIN_TOKEN, next: '/console' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] as string
    const page = await t.app.inject({ method: 'GET', url: '/console/churn', headers: { cookie } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/data-testid="churn-row" data-zone="red"/)
    expect(page.body).toContain('Кофейня на Остоженке')
    expect(page.body).toMatch(/14\s+дней/)
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: adminHeaders })
    expect(metrics.body).toMatch(/onec_bridge_churn_customers\{zone="red"\} 1/)
  })
})

describe('customer levels by turnover', () => {
  it('reads L1–L4 from the year’s sales: on the customer resource and in customer.level_changed', async () => {
    const level = async (key: string) =>
      ((await t.app.inject({ method: 'GET', url: `/api/v1/customers/${partnerOf(key)}`, headers: storefrontHeaders })).json() as { level: string | null }).level
    expect([await level('vostok'), await level('ostozhenka'), await level('lavka'), await level('smirnova')]).toEqual(['L4', 'L3', 'L2', 'L1'])
    const changed = (await messages('customer.level_changed')).find((message) => message.customerId === partnerOf('ostozhenka'))
    expect(changed).toMatchObject({ level: 'L3', previous: null, turnoverMinor: 52_800_000, periodDays: 365 })
    // Nothing changed since: no second message.
    expect((await messages('customer.level_changed')).filter((message) => message.customerId === partnerOf('ostozhenka'))).toHaveLength(1)
  })
})
