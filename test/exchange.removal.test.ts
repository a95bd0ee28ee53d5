import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseProfile } from '../src/onec/mapping/profile.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { stored } from './helpers/import-file.ts'
import { catalogXml, offersXml, OFFER, OFFER_2, PRODUCT, PRODUCT_2 } from './samples/ut11.ts'

async function fullThenPartial(t: TestApp) {
  const client = new ExchangeClient(t.app)
  expect((await client.portion('import0_1.xml', catalogXml())).status).toBe('success')
  expect((await client.portion('offers0_1.xml', offersXml())).status).toBe('success')
  return client
}

describe('removal is never decided from one portion', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => {
    await t.close()
  })

  it('keeps products missing from a later portion marked full', async () => {
    await fullThenPartial(t)
    // UT 11 marks the first portion of a full export as full although it holds only part of the catalogue.
    const onlyFirst = catalogXml()
      .toString('utf8')
      .replace(/<Товар>(?:(?!<\/Товар>)[\s\S])*GB-5[\s\S]*?<\/Товар>/, '')
    expect(onlyFirst).not.toContain('GB-5')
    expect((await new ExchangeClient(t.app).portion('import0_1.xml', Buffer.from(onlyFirst))).status).toBe('success')
    expect(await stored(t.db, 'product', PRODUCT_2)).toMatchObject({ removed: false })
  })
})

describe('mode=deactivate&timestamp=', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => {
    await t.close()
  })

  it('removes what the exchange since the timestamp did not send, only of the kinds it sent', async () => {
    await fullThenPartial(t)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    // A new full exchange: the catalogue without GB-5, and no offers at all.
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    const startedAt = client.timestamp
    await client.init()
    const withoutSecond = catalogXml()
      .toString('utf8')
      .replace(/<Товар>(?:(?!<\/Товар>)[\s\S])*GB-5[\s\S]*?<\/Товар>/, '')
    await client.upload('import0_1.xml', Buffer.from(withoutSecond))
    expect((await client.import('import0_1.xml')).status).toBe('success')

    const response = await client.request(`mode=deactivate&timestamp=${startedAt}`)
    expect(response.body).toMatch(/^success\nпомечено удалёнными: товаров 1, предложений 0 \(прогон \d+\); не выгружались в этом обмене и оставлены: предложения$/)
    expect(await stored(t.db, 'product', PRODUCT_2)).toMatchObject({ removed: true })
    expect(await stored(t.db, 'product', PRODUCT)).toMatchObject({ removed: false })
    expect(await stored(t.db, 'offer', OFFER_2)).toMatchObject({ removed: false })

    const events = await t.db.query<{ key: string; type: string }>(`select key, type from events where type = 'removed'`)
    expect(events).toEqual([{ key: PRODUCT_2, type: 'removed' }])
    expect((await client.request('mode=complete')).body).toBe('success\nобмен завершён')
  })
})

describe('the full-exchange window (profile removal.fullExchangeWindow)', () => {
  let t: TestApp
  beforeAll(async () => {
    const profile = parseProfile('window.yaml', { name: 'window', commerceml: { removal: { fullExchangeWindow: true, idleSeconds: 30 } } })
    t = await buildTestApp({}, { profile })
  })
  afterAll(async () => {
    await t.close()
  })

  it('opens with the first full portion, spans later portions and removes the rest at complete', async () => {
    await fullThenPartial(t)
    await t.db.exec('update cml_full_window set closed_at = now()')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    // A full export in two portions: portion 1 is marked full, portion 2 is "changes only".
    const first = catalogXml({ products: [] }).toString('utf8').replace('<Товары>', `<Товары><Товар><Ид>${PRODUCT}</Ид><Наименование>Средство</Наименование></Товар>`)
    const second = root(
      `<ПакетПредложений СодержитТолькоИзменения="true"><Предложения><Предложение><Ид>${OFFER}</Ид><Количество>1</Количество></Предложение></Предложения></ПакетПредложений>`,
    )
    const client = new ExchangeClient(t.app)
    expect((await client.portion('import0_1.xml', Buffer.from(first))).status).toBe('success')
    expect((await client.portion('offers0_2.xml', Buffer.from(second))).status).toBe('success')
    const [open] = await t.db.query<{ n: number }>('select count(*)::int as n from cml_full_window where closed_at is null')
    expect(open?.n).toBe(1)

    const response = await client.request('mode=complete')
    expect(response.body).toMatch(/^success\nполный обмен с .* завершён \(mode=complete\): помечено удалёнными: товаров 1, предложений 1/)
    expect(await stored(t.db, 'product', PRODUCT_2)).toMatchObject({ removed: true })
    expect(await stored(t.db, 'offer', OFFER_2)).toMatchObject({ removed: true })
    expect(await stored(t.db, 'offer', OFFER)).toMatchObject({ removed: false, stock: { total: 1 } })
  })
})

function root(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.07">${body}</КоммерческаяИнформация>`
}
