/**
 * The catalogue's content, as a shop builds its pages from it: a zipped UT 11-style exchange with
 * a nested group tree, properties, descriptions, units and pictures under import_files/, read back
 * through the REST API and /media.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { buildStorefrontApp, storefrontHeaders, type TestApp } from './helpers/app.ts'
import { customer } from './fixtures.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { png } from './helpers/png.ts'
import { zipOf } from './helpers/zip.ts'

const ROOT_GROUP = '10000000-0000-4000-8000-000000000001'
const CHILD_GROUP = '10000000-0000-4000-8000-000000000002'
const OTHER_GROUP = '10000000-0000-4000-8000-000000000003'
const BRAND = '20000000-0000-4000-8000-000000000001'
const BRAND_VALUE = '20000000-0000-4000-8000-0000000000a1'
const VOLUME = '20000000-0000-4000-8000-000000000002'
const KETTLE = '30000000-0000-4000-8000-000000000001'
const MUG = '30000000-0000-4000-8000-000000000002'
const PLATE = '30000000-0000-4000-8000-000000000003'
const RED = '40000000-0000-4000-8000-000000000001'
const PRICE_TYPE = '50000000-0000-4000-8000-000000000001'
const STORE = '60000000-0000-4000-8000-000000000001'
const KETTLE_PHOTO = png(4, 3, 200)
const SAME_PHOTO = Buffer.from(KETTLE_PHOTO)

const product = (id: string, name: string, group: string, extra: string) => `
      <Товар>
        <Ид>${id}</Ид><Артикул>A-${name.length}</Артикул><Наименование>${name}</Наименование>
        <БазоваяЕдиница Код="796 " НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>
        <Группы><Ид>${group}</Ид></Группы>${extra}
        <ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Полное наименование</Наименование><Значение>${name}, полное</Значение></ЗначениеРеквизита></ЗначенияРеквизитов>
      </Товар>`

function importXml(pictures: { kettle: string[]; mug: string[] }): Buffer {
  const pics = (paths: string[]) => paths.map((path) => `<Картинка>${path}</Картинка>`).join('')
  return Buffer.from(`\ufeff<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.07">
  <Классификатор>
    <Ид>cls</Ид><Наименование>Классификатор</Наименование>
    <Группы>
      <Группа><Ид>${ROOT_GROUP}</Ид><Наименование>Посуда</Наименование>
        <Группы><Группа><Ид>${CHILD_GROUP}</Ид><Наименование>Чайники</Наименование></Группа></Группы>
      </Группа>
      <Группа><Ид>${OTHER_GROUP}</Ид><Наименование>Тарелки</Наименование></Группа>
    </Группы>
    <Свойства>
      <Свойство><Ид>${BRAND}</Ид><Наименование>Бренд</Наименование><ТипЗначений>Справочник</ТипЗначений>
        <ВариантыЗначений><Справочник><ИдЗначения>${BRAND_VALUE}</ИдЗначения><Значение>Самовар-Завод</Значение></Справочник></ВариантыЗначений></Свойство>
      <Свойство><Ид>${VOLUME}</Ид><Наименование>Объём, л</Наименование><ТипЗначений>Число</ТипЗначений></Свойство>
    </Свойства>
  </Классификатор>
  <Каталог СодержитТолькоИзменения="false"><Ид>cls</Ид><ИдКлассификатора>cls</ИдКлассификатора><Наименование>Каталог</Наименование><Товары>${product(
    KETTLE,
    'Чайник эмалированный',
    CHILD_GROUP,
    `${pics(pictures.kettle)}
        <Описание>&lt;p&gt;Эмаль, &lt;b&gt;2 л&lt;/b&gt;&lt;/p&gt;</Описание>
        <Изготовитель><Ид>m1</Ид><Наименование>Завод «Эмаль»</Наименование></Изготовитель>
        <Вес>1.25</Вес>
        <ЗначенияСвойств>
          <ЗначенияСвойства><Ид>${BRAND}</Ид><Значение>${BRAND_VALUE}</Значение></ЗначенияСвойства>
          <ЗначенияСвойства><Ид>${VOLUME}</Ид><Значение>2</Значение></ЗначенияСвойства>
        </ЗначенияСвойств>
        <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>20</Ставка></СтавкаНалога></СтавкиНалогов>`,
  )}${product(MUG, 'Кружка', ROOT_GROUP, `${pics(pictures.mug)}<Описание>Кружка без рисунка</Описание>`)}${product(PLATE, 'Тарелка', OTHER_GROUP, '')}
  </Товары></Каталог>
</КоммерческаяИнформация>`)
}

const offersXml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.07">
  <ПакетПредложений СодержитТолькоИзменения="false"><Ид>cls#</Ид><Наименование>Пакет</Наименование><ИдКаталога>cls</ИдКаталога>
    <ТипыЦен><ТипЦены><Ид>${PRICE_TYPE}</Ид><Наименование>Оптовая</Наименование><Валюта>RUB</Валюта></ТипЦены></ТипыЦен>
    <Склады><Склад><Ид>${STORE}</Ид><Наименование>Основной</Наименование></Склад></Склады>
    <Предложения>
      <Предложение><Ид>${KETTLE}#${RED}</Ид><Наименование>Чайник эмалированный (красный)</Наименование>
        <ХарактеристикиТовара><ХарактеристикаТовара><Наименование>Цвет</Наименование><Значение>красный</Значение></ХарактеристикаТовара></ХарактеристикиТовара>
        <Цены><Цена><ИдТипаЦены>${PRICE_TYPE}</ИдТипаЦены><ЦенаЗаЕдиницу>1500</ЦенаЗаЕдиницу><Валюта>RUB</Валюта></Цена></Цены>
        <Склад ИдСклада="${STORE}" КоличествоНаСкладе="3"/>
      </Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>`)

let t: TestApp
const get = async (url: string, headers: Record<string, string> = storefrontHeaders) => t.app.inject({ method: 'GET', url, headers })

async function exchange(files: Record<string, Buffer>): Promise<{ client: ExchangeClient; startedAt: number }> {
  const client = new ExchangeClient(t.app)
  await client.checkauth()
  const startedAt = client.timestamp
  await client.init()
  await client.upload('v8_1A76_155ae.zip', await zipOf(files))
  for (const name of Object.keys(files).filter((file) => file.endsWith('.xml'))) expect((await client.import(name)).status).toBe('success')
  return { client, startedAt }
}

beforeAll(async () => {
  t = await buildStorefrontApp()
  await exchange({
    'import0_1.xml': importXml({ kettle: ['import_files/0c/kettle.png', 'import_files/0c/missing.jpg'], mug: ['import_files/1a/same.png'] }),
    'offers0_1.xml': offersXml,
    'import_files/0c/kettle.png': KETTLE_PHOTO,
    'import_files/1a/same.png': SAME_PHOTO,
  })
})
afterAll(async () => {
  await t.close()
})

describe('the group tree', () => {
  it('lists parents before children, siblings in 1C’s order, with parent and depth', async () => {
    const response = await get('/api/v1/groups')
    expect(response.statusCode).toBe(200)
    expect(
      response
        .json()
        .groups.map((group: { id: string; name: string; parentId: string | null; depth: number; order: number }) => [group.name, group.parentId, group.depth, group.order]),
    ).toEqual([
      ['Посуда', null, 0, 0],
      ['Чайники', ROOT_GROUP, 1, 0],
      ['Тарелки', null, 0, 1],
    ])
  })

  it('lists the properties with their value type and reference values', async () => {
    const { properties } = (await get('/api/v1/properties')).json()
    expect(properties).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: BRAND, name: 'Бренд', valueType: 'Справочник', values: { [BRAND_VALUE]: 'Самовар-Завод' } }),
        expect.objectContaining({ id: VOLUME, name: 'Объём, л', valueType: 'Число', values: {} }),
      ]),
    )
  })
})

describe('a product', () => {
  it('has its name, group path, property names and values, unit, description and image URLs, and its offers', async () => {
    const response = await get(`/api/v1/products/${KETTLE}`)
    expect(response.statusCode).toBe(200)
    const kettle = response.json()
    expect(kettle).toMatchObject({
      name: 'Чайник эмалированный',
      fullName: 'Чайник эмалированный, полное',
      groupPath: [
        { id: ROOT_GROUP, name: 'Посуда' },
        { id: CHILD_GROUP, name: 'Чайники' },
      ],
      properties: { Бренд: 'Самовар-Завод', 'Объём, л': '2' },
      propertyValues: [
        { propertyId: BRAND, name: 'Бренд', values: [{ value: 'Самовар-Завод', valueId: BRAND_VALUE }] },
        { propertyId: VOLUME, name: 'Объём, л', values: [{ value: '2', valueId: null }] },
      ],
      unit: { code: '796', name: 'шт', fullName: 'Штука', abbreviation: 'PCE' },
      description: { text: '<p>Эмаль, <b>2 л</b></p>', html: true },
      manufacturer: { id: 'm1', name: 'Завод «Эмаль»' },
      weight: 1.25,
      taxes: [{ name: 'НДС', rate: '20' }],
    })
    // The picture the exchange did not upload is left out (and counted in the run); the uploaded one is served.
    expect(kettle.images).toHaveLength(1)
    expect(kettle.images[0]).toMatchObject({ path: 'import_files/0c/kettle.png', width: 4, height: 3, url: expect.stringMatching(/^\/media\/[\w-]{43}\.png$/) })
    expect(kettle.offers).toEqual([
      expect.objectContaining({
        id: `${KETTLE}#${RED}`,
        name: 'Чайник эмалированный (красный)',
        characteristics: [{ name: 'Цвет', value: 'красный' }],
        stock: { total: 3, warehouses: { [STORE]: 3 }, totalFrom: 'warehouses' },
      }),
    ])
    const mug = (await get(`/api/v1/products/${MUG}`)).json()
    expect(mug.description).toEqual({ text: 'Кружка без рисунка', html: false })
  })

  it('serves the picture the exchange uploaded, once per content, with long cache headers and no credentials', async () => {
    const kettle = (await get(`/api/v1/products/${KETTLE}`)).json()
    const mug = (await get(`/api/v1/products/${MUG}`)).json()
    // The same bytes under two names are stored once.
    expect(mug.images[0].hash).toBe(kettle.images[0].hash)
    expect(await t.db.query('select count(*)::int as n from media')).toEqual([{ n: 1 }])
    const picture = await get(kettle.images[0].url, {})
    expect(picture.statusCode).toBe(200)
    expect(picture.headers['content-type']).toBe('image/png')
    expect(picture.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(picture.rawPayload.equals(KETTLE_PHOTO)).toBe(true)
    expect((await get(kettle.images[0].url, { 'if-none-match': picture.headers.etag as string })).statusCode).toBe(304)
    expect((await get(`/media/${'x'.repeat(43)}.png`, {})).statusCode).toBe(404)
  })

  it('lists the products of a group and its subgroups, or of the group alone', async () => {
    const ids = async (query: string) => (await get(`/api/v1/products?${query}`)).json().products.map((item: { id: string }) => item.id)
    expect(await ids(`groupId=${ROOT_GROUP}`)).toEqual([KETTLE, MUG].sort())
    expect(await ids(`groupId=${ROOT_GROUP}&subgroups=false`)).toEqual([MUG])
    expect(await ids(`groupId=${OTHER_GROUP}`)).toEqual([PLATE])
    const page = (await get('/api/v1/products?limit=2')).json()
    expect(page.products).toHaveLength(2)
    expect(page.products[0].groupPath.length).toBeGreaterThan(0)
    expect((await get(`/api/v1/products?limit=2&cursor=${page.next.cursor}`)).json().products).toHaveLength(1)
  })

  it('says in the run what was seen of each kind and which pictures were missing', async () => {
    const [run] = await t.db.query<{ details: { byKind: Record<string, { seen: number }>; pictures: { seen: number; stored: number; missing: number; missingPaths: string[] } } }>(
      `select details from sync_runs where details->>'file' = 'import0_1.xml' order by id desc limit 1`,
    )
    expect(run?.details.byKind).toMatchObject({ group: { seen: 3 }, property: { seen: 2 }, product: { seen: 3 } })
    expect(run?.details.pictures).toEqual({ seen: 3, stored: 1, missing: 1, missingPaths: ['import_files/0c/missing.jpg'] })
  })

  it('tells storefronts of groups and properties in the change feed', async () => {
    const { events } = (await get('/api/v1/events?limit=100')).json()
    const types = new Set(events.map((event: { type: string }) => event.type))
    expect(types).toEqual(new Set(['group.updated', 'property.updated', 'product.updated', 'offer.updated', 'price_type.updated', 'warehouse.updated']))
  })
})

describe('an order to 1C', () => {
  it('names its line as the catalogue does: the offer’s name with its characteristic, the article, the base unit', async () => {
    await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [customer('buyer', { priceTypeId: PRICE_TYPE })])
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...storefrontHeaders, 'idempotency-key': 'content-order-1' },
      payload: { externalId: 'c-1', number: 'C-1', customerId: 'buyer', lines: [{ offerId: `${KETTLE}#${RED}`, quantity: 2 }], bonusMinor: 0 },
    })
    expect(placed.statusCode).toBe(201)
    const sale = new ExchangeClient(t.app, { type: 'sale' })
    await sale.checkauth()
    const xml = (await sale.request('mode=query')).body
    expect(xml).toMatch(
      new RegExp(
        `<Ид>${KETTLE}#${RED}</Ид>\\s*<Артикул>A-20</Артикул>\\s*<Наименование>Чайник эмалированный \\(красный\\)</Наименование>\\s*<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>`,
      ),
    )
  })
})

describe('pictures after a full exchange', () => {
  it('keep a picture not uploaded again, and remove one no product refers to any more', async () => {
    const before = (await get(`/api/v1/products/${KETTLE}`)).json().images[0]
    // 1C sends changed pictures only: the kettle's picture is named but not uploaded; the mug has none now.
    const { client, startedAt } = await exchange({ 'import0_1.xml': importXml({ kettle: ['import_files/0c/kettle.png'], mug: [] }) })
    expect((await get(`/api/v1/products/${KETTLE}`)).json().images).toEqual([before])
    expect((await get(`/api/v1/products/${MUG}`)).json().images).toEqual([])
    expect((await client.request(`mode=deactivate&timestamp=${startedAt}`)).statusCode).toBe(200)
    expect((await get(before.url, {})).statusCode).toBe(200)

    // Now the kettle loses its picture too: after the full exchange nothing refers to the file, and it goes.
    const second = await exchange({ 'import0_1.xml': importXml({ kettle: [], mug: [] }) })
    expect((await get(before.url, {})).statusCode).toBe(200)
    expect((await second.client.request(`mode=deactivate&timestamp=${second.startedAt}`)).statusCode).toBe(200)
    expect((await get(before.url, {})).statusCode).toBe(404)
    expect(await t.db.query('select count(*)::int as n from media')).toEqual([{ n: 0 }])
  })
})
