/**
 * Orders through 1C's order exchange, as UT 11 runs it: checkauth → query → success (no init),
 * then order changes uploaded back as orders-*.xml (with or without import).
 */
import { randomBytes } from 'node:crypto'
import { XMLParser } from 'fast-xml-parser'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { applySource } from '../src/catalog/apply-source.ts'
import { expireHolds } from '../src/orders/index.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { zipOf } from './helpers/zip.ts'
import { Receiver, until } from './helpers/receiver.ts'
import { offer, product } from './fixtures.ts'

const SECRET = `whsec_${randomBytes(32).toString('base64')}`
const KEY = `sk_test_${randomBytes(16).toString('hex')}`
const auth = { authorization: `Bearer ${KEY}` }

let t: TestApp
let receiver: Receiver
beforeAll(async () => {
  receiver = new Receiver([SECRET])
  await receiver.listen()
  t = await buildTestApp(
    {},
    {
      configFile: {
        storefronts: [{ id: 'shop', url: receiver.url, secrets: [SECRET], events: ['order.*', 'bonus.*'], local: true, apiKeys: [KEY] }],
        exchange: { autoImportSeconds: 1 },
      },
    },
  )
  await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
    product('p1', { name: 'Вентилятор BINATONE <160 Вт>' }),
    offer('p1', { prices: { 'retail-price-type': { amountMinor: 100_001, currency: 'RUB' } } }),
    product('p2', { name: 'Ботинки женские' }),
    offer('p2#v1', { prices: { 'retail-price-type': { amountMinor: 25_000, currency: 'RUB' } } }),
    { kind: 'customer', data: { id: 'buyer', name: 'ООО «Ромашка» & Ко', inn: '7701234567', kpp: '770101001', headId: null, priceTypeId: 'retail-price-type' } },
    { kind: 'bonus_account', data: { customerId: 'buyer', programId: null, balanceMinor: 500_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: {} } },
  ])
})
afterAll(async () => {
  await t.close()
  receiver.server.close()
})

let sequence = 0
async function placeOrder(bonusMinor: number, extra: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
  sequence += 1
  const number = `S-${sequence}`
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { ...auth, 'idempotency-key': `sale-order-${sequence}-key` },
    payload: {
      externalId: `ext-${sequence}`,
      number,
      customerId: 'buyer',
      lines: [
        { offerId: 'p1', quantity: 1.5, unitPriceMinor: 100_001, autoDiscountPercent: 5 },
        { offerId: 'p2#v1', quantity: 2, unitPriceMinor: 25_000 },
      ],
      bonusMinor,
      paymentMethod: 'Безналичный расчет',
      comment: 'Позвонить до 10:00 & <не> раньше',
      delivery: { method: 'Курьер', address: 'Москва, ул. Тверская, 1', priceMinor: 50_000 },
      ...extra,
    },
  })
  expect(response.statusCode).toBe(201)
  return { id: response.json().id as string, number }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) => ['Документ', 'Товар', 'ЗначениеРеквизита', 'Скидка', 'Контрагент'].includes(name),
})
type Doc = Record<string, unknown> & {
  Ид: string
  Номер: string
  Товары: { Товар: Array<Record<string, unknown>> }
  ЗначенияРеквизитов: { ЗначениеРеквизита: Array<{ Наименование: string; Значение: string }> }
}
function documentsOf(body: string): Doc[] {
  const root = (parser.parse(body) as { КоммерческаяИнформация: { Документ?: Doc[] } }).КоммерческаяИнформация
  return root.Документ ?? []
}
const requisite = (doc: Doc, name: string) => doc.ЗначенияРеквизитов.ЗначениеРеквизита.find((item) => item.Наименование === name)?.Значение

async function getOrder(id: string) {
  return (await t.app.inject({ method: 'GET', url: `/api/v1/orders/${id}`, headers: auth })).json()
}

function statusFile(documents: Array<{ id: string; number: string; requisites: Record<string, string> }>, encoding: 'UTF-8' | 'windows-1251' = 'UTF-8'): Buffer {
  const xml = `<?xml version="1.0" encoding="${encoding}"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.09" ДатаФормирования="2026-11-22T10:00:00">
${documents
  .map(
    (doc) => `  <Документ>
    <Ид>${doc.id}</Ид>
    <Номер>${doc.number}</Номер>
    <Дата>2026-11-22</Дата>
    <ХозОперация>Заказ товара</ХозОперация>
    <Роль>Продавец</Роль>
    <ЗначенияРеквизитов>
${Object.entries(doc.requisites)
  .map(([name, value]) => `      <ЗначениеРеквизита><Наименование>${name}</Наименование><Значение>${value}</Значение></ЗначениеРеквизита>`)
  .join('\n')}
    </ЗначенияРеквизитов>
  </Документ>`,
  )
  .join('\n')}
</КоммерческаяИнформация>`
  return encoding === 'UTF-8' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]) : iconv.encode(xml, 'win1251')
}

describe("UT 11's order download: checkauth → query → success", () => {
  it('answers every unacknowledged order as CommerceML that UT 11 reads: <?xml first, charset declared, Content-Length, ХозОперация «Заказ товара»', async () => {
    const placed = await placeOrder(10_000)
    const client = new ExchangeClient(t.app, { type: 'sale' })
    await client.checkauth()
    const response = await client.request('mode=query')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8')
    expect(response.rawPayload.subarray(0, 5).toString('latin1')).toBe('<?xml')
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length)
    expect(response.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/)
    const doc = documentsOf(response.body).find((item) => item.Ид === placed.id)
    if (!doc) throw new Error('the order is not in the answer')
    expect(doc).toMatchObject({ Номер: placed.number, ХозОперация: 'Заказ товара', Роль: 'Продавец', Валюта: 'RUB', Комментарий: 'Позвонить до 10:00 & <не> раньше' })
    expect(doc.Дата).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(doc.Время).toMatch(/^\d{2}:\d{2}:\d{2}$/)
    expect((doc.Контрагенты as { Контрагент: unknown[] }).Контрагент[0]).toMatchObject({
      Ид: 'buyer',
      Наименование: 'ООО «Ромашка» & Ко',
      ИНН: '7701234567',
      КПП: '770101001',
      Роль: 'Покупатель',
    })
    const [first, second, delivery] = doc.Товары.Товар
    // 1.5 × 1000.01 = 1500.015 → 1500.02; 5 % of it = 75.001 → 75.00; the line costs 1425.02.
    expect(first).toMatchObject({ Ид: 'p1', Наименование: 'Вентилятор BINATONE <160 Вт>', ЦенаЗаЕдиницу: '1000.01', Количество: '1.5', Сумма: '1425.02' })
    expect((first?.Скидки as { Скидка: unknown[] }).Скидка[0]).toMatchObject({ Процент: '5', Сумма: '75.00', УчтеноВСумме: 'true' })
    expect(second).toMatchObject({ Ид: 'p2#v1', ЦенаЗаЕдиницу: '250.00', Количество: '2', Сумма: '500.00' })
    expect(delivery).toMatchObject({ Ид: 'ORDER_DELIVERY', Сумма: '500.00' })
    expect(doc.Сумма).toBe('2425.02')
    // 100.00 of bonuses, spread over the lines in proportion to their caps (30 % of each, less the discount).
    expect(requisite(doc, 'Оплачено бонусными баллами')).toBe('100.00')
    const lineBonus = [first, second].map(
      (line) => (line?.ЗначенияРеквизитов as Doc['ЗначенияРеквизитов']).ЗначениеРеквизита.find((item) => item.Наименование === 'Оплачено бонусными баллами')?.Значение,
    )
    expect(lineBonus.reduce((sum, value) => sum + Math.round(Number(value) * 100), 0)).toBe(10_000)
    expect(requisite(doc, 'Метод оплаты')).toBe('Безналичный расчет')
    expect(requisite(doc, 'Отменен')).toBe('false')
    expect(requisite(doc, 'Сайт')).toBe('shop')
  })

  it('a client that agreed on 3.1 at init (the 1C-Bitrix module) gets each document in Контейнер', async () => {
    const placed = await placeOrder(0)
    const client = new ExchangeClient(t.app, { type: 'sale' })
    await client.checkauth()
    await client.request('mode=init&version=3.1')
    const body = (await client.request('mode=query')).body
    expect(body).toContain('ВерсияСхемы="3.1"')
    expect(body).toMatch(new RegExp(`<Контейнер>\\s*<Документ>\\s*<Ид>[^<]+</Ид>`))
    expect(body).toContain(`<Ид>${placed.id}</Ид>`)
  })

  it('sends the order again until 1C says success, then never again; success makes it exported and tells the storefront', async () => {
    const placed = await placeOrder(0)
    const failing = new ExchangeClient(t.app, { type: 'sale' })
    await failing.checkauth()
    expect(documentsOf((await failing.request('mode=query')).body).map((doc) => doc.Ид)).toContain(placed.id)
    // 1C failed before success: the next exchange gets it again.
    const client = new ExchangeClient(t.app, { type: 'sale' })
    await client.checkauth()
    expect(documentsOf((await client.request('mode=query')).body).map((doc) => doc.Ид)).toContain(placed.id)
    expect((await getOrder(placed.id)).status).toBe('accepted')
    const success = await client.request('mode=success')
    expect(success.body.split('\n')[0]).toBe('success')
    expect(await getOrder(placed.id)).toMatchObject({ status: 'exported', exportedAt: expect.any(String) })

    const next = new ExchangeClient(t.app, { type: 'sale' })
    await next.checkauth()
    const empty = await next.request('mode=query')
    expect(documentsOf(empty.body).map((doc) => doc.Ид)).not.toContain(placed.id)
    expect(empty.body).toMatch(/^<\?xml[^>]*\?>\s*<КоммерческаяИнформация/)
    // The failed session's late success must not acknowledge what it did not get.
    await failing.request('mode=success')

    const message = await until(
      () => receiver.received.filter((item) => item.body.type === 'order.exported' && item.body.data.id === placed.id),
      (items) => items.length > 0,
    )
    expect(message[0]?.verifiedWith).toEqual([SECRET])
    expect(message[0]?.body.data).toMatchObject({ id: placed.id, number: placed.number, status: 'exported' })
  })
})

describe('order changes uploaded by 1C', () => {
  /** A new order-exchange session as UT 11 opens one for an upload: checkauth, then init. */
  async function uploadSession(): Promise<ExchangeClient> {
    const client = new ExchangeClient(t.app, { type: 'sale' })
    await client.checkauth()
    await client.init()
    return client
  }

  async function exportAll(): Promise<void> {
    const client = new ExchangeClient(t.app, { type: 'sale' })
    await client.checkauth()
    await client.request('mode=query')
    await client.request('mode=success')
  }

  it('UTF-8 orders-*.xml through file and import: 1C number and date, posted → confirmed, the hold confirmed, order.status_changed to the storefront', async () => {
    const placed = await placeOrder(5_000)
    await exportAll()
    const client = await uploadSession()
    const name = `orders-${randomBytes(4).toString('hex')}_1.xml`
    const file = statusFile([
      {
        id: placed.id,
        number: placed.number,
        requisites: { 'Номер по 1С': 'ТД00-000123', 'Дата по 1С': '2026-11-22T10:15:00', Проведен: 'true', ПометкаУдаления: 'false', 'Статус заказа': 'К обеспечению' },
      },
    ])
    await client.upload(name, file)
    const outcome = await client.import(name)
    expect(outcome.status).toBe('success')
    expect(outcome.message).toMatch(/документов заказов 1, изменено 1/)
    const order = await getOrder(placed.id)
    expect(order).toMatchObject({ status: 'confirmed', oneC: { number: 'ТД00-000123', date: '2026-11-22T10:15:00', posted: true, deletionMark: false, status: 'К обеспечению' } })
    expect(order.holds[0]).toMatchObject({ status: 'active', amountMinor: 5_000 })
    const [hold] = await t.db.query<{ confirmed_at: Date | null }>('select confirmed_at from bonus_holds where order_id = $1', [placed.id])
    expect(hold?.confirmed_at).toBeInstanceOf(Date)
    const message = await until(
      () => receiver.received.filter((item) => item.body.type === 'order.status_changed' && item.body.data.id === placed.id),
      (items) => items.length > 0,
    )
    expect(message[0]?.body.data).toMatchObject({ status: 'confirmed', oneC: { number: 'ТД00-000123', posted: true } })

    // The same file again changes nothing.
    const again = await uploadSession()
    await again.upload(name, file)
    expect((await again.import(name)).message).toMatch(/документов заказов 1, изменено 0/)
    expect((await getOrder(placed.id)).version).toBe(order.version)
  })

  it('windows-1251 file uploaded without import (1C not waiting): cancelled in 1C → cancelled here, the hold released, the bonuses available again', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/customers/buyer/bonus', headers: auth })).json().availableMinor as number
    const placed = await placeOrder(7_000)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers/buyer/bonus', headers: auth })).json().availableMinor).toBe(before - 7_000)
    await exportAll()
    const client = await uploadSession()
    // Matched by the site's number alone, as a 1C base that does not keep our Ид would send it.
    await client.upload(
      'orders-cancel.xml',
      statusFile([{ id: '', number: placed.number, requisites: { 'Номер по 1С': 'ТД00-000124', Проведен: 'false', Отменен: 'true' } }], 'windows-1251'),
    )
    const order = await until(
      () => getOrder(placed.id),
      (value) => value.status === 'cancelled',
    )
    expect(order.oneC).toMatchObject({ number: 'ТД00-000124', cancelled: true })
    expect(order.holds[0]).toMatchObject({ status: 'released' })
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers/buyer/bonus', headers: auth })).json().availableMinor).toBe(before)
    // The storefront learns of the release: a bonus.updated newer than the one of the hold.
    const bonusMessages = () => receiver.received.filter((item) => item.body.type === 'bonus.updated' && item.body.data.customerId === 'buyer').map((item) => item.body.data)
    const held = await until(bonusMessages, (items) => items.some((item) => item.availableMinor === before - 7_000))
    const holdVersion = Math.max(...held.filter((item) => item.availableMinor === before - 7_000).map((item) => item.version))
    const released = await until(bonusMessages, (items) => items.some((item) => item.version > holdVersion))
    expect(released.filter((item) => item.version > holdVersion)).toEqual([expect.objectContaining({ balanceMinor: 500_000, heldMinor: 500_000 - before, availableMinor: before })])
  })

  it('zipped, as 1C packs uploads after zip=yes: unpacked and imported by the name inside', async () => {
    const placed = await placeOrder(0)
    await exportAll()
    const client = await uploadSession()
    expect(client.zip).toBe(true)
    const archive = await zipOf({
      'orders-zipped_1.xml': statusFile([
        {
          id: placed.id,
          number: placed.number,
          requisites: { 'Номер по 1С': 'ТД00-000125', Проведен: 'true', 'Номер отгрузки по 1С': 'РТУ-000009', 'Дата отгрузки по 1С': '2026-11-23T09:00:00' },
        },
      ]),
    })
    await client.upload('v8_5F1A_1.zip', archive)
    expect((await client.import('orders-zipped_1.xml')).status).toBe('success')
    expect(await getOrder(placed.id)).toMatchObject({ status: 'confirmed', oneC: { number: 'ТД00-000125', shipped: { number: 'РТУ-000009', date: '2026-11-23T09:00:00' } } })
  })

  it('a malformed file fails naming the file and line, and changes no order', async () => {
    const placed = await placeOrder(0)
    await exportAll()
    const client = await uploadSession()
    const good = statusFile([{ id: placed.id, number: placed.number, requisites: { Проведен: 'true' } }]).toString('utf8')
    await client.upload('orders-bad.xml', Buffer.from(good.replace('</ЗначенияРеквизитов>', '</ЗначенияРеквизитов></Лишний>')))
    const outcome = await client.import('orders-bad.xml')
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toMatch(/файл orders-bad\.xml, строка \d+/)
    expect((await getOrder(placed.id)).status).toBe('exported')
  })
})

describe('holds end', () => {
  it('a balance pull that started after 1C confirmed the order settles its hold; an unconfirmed hold stays', async () => {
    const confirmed = await placeOrder(1_000)
    const waiting = await placeOrder(2_000)
    // Confirmed a moment before the pull starts (the embedded store's clock has millisecond steps).
    await t.db.query(`update bonus_holds set confirmed_at = now() - interval '1 second' where order_id = $1`, [confirmed.id])
    await applySource(
      t.db,
      { name: 'bonus', entity: 'bonus_account', merge: false, defaults: {} },
      async () => ({
        rows: 1,
        pulled: [
          {
            kind: 'bonus_account',
            data: { customerId: 'buyer', programId: null, balanceMinor: 499_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: {} },
          },
        ],
      }),
      { runSource: 'odata:bonus-accounts' },
    )
    expect((await getOrder(confirmed.id)).holds[0]).toMatchObject({ status: 'settled' })
    expect((await getOrder(waiting.id)).holds[0]).toMatchObject({ status: 'active' })
  })

  it('after the TTL: a confirmed hold is settled and an unconfirmed one released, each with a warning in the sync log', async () => {
    const confirmed = await placeOrder(1_100)
    const unconfirmed = await placeOrder(1_200)
    await t.db.query(`update bonus_holds set confirmed_at = now() - interval '90 hours' where order_id = $1`, [confirmed.id])
    await t.db.query(`update bonus_holds set created_at = now() - interval '100 hours' where order_id = any($1::text[])`, [[confirmed.id, unconfirmed.id]])
    const result = await expireHolds(t.db, 72)
    expect(result).toMatchObject({ settled: 1, released: 1 })
    expect((await getOrder(confirmed.id)).holds[0]).toMatchObject({ status: 'settled' })
    expect((await getOrder(unconfirmed.id)).holds[0]).toMatchObject({ status: 'released' })
    const [run] = await t.db.query<{ source: string; details: { warnings: string[] } }>(`select source, details from sync_runs where kind = 'hold-expiry' order by id desc limit 1`)
    expect(run?.details.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`order ${unconfirmed.id}: hold of 1200 on buyer released by TTL`),
        expect.stringContaining(`order ${confirmed.id}: hold of 1100 on buyer settled by TTL`),
      ]),
    )
  })

  it('expires each hold once when every instance’s tick comes at the same moment', async () => {
    const orders = [await placeOrder(1_300), await placeOrder(1_400), await placeOrder(1_500)]
    const ids = orders.map((order) => order.id)
    await t.db.query(`update bonus_holds set created_at = now() - interval '100 hours' where order_id = any($1::text[])`, [ids])
    // Three instances, one store: their schedulers tick together.
    const results = await Promise.all([expireHolds(t.db, 72), expireHolds(t.db, 72), expireHolds(t.db, 72)])
    expect(results.reduce((sum, result) => sum + result.released, 0)).toBe(3)
    const notes = await t.db.query<{ order_id: string; n: number }>(
      `select order_id, count(*)::int as n from order_status_history where order_id = any($1::text[]) and note like 'bonus hold released%' group by order_id`,
      [ids],
    )
    expect(notes.map((row) => row.n)).toEqual([1, 1, 1])
    const runs = await t.db.query(`select 1 from sync_runs where kind = 'hold-expiry' and details::text like $1`, [`%${ids[0]}%`])
    expect(runs).toHaveLength(1)
  })
})

describe('the storefront cancels', () => {
  const cancel = (id: string) => t.app.inject({ method: 'POST', url: `/api/v1/orders/${id}/cancel`, headers: auth, payload: { reason: 'передумал' } })
  async function query(): Promise<{ client: ExchangeClient; docs: Doc[] }> {
    const client = new ExchangeClient(t.app, { type: 'sale' })
    await client.checkauth()
    return { client, docs: documentsOf((await client.request('mode=query')).body) }
  }

  it('before 1C took the order: cancelled, the hold released, never sent', async () => {
    const placed = await placeOrder(3_000)
    const answer = await cancel(placed.id)
    expect(answer.statusCode).toBe(200)
    expect(answer.json()).toMatchObject({ status: 'cancelled', holds: [{ status: 'released' }] })
    const { client, docs } = await query()
    expect(docs.map((doc) => doc.Ид)).not.toContain(placed.id)
    await client.request('mode=success')
    expect((await cancel(placed.id)).statusCode).toBe(200)
  })

  it('after 1C took it: sent again with Отменен=true until 1C acknowledges that', async () => {
    const placed = await placeOrder(3_000)
    const first = await query()
    expect(first.docs.map((doc) => doc.Ид)).toContain(placed.id)
    await first.client.request('mode=success')
    expect((await cancel(placed.id)).json()).toMatchObject({ status: 'cancelled' })
    const again = await query()
    const doc = again.docs.find((item) => item.Ид === placed.id)
    expect(doc && requisite(doc, 'Отменен')).toBe('true')
    await again.client.request('mode=success')
    expect((await query()).docs.map((item) => item.Ид)).not.toContain(placed.id)
  })

  it('an unknown order is 404, another storefront’s too', async () => {
    expect((await cancel('no-such-order')).statusCode).toBe(404)
  })
})
