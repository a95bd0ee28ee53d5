import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { offer } from './fixtures.ts'
import { Receiver, until } from './helpers/receiver.ts'

const SECRET = `whsec_${randomBytes(32).toString('base64')}`
const OLD_SECRET = `whsec_${randomBytes(32).toString('base64')}`

interface DeliveryRow {
  id: number
  key: string
  attempts: number
  last_error: string | null
  attempt_log: Array<{ response_status: number | null; manual: boolean }>
}

let receiver: Receiver
let t: TestApp
beforeAll(async () => {
  receiver = new Receiver([SECRET, OLD_SECRET])
  await receiver.listen()
  t = await buildTestApp(
    {},
    {
      configFile: {
        storefronts: [{ id: 'shop', url: receiver.url, secrets: [SECRET, OLD_SECRET], events: ['offer.*'], local: true }],
        webhooks: { retryScheduleMs: [50, 50, 50], jitter: 0 },
      },
    },
  )
})
afterAll(async () => {
  await t.close()
  receiver.server.close()
})

async function change(id: string, amountMinor: number) {
  await applyChanges(t.db, await startRun(t.db, 'test', 'offers'), [offer(id, { prices: { retail: { amountMinor, currency: 'RUB' } } })])
}

describe('webhooks to a storefront', () => {
  it('delivers a change signed with every active secret, verifiable with standardwebhooks, with the entity and its version', async () => {
    await change('a', 10_000)
    const [message] = await until(
      () => receiver.received.filter((item) => item.body.data.id === 'a'),
      (items) => items.length > 0,
    )
    expect(message?.body).toMatchObject({ type: 'offer.updated', data: { id: 'a', version: 1, prices: { retail: { amountMinor: 10_000, currency: 'RUB' } } } })
    expect(message?.verifiedWith).toEqual([SECRET, OLD_SECRET])
  })

  it('keeps webhook-id across retries and delivers once the endpoint recovers', async () => {
    receiver.answers.push(500, 503)
    await change('b', 20_000)
    const [message] = await until(
      () => receiver.received.filter((item) => item.body.data.id === 'b'),
      (items) => items.length > 0,
    )
    const attempts = receiver.attempts.filter((attempt) => attempt.key === 'b').map((attempt) => attempt.id)
    expect(attempts).toHaveLength(3)
    expect(new Set(attempts)).toEqual(new Set([message?.id]))
    // The endpoint has the message before the engine has written down its answer.
    const deliveries = await until(
      async () => (await t.app.inject({ method: 'GET', url: '/admin/api/storefronts/shop/deliveries?status=delivered', headers: adminHeaders })).json().deliveries,
      (items: DeliveryRow[]) => items.some((item) => item.key === 'b'),
    )
    const delivery = deliveries.find((item) => item.key === 'b')
    if (!delivery) throw new Error('no delivered delivery for b')
    expect(delivery.attempt_log.map((attempt) => attempt.response_status)).toEqual([500, 503, 200])
  })

  it('sends only the newest version when several wait for the endpoint', async () => {
    await t.app.inject({ method: 'PATCH', url: '/admin/api/storefronts/shop', headers: adminHeaders, payload: { enabled: false } })
    await change('c', 1)
    await change('c', 2)
    await change('c', 3)
    await t.app.inject({ method: 'PATCH', url: '/admin/api/storefronts/shop', headers: adminHeaders, payload: { enabled: true } })
    await until(
      () => receiver.received.filter((item) => item.body.data.id === 'c'),
      (items) => items.length > 0,
    )
    await new Promise((resolve) => setTimeout(resolve, 600))
    const versions = receiver.received.filter((item) => item.body.data.id === 'c').map((item) => item.body.data.version)
    expect(versions).toEqual([3])
  })

  it('dead-letters after the schedule is exhausted, and a manual replay delivers it', async () => {
    receiver.answers.push(500, 500, 500, 500)
    await change('d', 1)
    const dead = await until(
      async () => (await t.app.inject({ method: 'GET', url: '/admin/api/storefronts/shop/deliveries?status=dead', headers: adminHeaders })).json().deliveries,
      (items: DeliveryRow[]) => items.some((item) => item.key === 'd'),
    )
    const delivery = dead.find((item) => item.key === 'd')
    if (!delivery) throw new Error('no dead delivery')
    expect(delivery.attempts).toBe(4)
    const replayed = await t.app.inject({ method: 'POST', url: `/admin/api/deliveries/${delivery.id}/replay`, headers: adminHeaders })
    expect(replayed.json()).toMatchObject({ status: 'delivered', lastStatus: 200 })
    const after = (await t.app.inject({ method: 'GET', url: '/admin/api/storefronts/shop/deliveries?status=delivered', headers: adminHeaders })).json().deliveries
    const log = after.find((item: { key: string }) => item.key === 'd').attempt_log
    expect(log.at(-1)).toMatchObject({ response_status: 200, manual: true })
  })

  it('recovers everything dead since a time, saying how many first', async () => {
    receiver.answers.push(500, 500, 500, 500)
    const since = new Date().toISOString()
    await change('e', 1)
    await until(
      async () => (await t.app.inject({ method: 'GET', url: '/admin/api/storefronts/shop/deliveries?status=dead', headers: adminHeaders })).json().deliveries,
      (items: Array<{ key: string }>) => items.some((item) => item.key === 'e'),
    )
    const count = await t.app.inject({ method: 'POST', url: '/admin/api/storefronts/shop/recover', headers: adminHeaders, payload: { since, dryRun: true } })
    expect(count.json()).toMatchObject({ count: 1, dryRun: true })
    await t.app.inject({ method: 'POST', url: '/admin/api/storefronts/shop/recover', headers: adminHeaders, payload: { since, dryRun: false } })
    await until(
      () => receiver.received.filter((item) => item.body.data.id === 'e'),
      (items) => items.length > 0,
    )
  })

  it('disables the endpoint on 410 Gone and says so', async () => {
    receiver.answers.push(410)
    await change('f', 1)
    const storefront = await until(
      async () => (await t.app.inject({ method: 'GET', url: '/admin/api/storefronts', headers: adminHeaders })).json().storefronts[0],
      (item: { enabled: boolean; disabledReason: string | null }) => item.enabled === false,
    )
    expect(storefront.disabledReason).toMatch(/^the endpoint answered 410 Gone/)
    await t.app.inject({ method: 'PATCH', url: '/admin/api/storefronts/shop', headers: adminHeaders, payload: { enabled: true } })
  })
})

describe('an endpoint failing for days', () => {
  it('is disabled once it has failed without a success for longer than allowed, and says so', async () => {
    await t.db.query(`update storefronts set failing_since = now() - interval '121 hours' where id = 'shop'`)
    receiver.answers.push(500)
    await change('g', 1)
    const storefront = await until(
      async () => (await t.app.inject({ method: 'GET', url: '/admin/api/storefronts', headers: adminHeaders })).json().storefronts[0],
      (item: { enabled: boolean; disabledReason: string | null }) => item.enabled === false,
    )
    expect(storefront.disabledReason).toBe('failing for more than 120 hours without a success')
  })
})

describe('pausing a storefront', () => {
  it('keeps what waits for a retry and what changes while paused, and sends all of it on resume', async () => {
    const paused = new Receiver([SECRET])
    await paused.listen()
    // A retry 1.5 s after a failure: it comes due while the storefront is paused.
    const app = await buildTestApp(
      {},
      { configFile: { storefronts: [{ id: 'shop', url: paused.url, secrets: [SECRET], events: ['offer.*'], local: true }], webhooks: { retryScheduleMs: [1500], jitter: 0 } } },
    )
    const patch = (enabled: boolean) => app.app.inject({ method: 'PATCH', url: '/admin/api/storefronts/shop', headers: adminHeaders, payload: { enabled } })
    const changeHere = async (id: string) => applyChanges(app.db, await startRun(app.db, 'test', 'offers'), [offer(id)])
    try {
      paused.answers.push(500)
      await changeHere('p1')
      await until(
        () => paused.attempts.filter((attempt) => attempt.key === 'p1').length,
        (count) => count === 1,
      )
      expect((await patch(false)).statusCode).toBe(200)
      await changeHere('p2')
      await changeHere('p3')
      // The retry of p1 comes due and finds the storefront paused; nothing goes out meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 2500))
      expect(paused.received).toEqual([])
      expect((await patch(true)).statusCode).toBe(200)
      const received = await until(
        () => paused.received.map((item) => String(item.body.data.id)).sort(),
        (ids) => ids.length === 3,
      )
      expect(received).toEqual(['p1', 'p2', 'p3'])
      // p1 kept its webhook-id across the failure, the pause and the resume.
      const p1 = paused.attempts.filter((attempt) => attempt.key === 'p1').map((attempt) => attempt.id)
      expect(new Set(p1).size).toBe(1)
    } finally {
      await app.close()
      paused.server.close()
    }
  })
})
