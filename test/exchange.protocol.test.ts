import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { zipOf } from './helpers/zip.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'

const CORPUS = new URL('../../shared/corpus/commerceml/', import.meta.url)
// Small UT 11 files written for the tests (the corpus may be absent where the suite runs).
import { catalogXml, offersXml, OFFER, PRICE_TYPE, WAREHOUSE_MAIN, WAREHOUSE_SHOP } from './samples/ut11.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp({ EXCHANGE_FILE_LIMIT: '2048' })
})
afterAll(async () => {
  await t.close()
})

async function entity(kind: string, key: string) {
  const response = await t.app.inject({ method: 'GET', url: `/admin/api/entities/${kind}/${encodeURIComponent(key)}`, headers: adminHeaders })
  return { status: response.statusCode, body: response.json() }
}

describe('checkauth', () => {
  it('answers success, cookie name, cookie value, sessid and timestamp', async () => {
    const client = new ExchangeClient(t.app)
    const response = await client.request('mode=checkauth')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
    const lines = response.body.split('\n')
    expect(lines).toHaveLength(5)
    expect(lines[0]).toBe('success')
    expect(lines[1]).toBe('onec_bridge_exchange')
    expect(lines[2]).toMatch(/^[\w-]{20,}$/)
    expect(lines[3]).toMatch(/^sessid=[0-9a-f]{32}$/)
    expect(Number(lines[4]?.replace('timestamp=', ''))).toBeCloseTo(Date.now() / 1000, -1)
    expect(response.headers['set-cookie']).toContain(`onec_bridge_exchange=${lines[2]}`)
  })

  it('refuses wrong credentials with 401 and a failure line', async () => {
    const client = new ExchangeClient(t.app, { password: 'wrong' })
    const response = await client.request('mode=checkauth')
    expect(response.statusCode).toBe(401)
    expect(response.body.split('\n')[0]).toBe('failure')
    expect(response.body).toContain('неверный логин или пароль обмена')
    expect(response.headers['www-authenticate']).toContain('Basic')
  })

  it('refuses a checkauth without credentials', async () => {
    const response = await new ExchangeClient(t.app).request('mode=checkauth', { auth: false })
    expect(response.statusCode).toBe(401)
    expect(response.body.startsWith('failure\n')).toBe(true)
  })

  it('accepts a Cyrillic login sent as UTF-8', async () => {
    const local = await buildTestApp({ EXCHANGE_USER: 'Обмен' })
    try {
      const lines = await new ExchangeClient(local.app, { user: 'Обмен' }).checkauth()
      expect(lines[0]).toBe('success')
    } finally {
      await local.close()
    }
  })
})

describe('init', () => {
  it('answers exactly two lines, zip and file_limit', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const response = await client.request('mode=init')
    expect(response.body).toBe('zip=yes\nfile_limit=2048')
  })

  it('adds sessid and version only when asked with version=', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const response = await client.request(`mode=init&version=3.1&sessid=${client.sessid}`)
    expect(response.body).toBe(`zip=yes\nfile_limit=2048\nsessid=${client.sessid}\nversion=3.1`)
  })

  it('needs a session from checkauth', async () => {
    const response = await new ExchangeClient(t.app).request('mode=init')
    expect(response.body).toMatch(/^failure\nнет сеанса обмена/)
  })
})

describe('a UT 11 exchange, file by file, chunked at file_limit', () => {
  it('imports catalog and offers so that every price and stock figure is readable', async () => {
    const client = new ExchangeClient(t.app)
    const catalog = await client.portion('import0_1.xml', catalogXml())
    expect(catalog.status).toBe('success')
    expect(catalog.message).toMatch(/^import0_1\.xml: каталог; принято 5: новых 5, изменено 0, удалено 0, без изменений 0; группы 1, свойства 2, товары 2 \(прогон \d+\)$/)

    const offersFile = offersXml()
    await client.checkauth()
    await client.init()
    const chunks = await client.upload('offers0_1.xml', offersFile)
    expect(chunks).toBeGreaterThan(1)
    const offers = await client.import('offers0_1.xml')
    expect(offers.status).toBe('success')
    expect(offers.slowestMs).toBeLessThan(1000)

    const offer = await entity('offer', OFFER)
    expect(offer.status).toBe(200)
    expect(offer.body.data).toEqual({
      id: OFFER,
      productId: OFFER.split('#')[0],
      variantId: OFFER.split('#')[1],
      prices: { [PRICE_TYPE]: { amountMinor: 123_450, currency: 'RUB' } },
      stock: { total: 7.5, warehouses: { [WAREHOUSE_MAIN]: 5.5, [WAREHOUSE_SHOP]: 2 }, totalFrom: 'sent' },
      removed: false,
      name: 'Средство для мытья посуды «Капля» 500 мл (лимон)',
      characteristics: [{ name: 'Аромат', value: 'лимон' }],
      unit: { code: '796', name: 'Штука', fullName: 'Штука', abbreviation: 'PCE', ratio: 1 },
    })
    const priceType = await entity('price_type', PRICE_TYPE)
    expect(priceType.body.data).toEqual({ id: PRICE_TYPE, name: 'Оптовая', currency: 'RUB' })
  })

  it('changes nothing when the same files come again, and emits one event for one changed price', async () => {
    const client = new ExchangeClient(t.app)
    const before = await t.db.query<{ n: number }>('select count(*)::int as n from events')
    const again = await client.portion('offers0_1.xml', offersXml())
    expect(again.message).toMatch(/новых 0, изменено 0, удалено 0/)
    const after = await t.db.query<{ n: number }>('select count(*)::int as n from events')
    expect(after[0]?.n).toBe(before[0]?.n)

    const changed = await client.portion('offers0_1.xml', offersXml({ price: '1300.00' }))
    expect(changed.message).toMatch(/изменено 1/)
    const events = await t.db.query<{ kind: string; key: string; type: string }>('select kind, key, type from events where seq > (select max(seq) - 1 from events)')
    expect(events).toEqual([{ kind: 'offer', key: OFFER, type: 'updated' }])
    expect((await entity('offer', OFFER)).body.data.prices[PRICE_TYPE].amountMinor).toBe(130_000)
  })
})

describe('a zipped exchange', () => {
  it('unpacks the archive on the first import and imports the XML names inside it', async () => {
    const local = await buildTestApp({ EXCHANGE_FILE_LIMIT: '1024' })
    try {
      const archive = await zipOf({
        'import0_1.xml': catalogXml(),
        'offers0_1.xml': offersXml({ price: '999.99' }),
        'import_files/0c/picture.jpg': Buffer.from('not really a jpeg'),
      })
      const client = new ExchangeClient(local.app, {})
      await client.checkauth()
      expect((await client.init())[0]).toBe('zip=yes')
      expect(await client.upload('v8_1A76_155ae.zip', archive)).toBeGreaterThan(1)
      expect((await client.import('import0_1.xml')).status).toBe('success')
      expect((await client.import('offers0_1.xml')).status).toBe('success')
      const response = await local.app.inject({ method: 'GET', url: `/admin/api/entities/offer/${encodeURIComponent(OFFER)}`, headers: adminHeaders })
      expect(response.json().data.prices[PRICE_TYPE]).toEqual({ amountMinor: 99_999, currency: 'RUB' })
    } finally {
      await local.close()
    }
  })
})

describe('the Bitrix address', () => {
  it('speaks the same protocol at /bitrix/admin/1c_exchange.php', async () => {
    const client = new ExchangeClient(t.app, { base: '/bitrix/admin/1c_exchange.php' })
    const outcome = await client.portion('import0_1.xml', catalogXml())
    expect(outcome.status).toBe('success')
  })
})

describe('sessions', () => {
  it('accepts the session cookie alone when a proxy strips Authorization', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const response = await client.request('mode=init', { auth: false })
    expect(response.body.startsWith('zip=')).toBe(true)
  })

  it('accepts sessid= in place of the cookie', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    client.cookie = ''
    const response = await client.request(`mode=init&sessid=${client.sessid}`)
    expect(response.body.startsWith('zip=')).toBe(true)
  })

  it('keeps each session to its own uploads', async () => {
    const first = new ExchangeClient(t.app)
    await first.checkauth()
    await first.init()
    await first.upload('only-here.xml', catalogXml())
    const second = new ExchangeClient(t.app)
    await second.checkauth()
    const outcome = await second.import('only-here.xml')
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toContain('only-here.xml не загружался в этом сеансе')
  })
})

describe('corpus files through the protocol', () => {
  it('imports a real UT 11 pair when the shared corpus is present', async (context) => {
    const importXml = await readFile(new URL('dobromyslov-commerceml-parser/import0_1.xml', CORPUS)).catch(() => null)
    const offers = await readFile(new URL('dobromyslov-commerceml-parser/offers0_1.xml', CORPUS)).catch(() => null)
    if (!importXml || !offers) return context.skip()
    const client = new ExchangeClient(t.app)
    expect((await client.portion('import0_1.xml', importXml)).status).toBe('success')
    expect((await client.portion('offers0_1.xml', offers)).status).toBe('success')
    const offer = await entity('offer', 'bd8c4e15-18f9-11e7-80c2-0cc47ab29cd1')
    expect(offer.body.data.prices).toEqual({ '279b6812-740b-11e8-80c8-0cc47ab29cd1': { amountMinor: 10_000, currency: 'RUB' } })
    expect(offer.body.data.stock).toEqual({
      total: 377,
      warehouses: { '6abdb0b5-18fd-11e7-80c2-0cc47ab29cd1': 1, 'd2a52d49-19c9-11e7-80c2-0cc47ab29cd1': 0, 'dd306af1-19c9-11e7-80c2-0cc47ab29cd1': 376 },
      totalFrom: 'sent',
    })
  })
})

describe('1C set not to wait for the site', () => {
  it('imports what was uploaded and never asked for, catalogue first, once the session is quiet', async () => {
    const local = await buildTestApp({}, { configFile: { exchange: { autoImportSeconds: 1 } } })
    try {
      const archive = await zipOf({ 'offers0_1.xml': offersXml({ price: '777' }), 'import0_1.xml': catalogXml() })
      const client = new ExchangeClient(local.app)
      await client.checkauth()
      await client.init()
      await client.upload('v8_5F2A_1.zip', archive)
      const until = Date.now() + 20_000
      let offer: Record<string, unknown> | undefined
      while (Date.now() < until && !offer) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        const [row] = await local.db.query<{ data: Record<string, unknown> }>(`select data from entity_state where kind = 'offer' and key = $1`, [OFFER])
        offer = row?.data
      }
      expect(offer).toMatchObject({ prices: { [PRICE_TYPE]: { amountMinor: 77_700 } } })
      const runs = await local.db.query<{ kind: string; status: string }>(`select kind, status from sync_runs where source = 'commerceml' order by id`)
      expect(runs).toEqual([
        { kind: 'catalog', status: 'succeeded' },
        { kind: 'offers', status: 'succeeded' },
      ])
    } finally {
      await local.close()
    }
  })

  it('leaves the session alone when 1C asks for the imports itself', async () => {
    const local = await buildTestApp({}, { configFile: { exchange: { autoImportSeconds: 1 } } })
    try {
      const client = new ExchangeClient(local.app)
      expect((await client.portion('import0_1.xml', catalogXml())).status).toBe('success')
      await new Promise((resolve) => setTimeout(resolve, 3500))
      const [row] = await local.db.query<{ n: number }>('select count(*)::int as n from sync_runs')
      expect(row?.n).toBe(1)
    } finally {
      await local.close()
    }
  })
})
