/**
 * The exchange edge as an attacker and a careless client would use it: credentials, session
 * cookies and `sessid` (never in a log or a stored run, dead after the idle time), hostile XML,
 * zips and file names, and orders that cannot be written for 1C (they fail alone).
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { adminHeaders, buildTestApp, logCapture, type TestApp } from './helpers/app.ts'
import { ExchangeClient, sessionIdOf } from './helpers/exchange-client.ts'
import { bonusAccount, customer, offer, product } from './fixtures.ts'
import { Receiver, until } from './helpers/receiver.ts'
import { assertWellFormed } from './helpers/well-formed.ts'
import { zipOf } from './helpers/zip.ts'
import { catalogXml, offersXml } from './samples/ut11.ts'

const SECRET = `whsec_${randomBytes(32).toString('base64')}`
const KEY = `sk_test_${randomBytes(16).toString('hex')}`
const log = logCapture()

let t: TestApp
let receiver: Receiver
beforeAll(async () => {
  receiver = new Receiver([SECRET])
  await receiver.listen()
  t = await buildTestApp(
    { LOG_LEVEL: 'debug' },
    {
      logTo: log.stream,
      configFile: {
        storefronts: [{ id: 'shop', url: receiver.url, secrets: [SECRET], events: ['order.*'], local: true, apiKeys: [KEY] }],
        exchange: { sessionIdleMinutes: 1 },
      },
    },
  )
  // A known state every refusal below must leave untouched.
  const client = new ExchangeClient(t.app)
  expect((await client.portion('import0_1.xml', catalogXml())).status).toBe('success')
  expect((await client.portion('offers0_1.xml', offersXml())).status).toBe('success')
})
afterAll(async () => {
  await t.close()
  receiver.server.close()
})

async function snapshot() {
  const [row] = await t.db.query<{ events: number; states: string }>(
    `select (select count(*)::int from events) as events,
            (select string_agg(kind || ':' || key || ':' || version, ',' order by kind, key) from entity_state) as states`,
  )
  return row
}

describe('who may use the exchange', () => {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  it.each([
    ['no credentials', {}],
    ['a wrong password', { authorization: basic('exchange', 'wrong-password') }],
    ['an unknown user', { authorization: basic('admin', 'exchange-password') }],
    ['a malformed header', { authorization: 'Basic !!!' }],
    ['a made-up session cookie', { cookie: `onec_bridge_exchange=${randomBytes(24).toString('base64url')}` }],
  ])('%s: 401 with a Basic challenge, and no session', async (_what, headers) => {
    const response = await t.app.inject({ method: 'GET', url: '/1c/exchange?type=catalog&mode=checkauth', headers })
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/)
    expect(response.body.split('\n')[0]).toBe('failure')
  })

  it('a made-up sessid opens nothing', async () => {
    const response = await t.app.inject({ method: 'POST', url: `/1c/exchange?type=catalog&mode=deactivate&timestamp=1&sessid=${randomBytes(16).toString('hex')}` })
    expect(response.statusCode).toBe(401)
  })
})

describe('exchange sessions keep their secrets', () => {
  it('a full exchange (catalogue with sessid in the query, then orders) logs neither the cookie nor sessid, nor stores them in runs or the session row', async () => {
    const before = log.text().length
    const catalog = new ExchangeClient(t.app)
    await catalog.checkauth()
    expect((await catalog.request(`mode=init&version=3.1&sessid=${catalog.sessid}`)).body).toContain(`sessid=${catalog.sessid}`)
    await catalog.upload('import0_1.xml', catalogXml())
    expect((await catalog.import('import0_1.xml')).status).toBe('success')
    // A 1C-Bitrix-style client: no cookie, sessid in every query.
    const bitrix = new ExchangeClient(t.app)
    await bitrix.checkauth()
    const sessid = bitrix.sessid
    const cookie = bitrix.cookie
    bitrix.cookie = ''
    expect((await bitrix.request(`mode=file&filename=offers0_1.xml&sessid=${sessid}`, { method: 'POST', body: offersXml() })).body).toBe('success')
    expect((await bitrix.request(`mode=import&filename=offers0_1.xml&sessid=${sessid}`)).body.split('\n')[0]).toMatch(/^(success|progress)$/)
    const sale = new ExchangeClient(t.app, { type: 'sale' })
    await sale.checkauth()
    expect((await sale.request('mode=query')).statusCode).toBe(200)
    expect((await sale.request('mode=success')).body.split('\n')[0]).toBe('success')

    const written = log.text().slice(before)
    expect(written).toContain('exchange session started')
    expect(written).toContain('sessid=[redacted]')
    for (const client of [catalog, sale]) {
      const token = client.cookie.split('=')[1] ?? ''
      expect(token.length).toBeGreaterThan(20)
      expect(written).not.toContain(token)
      expect(written).not.toContain(client.sessid)
    }
    expect(written).not.toContain(cookie.split('=')[1])
    expect(written).not.toContain(sessid)
    const stored = JSON.stringify(await t.db.query('select * from sync_runs'))
    const sessions = JSON.stringify(await t.db.query('select * from exchange_sessions'))
    for (const secret of [catalog.cookie.split('=')[1], catalog.sessid, sessid, sale.cookie.split('=')[1]]) {
      expect(stored).not.toContain(secret)
      expect(sessions).not.toContain(secret)
    }
    // The session is still named in logs and runs, by its public id.
    const id = await sessionIdOf(t.db, catalog.cookie)
    expect(written).toContain(`"session":"${id}"`)
  })

  it('a session no request used for the idle time (1 minute here) lets no one in, by cookie or by sessid; checkauth starts a new one', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    expect((await client.request('mode=init', { auth: false })).statusCode).toBe(200)
    const id = await sessionIdOf(t.db, client.cookie)
    // Two minutes pass: in this process's memory (Date) and in the store (last_seen_at).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 60_000 })
    try {
      await t.db.query(`update exchange_sessions set last_seen_at = last_seen_at - interval '2 minutes' where id = $1`, [id])
      const byCookie = await client.request('mode=init', { auth: false })
      expect(byCookie.statusCode).toBe(401)
      expect(byCookie.body).toBe('failure\nнужна авторизация: нет ни верного логина, ни сеанса обмена')
      const cookie = client.cookie
      client.cookie = ''
      expect((await client.request(`mode=init&sessid=${client.sessid}`, { auth: false })).statusCode).toBe(401)
      client.cookie = cookie
      // With the login and password, 1C is told to start again.
      expect((await client.request('mode=init')).body).toBe('failure\nнет сеанса обмена: 1С должна сначала вызвать mode=checkauth и передавать полученную cookie')
      await client.checkauth()
      expect((await client.request('mode=init', { auth: false })).statusCode).toBe(200)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a session older than sessionTtlHours lets no one in even while it is used', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const id = await sessionIdOf(t.db, client.cookie)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 73 * 3_600_000 })
    try {
      await t.db.query(`update exchange_sessions set created_at = created_at - interval '73 hours' where id = $1`, [id])
      expect((await client.request('mode=init', { auth: false })).statusCode).toBe(401)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('hostile XML', () => {
  it('refuses a DOCTYPE with an external entity (XXE)', async () => {
    const before = await snapshot()
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><КоммерческаяИнформация><Каталог><Товары><Товар><Ид>x</Ид><Наименование>&e;</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>`
    const outcome = await new ExchangeClient(t.app).portion('import0_1.xml', Buffer.from(xxe))
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toContain('<!DOCTYPE> в CommerceML не допускается')
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a billion-laughs file before expanding anything', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, index) => `<!ENTITY lol${index + 1} "${`&lol${index || ''};`.repeat(10)}">`).join('')}]><КоммерческаяИнформация>&lol9;</КоммерческаяИнформация>`
    const outcome = await new ExchangeClient(t.app).portion('import0_1.xml', Buffer.from(laughs))
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toContain('<!DOCTYPE> в CommerceML не допускается')
  })
})

describe('hostile zips', () => {
  it('refuses a zip bomb without inflating it', async () => {
    const before = await snapshot()
    const bomb = await zipOf({ 'import0_1.xml': Buffer.alloc(64 * 1024 * 1024, 0x20) })
    expect(bomb.length).toBeLessThan(200_000)
    const outcome = await new ExchangeClient(t.app).portion('v8_bomb.zip', bomb, 'import0_1.xml')
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toMatch(/архив v8_bomb\.zip: import0_1\.xml распаковывается в \d+ раз \(больше 1000\): отклонён как zip-бомба/)
    expect(await snapshot()).toEqual(before)
  })

  it('refuses an archive larger than allowed in total, or with too many entries', async () => {
    const local = await buildTestApp({}, { configFile: { exchange: { maxUnzippedBytes: 6000, maxZipEntries: 3 } } })
    try {
      const big = await zipOf({ 'a.xml': Buffer.alloc(4096, 0x41), 'b.xml': Buffer.alloc(4096, 0x42) }, false)
      const many = await zipOf({ 'a.xml': Buffer.from('a'), 'b.xml': Buffer.from('b'), 'c.xml': Buffer.from('c'), 'd.xml': Buffer.from('d') })
      for (const [name, archive, reason] of [
        ['v8_big.zip', big, 'архив v8_big.zip: распаковывается в 8192 байт, больше допустимых 6000'],
        ['v8_many.zip', many, 'архив v8_many.zip: 4 файлов, больше допустимых 3'],
      ] as const) {
        const outcome = await new ExchangeClient(local.app).portion(name, archive, 'a.xml')
        expect(outcome).toMatchObject({ status: 'failure', message: reason })
      }
    } finally {
      await local.close()
    }
  })

  it('refuses an archive entry that climbs out of the upload area', async () => {
    const archive = await zipOf({ 'ok.xml': catalogXml() })
    // yazl refuses to write "..", so patch the name in place: same length, "../x.xml".
    const patched = Buffer.from(archive.toString('latin1').replaceAll('ok.xml', '../x.x'), 'latin1')
    const outcome = await new ExchangeClient(t.app).portion('v8_evil.zip', patched, 'import0_1.xml')
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toBe('архив v8_evil.zip: небезопасное имя внутри архива (invalid relative path: ../x.x)')
  })
})

describe('hostile file names', () => {
  it.each(['../../etc/passwd', 'import_files/../../x.xml', 'a\u0000b.xml'])('refuses %j', async (name) => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const response = await client.request(`mode=file&filename=${encodeURIComponent(name)}`, { method: 'POST', body: Buffer.from('x') })
    expect(response.body.split('\n')[0]).toBe('failure')
    expect(response.body).toContain('не допускается')
  })

  it.each([
    ['/tmp/import0_1.xml', 'import0_1.xml'],
    ['C:\\Temp\\import0_1.xml', 'Temp/import0_1.xml'],
    ['import_files\\0c\\pic.jpg', 'import_files/0c/pic.jpg'],
  ])('keeps %j inside the session as %j', async (name, stored) => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const response = await client.request(`mode=file&filename=${encodeURIComponent(name)}`, { method: 'POST', body: Buffer.from('x') })
    expect(response.body).toBe('success')
    const [row] = await t.db.query<{ files: Record<string, unknown> }>(`select state->'files' as files from exchange_sessions where id = $1`, [
      await sessionIdOf(t.db, client.cookie),
    ])
    expect(Object.keys(row?.files ?? {})).toEqual([stored])
  })
})

describe('orders 1C cannot take fail alone', () => {
  const auth = { authorization: `Bearer ${KEY}` }
  beforeAll(async () => {
    await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
      product('hp1', { name: 'Кабель <ВВГ> & «Ко» ]]> \u0007звонок' }),
      offer('hp1', { prices: { 'retail-price-type': { amountMinor: 10_000, currency: 'RUB' } } }),
      // A name as 1C may hold it, with a control character: written without it.
      customer('hostile-buyer', { name: 'ООО \u0001«Ромашка» 🌼' }),
      bonusAccount('hostile-buyer', 100_000),
    ])
  })

  async function place(number: string, extra: Record<string, unknown> = {}) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...auth, 'idempotency-key': `hostile-${number}-key` },
      payload: { externalId: `ext-${number}`, number, customerId: 'hostile-buyer', lines: [{ offerId: 'hp1', quantity: 2, unitPriceMinor: 10_000 }], bonusMinor: 1_000, ...extra },
    })
    expect(response.statusCode).toBe(201)
    return response.json() as { id: string }
  }

  it('one order that cannot be written (taken before the bounds held) is failed with the reason and told to its storefront; the others reach 1C in the same query', async () => {
    const good1 = await place('H-1', { comment: 'Позвонить заранее\n\tПодъезд 2, код «<12>» & 😀', delivery: { method: 'Курьер', address: 'Москва,\nул. Тверская, 1' } })
    const poisoned = await place('H-2')
    const good2 = await place('H-3', { paymentMethod: 'Счёт "на оплату" <б/н>' })
    await t.db.query(`update orders set body = jsonb_set(body, '{lines,0,quantity}', '1e20'::jsonb) where id = $1`, [poisoned.id])

    const sale = new ExchangeClient(t.app, { type: 'sale' })
    await sale.checkauth()
    const query = await sale.request('mode=query')
    expect(query.statusCode).toBe(200)
    const xml = query.body
    assertWellFormed(xml)
    expect(xml).toContain(`<Ид>${good1.id}</Ид>`)
    expect(xml).toContain(`<Ид>${good2.id}</Ид>`)
    expect(xml).not.toContain(poisoned.id)
    expect(xml).toContain('<Наименование>ООО «Ромашка» 🌼</Наименование>')
    expect(xml).toContain('<Наименование>Кабель &lt;ВВГ&gt; &amp; «Ко» ]]&gt; звонок</Наименование>')
    expect(xml).toContain('Позвонить заранее\n\tПодъезд 2, код «&lt;12&gt;» &amp; 😀')

    const order = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${poisoned.id}`, headers: auth })
    expect(order.json()).toMatchObject({ status: 'failed', error: expect.stringMatching(/^cannot be written for 1C's order exchange: minor units must be a safe integer/) })
    const told = await until(
      () => receiver.received.filter((message) => message.body.type === 'order.failed' && message.body.data.id === poisoned.id),
      (messages) => messages.length > 0,
    )
    expect(told[0]?.body.data).toMatchObject({ status: 'failed', error: expect.stringContaining('minor units must be a safe integer') })
    const [hold] = await t.db.query<{ status: string }>(`select status from bonus_holds where order_id = $1`, [poisoned.id])
    expect(hold?.status).toBe('released')

    // It does not come back: the next query holds only what 1C has not acknowledged.
    expect((await sale.request('mode=success')).body).toBe('success\nподтверждено заказов: 2')
    const again = await sale.request('mode=query')
    expect(again.statusCode).toBe(200)
    expect(again.body).not.toContain(poisoned.id)
    const runs = await t.app.inject({ method: 'GET', url: '/admin/api/runs?limit=5', headers: adminHeaders })
    expect(runs.statusCode).toBe(200)
  })
})
