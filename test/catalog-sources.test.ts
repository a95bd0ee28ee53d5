/**
 * Several sources, one entity (УТ 11's usual setup: the catalogue exchange every hour, OData pulls
 * beside it): a field a source does not carry is "not sent", and a field the profile gives to one
 * source is never written by another. The quote's caps do not move whatever order they come in.
 */
import { randomBytes } from 'node:crypto'
import nock from 'nock'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pullSource } from '../src/catalog/odata-pull.ts'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { createODataClient } from '../src/onec/odata/index.ts'
import { applyChanges, startRun } from '../src/state/index.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { BASE_URL, fakeOData } from './helpers/fake-odata.ts'
import { bonusAccount, customer } from './fixtures.ts'
import { catalogXml, offersXml, OFFER, PRICE_TYPE, PRODUCT, WAREHOUSE_MAIN, WAREHOUSE_SHOP } from './samples/ut11.ts'

const KEY = `sk_test_${randomBytes(16).toString('hex')}`
const CHEAP = '4e5f6071-0000-4000-8000-0000000000c1'
const RETAIL = '5f1d7e10-0000-4000-8000-0000000000r2'
const REMOTE = '9c000000-0000-4000-8000-0000000000f3'
const RUB = '9a3c0c2a-0000-4000-8000-000000000643'
const [ITEM, CHARACTERISTIC] = OFFER.split('#') as [string, string]

/** What УТ 11's OData interface answers for the product, its prices (one price type the exchange does not send) and stock (one warehouse it does not declare). */
const base = {
  Catalog_Валюты: [{ Ref_Key: RUB, Code: '643', Description: 'руб.' }],
  Catalog_Номенклатура: [{ Ref_Key: PRODUCT, ЦеноваяГруппа_Key: CHEAP }],
  'InformationRegister_ЦеныНоменклатуры_RecordType/SliceLast()': [
    { Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC, ВидЦены_Key: PRICE_TYPE, Цена: 1234.5, Валюта_Key: RUB },
    { Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC, ВидЦены_Key: RETAIL, Цена: 1500, Валюта_Key: RUB },
  ],
  'AccumulationRegister_ТоварыНаСкладах/Balance()': [
    { Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC, Склад_Key: WAREHOUSE_MAIN, ВНаличииBalance: 5.5 },
    { Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC, Склад_Key: REMOTE, ВНаличииBalance: 12 },
  ],
}

let t: TestApp
beforeEach(async () => {
  nock.disableNetConnect()
  nock.enableNetConnect(/127\.0\.0\.1|localhost/)
  t = await buildTestApp(
    {},
    {
      profile: await loadProfile('ut11'),
      configFile: { storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: [`whsec_${randomBytes(32).toString('base64')}`], enabled: false, apiKeys: [KEY] }] },
    },
  )
  // The programme caps lines at 30 %, lines of the price group at 10 %.
  await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
    {
      kind: 'bonus_programme',
      data: { id: 'prog', name: 'Бонусы', maxRedeemPercent: 30, priceGroupCaps: { [CHEAP]: 10 }, segmentId: null, pointValue: '1', currency: 'RUB', capsIgnoreDiscounts: false },
    },
    customer('dealer', { priceTypeId: PRICE_TYPE, legalForm: 'company' }),
    bonusAccount('dealer', 1_000_000, { programId: 'prog', maxRedeemPercent: 30, priceGroupCaps: { [CHEAP]: 10 } }),
  ])
})
afterEach(async () => {
  nock.cleanAll()
  nock.enableNetConnect()
  await t.close()
})

const client = () => createODataClient({ baseUrl: BASE_URL, user: 'odata', password: 'secret', timeZone: 'Europe/Moscow', minRetryDelayMs: 5, retries: 1 })
async function pull(...names: string[]) {
  for (const name of names) await pullSource(t.db, client(), t.profile.odata!, name, { owners: t.profile.owners })
}
async function exchange() {
  const exchanger = new ExchangeClient(t.app)
  expect((await exchanger.portion('import0_1.xml', catalogXml())).status).toBe('success')
  expect((await exchanger.portion('offers0_1.xml', offersXml())).status).toBe('success')
}
async function quoteLine() {
  // A cart quote may read reference data up to a second old: wait it out, so the quote sees the last write.
  await new Promise((resolve) => setTimeout(resolve, 1_100))
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bonus/quote',
    headers: { authorization: `Bearer ${KEY}` },
    payload: { customerId: 'dealer', lines: [{ offerId: OFFER, quantity: 10 }] },
  })
  expect(response.statusCode).toBe(200)
  return response.json().lines[0] as { capPercent: number; capSource: string; capMinor: number }
}
async function entity(kind: string, key: string) {
  const response = await t.app.inject({ method: 'GET', url: `/admin/api/entities/${kind}/${encodeURIComponent(key)}`, headers: adminHeaders })
  return response.json()
}

describe('the routine catalogue exchange after the OData pulls', () => {
  it('leaves the price group, the prices of other price types and the stock at other warehouses as the pulls left them: the cap does not move', async () => {
    fakeOData(base)
    await pull('product-price-groups', 'prices', 'stock')
    const before = await quoteLine()
    // 10 × 1 234.50 at the price group's 10 %.
    expect(before).toMatchObject({ capPercent: 10, capSource: 'price_group', capMinor: 123_450 })

    // The exchange sends «Ценовая группа» as the group's name: the pull owns the field, so it is left out.
    await exchange()
    expect(await quoteLine()).toEqual(before)
    const product = await entity('product', PRODUCT)
    expect(product.data).toMatchObject({ priceGroupId: CHEAP, name: 'Средство для мытья посуды «Капля» 500 мл', sku: 'KP-500' })
    expect(product.owners).toEqual({ priceGroupId: 'product-price-groups' })
    // The history names which source changed what: the exchange's run changed the content, never the price group.
    const changedBy = (path: string) =>
      product.history
        .filter((entry: { changes: Array<{ path: string }> }) => entry.changes.some((change) => change.path === path))
        .map((entry: { run: { source: string } }) => entry.run.source)
    expect(changedBy('name')).toEqual(['commerceml'])
    expect(changedBy('priceGroupId')).toEqual([])

    const offer = (await entity('offer', OFFER)).data
    // The exchange's price type is the exchange's; the retail price only OData brings stays.
    expect(offer.prices).toEqual({ [PRICE_TYPE]: { amountMinor: 123_450, currency: 'RUB' }, [RETAIL]: { amountMinor: 150_000, currency: 'RUB' } })
    // Stock at the warehouses the exchange declares is replaced; the remote warehouse only the pull knows stays. 1C's own total is kept.
    expect(offer.stock).toEqual({ total: 7.5, warehouses: { [WAREHOUSE_MAIN]: 5.5, [WAREHOUSE_SHOP]: 2, [REMOTE]: 12 }, totalFrom: 'sent' })

    // The same exchange again changes nothing.
    const events = await t.db.query<{ n: number }>('select count(*)::int as n from events')
    await exchange()
    expect(await t.db.query<{ n: number }>('select count(*)::int as n from events')).toEqual(events)
  })
})

describe('the OData pulls after the exchange', () => {
  it('lay their fields over what the exchange brought, and the next exchange keeps them', async () => {
    await exchange()
    // Nothing pulled yet: the exchange's «Ценовая группа» (a name) is not taken for the pull's field.
    expect((await entity('product', PRODUCT)).data.priceGroupId).toBeNull()
    // The product's own 30 % (its catalogue property) until the price group arrives.
    expect(await quoteLine()).toMatchObject({ capPercent: 30, capSource: 'product' })

    fakeOData(base)
    await pull('product-price-groups', 'prices', 'stock')
    const pulled = await quoteLine()
    expect(pulled).toMatchObject({ capPercent: 10, capSource: 'price_group', capMinor: 123_450 })
    const offer = (await entity('offer', OFFER)).data
    // Balance is 1C's whole list: the shop's warehouse has nothing now, and the total is the sum.
    expect(offer.stock).toEqual({ total: 17.5, warehouses: { [WAREHOUSE_MAIN]: 5.5, [REMOTE]: 12 }, totalFrom: 'warehouses' })
    // The offer's name and characteristics, which only the exchange sends, stay.
    expect(offer).toMatchObject({ name: 'Средство для мытья посуды «Капля» 500 мл (лимон)', characteristics: [{ name: 'Аромат', value: 'лимон' }] })

    await exchange()
    expect(await quoteLine()).toEqual(pulled)
  })
})
