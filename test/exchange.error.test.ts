import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { zipOf } from './helpers/zip.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { catalogXml, offersXml, OFFER, PRICE_TYPE } from './samples/ut11.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
  // A known state every failure below must leave untouched.
  const client = new ExchangeClient(t.app)
  expect((await client.portion('import0_1.xml', catalogXml())).status).toBe('success')
  expect((await client.portion('offers0_1.xml', offersXml())).status).toBe('success')
})
afterAll(async () => {
  await t.close()
})

async function snapshot() {
  const [row] = await t.db.query<{ events: number; states: string }>(
    `select (select count(*)::int from events) as events,
            (select string_agg(kind || ':' || key || ':' || version, ',' order by kind, key) from entity_state) as states`,
  )
  return row
}

async function lastRun() {
  const response = await t.app.inject({ method: 'GET', url: '/admin/api/runs?limit=1', headers: adminHeaders })
  return response.json().runs[0]
}

describe('a file that fails leaves the previous state and says where', () => {
  it('malformed XML: failure naming file, element path and line; nothing applied', async () => {
    const before = await snapshot()
    // The first offer is fine and changed; the file breaks later on: nothing of it may land.
    const broken = offersXml({ price: '1500' }).toString('utf8').replace('<Количество>40</Количество>', '<Количество>40</Количств>')
    const outcome = await new ExchangeClient(t.app).portion('offers0_1.xml', Buffer.from(broken))
    expect(outcome.status).toBe('failure')
    // 1C's operator reads it in Russian: the file, the line, the element, then the parser's own words.
    expect(outcome.message).toMatch(
      /^файл offers0_1\.xml, строка \d+, элемент КоммерческаяИнформация\/ПакетПредложений\/Предложения\/Предложение\S*: XML не читается: unexpected close tag/,
    )
    expect(await snapshot()).toEqual(before)
    const run = await lastRun()
    expect(run).toMatchObject({ status: 'failed', error: { file: 'offers0_1.xml', path: expect.stringContaining('Предложение') } })
    expect(run.error.line).toBeGreaterThan(10)
  })

  it('a price that is not a number: failure naming the offer and the element', async () => {
    const before = await snapshot()
    const outcome = await new ExchangeClient(t.app).portion('offers0_1.xml', offersXml({ price: '12,34,56' }))
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toContain(`Предложение[${OFFER}]/Цены/Цена[${PRICE_TYPE}]/ЦенаЗаЕдиницу`)
    expect(outcome.message).toContain('not a decimal number: "12,34,56"')
    expect(await snapshot()).toEqual(before)
  })

  it('a truncated upload: failure, nothing applied', async () => {
    const before = await snapshot()
    const whole = offersXml({ price: '1600' })
    const outcome = await new ExchangeClient(t.app).portion('offers0_1.xml', whole.subarray(0, whole.length - 200))
    expect(outcome.status).toBe('failure')
    expect(await snapshot()).toEqual(before)
  })

  it('an XML file that is not CommerceML', async () => {
    const outcome = await new ExchangeClient(t.app).portion('import0_1.xml', Buffer.from('<?xml version="1.0"?><html><body/></html>'))
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toContain('это не документ CommerceML: корневой элемент <html>, ожидался <КоммерческаяИнформация>')
  })
})

describe('a broken archive', () => {
  it('reports a broken archive (a chunk missing) as such', async () => {
    const archive = await zipOf({ 'import0_1.xml': catalogXml() })
    const outcome = await new ExchangeClient(t.app).portion('v8_cut.zip', archive.subarray(0, archive.length - 30), 'import0_1.xml')
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toContain('архив v8_cut.zip: не читается как zip')
    expect(outcome.message).toContain('все ли части файла загружены?')
  })
})

describe('protocol misuse', () => {
  it('answers an unknown mode with failure and "unknown mode"', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const response = await client.request('mode=frobnicate')
    expect(response.body).toBe('failure\nнеизвестный режим (mode)')
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  it('answers an unknown type with failure', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/1c/exchange?type=nope&mode=checkauth' })
    expect(response.body.split('\n')[0]).toBe('failure')
  })

  it('refuses deactivate without timestamp', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const response = await client.request('mode=deactivate')
    expect(response.body).toMatch(/^failure\nдля mode=deactivate нужен timestamp=/)
  })

  it('never starts an answer with a BOM or anything but a status keyword', async () => {
    const client = new ExchangeClient(t.app)
    for (const query of ['mode=checkauth', 'mode=import&filename=nothing.xml', 'mode=complete', 'mode=x']) {
      const response = await client.request(query)
      expect(response.rawPayload[0]).not.toBe(0xef)
      expect(response.body.split('\n')[0]).toMatch(/^(success|progress|failure)$/)
    }
  })
})

describe('the language of 1C’s exchange log', () => {
  it('is English when the integrator sets exchange.language: en, with the same file, line, element and reason', async () => {
    const english = await buildTestApp({ EXCHANGE_LANGUAGE: 'en' })
    try {
      const client = new ExchangeClient(english.app)
      const broken = offersXml().toString('utf8').replace('<Количество>40</Количество>', '<Количество>40</Количств>')
      const outcome = await client.portion('offers0_1.xml', Buffer.from(broken))
      expect(outcome.status).toBe('failure')
      expect(outcome.message).toMatch(/^offers0_1\.xml:\d+ КоммерческаяИнформация\/ПакетПредложений\/Предложения\/Предложение\S*: unexpected close tag/)
      expect((await client.request('mode=frobnicate')).body).toBe('failure\nunknown mode')
      const catalog = await client.portion('import0_1.xml', catalogXml())
      expect(catalog.message).toMatch(/^import0_1\.xml: catalog; 5 seen, 5 new, 0 changed, 0 removed, 0 unchanged; groups 1, properties 2, products 2 \(run \d+\)$/)
    } finally {
      await english.close()
    }
  })

  it('is Russian by default: a bad bonus flag names the file, the line, the product and the property', async () => {
    const bad = catalogXml().toString('utf8').replace('<Значение>Да</Значение>', '<Значение>Может быть</Значение>')
    const outcome = await new ExchangeClient(t.app).portion('import0_1.xml', Buffer.from(bad))
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toMatch(
      /^файл import0_1\.xml, строка \d+, элемент Товар\[b2f1c0de-0000-4000-8000-000000000002\]: свойство «Оплата бонусами» = «Может быть»: это не «Да» или «Нет»$/,
    )
  })
})
