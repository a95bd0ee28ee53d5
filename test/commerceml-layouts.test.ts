/**
 * Every CommerceML layout the issue lists, as small files in the exact shapes real producers
 * write (element names, attributes, versions and encodings as in the shared corpus).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { importCommerceMlFile } from '../src/catalog/commerceml-import.ts'
import { CommerceMlProfile } from '../src/onec/mapping/profile.ts'
import type { Db } from '../src/store/index.ts'
import { openTestDb, type TestDb } from './helpers/db.ts'
import { defaultProfile, importText, stored } from './helpers/import-file.ts'
import { catalogXml, offersXml, OFFER, OFFER_2, PRICE_TYPE, PRODUCT, PRODUCT_2, PROP_BONUS, PROP_BONUS_YES, PROP_MAX, WAREHOUSE_MAIN, WAREHOUSE_SHOP } from './samples/ut11.ts'

let t: TestDb
let db: Db
beforeAll(async () => {
  t = await openTestDb()
  db = t.db
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await db.exec('delete from cml_seen; delete from events; delete from entity_state; delete from cml_refs; delete from sync_runs')
})

const root = (body: string, attrs = 'ВерсияСхемы="2.09"') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ${attrs}>${body}</КоммерческаяИнформация>`

describe('products (import.xml)', () => {
  it('reads sku, barcode, groups, resolved properties and the bonus fields the profile names', async () => {
    const result = await importText(db, 'import0_1.xml', catalogXml())
    expect(result.kind).toBe('catalog')
    expect(result.full).toEqual({ catalog: true, offers: false })
    expect(await stored(db, 'product', PRODUCT)).toEqual({
      id: PRODUCT,
      sku: 'KP-500',
      name: 'Средство для мытья посуды «Капля» 500 мл',
      groupIds: ['a1f1c0de-0000-4000-8000-000000000001'],
      priceGroupId: 'Бытовая химия',
      barcode: '4600000000017',
      properties: { 'Оплата бонусами': 'Да', 'Максимальный процент оплаты бонусами': '30' },
      propertyValues: [
        { propertyId: PROP_BONUS, name: 'Оплата бонусами', values: [{ value: 'Да', valueId: PROP_BONUS_YES }] },
        { propertyId: PROP_MAX, name: 'Максимальный процент оплаты бонусами', values: [{ value: '30', valueId: null }] },
      ],
      bonusEligible: true,
      maxBonusPercent: 30,
      removed: false,
      fullName: null,
      description: null,
      unit: { code: '796', name: 'шт', fullName: 'Штука', abbreviation: 'PCE', ratio: null },
      weight: null,
      dimensions: null,
      manufacturer: null,
      brand: null,
      taxes: [],
      requisites: { ВидНоменклатуры: 'Товар', 'Ценовая группа': 'Бытовая химия' },
      images: [],
    })
    // The second product carries neither bonus property: not sent, so nothing is known of them.
    expect(await stored(db, 'product', PRODUCT_2)).toMatchObject({ bonusEligible: null, maxBonusPercent: null, properties: {} })
  })

  it('uses a property definition sent in an earlier file (split catalogue)', async () => {
    await importText(db, 'import___classifier.xml', catalogXml({ products: [] }))
    const onlyProducts = catalogXml()
      .toString('utf8')
      .replace(/<Классификатор>[\s\S]*<\/Классификатор>/, '')
    await importText(db, 'import___goods.xml', onlyProducts)
    expect(await stored(db, 'product', PRODUCT)).toMatchObject({ properties: { 'Оплата бонусами': 'Да' }, bonusEligible: true })
  })

  it('refuses a bonus flag that is not yes/no, naming the product and the property', async () => {
    const bad = catalogXml().toString('utf8').replace('<Значение>Да</Значение>', '<Значение>Может быть</Значение>')
    await expect(importText(db, 'import0_1.xml', bad)).rejects.toThrow(`Товар[${PRODUCT}]: property "Оплата бонусами" = "Может быть" is not a yes/no value`)
    expect(await stored(db, 'product', PRODUCT)).toBeUndefined()
  })

  it('takes 2.04 variants sent as separate Товар entries (product#variant) as their product', async () => {
    const xml = root(
      `<Каталог СодержитТолькоИзменения="false"><Товары>
        <Товар><Ид>p1#v1</Ид><Наименование>Стол обеденный</Наименование><Группы><Ид>g</Ид></Группы>
          <ХарактеристикиТовара><ХарактеристикаТовара><Наименование>Цвет</Наименование><Значение>Белый</Значение></ХарактеристикаТовара></ХарактеристикиТовара></Товар>
        <Товар><Ид>p1#v2</Ид><Наименование>Стол обеденный</Наименование><Группы><Ид>g</Ид></Группы></Товар>
      </Товары></Каталог>`,
      'ВерсияСхемы="2.04"',
    )
    const result = await importText(db, 'import.xml', xml)
    expect(result.byKind.product).toMatchObject({ created: 1 })
    expect(await stored(db, 'product', 'p1')).toMatchObject({ id: 'p1', name: 'Стол обеденный' })
  })

  it('marks removed by ПометкаУдаления or Статус="Удален"', async () => {
    await importText(
      db,
      'import.xml',
      root(`<Каталог><Товары><Товар><Ид>a</Ид><Наименование>A</Наименование></Товар><Товар><Ид>b</Ид><Наименование>B</Наименование></Товар></Товары></Каталог>`),
    )
    await importText(
      db,
      'import.xml',
      root(
        `<Каталог><Товары><Товар><Ид>a</Ид><Наименование>A</Наименование><ПометкаУдаления>true</ПометкаУдаления></Товар><Товар Статус="Удален"><Ид>b</Ид><Наименование>B</Наименование></Товар></Товары></Каталог>`,
      ),
    )
    expect(await stored(db, 'product', 'a')).toMatchObject({ removed: true })
    expect(await stored(db, 'product', 'b')).toMatchObject({ removed: true })
  })

  it('reads 2.03 files: СодержитТолькоИзменения as a child element, ШтрихКод spelled so', async () => {
    const xml = root(
      `<Каталог><Ид>c</Ид><СодержитТолькоИзменения>false</СодержитТолькоИзменения><Товары><Товар><Ид>7</Ид><ШтрихКод>482000</ШтрихКод><Наименование>Пилка</Наименование><Картинка/></Товар></Товары></Каталог>`,
      'ВерсияСхемы="2.03"',
    )
    const result = await importText(db, 'import5.xml', xml)
    expect(result.full.catalog).toBe(true)
    expect(await stored(db, 'product', '7')).toMatchObject({ barcode: '482000', sku: null })
  })

  it('matches elements whatever the namespace: commerceml_208, commerceml_210, commerceml_3, none, prefixed', async () => {
    for (const [index, ns] of ['urn:1C.ru:commerceml_208', 'urn:1C.ru:commerceml_210', 'urn:1C.ru:commerceml_3', ''].entries()) {
      const xml = `<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация${ns ? ` xmlns="${ns}"` : ''}><Каталог><Товары><Товар><Ид>ns-${index}</Ид><Наименование>N</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>`
      await importText(db, 'import.xml', xml)
      expect(await stored(db, 'product', `ns-${index}`)).toMatchObject({ name: 'N' })
    }
    const prefixed = `<?xml version="1.0"?><cml:КоммерческаяИнформация xmlns:cml="urn:1C.ru:commerceml_2"><cml:Каталог><cml:Товары><cml:Товар><cml:Ид>pre</cml:Ид><cml:Наименование>P</cml:Наименование></cml:Товар></cml:Товары></cml:Каталог></cml:КоммерческаяИнформация>`
    await importText(db, 'import.xml', prefixed)
    expect(await stored(db, 'product', 'pre')).toMatchObject({ name: 'P' })
  })
})

describe('offers (offers.xml, 2.05–2.08)', () => {
  it('reads prices, total and per-warehouse stock; ignores Представление; trims ids', async () => {
    const xml = offersXml().toString('utf8').replace(`<Ид>${OFFER}</Ид>`, `<Ид>  ${OFFER}\n</Ид>`)
    await importText(db, 'offers0_1.xml', xml)
    expect(await stored(db, 'offer', OFFER)).toEqual({
      id: OFFER,
      productId: PRODUCT,
      variantId: OFFER.split('#')[1],
      prices: { [PRICE_TYPE]: { amountMinor: 123_450, currency: 'RUB' } },
      stock: { total: 7.5, warehouses: { [WAREHOUSE_MAIN]: 5.5, [WAREHOUSE_SHOP]: 2 }, totalFrom: 'sent' },
      removed: false,
      name: 'Средство для мытья посуды «Капля» 500 мл (лимон)',
      characteristics: [{ name: 'Аромат', value: 'лимон' }],
      unit: { code: '796', name: 'Штука', fullName: 'Штука', abbreviation: 'PCE', ratio: 1 },
    })
    expect(await stored(db, 'offer', OFFER_2)).toMatchObject({
      productId: OFFER_2,
      variantId: null,
      prices: { [PRICE_TYPE]: { amountMinor: 8_990 } },
      name: 'Губка кухонная, 5 шт',
    })
    expect(await stored(db, 'warehouse', WAREHOUSE_SHOP)).toEqual({ id: WAREHOUSE_SHOP, name: 'Магазин на Ленина' })
  })

  it('maps price types and warehouses to storefront codes, dropping what the profile drops', async () => {
    const profile = CommerceMlProfile.parse({
      priceTypes: { map: [{ name: 'Оптовая', code: 'wholesale' }], unmapped: 'drop' },
      warehouses: {
        map: [
          { id: WAREHOUSE_MAIN, code: 'msk' },
          { id: WAREHOUSE_SHOP, code: 'msk' },
        ],
        unmapped: 'drop',
      },
    })
    await importText(db, 'offers0_1.xml', offersXml(), { profile })
    expect(await stored(db, 'offer', OFFER)).toMatchObject({ prices: { wholesale: { amountMinor: 123_450 } }, stock: { total: 7.5, warehouses: { msk: 7.5 } } })
    expect(await stored(db, 'price_type', 'wholesale')).toEqual({ id: 'wholesale', name: 'Оптовая', currency: 'RUB' })
  })

  it('normalizes currency names and falls back to the price type currency', async () => {
    const xml = root(
      `<ПакетПредложений><ТипыЦен><ТипЦены><Ид>pt</Ид><Наименование>Розница</Наименование><Валюта>грн</Валюта></ТипЦены></ТипыЦен><Предложения>
        <Предложение><Ид>o1</Ид><Цены><Цена><ИдТипаЦены>pt</ИдТипаЦены><ЦенаЗаЕдиницу>159.4</ЦенаЗаЕдиницу></Цена></Цены></Предложение>
        <Предложение><Ид>o2</Ид><Цены><Цена><ИдТипаЦены>pt</ИдТипаЦены><ЦенаЗаЕдиницу>10</ЦенаЗаЕдиницу><Валюта>руб.</Валюта></Цена></Цены></Предложение>
      </Предложения></ПакетПредложений>`,
    )
    await importText(db, 'offers.xml', xml)
    expect(await stored(db, 'offer', 'o1')).toMatchObject({ prices: { pt: { amountMinor: 15_940, currency: 'UAH' } } })
    expect(await stored(db, 'offer', 'o2')).toMatchObject({ prices: { pt: { amountMinor: 1_000, currency: 'RUB' } } })
    expect(await stored(db, 'price_type', 'pt')).toMatchObject({ currency: 'UAH' })
  })
})

describe('split files (2.09 package, 3.1)', () => {
  const classifier = root(
    `<Классификатор><Ид>k</Ид><ТипыЦен><ТипЦены><Ид>pt</Ид><Наименование>Розничная</Наименование><Валюта>RUB</Валюта></ТипЦены></ТипыЦен>
      <Склады><Склад><Ид>w1</Ид><Наименование>Склад 1</Наименование></Склад><Склад><Ид>w2</Ид><Наименование>Склад 2</Наименование></Склад></Склады></Классификатор>
     <Каталог СодержитТолькоИзменения="true"><Ид>k</Ид></Каталог>`,
  )
  const rests = root(
    `<ПакетПредложений СодержитТолькоИзменения="true"><Предложения><Предложение><Ид>o#c</Ид><Остатки>
      <Остаток><Склад><Ид>w1</Ид><Количество>3</Количество></Склад></Остаток>
      <Остаток><Склад><Ид>w2</Ид><Количество>0</Количество></Склад></Остаток></Остатки></Предложение></Предложения></ПакетПредложений>`,
  )
  const prices = root(
    `<ПакетПредложений СодержитТолькоИзменения="true"><Предложения><Предложение><Ид>o#c</Ид><Цены><Цена><Представление>2 042,66 руб. за шт</Представление><ИдТипаЦены>pt</ИдТипаЦены><ЦенаЗаЕдиницу>2042.66</ЦенаЗаЕдиницу><Валюта>RUB</Валюта><Налог><Наименование>НДС</Наименование></Налог></Цена></Цены></Предложение></Предложения></ПакетПредложений>`,
  )
  const headerOnly = root(
    `<ПакетПредложений СодержитТолькоИзменения="true"><Предложения><Предложение><Ид>o#c</Ид><Наименование>Вариант</Наименование></Предложение></Предложения></ПакетПредложений>`,
  )

  it('keeps stock from rests___ and prices from prices___, whichever comes first', async () => {
    await importText(db, 'import___k.xml', classifier)
    await importText(db, 'rests___1.xml', rests)
    await importText(db, 'prices___1.xml', prices)
    await importText(db, 'offers___1.xml', headerOnly)
    expect(await stored(db, 'offer', 'o#c')).toEqual({
      id: 'o#c',
      productId: 'o',
      variantId: 'c',
      prices: { pt: { amountMinor: 204_266, currency: 'RUB' } },
      // rests___ sends warehouses only: the total is their sum, and says so.
      stock: { total: 3, warehouses: { w1: 3, w2: 0 }, totalFrom: 'warehouses' },
      removed: false,
      name: 'Вариант',
    })
    expect(await stored(db, 'price_type', 'pt')).toEqual({ id: 'pt', name: 'Розничная', currency: 'RUB' })
  })

  it('reads a 3.1 document the same way', async () => {
    const v31 = (body: string) => root(body, 'ВерсияСхемы="3.1"').replace('commerceml_2', 'commerceml_3')
    await importText(db, 'import.xml', v31(classifier.replace(/^[\s\S]*?<Классификатор>/, '<Классификатор>').replace(/<\/КоммерческаяИнформация>$/, '')))
    await importText(db, 'prices.xml', v31(prices.replace(/^[\s\S]*?<ПакетПредложений/, '<ПакетПредложений').replace(/<\/КоммерческаяИнформация>$/, '')))
    expect(await stored(db, 'offer', 'o#c')).toMatchObject({ prices: { pt: { amountMinor: 204_266 } } })
  })
})

describe('ИзмененияПакетаПредложений (update-only)', () => {
  it('merges the prices and warehouses it names into the stored offer; Ид + ИдХарактеристики make the offer id', async () => {
    await importText(db, 'offers0_1.xml', offersXml())
    const [productId, variantId] = OFFER.split('#')
    const changes = root(
      `<ИзмененияПакетаПредложений СодержитТолькоИзменения="true"><Предложения><Предложение>
        <Ид>${productId}</Ид><ИдХарактеристики>${variantId}</ИдХарактеристики>
        <Цены><Цена><ИдТипаЦены>pt-new</ИдТипаЦены><ЦенаЗаЕдиницу>99</ЦенаЗаЕдиницу><Валюта>RUB</Валюта></Цена></Цены>
        <Склады ИдСклада="${WAREHOUSE_SHOP}" КоличествоНаСкладе="10"/>
      </Предложение></Предложения></ИзмененияПакетаПредложений>`,
      'ВерсияСхемы="2.08"',
    )
    const result = await importText(db, 'offers_changes.xml', changes)
    expect(result.kind).toBe('offerChanges')
    expect(await stored(db, 'offer', OFFER)).toEqual({
      id: OFFER,
      productId,
      variantId,
      prices: { [PRICE_TYPE]: { amountMinor: 123_450, currency: 'RUB' }, 'pt-new': { amountMinor: 9_900, currency: 'RUB' } },
      stock: { total: 15.5, warehouses: { [WAREHOUSE_MAIN]: 5.5, [WAREHOUSE_SHOP]: 10 }, totalFrom: 'warehouses' },
      removed: false,
      name: 'Средство для мытья посуды «Капля» 500 мл (лимон)',
      characteristics: [{ name: 'Аромат', value: 'лимон' }],
      unit: { code: '796', name: 'Штука', fullName: 'Штука', abbreviation: 'PCE', ratio: 1 },
    })
  })
})

describe('encodings', () => {
  const text = `<?xml version="1.0" encoding="windows-1251"?><КоммерческаяИнформация ВерсияСхемы="2.04"><Каталог><Товары><Товар><Ид>321</Ид><Наименование>Смеситель для ванны «Профи»</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>`

  it('reads windows-1251 as declared', async () => {
    const result = await importText(db, 'import.xml', text, { encoding: 'win1251' })
    expect(result.encoding).toBe('windows-1251')
    expect(await stored(db, 'product', '321')).toMatchObject({ name: 'Смеситель для ванны «Профи»' })
  })

  it('reads UTF-8 bytes under a false windows-1251 declaration as UTF-8', async () => {
    const result = await importText(db, 'import.xml', Buffer.from(text, 'utf8'))
    expect(result.encoding).toBe('utf-8')
    expect(await stored(db, 'product', '321')).toMatchObject({ name: 'Смеситель для ванны «Профи»' })
  })

  it('reads UTF-8 with a BOM and CRLF line ends', async () => {
    const crlf = `\ufeff${text.replace('windows-1251', 'UTF-8').replace(/></g, '>\r\n<')}`
    await importText(db, 'import.xml', Buffer.from(crlf, 'utf8'))
    expect(await stored(db, 'product', '321')).toMatchObject({ name: 'Смеситель для ванны «Профи»' })
  })

  it('refuses bytes that are not valid in the declared UTF-8, naming the file', async () => {
    const broken = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация><Каталог><Товары><Товар><Ид>1</Ид><Наименование>'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>'),
    ])
    await expect(importText(db, 'import.xml', broken)).rejects.toThrow('import.xml: the bytes are not valid utf-8')
  })
})

describe('parsing on a worker thread (large files)', () => {
  it('gives the same state as parsing in-thread', async () => {
    await importText(db, 'import0_1.xml', catalogXml(), { worker: true })
    await importText(db, 'offers0_1.xml', offersXml(), { worker: true })
    const onWorker = await db.query('select kind, key, version, data from entity_state order by kind, key')
    await db.exec('delete from cml_seen; delete from events; delete from entity_state; delete from cml_refs; delete from sync_runs')
    await importText(db, 'import0_1.xml', catalogXml(), { worker: false })
    await importText(db, 'offers0_1.xml', offersXml(), { worker: false })
    expect(await db.query('select kind, key, version, data from entity_state order by kind, key')).toEqual(onWorker)
    expect(onWorker.length).toBeGreaterThan(5)
  })

  it('reports a parse error from the worker with file, path and line, and applies nothing', async () => {
    const broken = offersXml().toString('utf8').replace('<Количество>40</Количество>', '<Количество>40</Количств>')
    const error = (await importText(db, 'offers0_1.xml', broken, { worker: true }).then(
      () => null,
      (caught: unknown) => caught,
    )) as Error & { line?: number; path?: string }
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toMatch(/^offers0_1\.xml:\d+ КоммерческаяИнформация\/ПакетПредложений\/Предложения\/Предложение\S*: unexpected close tag/)
    expect(error.line).toBeGreaterThan(10)
    const [row] = await db.query<{ n: number }>(`select count(*)::int as n from entity_state where kind = 'offer'`)
    expect(row?.n).toBe(0)
  })
})

describe('an import thread that dies', () => {
  it('rejects naming the file and saying nothing was applied (here: its store cannot be reached)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onec-bridge-thread-'))
    try {
      const file = join(dir, 'offers0_1.xml')
      await writeFile(file, offersXml())
      const unreachable = { ...db, connectionString: 'postgres://nobody:nothing@127.0.0.1:1/none', schema: undefined, settings: {} }
      await expect(importCommerceMlFile(unreachable, file, { profile: defaultProfile, fileName: 'offers0_1.xml', worker: true })).rejects.toThrow(
        /^the import thread of offers0_1\.xml stopped \(.+\) before it finished; nothing of the file was applied$/,
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('dry run', () => {
  it('reports what would change and changes nothing', async () => {
    const result = await importText(db, 'offers0_1.xml', offersXml(), { dryRun: true })
    expect(result.run).toBeNull()
    expect(result.totals).toMatchObject({ created: 5 })
    expect(result.sample.map((event) => `${event.kind}:${event.type}`)).toContain('offer:created')
    const [row] = await db.query<{ n: number }>('select (select count(*) from entity_state)::int + (select count(*) from events)::int + (select count(*) from sync_runs)::int as n')
    expect(row?.n).toBe(0)
  })
})

describe('the default profile', () => {
  it('is the shipped mappings/commerceml.yaml', async () => {
    const { loadProfile } = await import('../src/onec/mapping/profile.ts')
    expect((await loadProfile('commerceml')).commerceml).toEqual(defaultProfile)
  })
})
