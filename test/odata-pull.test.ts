import nock from 'nock'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadProfile, type MappingProfile } from '../src/onec/mapping/profile.ts'
import { createODataClient } from '../src/onec/odata/index.ts'
import type { Db } from '../src/store/index.ts'
import { getEntity, listEvents } from '../src/state/index.ts'
import { pullSource } from '../src/catalog/odata-pull.ts'
import { openTestDb, type TestDb } from './helpers/db.ts'
import { BASE_URL, fakeOData } from './helpers/fake-odata.ts'

// Shaped as УТ 11.5 answers: Ref_Key GUIDs, padded strings, Int64 as strings, decimals as numbers.
const RUB = '9a3c0c2a-0000-4000-8000-000000000643'
const WHOLESALE = '5f1d7e10-0000-4000-8000-000000000001'
const PARTNER = '1b2c3d4e-0000-4000-8000-000000000001'
const PARTNER_HEAD = '1b2c3d4e-0000-4000-8000-000000000002'
const COUNTERPARTY = '2c3d4e5f-0000-4000-8000-000000000001'
const COUNTERPARTY_HEAD = '2c3d4e5f-0000-4000-8000-000000000002'
const PROGRAMME = '3d4e5f60-0000-4000-8000-000000000001'
const PRICE_GROUP = '4e5f6071-0000-4000-8000-000000000001'
const EMPTY = '00000000-0000-0000-0000-000000000000'

const ut11 = {
  Catalog_ВидыЦен: [{ Ref_Key: WHOLESALE, Description: 'Оптовая                 ', ВалютаЦены_Key: RUB, DataVersion: 'AAAAAQAAAAA=' }],
  Catalog_Валюты: [{ Ref_Key: RUB, Code: '643', Description: 'руб.' }],
  Catalog_Партнеры: [
    { Ref_Key: PARTNER, Description: 'ООО «Ромашка»', НаименованиеПолное: 'Общество с ограниченной ответственностью «Ромашка»' },
    { Ref_Key: PARTNER_HEAD, Description: 'Холдинг «Цветы»', НаименованиеПолное: '' },
  ],
  Catalog_Контрагенты: [
    { Ref_Key: COUNTERPARTY, Партнер_Key: PARTNER, ИНН: '7701234567  ', КПП: '770101001', ГоловнойКонтрагент_Key: COUNTERPARTY_HEAD, ЮрФизЛицо: 'ЮрЛицо' },
    { Ref_Key: COUNTERPARTY_HEAD, Партнер_Key: PARTNER_HEAD, ИНН: '7709876543', КПП: '', ГоловнойКонтрагент_Key: EMPTY, ЮрФизЛицо: 'ИндивидуальныйПредприниматель' },
  ],
  Catalog_СоглашенияСКлиентами: [{ Ref_Key: '6a000000-0000-4000-8000-000000000001', Партнер_Key: PARTNER, ВидЦен_Key: WHOLESALE, ДатаНачалаДействия: '2026-01-01T00:00:00' }],
  'AccumulationRegister_БонусныеБаллы/Balance()': [
    { Партнер_Key: PARTNER, БонуснаяПрограммаЛояльности_Key: PROGRAMME, НачисленоBalance: 1500.5, КСписаниюBalance: 200.25, ЗарезервированоBalance: 100 },
    { Партнер_Key: PARTNER_HEAD, БонуснаяПрограммаЛояльности_Key: PROGRAMME, НачисленоBalance: 10, КСписаниюBalance: 25, ЗарезервированоBalance: 0 },
  ],
  Catalog_БонусныеПрограммыЛояльности: [
    {
      Ref_Key: PROGRAMME,
      Description: 'Бонусы оптовикам',
      МаксимальныйПроцентОплатыБонусами: 30,
      ВалютаКонвертацииБонусов_Key: RUB,
      ЦеновыеГруппы: [
        { Ref_Key: PROGRAMME, LineNumber: '1', ЦеноваяГруппа_Key: PRICE_GROUP, МаксимальныйПроцентОплатыБонусами: 10 },
        { Ref_Key: PROGRAMME, LineNumber: '2', ЦеноваяГруппа_Key: EMPTY, МаксимальныйПроцентОплатыБонусами: 50 },
      ],
    },
  ],
}

let t: TestDb
let db: Db
let profile: MappingProfile
beforeAll(async () => {
  t = await openTestDb()
  db = t.db
  profile = await loadProfile('ut11')
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await db.exec('delete from events; delete from entity_state; delete from sync_runs')
})
afterEach(() => {
  nock.cleanAll()
})

const client = () => createODataClient({ baseUrl: BASE_URL, user: 'odata', password: 'secret', timeZone: 'Europe/Moscow', minRetryDelayMs: 5, retries: 1 })

describe('ut11.yaml against a base shaped like УТ 11.5', () => {
  it('price types: trimmed name, currency by its numeric code', async () => {
    fakeOData(ut11)
    await pullSource(db, client(), profile.odata!, 'price-types')
    expect((await getEntity(db, 'price_type', WHOLESALE))?.data).toEqual({ id: WHOLESALE, name: 'Оптовая', currency: 'RUB' })
  })

  it('customers: ИНН/КПП from the counterparty, head company as a partner, price type from the agreement', async () => {
    const { requests } = fakeOData(ut11)
    await pullSource(db, client(), profile.odata!, 'customers')
    expect((await getEntity(db, 'customer', PARTNER))?.data).toEqual({
      id: PARTNER,
      name: 'ООО «Ромашка»',
      inn: '7701234567',
      kpp: '770101001',
      headId: PARTNER_HEAD,
      priceTypeId: WHOLESALE,
      legalForm: 'company',
    })
    expect((await getEntity(db, 'customer', PARTNER_HEAD))?.data).toEqual({
      id: PARTNER_HEAD,
      name: 'Холдинг «Цветы»',
      inn: '7709876543',
      kpp: null,
      headId: null,
      priceTypeId: null,
      legalForm: 'entrepreneur',
    })
    const agreements = requests.find((request) => request.resource === 'Catalog_СоглашенияСКлиентами')
    expect(agreements?.query.$filter).toMatch(
      /ДатаНачалаДействия le datetime'\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}' and \(ДатаОкончанияДействия eq datetime'0001-01-01T00:00:00' or ДатаОкончанияДействия ge datetime'/,
    )
    const partners = requests.find((request) => request.resource === 'Catalog_Партнеры')
    expect(partners?.query).toMatchObject({ $format: 'json', $filter: 'Клиент eq true and DeletionMark eq false and IsFolder eq false', $orderby: 'Ref_Key' })
  })

  it('bonus accounts: available = Начислено − КСписанию at now, reserved, cap and price-group caps', async () => {
    const { requests } = fakeOData(ut11)
    const result = await pullSource(db, client(), profile.odata!, 'bonus-accounts')
    expect(result.counts).toMatchObject({ seen: 2, created: 2 })
    expect((await getEntity(db, 'bonus_account', PARTNER))?.data).toEqual({
      customerId: PARTNER,
      programId: PROGRAMME,
      balanceMinor: 130_025,
      reservedMinor: 10_000,
      currency: 'RUB',
      maxRedeemPercent: 30,
      priceGroupCaps: { [PRICE_GROUP]: 10 },
    })
    expect((await getEntity(db, 'bonus_account', PARTNER_HEAD))?.data).toMatchObject({ balanceMinor: 0 })
    const balance = requests.find((request) => request.resource === 'AccumulationRegister_БонусныеБаллы/Balance()')
    expect(balance?.query.Period).toMatch(/^datetime'\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}'$/)
  })

  it('re-pulling unchanged data emits no events', async () => {
    fakeOData(ut11)
    await pullSource(db, client(), profile.odata!, 'bonus-accounts')
    const before = await listEvents(db, 0, 100)
    const again = await pullSource(db, client(), profile.odata!, 'bonus-accounts')
    expect(again.counts).toMatchObject({ changed: 0, unchanged: 2 })
    expect(await listEvents(db, 0, 100)).toEqual(before)
  })
})

const ITEM = '7a000000-0000-4000-8000-000000000001'
const ITEM_PLAIN = '7a000000-0000-4000-8000-000000000002'
const CHARACTERISTIC = '8b000000-0000-4000-8000-000000000001'
const RETAIL = '5f1d7e10-0000-4000-8000-000000000002'
const MAIN_STORE = '9c000000-0000-4000-8000-000000000001'
const SHOP = '9c000000-0000-4000-8000-000000000002'
const pricesAndStock = {
  ...ut11,
  'InformationRegister_ЦеныНоменклатуры_RecordType/SliceLast()': [
    { Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC, ВидЦены_Key: WHOLESALE, Цена: 1234.5, Валюта_Key: RUB },
    { Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC, ВидЦены_Key: RETAIL, Цена: 1500, Валюта_Key: RUB },
    { Номенклатура_Key: ITEM_PLAIN, Характеристика_Key: EMPTY, ВидЦены_Key: WHOLESALE, Цена: 89.9, Валюта_Key: RUB },
  ],
  'AccumulationRegister_ТоварыНаСкладах/Balance()': [
    { Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC, Склад_Key: MAIN_STORE, ВНаличииBalance: 5.5 },
    { Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC, Склад_Key: SHOP, ВНаличииBalance: 2 },
  ],
}

describe('ut11.yaml prices and stock, laid over offers', () => {
  it('collects a price per price type into the offer Номенклатура#Характеристика', async () => {
    fakeOData(pricesAndStock)
    await pullSource(db, client(), profile.odata!, 'prices')
    expect((await getEntity(db, 'offer', `${ITEM}#${CHARACTERISTIC}`))?.data).toEqual({
      id: `${ITEM}#${CHARACTERISTIC}`,
      productId: ITEM,
      variantId: CHARACTERISTIC,
      prices: { [WHOLESALE]: { amountMinor: 123_450, currency: 'RUB' }, [RETAIL]: { amountMinor: 150_000, currency: 'RUB' } },
      stock: { total: null, warehouses: {} },
      removed: false,
    })
    expect((await getEntity(db, 'offer', ITEM_PLAIN))?.data).toMatchObject({ variantId: null, prices: { [WHOLESALE]: { amountMinor: 8_990 } } })
  })

  it('keeps the stock when prices change, keeps the prices when stock changes, and zeroes a sold-out item', async () => {
    fakeOData(pricesAndStock)
    await pullSource(db, client(), profile.odata!, 'prices')
    await pullSource(db, client(), profile.odata!, 'stock')
    expect((await getEntity(db, 'offer', `${ITEM}#${CHARACTERISTIC}`))?.data).toMatchObject({
      prices: { [WHOLESALE]: { amountMinor: 123_450 } },
      stock: { total: 7.5, warehouses: { [MAIN_STORE]: 5.5, [SHOP]: 2 } },
    })
    nock.cleanAll()
    fakeOData({ ...pricesAndStock, 'AccumulationRegister_ТоварыНаСкладах/Balance()': [] })
    await pullSource(db, client(), profile.odata!, 'stock')
    expect((await getEntity(db, 'offer', `${ITEM}#${CHARACTERISTIC}`))?.data).toMatchObject({
      prices: { [WHOLESALE]: { amountMinor: 123_450 } },
      stock: { total: 0, warehouses: {} },
    })
    const again = await pullSource(db, client(), profile.odata!, 'stock')
    expect(again.counts.changed).toBe(0)
  })
})

describe('ut11.yaml product price groups', () => {
  it('sets the price group of products the exchange brought, keeping everything else', async () => {
    const { applyChanges, startRun } = await import('../src/state/index.ts')
    await applyChanges(db, await startRun(db, 'commerceml', 'catalog'), [
      {
        kind: 'product',
        data: {
          id: ITEM,
          sku: 'KP-500',
          name: 'Капля',
          groupIds: ['g'],
          priceGroupId: null,
          barcode: null,
          properties: { Цвет: 'синий' },
          bonusEligible: true,
          maxBonusPercent: 30,
          removed: false,
        },
      },
    ])
    fakeOData({ ...ut11, Catalog_Номенклатура: [{ Ref_Key: ITEM, ЦеноваяГруппа_Key: PRICE_GROUP }] })
    await pullSource(db, client(), profile.odata!, 'product-price-groups')
    expect((await getEntity(db, 'product', ITEM))?.data).toEqual({
      id: ITEM,
      sku: 'KP-500',
      name: 'Капля',
      groupIds: ['g'],
      priceGroupId: PRICE_GROUP,
      barcode: null,
      properties: { Цвет: 'синий' },
      bonusEligible: true,
      maxBonusPercent: 30,
      removed: false,
    })
  })
})

describe('ut11.yaml bonus programmes and product segments', () => {
  it('reads the programme rules and the members of its segment', async () => {
    const SEGMENT = '5e000000-0000-4000-8000-000000000001'
    fakeOData({
      ...ut11,
      Catalog_БонусныеПрограммыЛояльности: [
        { ...ut11.Catalog_БонусныеПрограммыЛояльности[0], СегментНоменклатуры_Key: SEGMENT, КурсКонвертацииБонусовВВалюту: 0.5, БезУчетаПредоставленныхСкидок: false },
      ],
      InformationRegister_НоменклатураСегмента: [
        { Сегмент_Key: SEGMENT, Номенклатура_Key: ITEM, Характеристика_Key: CHARACTERISTIC },
        { Сегмент_Key: SEGMENT, Номенклатура_Key: ITEM_PLAIN, Характеристика_Key: EMPTY },
      ],
    })
    await pullSource(db, client(), profile.odata!, 'bonus-programmes')
    await pullSource(db, client(), profile.odata!, 'product-segments')
    expect((await getEntity(db, 'bonus_programme', PROGRAMME))?.data).toEqual({
      id: PROGRAMME,
      name: 'Бонусы оптовикам',
      maxRedeemPercent: 30,
      priceGroupCaps: { [PRICE_GROUP]: 10 },
      segmentId: SEGMENT,
      pointValue: '0.5',
      currency: 'RUB',
      capsIgnoreDiscounts: false,
    })
    expect((await getEntity(db, 'product_segment', SEGMENT))?.data).toEqual({ id: SEGMENT, members: { [`${ITEM}#${CHARACTERISTIC}`]: true, [ITEM_PLAIN]: true } })
  })
})

describe('failures write nothing', () => {
  it('401: the run fails saying the credentials were refused', async () => {
    nock('http://ut11.example').get(/.*/).reply(401, '')
    await expect(pullSource(db, client(), profile.odata!, 'price-types')).rejects.toThrow('1C refused the credentials of the OData user')
    const [run] = await db.query<{ status: string; error_reason: string; source: string }>('select status, error_reason, source from sync_runs')
    expect(run).toMatchObject({ status: 'failed', source: 'odata:price-types', error_reason: expect.stringContaining('refused the credentials') })
    expect(await db.query('select 1 from entity_state')).toHaveLength(0)
  })

  it('503 then success completes the run', async () => {
    nock('http://ut11.example')
      .get(/Catalog_%D0%92%D0%B8%D0%B4%D1%8B%D0%A6%D0%B5%D0%BD/)
      .query(true)
      .reply(503, 'busy')
    fakeOData(ut11)
    const result = await pullSource(db, client(), profile.odata!, 'price-types')
    expect(result.run).toMatchObject({ status: 'succeeded', changed: 1 })
  })

  it('a row that does not map fails the run naming source, row and field; nothing is written', async () => {
    fakeOData({ ...ut11, Catalog_БонусныеПрограммыЛояльности: [{ ...ut11.Catalog_БонусныеПрограммыЛояльности[0], МаксимальныйПроцентОплатыБонусами: 130 }] })
    await expect(pullSource(db, client(), profile.odata!, 'bonus-accounts')).rejects.toThrow(`source bonus-accounts, row ${PARTNER}, field maxRedeemPercent: 130 is outside 0..100`)
    expect(await db.query('select 1 from entity_state')).toHaveLength(0)
  })
})

describe('roznica2.yaml', () => {
  it('adds up the points of every card a counterparty owns', async () => {
    const roznica = await loadProfile('roznica2')
    const CARD_1 = 'ca000000-0000-4000-8000-000000000001'
    const CARD_2 = 'ca000000-0000-4000-8000-000000000002'
    fakeOData({
      'AccumulationRegister_БонусныеБаллы/Balance()': [
        { ДисконтнаяКарта_Key: CARD_1, БонуснаяПрограммаЛояльности_Key: PROGRAMME, НачисленоBalance: 100, КСписаниюBalance: 30 },
        { ДисконтнаяКарта_Key: CARD_2, БонуснаяПрограммаЛояльности_Key: PROGRAMME, НачисленоBalance: 50.5, КСписаниюBalance: 0 },
      ],
      Catalog_ИнформационныеКарты: [
        { Ref_Key: CARD_1, КодКарты: '2000000000017', ВладелецКарты: COUNTERPARTY, ВладелецКарты_Type: 'StandardODATA.Catalog_Контрагенты' },
        { Ref_Key: CARD_2, КодКарты: '2000000000024', ВладелецКарты: COUNTERPARTY, ВладелецКарты_Type: 'StandardODATA.Catalog_Контрагенты' },
      ],
      Catalog_БонусныеПрограммыЛояльности: ut11.Catalog_БонусныеПрограммыЛояльности,
    })
    await pullSource(db, client(), roznica.odata!, 'bonus-accounts')
    expect((await getEntity(db, 'bonus_account', COUNTERPARTY))?.data).toEqual({
      customerId: COUNTERPARTY,
      programId: PROGRAMME,
      balanceMinor: 12_050,
      reservedMinor: 0,
      currency: 'RUB',
      maxRedeemPercent: 30,
      priceGroupCaps: { [PRICE_GROUP]: 10 },
    })
  })
})

describe('custom-bonus-register.yaml', () => {
  it('reads money per counterparty and the max percent from a self-made register', async () => {
    const custom = await loadProfile('custom-bonus-register')
    fakeOData({
      InformationRegister_БонусыКонтрагентов: [{ Контрагент_Key: COUNTERPARTY, СуммаБонусов: 2500, Зарезервировано: 0, МаксимальныйПроцентОплаты: 20 }],
    })
    await pullSource(db, client(), custom.odata!, 'bonus-accounts')
    expect((await getEntity(db, 'bonus_account', COUNTERPARTY))?.data).toEqual({
      customerId: COUNTERPARTY,
      programId: null,
      balanceMinor: 250_000,
      reservedMinor: 0,
      currency: 'RUB',
      maxRedeemPercent: 20,
      priceGroupCaps: {},
    })
  })
})

describe('the admin API for sources', () => {
  it('lists sources and queues a pull that then shows as a run', async () => {
    const { buildTestApp, adminHeaders } = await import('./helpers/app.ts')
    const app = await buildTestApp({ ODATA_URL: BASE_URL, ODATA_USER: 'odata', ODATA_PASSWORD: 'secret', MAPPING_PROFILE: 'ut11' }, { configFile: { odata: { schedule: false } } })
    try {
      fakeOData(ut11)
      const sources = await app.app.inject({ method: 'GET', url: '/admin/api/sources', headers: adminHeaders })
      expect(sources.json().sources.map((source: { name: string }) => source.name)).toEqual([
        'price-types',
        'customers',
        'bonus-accounts',
        'bonus-movements',
        'sales',
        'prices',
        'stock',
        'product-price-groups',
        'bonus-programmes',
        'product-segments',
      ])
      const queued = await app.app.inject({ method: 'POST', url: '/admin/api/sources/bonus-accounts/pull', headers: adminHeaders })
      expect(queued.statusCode).toBe(202)
      const until = Date.now() + 15_000
      let run: { status: string } | undefined
      while (Date.now() < until && run?.status !== 'succeeded') {
        await new Promise((resolve) => setTimeout(resolve, 200))
        const runs = await app.app.inject({ method: 'GET', url: '/admin/api/runs?source=odata:bonus-accounts', headers: adminHeaders })
        run = runs.json().runs[0]
      }
      expect(run).toMatchObject({ status: 'succeeded', changed: 2 })
      const account = await app.app.inject({ method: 'GET', url: `/admin/api/entities/bonus_account/${PARTNER}`, headers: adminHeaders })
      expect(account.json().data).toMatchObject({ balanceMinor: 130_025, maxRedeemPercent: 30 })
      // Support staff see both views of a group of companies (ut11.yaml keeps them apart).
      await pullSource(app.db, client(), profile.odata!, 'customers')
      const view = (await app.app.inject({ method: 'GET', url: `/admin/api/customers/${PARTNER}/bonus`, headers: adminHeaders })).json()
      expect(view).toMatchObject({ shareAtHead: false, own: { balanceMinor: 130_025 }, effective: { balanceMinor: 130_025 }, sharedFrom: null })
      const unknown = await app.app.inject({ method: 'POST', url: '/admin/api/sources/nope/pull', headers: adminHeaders })
      expect(unknown.statusCode).toBe(404)
    } finally {
      await app.close()
    }
  })
})

describe('scheduled pulls', () => {
  it('pull on their interval without being asked, and a second request while one waits is not queued', async () => {
    const { buildTestApp, adminHeaders } = await import('./helpers/app.ts')
    const { parseProfile } = await import('../src/onec/mapping/profile.ts')
    const { PULL_QUEUE } = await import('../src/catalog/odata-pull.ts')
    const custom = parseProfile('fast.yaml', {
      name: 'fast',
      odata: {
        sources: [
          {
            name: 'price-types',
            entity: 'price_type',
            every: '1s',
            read: { set: 'Catalog_ВидыЦен', select: ['Ref_Key', 'Description'] },
            fields: { id: { from: 'Ref_Key', transform: 'id' }, name: { from: 'Description' }, currency: { transform: 'constant', value: 'RUB' } },
          },
        ],
      },
    })
    fakeOData(ut11)
    const app = await buildTestApp({ ODATA_URL: BASE_URL, ODATA_USER: 'odata', ODATA_PASSWORD: 'secret' }, { profile: custom, configFile: { odata: { schedule: true } } })
    try {
      const until = Date.now() + 15_000
      let runs: Array<{ status: string }> = []
      while (Date.now() < until && !runs.some((run) => run.status === 'succeeded')) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        runs = (await app.app.inject({ method: 'GET', url: '/admin/api/runs?source=odata:price-types', headers: adminHeaders })).json().runs
      }
      expect(runs.some((run) => run.status === 'succeeded')).toBe(true)
      expect((await app.app.inject({ method: 'GET', url: `/admin/api/entities/price_type/${WHOLESALE}`, headers: adminHeaders })).json().data.name).toBe('Оптовая')

      // With no ticks and no worker taking jobs, the first request waits and the second is refused.
      ;(app.app as unknown as { scheduler: { stop(): void } }).scheduler.stop()
      await app.jobs.boss.offWork(PULL_QUEUE)
      await app.jobs.boss.deleteQueuedJobs(PULL_QUEUE)
      const first = (await app.app.inject({ method: 'POST', url: '/admin/api/sources/price-types/pull', headers: adminHeaders })).json()
      const second = (await app.app.inject({ method: 'POST', url: '/admin/api/sources/price-types/pull', headers: adminHeaders })).json()
      expect(first.queued).toBe(true)
      expect(second).toMatchObject({ queued: false, message: 'a pull of this source is already queued' })
    } finally {
      await app.close()
    }
  })
})

describe('a group of companies with bonuses shared at the head (profile bonus.shareAtHead)', () => {
  it('shows the branch spending from the head company’s account, and its own account beside it', async () => {
    const { buildTestApp, adminHeaders } = await import('./helpers/app.ts')
    const shared = { ...profile, bonus: { ...profile.bonus, shareAtHead: true } }
    const app = await buildTestApp({ ODATA_URL: BASE_URL, ODATA_USER: 'odata', ODATA_PASSWORD: 'secret' }, { profile: shared, configFile: { odata: { schedule: false } } })
    try {
      fakeOData({
        ...ut11,
        'AccumulationRegister_БонусныеБаллы/Balance()': [
          { Партнер_Key: PARTNER, БонуснаяПрограммаЛояльности_Key: PROGRAMME, НачисленоBalance: 10, КСписаниюBalance: 0, ЗарезервированоBalance: 0 },
          { Партнер_Key: PARTNER_HEAD, БонуснаяПрограммаЛояльности_Key: PROGRAMME, НачисленоBalance: 900, КСписаниюBalance: 0, ЗарезервированоBalance: 0 },
        ],
      })
      await pullSource(app.db, client(), profile.odata!, 'customers')
      await pullSource(app.db, client(), profile.odata!, 'bonus-accounts')
      const view = (await app.app.inject({ method: 'GET', url: `/admin/api/customers/${PARTNER}/bonus`, headers: adminHeaders })).json()
      expect(view).toMatchObject({ shareAtHead: true, sharedFrom: PARTNER_HEAD, own: { balanceMinor: 1_000 }, effective: { customerId: PARTNER_HEAD, balanceMinor: 90_000 } })
    } finally {
      await app.close()
    }
  })
})

describe('transforms', () => {
  it('reads 1C naive dates in the server time zone, the empty date as missing', async () => {
    const { applyTransform } = await import('../src/onec/odata/index.ts')
    const options = { minorDigits: 2, timeZone: 'Asia/Yekaterinburg' }
    expect(applyTransform({ from: 'Date', transform: 'datetime' }, { Date: '2026-05-15T09:27:51' }, options)).toBe('2026-05-15T04:27:51.000Z')
    expect(applyTransform({ from: 'Date', transform: 'datetime' }, { Date: '0001-01-01T00:00:00' }, options)).toBeNull()
    expect(applyTransform({ from: 'Rate', transform: 'decimal' }, { Rate: '0.5000' }, options)).toBe('0.5')
    expect(applyTransform({ from: ['A', 'B'], transform: 'offerId' }, { A: 'p', B: EMPTY }, options)).toBe('p')
    expect(applyTransform({ from: 'S', transform: 'text' }, { S: '   ' }, options)).toBeNull()
  })
})
