/**
 * Orders into 1C over OData (ut11.yaml's orders.odata) against nock playing the 1C publication:
 * search before create, create with every line and the bonuses, post; a timeout after create
 * followed by a retry that finds the document instead of making a second; 1C's business errors.
 */
import nock from 'nock'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { createODataClient } from '../src/onec/odata/index.ts'
import { createJobEngine } from '../src/store/index.ts'
import { applyChanges, startRun } from '../src/state/index.ts'
import { EMPTY_REF } from '../src/onec/odata/index.ts'
import { createOrderForwarder, FORWARD_QUEUE, type OrderForwarder } from '../src/orders/index.ts'
import { cancelOrder, takeOrder, type OrderInput } from '../src/orders/index.ts'
import { openTestDb, startTestJobs, type TestDb } from './helpers/db.ts'
import { createLogger } from '../src/logger.ts'
import { offer, product, quoteRules } from './fixtures.ts'

const HOST = 'http://ut11.example'
const ROOT = '/trade/odata/standard.odata'
const json = { 'content-type': 'application/json;charset=utf-8' }
const PARTNER = '0f5a5c1e-1111-11ee-8000-000000000001'
const COUNTERPARTY = '0f5a5c1e-2222-11ee-8000-000000000002'
const AGREEMENT = '0f5a5c1e-3333-11ee-8000-000000000003'
const ORGANISATION = '0f5a5c1e-4444-11ee-8000-000000000004'
const WAREHOUSE = '0f5a5c1e-5555-11ee-8000-000000000005'
const PRICE_TYPE = '0f5a5c1e-6666-11ee-8000-000000000006'
const ITEM = '0f5a5c1e-7777-11ee-8000-000000000007'
const VARIANT = '0f5a5c1e-8888-11ee-8000-000000000008'
const DOCUMENT = '0f5a5c1e-9999-11ee-8000-000000000009'

const path = (resource: string) => `${ROOT}/${resource.split('/').map(encodeURIComponent).join('/')}`
const search = (number: string) => (query: Record<string, string>) => query.$filter === `НомерПоДаннымКлиента eq '${number}' and DeletionMark eq false`

let t: TestDb
let forwarder: OrderForwarder
beforeAll(async () => {
  t = await openTestDb()
  const profile = await loadProfile('ut11')
  const ordersProfile = profile.orders.odata
  if (!ordersProfile) throw new Error('ut11.yaml has no orders.odata')
  const client = createODataClient({ baseUrl: `${HOST}${ROOT}`, user: 'Интеграция', password: 'секрет', timeZone: 'Europe/Moscow', timeoutMs: 300, retries: 1, minRetryDelayMs: 5 })
  forwarder = createOrderForwarder({ db: t.db, jobs: createJobEngine(t.db), client, profile: ordersProfile, logger: createLogger('silent'), maxAttempts: 3, minorDigits: 2 })
  await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
    product(ITEM),
    offer(ITEM, { prices: { [PRICE_TYPE]: { amountMinor: 100_001, currency: 'RUB' } } }),
    offer(`${ITEM}#${VARIANT}`, { prices: { [PRICE_TYPE]: { amountMinor: 50_000, currency: 'RUB' } } }),
    { kind: 'customer', data: { id: PARTNER, name: 'ООО «Ромашка»', inn: '7701234567', kpp: null, headId: null, priceTypeId: PRICE_TYPE } },
    { kind: 'bonus_account', data: { customerId: PARTNER, programId: null, balanceMinor: 100_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 50, priceGroupCaps: {} } },
  ])
  nock.disableNetConnect()
})
afterAll(async () => {
  nock.enableNetConnect()
  await t.close()
})
afterEach(() => {
  nock.cleanAll()
})

let sequence = 0
async function placeOrder(bonusMinor: number): Promise<{ id: string; number: string }> {
  sequence += 1
  const number = `WEB-${sequence}`
  const input: OrderInput = {
    externalId: `ext-${sequence}`,
    number,
    customerId: PARTNER,
    lines: [
      // Priced from 1C's prices of the partner's price type: 1 000.01 and 500.00.
      { offerId: ITEM, quantity: 2 },
      { offerId: `${ITEM}#${VARIANT}`, quantity: 1, autoDiscountPercent: 10 },
    ],
    bonusMinor,
    comment: 'до обеда',
  }
  const stored = await takeOrder(t.db, 'shop', `odata-order-${sequence}`, input, quoteRules(), { viaSaleExchange: false })
  return { id: stored.id, number }
}

function lookups(scope: nock.Scope): nock.Scope {
  return scope
    .get(path('Catalog_Контрагенты'))
    .query((query) => query.$filter === `Партнер_Key eq guid'${PARTNER}' and DeletionMark eq false`)
    .reply(200, { value: [{ Ref_Key: COUNTERPARTY }] }, json)
    .get(path('Catalog_СоглашенияСКлиентами'))
    .query((query) => query.$filter?.startsWith(`Партнер_Key eq guid'${PARTNER}' and Статус eq 'Действует'`) === true && query.$orderby === 'ДатаНачалаДействия desc')
    .reply(
      200,
      {
        value: [
          {
            Ref_Key: AGREEMENT,
            Организация_Key: ORGANISATION,
            Валюта_Key: '0f5a5c1e-aaaa-11ee-8000-00000000000a',
            Склад_Key: WAREHOUSE,
            ВидЦен_Key: PRICE_TYPE,
            ЦенаВключаетНДС: true,
            ХозяйственнаяОперация: 'РеализацияКлиенту',
          },
        ],
      },
      json,
    )
}

async function order(id: string) {
  const [row] = await t.db.query<{ status: string; onec: Record<string, unknown>; onec_ref: string | null; last_error: string | null; forward_attempts: number }>(
    'select * from orders where id = $1',
    [id],
  )
  const holds = await t.db.query<{ status: string; confirmed_at: Date | null }>('select status, confirmed_at from bonus_holds where order_id = $1', [id])
  const notices = await t.db.query<{ message_type: string }>(`select message_type from event_notices where key = $1 order by id`, [id])
  return { ...row, holds, messages: notices.map((item) => item.message_type) }
}

describe('an order into 1C over OData', () => {
  it('searches, creates Document_ЗаказКлиента with every line and the bonuses in exact decimals, then posts it; the hold is confirmed', async () => {
    const placed = await placeOrder(30_000)
    let sent = ''
    const scope = lookups(nock(HOST).get(path('Document_ЗаказКлиента')).query(search(placed.number)).reply(200, { value: [] }, json))
      .post(path('Document_ЗаказКлиента'), (body: unknown) => {
        sent = typeof body === 'string' ? body : JSON.stringify(body)
        return true
      })
      .query({ $format: 'json' })
      .reply(201, { Ref_Key: DOCUMENT, Number: 'ТД00-000001', Posted: false }, json)
      .post(path(`Document_ЗаказКлиента(guid'${DOCUMENT}')/Post`))
      .query((query) => query.PostingModeOperational === 'false')
      .reply(200, '')
    expect(await forwarder.forward(placed.id)).toBe('posted')
    expect(scope.isDone()).toBe(true)
    const document = JSON.parse(sent) as Record<string, unknown> & { Товары: Array<Record<string, unknown>> }
    expect(document).toMatchObject({
      Партнер_Key: PARTNER,
      Контрагент_Key: COUNTERPARTY,
      Соглашение_Key: AGREEMENT,
      Организация_Key: ORGANISATION,
      Склад_Key: WAREHOUSE,
      ЦенаВключаетНДС: true,
      ХозяйственнаяОперация: 'РеализацияКлиенту',
      Статус: 'КОбеспечению',
      НомерПоДаннымКлиента: placed.number,
      Комментарий: 'до обеда',
      // 2 × 1000.01 + (500.00 − 10 %) = 2000.02 + 450.00
      СуммаДокумента: 2450.02,
    })
    expect(document.Date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
    expect(document.Товары).toEqual([
      expect.objectContaining({
        LineNumber: '1',
        Номенклатура_Key: ITEM,
        Характеристика_Key: EMPTY_REF,
        Количество: 2,
        КоличествоУпаковок: 2,
        ВидЦены_Key: PRICE_TYPE,
        Цена: 1000.01,
        Сумма: 2000.02,
        ПроцентАвтоматическойСкидки: 0,
      }),
      expect.objectContaining({
        LineNumber: '2',
        Номенклатура_Key: ITEM,
        Характеристика_Key: VARIANT,
        Количество: 1,
        Цена: 500,
        Сумма: 450,
        ПроцентАвтоматическойСкидки: 10,
        СуммаАвтоматическойСкидки: 50,
      }),
    ])
    // 300.00 of bonuses over the lines in proportion to their caps: (50 %) 1000.01 and (50 − 10 %) 200.00.
    const bonus = document.Товары.map((line) => Math.round(Number(line.СуммаБонусныхБалловКСписанию) * 100))
    expect(bonus.reduce((sum, value) => sum + value, 0)).toBe(30_000)
    expect(sent).toContain('"Цена":1000.01')
    const stored = await order(placed.id)
    expect(stored).toMatchObject({
      status: 'confirmed',
      onec_ref: DOCUMENT,
      onec: { ref: DOCUMENT, posted: true },
      messages: ['order.accepted', 'order.exported', 'order.status_changed'],
    })
    expect(stored.holds).toEqual([expect.objectContaining({ status: 'active', confirmed_at: expect.any(Date) })])
  })

  it('a timeout after 1C created the document: the retry finds it by the order number and posts it instead of creating a second', async () => {
    const placed = await placeOrder(1_000)
    let creates = 0
    lookups(nock(HOST).get(path('Document_ЗаказКлиента')).query(search(placed.number)).reply(200, { value: [] }, json))
      .post(path('Document_ЗаказКлиента'))
      .query(true)
      .delay(1_000)
      .reply(
        201,
        () => {
          creates += 1
          return { Ref_Key: DOCUMENT }
        },
        json,
      )
    expect(await forwarder.forward(placed.id)).toBe('retry')
    expect(await order(placed.id)).toMatchObject({ status: 'accepted', forward_attempts: 1, last_error: expect.stringMatching(/timed out/) })

    const retry = nock(HOST)
      .get(path('Document_ЗаказКлиента'))
      .query(search(placed.number))
      .reply(200, { value: [{ Ref_Key: DOCUMENT, Number: 'ТД00-000002', Posted: false }] }, json)
      .post(path(`Document_ЗаказКлиента(guid'${DOCUMENT}')/Post`))
      .query(true)
      .reply(200, '')
    expect(await forwarder.forward(placed.id)).toBe('posted')
    expect(retry.isDone()).toBe(true)
    expect(creates).toBeLessThanOrEqual(1)
    expect(await order(placed.id)).toMatchObject({ status: 'confirmed', onec: { ref: DOCUMENT, number: 'ТД00-000002', posted: true } })
  })

  it("1C's business error (500, code -1) on create fails the order with 1C's message and releases the hold", async () => {
    const placed = await placeOrder(2_000)
    lookups(nock(HOST).get(path('Document_ЗаказКлиента')).query(search(placed.number)).reply(200, { value: [] }, json))
      .post(path('Document_ЗаказКлиента'))
      .query(true)
      .once()
      .reply(500, { 'odata.error': { code: '-1', message: { lang: 'ru', value: 'Не заполнено поле "Соглашение"' } } }, json)
    expect(await forwarder.forward(placed.id)).toBe('failed')
    const stored = await order(placed.id)
    expect(stored).toMatchObject({ status: 'failed', last_error: 'Не заполнено поле "Соглашение"', messages: ['order.accepted', 'order.failed'] })
    expect(stored.holds).toEqual([expect.objectContaining({ status: 'released' })])
  })

  it('a business error when posting fails the order too, saying the document stays unposted in 1C', async () => {
    const placed = await placeOrder(0)
    lookups(nock(HOST).get(path('Document_ЗаказКлиента')).query(search(placed.number)).reply(200, { value: [] }, json))
      .post(path('Document_ЗаказКлиента'))
      .query(true)
      .reply(201, { Ref_Key: DOCUMENT }, json)
      .post(path(`Document_ЗаказКлиента(guid'${DOCUMENT}')/Post`))
      .query(true)
      .reply(500, { 'odata.error': { code: '-1', message: { lang: 'ru', value: 'Недостаточно товара на складе' } } }, json)
    expect(await forwarder.forward(placed.id)).toBe('failed')
    expect(await order(placed.id)).toMatchObject({ status: 'failed', last_error: `Недостаточно товара на складе (document ${DOCUMENT} stays unposted in 1C)` })
  })

  it('gives up after the configured attempts when 1C stays unreachable', async () => {
    const placed = await placeOrder(500)
    nock(HOST).get(path('Document_ЗаказКлиента')).query(true).times(10).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })
    expect(await forwarder.forward(placed.id)).toBe('retry')
    expect(await forwarder.forward(placed.id)).toBe('retry')
    expect(await forwarder.forward(placed.id)).toBe('failed')
    expect(await order(placed.id)).toMatchObject({
      status: 'failed',
      last_error: expect.stringMatching(/gave up after 3 attempts/),
      holds: [expect.objectContaining({ status: 'released' })],
    })
  })

  it('a missing required lookup fails the order naming it', async () => {
    const placed = await placeOrder(0)
    nock(HOST)
      .get(path('Document_ЗаказКлиента'))
      .query(search(placed.number))
      .reply(200, { value: [] }, json)
      .get(path('Catalog_Контрагенты'))
      .query(true)
      .reply(200, { value: [] }, json)
    expect(await forwarder.forward(placed.id)).toBe('failed')
    expect((await order(placed.id)).last_error).toMatch(/^1C refused|lookup counterparty: Catalog_Контрагенты has no row/)
  })
})

describe('an order whose document cannot be written', () => {
  it('fails at once with the reason, without creating anything in 1C or trying again; its hold is released', async () => {
    const poisoned = await placeOrder(500)
    // An order stored before intake had bounds: no 1C sum holds this line.
    await t.db.query(`update orders set body = jsonb_set(body, '{lines,0,quantity}', '1e20'::jsonb) where id = $1`, [poisoned.id])
    const scope = lookups(nock(HOST).get(path('Document_ЗаказКлиента')).query(search(poisoned.number)).reply(200, { value: [] }, json))
    expect(await forwarder.forward(poisoned.id)).toBe('failed')
    scope.done()
    const failed = await order(poisoned.id)
    expect(failed).toMatchObject({ status: 'failed', forward_attempts: 1, last_error: expect.stringMatching(/^СуммаДокумента: order.totalMinor is not whole minor units/) })
    expect(failed.holds.map((hold) => hold.status)).toEqual(['released'])
    expect(failed.messages).toContain('order.failed')
    // The history says which side failed: not 1C.
    const [history] = await t.db.query<{ note: string }>(`select note from order_status_history where order_id = $1 and status = 'failed'`, [poisoned.id])
    expect(history?.note).toMatch(/^the order cannot be written as Document_ЗаказКлиента: СуммаДокумента/)
    // Failed stays failed: a later attempt (a stale job) does nothing.
    expect(await forwarder.forward(poisoned.id)).toBe('skipped')
  })
})

describe('the storefront cancels an order sent over OData', () => {
  it('before the first attempt: cancelled and never sent; after it: refused, to be cancelled in 1C', async () => {
    const early = await placeOrder(400)
    await cancelOrder(t.db, early.id, 'shop', 'передумал')
    expect(await forwarder.forward(early.id)).toBe('skipped')
    expect(await order(early.id)).toMatchObject({ status: 'cancelled', holds: [expect.objectContaining({ status: 'released' })] })

    const late = await placeOrder(0)
    nock(HOST).get(path('Document_ЗаказКлиента')).query(true).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).persist()
    expect(await forwarder.forward(late.id)).toBe('retry')
    await expect(cancelOrder(t.db, late.id, 'shop', undefined)).rejects.toThrow(/cancel it in 1C/)
  })
})

describe("1C's status of forwarded orders", () => {
  it('a document marked for deletion in 1C cancels the order and releases its hold', async () => {
    const placed = await placeOrder(700)
    await t.db.query(`update orders set status = 'confirmed', onec_ref = $2, onec = '{"posted": true}'::jsonb where id = $1`, [placed.id, DOCUMENT])
    nock(HOST)
      .get(path(`Document_ЗаказКлиента(guid'${DOCUMENT}')`))
      .query(true)
      .reply(200, { Ref_Key: DOCUMENT, Number: 'ТД00-000009 ', Date: '2026-11-22T10:00:00', Posted: false, DeletionMark: true, Статус: 'Закрыт' }, json)
      .persist()
    // Other forwarded orders of earlier tests answer the same; only this one is checked.
    await forwarder.pollStatuses()
    expect(await order(placed.id)).toMatchObject({
      status: 'cancelled',
      onec: { number: 'ТД00-000009', deletionMark: true, status: 'Закрыт' },
      holds: [expect.objectContaining({ status: 'released' })],
    })
  })
})

describe('the service forwards a storefront order over OData on its own', () => {
  it('POST /api/v1/orders → queued → searched, created and posted in 1C → confirmed, with order.* messages', async () => {
    const { buildTestApp, STOREFRONT_KEY } = await import('./helpers/app.ts')
    const app = await buildTestApp(
      { ORDERS_FORWARD: 'odata', ODATA_URL: `${HOST}${ROOT}`, ODATA_USER: 'Интеграция', ODATA_PASSWORD: 'секрет', MAPPING_PROFILE: 'ut11' },
      {
        configFile: {
          odata: { schedule: false },
          storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: [`whsec_${Buffer.alloc(32, 7).toString('base64')}`], enabled: false, apiKeys: [STOREFRONT_KEY] }],
        },
      },
    )
    try {
      await applyChanges(app.db, await startRun(app.db, 'test', 'seed'), [
        product(ITEM),
        offer(ITEM, { prices: { [PRICE_TYPE]: { amountMinor: 10_000, currency: 'RUB' } } }),
        { kind: 'customer', data: { id: PARTNER, name: 'ООО «Ромашка»', inn: '7701234567', kpp: null, headId: null, priceTypeId: PRICE_TYPE } },
        {
          kind: 'bonus_account',
          data: { customerId: PARTNER, programId: null, balanceMinor: 100_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 50, priceGroupCaps: {} },
        },
      ])
      const scope = lookups(nock(HOST).get(path('Document_ЗаказКлиента')).query(search('APP-1')).reply(200, { value: [] }, json))
        .post(path('Document_ЗаказКлиента'))
        .query(true)
        .reply(201, { Ref_Key: DOCUMENT, Number: 'ТД00-000777' }, json)
        .post(path(`Document_ЗаказКлиента(guid'${DOCUMENT}')/Post`))
        .query(true)
        .reply(200, '')
      const headers = { authorization: `Bearer ${STOREFRONT_KEY}`, 'idempotency-key': 'app-order-0001' }
      const created = await app.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers,
        payload: { externalId: 'app-1', number: 'APP-1', customerId: PARTNER, lines: [{ offerId: ITEM, quantity: 1, unitPriceMinor: 10_000 }], bonusMinor: 1_000 },
      })
      expect(created.statusCode).toBe(201)
      const id = created.json().id as string
      const deadline = Date.now() + 15_000
      let status = ''
      while (Date.now() < deadline && status !== 'confirmed') {
        status = (await app.app.inject({ method: 'GET', url: `/api/v1/orders/${id}`, headers })).json().status as string
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(status).toBe('confirmed')
      expect(scope.isDone()).toBe(true)
      // Messages reach the outbox with the next fan-out tick (250 ms).
      let types: string[] = []
      while (Date.now() < deadline + 5_000 && types.length < 3) {
        const feed = await app.app.inject({ method: 'GET', url: '/api/v1/events?after=0&limit=1000', headers })
        types = (feed.json().events as Array<{ type: string; key: string }>).filter((event) => event.key === id).map((event) => event.type)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(types).toEqual(['order.accepted', 'order.exported', 'order.status_changed'])
    } finally {
      await app.close()
    }
  })
})

describe('an order and its forwarding job', () => {
  it('commit together: a transaction that fails after queueing leaves neither; one that commits leaves both', async () => {
    const jobs = await startTestJobs(t)
    try {
      await jobs.boss.createQueue(FORWARD_QUEUE)
      const profile = (await loadProfile('ut11')).orders.odata
      if (!profile) throw new Error('ut11.yaml has no orders.odata')
      const client = createODataClient({ baseUrl: `${HOST}${ROOT}`, user: 'u', password: 'p', timeZone: 'Europe/Moscow', timeoutMs: 300 })
      const queued = createOrderForwarder({ db: t.db, jobs, client, profile, logger: createLogger('silent'), maxAttempts: 3, minorDigits: 2 })
      const countJobs = async () => (await t.db.query<{ n: number }>(`select count(*)::int as n from ${jobs.schema}.job where name = $1`, [FORWARD_QUEUE]))[0]?.n ?? 0
      const input: OrderInput = { externalId: 'tx-1', number: 'TX-1', customerId: PARTNER, lines: [{ offerId: ITEM, quantity: 1 }], bonusMinor: 0 }
      const crashing = async (tx: Parameters<typeof queued.queueForward>[0], id: string) => {
        await queued.queueForward(tx, id)
        throw new Error('the process died before the commit')
      }
      await expect(takeOrder(t.db, 'shop', 'tx-order-crash', input, quoteRules(), { viaSaleExchange: false, queueForward: crashing })).rejects.toThrow(/died before the commit/)
      expect(await countJobs()).toBe(0)
      expect(await t.db.query(`select 1 from orders where idempotency_key = 'tx-order-crash'`)).toEqual([])

      const stored = await takeOrder(t.db, 'shop', 'tx-order-ok', input, quoteRules(), { viaSaleExchange: false, queueForward: queued.queueForward })
      const [row] = await t.db.query<{ job: string | null }>('select forward_job_id::text as job from orders where id = $1', [stored.id])
      const [job] = await t.db.query<{ state: string; order: string }>(`select state, data->>'orderId' as order from ${jobs.schema}.job where id = $1::uuid`, [row?.job])
      expect(job).toEqual({ state: 'created', order: stored.id })

      // The job is lost (deleted by hand, or failed with its store): the sweep queues the order again.
      await t.db.query(`delete from ${jobs.schema}.job where id = $1::uuid`, [row?.job])
      await t.db.query(`update orders set created_at = now() - interval '2 minutes' where id = $1`, [stored.id])
      expect(await queued.sweep()).toBe(1)
      const [again] = await t.db.query<{ job: string | null }>('select forward_job_id::text as job from orders where id = $1', [stored.id])
      expect(again?.job).not.toBe(row?.job)
      expect(await queued.sweep()).toBe(0)
    } finally {
      await jobs.stop({ graceful: false })
    }
  })
})
