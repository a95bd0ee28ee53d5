/**
 * The order exchange's documents.
 *
 * `buildOrdersXml`: the answer to `type=sale&mode=query` — one `Документ` per order, with
 * `ХозОперация` «Заказ товара» (UT 11 refuses others), the buyer in `Контрагенты`, the goods by
 * their catalog `Ид` (`product#variant` as the catalog sent it), and the requisites the standard
 * exchange reads. The bytes start with `<?xml` (no BOM, no blank line: UT 11 checks) and are in the
 * charset the declaration names.
 *
 * `readOrderChanges`: what 1C uploads back (`orders-*.xml`): per document the site's Ид/Номер and
 * 1C's number, date, posted, cancelled and deletion flags, payment and shipment.
 */
import iconv from 'iconv-lite'
import { XMLBuilder } from 'fast-xml-parser'
import { formatMinorUnits, formatQuantity, xmlSafe, type Unit } from '../../domain/index.ts'
import { toNaive } from '../odata/time.ts'
import { parseBoolean } from './read-cml.ts'
import { child, childrenNamed, childText, streamXmlFile, XmlInputError, type XmlNode } from './xml-stream.ts'

export interface SaleOrderLine {
  offerId: string
  /** The offer's name as the catalogue sent it (a variant's carries its characteristics), else the product's. */
  name: string
  /** Артикул of the product, when the catalogue has one. */
  sku: string | null
  /** The catalogue's unit; null: not known, written as 1C's piece (796 «шт»). */
  unit: Unit | null
  /** ВидНоменклатуры as the catalogue's requisites name it; null: «Товар». */
  itemKind: string | null
  quantity: number
  unitPriceMinor: number
  discountPercent: number
  discountMinor: number
  sumMinor: number
  /** Bonuses spent on this line, in money. */
  bonusMoneyMinor: number
}

export interface SaleOrder {
  id: string
  number: string
  createdAt: Date
  storefrontId: string
  currency: string
  customer: { id: string; name: string; inn: string | null; kpp: string | null }
  lines: SaleOrderLine[]
  delivery: { method: string | null; address: string | null; priceMinor: number }
  paymentMethod: string | null
  comment: string | null
  bonusPoints: number
  bonusMoneyMinor: number
  cancelled: boolean
  status: string
}

export interface OrdersXmlOptions {
  charset: 'utf-8' | 'windows-1251'
  schemaVersion: string
  timeZone: string
  minorDigits: number
  bonusPayment: { as: 'requisite' | 'discount'; name: string }
  deliveryItemId: string
  now?: Date
}

const requisite = (name: string, value: string) => ({ Наименование: name, Значение: value })

const PIECE = { '#text': 'шт', '@_Код': '796', '@_НаименованиеПолное': 'Штука', '@_МеждународноеСокращение': 'PCE' }

/** БазоваяЕдиница as the catalogue sent it (code, short, full and international names); a piece when unknown. */
function baseUnit(unit: Unit | null): Record<string, string> {
  if (!unit || (!unit.code && !unit.name)) return PIECE
  const out: Record<string, string> = { '#text': unit.name ?? unit.fullName ?? '' }
  if (unit.code) out['@_Код'] = unit.code
  if (unit.fullName) out['@_НаименованиеПолное'] = unit.fullName
  if (unit.abbreviation) out['@_МеждународноеСокращение'] = unit.abbreviation
  return out
}

/** One order's `Документ`, built on its own: an order that cannot be written fails alone (SaleExchange.query). */
export function orderDocument(order: SaleOrder, options: OrdersXmlOptions): Record<string, unknown> {
  const money = (minor: number) => formatMinorUnits(minor, options.minorDigits)
  const [date = '', time = ''] = toNaive(order.createdAt, options.timeZone).split('T')
  const goods: Array<Record<string, unknown>> = order.lines.map((line) => {
    const discounts: Array<Record<string, unknown>> = []
    if (line.discountMinor > 0)
      discounts.push({ Наименование: 'Автоматическая скидка', Процент: formatQuantity(line.discountPercent), Сумма: money(line.discountMinor), УчтеноВСумме: 'true' })
    if (options.bonusPayment.as === 'discount' && line.bonusMoneyMinor > 0)
      discounts.push({ Наименование: options.bonusPayment.name, Сумма: money(line.bonusMoneyMinor), УчтеноВСумме: 'false' })
    const requisites = [requisite('ВидНоменклатуры', line.itemKind ?? 'Товар'), requisite('ТипНоменклатуры', 'Товар')]
    if (options.bonusPayment.as === 'requisite' && line.bonusMoneyMinor > 0) requisites.push(requisite(options.bonusPayment.name, money(line.bonusMoneyMinor)))
    return {
      Ид: line.offerId,
      // CommerceML's order: Ид, Артикул, Наименование, БазоваяЕдиница (UT 11 finds the item by Ид).
      ...(line.sku && { Артикул: line.sku }),
      Наименование: line.name,
      БазоваяЕдиница: baseUnit(line.unit),
      ЦенаЗаЕдиницу: money(line.unitPriceMinor),
      Количество: formatQuantity(line.quantity),
      Сумма: money(line.sumMinor),
      ...(discounts.length > 0 && { Скидки: { Скидка: discounts } }),
      ЗначенияРеквизитов: { ЗначениеРеквизита: requisites },
    }
  })
  if (order.delivery.priceMinor > 0) {
    goods.push({
      Ид: options.deliveryItemId,
      Наименование: 'Доставка заказа',
      БазоваяЕдиница: PIECE,
      ЦенаЗаЕдиницу: money(order.delivery.priceMinor),
      Количество: '1',
      Сумма: money(order.delivery.priceMinor),
      ЗначенияРеквизитов: { ЗначениеРеквизита: [requisite('ВидНоменклатуры', 'Услуга'), requisite('ТипНоменклатуры', 'Услуга')] },
    })
  }
  const total = order.lines.reduce((sum, line) => sum + line.sumMinor, 0) + order.delivery.priceMinor
  const requisites = [
    requisite('Сайт', order.storefrontId),
    requisite('Статус заказа', order.status),
    requisite('Заказ оплачен', 'false'),
    requisite('Доставка разрешена', 'false'),
    requisite('Отменен', order.cancelled ? 'true' : 'false'),
    requisite('Финальный статус', order.cancelled ? 'true' : 'false'),
  ]
  if (order.paymentMethod) requisites.push(requisite('Метод оплаты', order.paymentMethod))
  if (order.delivery.method) requisites.push(requisite('Способ доставки', order.delivery.method))
  if (order.delivery.address) requisites.push(requisite('Адрес доставки', order.delivery.address))
  if (options.bonusPayment.as === 'requisite' && order.bonusMoneyMinor > 0) {
    requisites.push(requisite(options.bonusPayment.name, money(order.bonusMoneyMinor)))
    requisites.push(requisite('Бонусных баллов к списанию', money(order.bonusPoints)))
  }
  return {
    Ид: order.id,
    Номер: order.number,
    Дата: date,
    Время: time,
    ХозОперация: 'Заказ товара',
    Роль: 'Продавец',
    Валюта: order.currency,
    Курс: '1',
    Сумма: money(total),
    Контрагенты: {
      Контрагент: [
        {
          Ид: order.customer.id,
          Наименование: order.customer.name,
          // A B2B buyer: UT 11 takes a counterparty with ОфициальноеНаименование as a legal entity.
          ОфициальноеНаименование: order.customer.name,
          ...(order.customer.inn && { ИНН: order.customer.inn }),
          ...(order.customer.kpp && { КПП: order.customer.kpp }),
          Роль: 'Покупатель',
        },
      ],
    },
    ...(order.comment && { Комментарий: order.comment }),
    Товары: { Товар: goods },
    ЗначенияРеквизитов: { ЗначениеРеквизита: requisites },
  }
}

// Text from 1C itself (a counterparty's name) could hold what XML cannot carry: removed here, the last guard.
const clean = (_name: string, value: unknown) => (typeof value === 'string' ? xmlSafe(value) : value)
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: false,
  processEntities: true,
  tagValueProcessor: clean,
  attributeValueProcessor: clean,
})

/** Every character windows-1251 has; the rest are written as character references (`&#128512;`), which 1C's XML reader turns back. */
const CP1251 = new Set(iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), 'win1251'))
CP1251.delete('\ufffd')
const escapeForCp1251 = (text: string) => text.replace(/[^\p{ASCII}]/gu, (char) => (CP1251.has(char) ? char : `&#${char.codePointAt(0)};`))

/** The query answer as bytes in the configured charset. */
export function buildOrdersXml(orders: readonly SaleOrder[], options: OrdersXmlOptions): Buffer {
  return ordersXmlOf(
    orders.map((order) => orderDocument(order, options)),
    options,
  )
}

/** The query answer from documents already built (orderDocument). */
export function ordersXmlOf(documents: ReadonlyArray<Record<string, unknown>>, options: OrdersXmlOptions): Buffer {
  const version3 = options.schemaVersion.startsWith('3')
  const root = {
    '@_xmlns': 'urn:1C.ru:commerceml_2',
    '@_ВерсияСхемы': options.schemaVersion,
    '@_ДатаФормирования': toNaive(options.now ?? new Date(), options.timeZone),
    // 3.x (the 1C-Bitrix module ≥ 6.5): every document in its own Контейнер.
    ...(version3 ? { Контейнер: documents.map((document) => ({ Документ: document })) } : { Документ: documents }),
  }
  const body = builder.build({ КоммерческаяИнформация: root }) as string
  const text = `<?xml version="1.0" encoding="${options.charset === 'utf-8' ? 'UTF-8' : 'windows-1251'}"?>\n${body}`
  return options.charset === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(escapeForCp1251(text), 'win1251')
}

export interface OrderChangeRecord {
  /** The site's Ид of the order (ours), as 1C kept it. */
  id: string | null
  /** The site's Номер. */
  number: string | null
  line: number
  state: {
    number: string | null
    date: string | null
    posted: boolean | null
    cancelled: boolean | null
    deletionMark: boolean | null
    paid: { number: string | null; date: string | null } | null
    shipped: { number: string | null; date: string | null } | null
    status: string | null
  }
}

function requisites(node: XmlNode): Map<string, string> {
  const values = new Map<string, string>()
  const block = child(node, 'ЗначенияРеквизитов')
  for (const item of block ? childrenNamed(block, 'ЗначениеРеквизита') : []) {
    const name = childText(item, 'Наименование')
    if (name) values.set(name.toLowerCase(), childText(item, 'Значение') ?? '')
  }
  return values
}

const flag = (text: string | undefined) => (text === undefined ? null : parseBoolean(text))
const nonEmpty = (text: string | undefined) => (text === undefined || text === '' ? null : text)

/** One `Документ` of an order-changes file. */
export function readOrderChange(node: XmlNode): OrderChangeRecord {
  const values = requisites(node)
  const get = (...names: string[]) => {
    for (const name of names) {
      const value = values.get(name.toLowerCase())
      if (value !== undefined) return value
    }
    return undefined
  }
  const paidNumber = nonEmpty(get('Номер оплаты по 1С', 'Номер платежного документа'))
  const paidDate = nonEmpty(get('Дата оплаты по 1С', 'Дата оплаты'))
  const paidFlag = flag(get('Заказ оплачен'))
  const shippedNumber = nonEmpty(get('Номер отгрузки по 1С'))
  const shippedDate = nonEmpty(get('Дата отгрузки по 1С'))
  const shippedFlag = flag(get('Отгружен'))
  return {
    id: nonEmpty(childText(node, 'Ид')),
    number: nonEmpty(childText(node, 'Номер')),
    line: node.line,
    state: {
      number: nonEmpty(get('Номер по 1С') ?? childText(node, 'Номер1С')),
      date: nonEmpty(get('Дата по 1С') ?? childText(node, 'Дата1С')),
      posted: flag(get('Проведен')),
      cancelled: flag(get('Отменен')),
      deletionMark: flag(get('ПометкаУдаления') ?? childText(node, 'ПометкаУдаления')),
      paid: paidNumber || paidDate || paidFlag ? { number: paidNumber, date: paidDate } : null,
      shipped: shippedNumber || shippedDate || shippedFlag ? { number: shippedNumber, date: shippedDate } : null,
      status: nonEmpty(get('Статус заказа')),
    },
  }
}

/** Every order document of a file 1C uploaded (`КоммерческаяИнформация/Документ`, 3.x `…/Контейнер/Документ`). */
export async function readOrderChanges(path: string, fileName: string): Promise<OrderChangeRecord[]> {
  const out: OrderChangeRecord[] = []
  await streamXmlFile(path, {
    fileName,
    recordType: (elementPath) => {
      const last = elementPath.at(-1)
      const parent = elementPath.at(-2)
      return last === 'Документ' && (parent === 'КоммерческаяИнформация' || parent === 'Контейнер') ? 'document' : null
    },
    skip: new Set(['Товары', 'Контрагенты', 'Налоги', 'Склады']),
    onRecords: (records) => {
      for (const record of records) {
        const change = readOrderChange(record.node)
        const operation = childText(record.node, 'ХозОперация')
        if (operation !== undefined && operation.trim().toLowerCase() !== 'заказ товара') continue
        if (!change.id && !change.number)
          throw new XmlInputError(fileName, 'an order document without Ид and Номер', { line: change.line, path: 'КоммерческаяИнформация/Документ' })
        out.push(change)
      }
    },
  })
  return out
}
