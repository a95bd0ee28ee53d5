/**
 * What УТ 11's «Обмен с сайтом» writes: `import0_1.xml` (Классификатор with groups, Каталог with the
 * goods) and `offers0_1.xml` (a small Классификатор, ПакетПредложений with price types, warehouses
 * and per offer its prices, total and per-warehouse stock), UTF-8 with a BOM, namespace
 * `urn:1C.ru:commerceml_2`, ВерсияСхемы 2.07 as the module writes it; an offer of a variant is
 * `product#characteristic`. A changes-only portion says `СодержитТолькоИзменения="true"`.
 * Also the order-changes file (`orders-<uuid>_1.xml`) 1C uploads back: per order 1C's number
 * and date, posted, deletion mark, cancelled (ДобавитьЗначенияРеквизитовЗаказаXDTO).
 */
import { XMLBuilder } from 'fast-xml-parser'
import { EMPTY_REF, amountOf } from './ids.ts'
import type { Base } from './base.ts'
import { IDS, type Row } from './seed.ts'

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '\t',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  processEntities: true,
})
const BOM = '\ufeff'

function document(base: Base, body: Record<string, unknown>): Buffer {
  const root = {
    '@_xmlns': 'urn:1C.ru:commerceml_2',
    '@_xmlns:xs': 'http://www.w3.org/2001/XMLSchema',
    '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    '@_ВерсияСхемы': '2.07',
    '@_ДатаФормирования': base.now(),
    ...body,
  }
  return Buffer.from(`${BOM}<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ КоммерческаяИнформация: root }) as string}`, 'utf8')
}

const owner = (base: Base) => {
  const organisation = (base.state.catalogs['Catalog_Организации'] ?? [])[0] ?? {}
  return { Ид: IDS.organisation, Наименование: organisation.Description, ОфициальноеНаименование: organisation.Description, ИНН: organisation.ИНН, КПП: organisation.КПП }
}

const PIECE = { '@_Код': '796 ', '@_НаименованиеПолное': 'Штука', '@_МеждународноеСокращение': 'PCE', Пересчет: { Единица: '796', Коэффициент: '1' } }

function classifier(base: Base, withGroups: boolean): Record<string, unknown> {
  const folders = (base.state.catalogs['Catalog_Номенклатура'] ?? []).filter((row) => row.IsFolder === true)
  return {
    Ид: IDS.catalogue,
    Наименование: 'Классификатор (Основной каталог товаров)',
    Владелец: owner(base),
    ...(withGroups && { Группы: { Группа: folders.map((folder) => ({ Ид: folder.Ref_Key, Наименование: folder.Description })) } }),
  }
}

/** import0_1.xml: the classifier and every product (a full export), or the products named. */
export function importXml(base: Base, only?: Set<string>): Buffer {
  const products = (base.state.catalogs['Catalog_Номенклатура'] ?? []).filter((row) => row.IsFolder === false && (!only || only.has(String(row.Ref_Key))))
  return document(base, {
    Классификатор: classifier(base, true),
    Каталог: {
      '@_СодержитТолькоИзменения': only ? 'true' : 'false',
      Ид: IDS.catalogue,
      ИдКлассификатора: IDS.catalogue,
      Наименование: 'Основной каталог товаров',
      Владелец: owner(base),
      Товары: {
        Товар: products.map((product) => ({
          Ид: product.Ref_Key,
          Артикул: product.Артикул,
          Наименование: product.Description,
          БазоваяЕдиница: { '#text': 'шт', ...PIECE },
          Группы: { Ид: product.Parent_Key },
          Описание: '',
          СтавкиНалогов: { СтавкаНалога: { Наименование: 'НДС', Ставка: '20' } },
          ЗначенияРеквизитов: {
            ЗначениеРеквизита: [
              { Наименование: 'ВидНоменклатуры', Значение: product.ВидНоменклатуры },
              { Наименование: 'ТипНоменклатуры', Значение: 'Товар' },
              { Наименование: 'Полное наименование', Значение: product.НаименованиеПолное },
            ],
          },
        })),
      },
    },
  })
}

/** offers0_1.xml: prices of the three price types and stock of both warehouses, for every offer or the ones named. */
export function offersXml(base: Base, only?: Set<string>): Buffer {
  const at = base.now()
  const prices = base.sliceLast('InformationRegister_ЦеныНоменклатуры', at)
  const stock = base.balance('AccumulationRegister_ТоварыНаСкладах', at)
  const names = new Map((base.state.catalogs['Catalog_Номенклатура'] ?? []).map((row) => [row.Ref_Key, row]))
  const characteristics = new Map((base.state.catalogs['Catalog_ХарактеристикиНоменклатуры'] ?? []).map((row) => [row.Ref_Key, row]))
  const offers = new Map<string, { product: string; characteristic: string; prices: Row[] }>()
  for (const price of prices) {
    const product = String(price.Номенклатура_Key)
    const characteristic = String(price.Характеристика_Key)
    const id = characteristic === EMPTY_REF ? product : `${product}#${characteristic}`
    if (only && !only.has(`${product}#${characteristic}`)) continue
    const entry = offers.get(id) ?? { product, characteristic, prices: [] }
    entry.prices.push(price)
    offers.set(id, entry)
  }
  const types = (base.state.catalogs['Catalog_ВидыЦен'] ?? []).map((type) => ({
    Ид: type.Ref_Key,
    Наименование: type.Description,
    Валюта: 'RUB',
    Налог: { Наименование: 'НДС', УчтеноВСумме: 'true', Акциз: 'false' },
  }))
  const warehouses = base.state.catalogs['Catalog_Склады'] ?? []
  return document(base, {
    Классификатор: classifier(base, false),
    ПакетПредложений: {
      '@_СодержитТолькоИзменения': only ? 'true' : 'false',
      Ид: `${IDS.catalogue}#`,
      Наименование: 'Пакет предложений (Основной каталог товаров)',
      ИдКаталога: IDS.catalogue,
      ИдКлассификатора: IDS.catalogue,
      Владелец: owner(base),
      ТипыЦен: { ТипЦены: types },
      Склады: { Склад: warehouses.map((warehouse) => ({ Ид: warehouse.Ref_Key, Наименование: warehouse.Description })) },
      Предложения: {
        Предложение: [...offers.entries()].map(([id, offer]) => {
          const product = names.get(offer.product) ?? {}
          const variant = characteristics.get(offer.characteristic)
          const perWarehouse = warehouses.map((warehouse) => {
            const row = stock.find(
              (balance) => balance.Номенклатура_Key === offer.product && balance.Характеристика_Key === offer.characteristic && balance.Склад_Key === warehouse.Ref_Key,
            )
            return { ИдСклада: String(warehouse.Ref_Key), quantity: Number(row?.ВНаличииBalance ?? 0) }
          })
          return {
            Ид: id,
            Артикул: product.Артикул,
            Наименование: variant ? `${String(product.Description)} (${String(variant.Description)})` : product.Description,
            БазоваяЕдиница: { '#text': 'шт', ...PIECE },
            ...(variant && { ХарактеристикиТовара: { ХарактеристикаТовара: { Наименование: 'Фасовка', Значение: variant.Description } } }),
            Цены: {
              Цена: offer.prices.map((price) => {
                const amount = amountOf(Number(price.Цена))
                return {
                  Представление: ` ${String(amount).replace('.', ',')} руб. за шт`,
                  ИдТипаЦены: price.ВидЦены_Key,
                  ЦенаЗаЕдиницу: String(amount),
                  Валюта: 'руб',
                  Единица: 'шт',
                  Коэффициент: '1',
                }
              }),
            },
            Количество: String(perWarehouse.reduce((sum, entry) => sum + entry.quantity, 0)),
            Склад: perWarehouse.map((entry) => ({ '@_ИдСклада': entry.ИдСклада, '@_КоличествоНаСкладе': String(entry.quantity) })),
          }
        }),
      },
    },
  })
}

export interface OrderChange {
  siteId: string
  siteNumber: string
  order: Row
}

/** orders-<uuid>_1.xml: the state of the site's orders in 1C. */
export function orderChangesXml(base: Base, changes: OrderChange[]): Buffer {
  return document(base, {
    Документ: changes.map(({ siteId, siteNumber, order }) => ({
      Ид: siteId,
      НомерВерсии: order.DataVersion,
      ПометкаУдаления: String(order.DeletionMark === true),
      Номер: siteNumber,
      Номер1С: order.Number,
      Дата: String(order.Date).slice(0, 10),
      Дата1С: String(order.Date).slice(0, 10),
      Время: String(order.Date).slice(11),
      ХозОперация: 'Заказ товара',
      Роль: 'Продавец',
      Валюта: 'руб',
      Курс: '1',
      Сумма: String(amountOf(Number(order.СуммаДокумента ?? 0))),
      ЗначенияРеквизитов: {
        ЗначениеРеквизита: [
          { Наименование: 'Номер по 1С', Значение: order.Number },
          { Наименование: 'Дата по 1С', Значение: order.Date },
          { Наименование: 'ПометкаУдаления', Значение: String(order.DeletionMark === true) },
          { Наименование: 'Проведен', Значение: String(order.Posted === true) },
          ...(order.Статус === 'Закрыт' ? [{ Наименование: 'Отменен', Значение: 'true' }] : []),
        ],
      },
    })),
  })
}
