/**
 * Customer levels and the silent-churn signal of the ut11 profile, against the УТ 11.5 emulator's
 * year of sales: the café (every 14 days, quiet for 20) is in the red zone, ТД Восток (every 30,
 * quiet for 34) in the warning zone and turns red six days later, the tea shop is fine, ИП Смирнова
 * has too little history. Each change is announced once; an order taken here clears the zone. Levels
 * L1–L4 by the year's turnover, on the customer resource and in customer.level_changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partnerOf } from '../emulator/index.ts'
import { assessCustomers, assessCustomersWhenDue, signalRulesOf } from '../src/loyalty/index.ts'
import { adminHeaders, consoleCookie, storefrontHeaders, type TestApp } from './helpers/app.ts'
import { startEmulatedBase, type EmulatedBase } from './helpers/emulated-base.ts'

let base: EmulatedBase
let t: TestApp
const DAY = 86_400_000

beforeAll(async () => {
  base = await startEmulatedBase({ prime: true })
  t = base.t
}, 120_000)

afterAll(async () => {
  await base?.close()
})

const messages = (type: string) => base.messages(type)
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
    const cookie = await consoleCookie(t.app)
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

describe('the scheduled assessment', () => {
  it('walks the customers again only when the last assessment is due, whichever instance made it', async () => {
    const rules = signalRulesOf(t.profile)
    const [last] = await t.db.query<{ at: Date }>('select max(assessed_at) as at from customer_signals')
    const day = 24 * 3_600_000
    expect(await assessCustomersWhenDue(t.db, rules, day, new Date(last!.at.getTime() + day / 2))).toBeNull()
    expect(await assessCustomersWhenDue(t.db, rules, day, new Date(last!.at.getTime() + day))).toMatchObject({ customers: expect.any(Number) })
  })
})
