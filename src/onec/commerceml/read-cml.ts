/**
 * CommerceML records → normalized entities, through the mapping profile.
 *
 * Layouts handled (by local element names, any namespace):
 *  - import: Классификатор (Свойства with Справочник values, ТипыЦен, Склады), Каталог/Товары/Товар;
 *    2.04 variants as separate `Товар` with `product#variant` Ид;
 *  - offers: ПакетПредложений (ТипыЦен, Склады, Предложения) with Цены/Цена, total Количество,
 *    `<Склад ИдСклада КоличествоНаСкладе/>` (2.05–2.08), Остатки/Остаток/Склад/{Ид,Количество} (2.09+, 3.1);
 *  - ИзмененияПакетаПредложений: update-only, `Ид` + `ИдХарактеристики`, `<Склады ИдСклада КоличествоНаСкладе/>`;
 *  - split prices/rests files whose price types and warehouses came earlier in a Классификатор.
 *
 * A part an offer does not carry (no `Цены`, no stock) is "not sent", never "zero": the stored
 * value stays. That is what makes split prices___/rests___ files and the changes package work.
 */
import { parseDecimalNumber, toMinorUnits, type Entity, type Offer, type Price, type Product } from '../../domain/index.ts'
import type { CmlFieldSource, CodeMap, CommerceMlProfile } from '../mapping/profile.ts'
import { normalizeCurrency } from './currency.ts'
import { child, childText, childrenNamed, XmlInputError, type XmlNode } from './xml-stream.ts'

/** Elements inside records that no reader of this module looks at (presentation, units, taxes). */
export const CML_SKIPPED = new Set([
  'Представление',
  'БазоваяЕдиница',
  'Единица',
  'Коэффициент',
  'НомерВерсии',
  'СтавкиНалогов',
  'Налог',
  'Описание',
  'Картинка',
  'ХарактеристикиТовара',
  'Изготовитель',
])

export type RecordType = 'product' | 'offer' | 'offerChange' | 'priceType' | 'warehouse' | 'property'

/**
 * Which elements are records, by their place: a `Товар` of a catalogue (not of an order), a
 * `Склад` of a classifier or offer package (not an offer's own stock line), and so on.
 */
export function cmlRecordType(path: readonly string[]): RecordType | null {
  const name = path[path.length - 1]
  const parent = path[path.length - 2]
  const grandparent = path[path.length - 3] ?? ''
  switch (name) {
    case 'Товар':
      return parent === 'Товары' && grandparent === 'Каталог' ? 'product' : null
    case 'Предложение':
      if (parent !== 'Предложения') return null
      return grandparent === 'ИзмененияПакетаПредложений' ? 'offerChange' : grandparent === 'ПакетПредложений' ? 'offer' : null
    case 'ТипЦены':
      return parent === 'ТипыЦен' && (grandparent === 'Классификатор' || grandparent === 'ПакетПредложений') ? 'priceType' : null
    case 'Склад':
      return parent === 'Склады' && (grandparent === 'Классификатор' || grandparent === 'ПакетПредложений') ? 'warehouse' : null
    case 'Свойство':
      return parent === 'Свойства' && grandparent === 'Классификатор' ? 'property' : null
    default:
      return null
  }
}

export type PackageKind = 'catalog' | 'offers' | 'offerChanges' | 'classifier' | 'documents' | 'counterparties'
const PACKAGES: Record<string, PackageKind> = {
  Каталог: 'catalog',
  ПакетПредложений: 'offers',
  ИзмененияПакетаПредложений: 'offerChanges',
  Классификатор: 'classifier',
}
// Order documents and counterparty packages belong to the sale exchange; a catalog import
// recognises them (so the run says what the file was) and changes nothing.
const SALE_PACKAGES: Record<string, PackageKind> = { Документ: 'documents', Контрагенты: 'counterparties' }

/** What the file says about itself, gathered from elements outside records. */
export class CmlHeader {
  root: string | null = null
  schemaVersion: string | null = null
  readonly packages = new Set<PackageKind>()
  /** СодержитТолькоИзменения per package, as attribute (2.04+) or child element (2.03). */
  readonly onlyChanges = new Map<PackageKind, boolean>()

  onElement(path: readonly string[], attrs: Record<string, string>): void {
    const name = path[path.length - 1] ?? ''
    if (path.length === 1) {
      this.root = name
      this.schemaVersion = attrs['ВерсияСхемы'] ?? null
    }
    const parent = path[path.length - 2]
    if (parent === 'КоммерческаяИнформация' || parent === 'Контейнер') {
      const sale = SALE_PACKAGES[name]
      if (sale) this.packages.add(sale)
    }
    const kind = PACKAGES[name]
    if (!kind) return
    this.packages.add(kind)
    const flag = attrs['СодержитТолькоИзменения']
    if (flag !== undefined) this.onlyChanges.set(kind, parseBoolean(flag) ?? true)
  }

  onText(path: readonly string[], text: string): void {
    if (path[path.length - 1] !== 'СодержитТолькоИзменения') return
    const kind = PACKAGES[path[path.length - 2] ?? '']
    if (kind) this.onlyChanges.set(kind, parseBoolean(text) ?? true)
  }

  /** Whether the products or offers of this file are a full list (never a reason to remove on its own). */
  isFull(kind: 'catalog' | 'offers'): boolean {
    return this.packages.has(kind) && this.onlyChanges.get(kind) === false
  }
}

const TRUE = new Set(['true', 'да', '1', 'истина', 'yes'])
const FALSE = new Set(['false', 'нет', '0', 'ложь', 'no'])

export function parseBoolean(text: string): boolean | null {
  const value = text.trim().toLowerCase()
  if (TRUE.has(value)) return true
  if (FALSE.has(value)) return false
  return null
}

export interface PropertyDefinition {
  id: string
  name: string
  /** Справочник values: ИдЗначения → text. */
  values: Record<string, string>
}

export interface PriceTypeRef {
  id: string
  name: string
  currency: string | null
}

/** Reference data a file may use but not contain (split files, later portions). */
export interface CmlReferences {
  priceTypes: Map<string, PriceTypeRef>
  properties: Map<string, PropertyDefinition>
}

/** An offer as one file tells it: parts not sent are undefined. */
export interface OfferUpdate {
  id: string
  productId: string
  variantId: string | null
  prices?: Record<string, Price>
  /** Merge prices by type and stock by warehouse into the stored offer instead of replacing. */
  merge: boolean
  total?: number | null
  warehouses?: Record<string, number>
  /** undefined: this record says nothing about deletion (a prices___ or rests___ line). */
  removed?: boolean
}

export interface FileContext {
  file: string
  profile: CommerceMlProfile
  refs: CmlReferences
}

const text = (node: XmlNode | undefined) => node?.text.trim() ?? ''
const id = (value: string) => value.trim()

function fail(ctx: FileContext, node: XmlNode, path: string, reason: string): never {
  throw new XmlInputError(ctx.file, reason, { path, line: node.line })
}

function mapCode(map: CodeMap, oneCId: string, name: string | undefined): string | null {
  const found = map.map.find((entry) => (entry.id !== undefined ? entry.id === oneCId : entry.name === name))
  if (found) return found.code
  return map.unmapped === 'keep' ? oneCId : null
}

export function readPriceType(node: XmlNode): PriceTypeRef {
  return {
    id: id(childText(node, 'Ид') ?? ''),
    name: childText(node, 'Наименование') ?? '',
    currency: childText(node, 'Валюта') ? normalizeCurrency(childText(node, 'Валюта') ?? '') : null,
  }
}

export function priceTypeEntity(ref: PriceTypeRef, ctx: FileContext): Entity | null {
  const code = mapCode(ctx.profile.priceTypes, ref.id, ref.name)
  if (!code) return null
  return { kind: 'price_type', data: { id: code, name: ref.name, currency: ref.currency ?? ctx.profile.currency.default } }
}

export function warehouseEntity(node: XmlNode, ctx: FileContext): Entity | null {
  const oneCId = id(childText(node, 'Ид') ?? node.attrs['ИдСклада'] ?? '')
  if (!oneCId) fail(ctx, node, 'Склад/Ид', 'a warehouse without Ид')
  const name = childText(node, 'Наименование') ?? ''
  const code = mapCode(ctx.profile.warehouses, oneCId, name)
  return code ? { kind: 'warehouse', data: { id: code, name } } : null
}

export function readProperty(node: XmlNode): PropertyDefinition {
  const values: Record<string, string> = {}
  const variants = child(node, 'ВариантыЗначений')
  for (const reference of variants ? childrenNamed(variants, 'Справочник') : []) {
    const valueId = childText(reference, 'ИдЗначения')
    if (valueId) values[id(valueId)] = childText(reference, 'Значение') ?? ''
  }
  return { id: id(childText(node, 'Ид') ?? ''), name: childText(node, 'Наименование') ?? '', values }
}

interface RawValue {
  /** The text a person reads: a literal, or the Справочник value's text. */
  text: string
  /** The Справочник value's Ид, when the value is a reference. */
  valueId: string | null
}

function propertyValues(node: XmlNode, ctx: FileContext): Map<string, { name: string; values: RawValue[] }> {
  const out = new Map<string, { name: string; values: RawValue[] }>()
  const container = child(node, 'ЗначенияСвойств')
  for (const item of container ? childrenNamed(container, 'ЗначенияСвойства') : []) {
    const propertyId = id(childText(item, 'Ид') ?? '')
    if (!propertyId) continue
    const definition = ctx.refs.properties.get(propertyId)
    const entry = out.get(propertyId) ?? { name: definition?.name || propertyId, values: [] }
    for (const valueNode of childrenNamed(item, 'Значение')) {
      const raw = text(valueNode)
      if (raw === '') continue
      const referenced = definition?.values[raw]
      entry.values.push(referenced !== undefined ? { text: referenced, valueId: raw } : { text: raw, valueId: null })
    }
    out.set(propertyId, entry)
  }
  return out
}

function requisites(node: XmlNode): Map<string, string> {
  const out = new Map<string, string>()
  const container = child(node, 'ЗначенияРеквизитов')
  for (const item of container ? childrenNamed(container, 'ЗначениеРеквизита') : []) {
    const name = childText(item, 'Наименование')
    if (name) out.set(name, childrenNamed(item, 'Значение').map(text).join('; '))
  }
  return out
}

function sourceValue(source: CmlFieldSource | null, props: ReturnType<typeof propertyValues>, reqs: Map<string, string>): RawValue | null {
  if (!source) return null
  if (source.requisite !== undefined) {
    const value = reqs.get(source.requisite)
    return value === undefined || value === '' ? null : { text: value, valueId: null }
  }
  for (const [propertyId, entry] of props) {
    if (source.propertyId !== undefined ? propertyId === source.propertyId : entry.name === source.property) return entry.values[0] ?? null
  }
  return null
}

function describe(source: CmlFieldSource): string {
  return source.requisite !== undefined ? `requisite "${source.requisite}"` : source.property !== undefined ? `property "${source.property}"` : `property ${source.propertyId}`
}

export function productEntity(node: XmlNode, ctx: FileContext): Extract<Entity, { kind: 'product' }> {
  const fullId = id(childText(node, 'Ид') ?? '')
  if (!fullId) fail(ctx, node, 'Товар/Ид', 'a product without Ид')
  // 2.04 sends each variant as its own Товар with `product#variant`; the product is the part before #.
  const productId = fullId.split('#')[0] || fullId
  const props = propertyValues(node, ctx)
  const reqs = requisites(node)
  const { product: fields } = ctx.profile

  const eligibleRaw = sourceValue(fields.bonusEligible, props, reqs)
  const bonusEligible = eligibleRaw ? parseBoolean(eligibleRaw.text) : null
  if (eligibleRaw && bonusEligible === null && fields.bonusEligible) {
    fail(ctx, node, `Товар[${fullId}]`, `${describe(fields.bonusEligible)} = ${JSON.stringify(eligibleRaw.text)} is not a yes/no value`)
  }
  const percentRaw = sourceValue(fields.maxBonusPercent, props, reqs)
  let maxBonusPercent: number | null = null
  if (percentRaw && fields.maxBonusPercent) {
    try {
      maxBonusPercent = parseDecimalNumber(percentRaw.text.replace('%', ''))
    } catch {
      fail(ctx, node, `Товар[${fullId}]`, `${describe(fields.maxBonusPercent)} = ${JSON.stringify(percentRaw.text)} is not a number`)
    }
    if (maxBonusPercent < 0 || maxBonusPercent > 100) {
      fail(ctx, node, `Товар[${fullId}]`, `${describe(fields.maxBonusPercent)} = ${maxBonusPercent} is outside 0..100`)
    }
  }
  const priceGroupRaw = sourceValue(fields.priceGroup, props, reqs)

  const properties: Record<string, string | string[]> = {}
  for (const entry of props.values()) {
    if (entry.values.length === 0) continue
    properties[entry.name] = entry.values.length === 1 ? (entry.values[0]?.text ?? '') : entry.values.map((value) => value.text)
  }
  const groups = child(node, 'Группы')
  const data: Product = {
    id: productId,
    sku: childText(node, 'Артикул') || null,
    name: childText(node, 'Наименование') ?? '',
    groupIds: groups ? childrenNamed(groups, 'Ид').map(text).filter(Boolean) : [],
    priceGroupId: priceGroupRaw ? (priceGroupRaw.valueId ?? priceGroupRaw.text) : null,
    barcode: childText(node, 'Штрихкод', 'ШтрихКод') || null,
    properties,
    bonusEligible,
    maxBonusPercent,
    removed: isMarkedRemoved(node),
  }
  return { kind: 'product', data }
}

function isMarkedRemoved(node: XmlNode): boolean {
  return deletionMark(node) === true
}

/** true/false when the record carries a deletion mark or status, undefined when it says nothing. */
function deletionMark(node: XmlNode): boolean | undefined {
  if (node.attrs['Статус'] !== undefined || child(node, 'Статус')) return (node.attrs['Статус'] ?? childText(node, 'Статус')) === 'Удален'
  const mark = childText(node, 'ПометкаУдаления')
  return mark === undefined ? undefined : parseBoolean(mark) === true
}

function quantity(ctx: FileContext, node: XmlNode, path: string, value: string): number {
  try {
    return parseDecimalNumber(value)
  } catch (error) {
    fail(ctx, node, path, (error as Error).message)
  }
}

function addWarehouse(ctx: FileContext, out: Record<string, number>, oneCId: string, amount: number): void {
  const code = mapCode(ctx.profile.warehouses, oneCId, undefined)
  if (code) out[code] = (out[code] ?? 0) + amount
}

export function readOffer(node: XmlNode, ctx: FileContext, isChange: boolean): OfferUpdate {
  const rawId = id(childText(node, 'Ид') ?? '')
  if (!rawId) fail(ctx, node, 'Предложение/Ид', 'an offer without Ид')
  const characteristic = id(childText(node, 'ИдХарактеристики') ?? '')
  const offerId = characteristic && !rawId.includes('#') ? `${rawId}#${characteristic}` : rawId
  const [productId = offerId, variantId = null] = offerId.split('#') as [string?, string?]
  const where = `Предложение[${offerId}]`
  const update: OfferUpdate = {
    id: offerId,
    productId: productId || offerId,
    variantId: variantId || null,
    merge: isChange,
  }
  // A full offer line (it has its name) is present unless marked; a split prices/rests line or a
  // changes-package line says nothing about deletion and leaves the stored flag alone.
  const mark = deletionMark(node)
  if (mark !== undefined) update.removed = mark
  else if (!isChange && child(node, 'Наименование')) update.removed = false

  const prices = child(node, 'Цены')
  if (prices) {
    update.prices = {}
    for (const price of childrenNamed(prices, 'Цена')) {
      const typeId = id(childText(price, 'ИдТипаЦены') ?? '')
      const amountText = childText(price, 'ЦенаЗаЕдиницу')
      if (!typeId || amountText === undefined || amountText === '') continue
      const type = ctx.refs.priceTypes.get(typeId)
      const code = mapCode(ctx.profile.priceTypes, typeId, type?.name)
      if (!code) continue
      let amountMinor: number
      try {
        amountMinor = toMinorUnits(amountText, ctx.profile.currency.minorDigits)
      } catch (error) {
        fail(ctx, price, `${where}/Цены/Цена[${typeId}]/ЦенаЗаЕдиницу`, (error as Error).message)
      }
      const currencyText = childText(price, 'Валюта')
      update.prices[code] = {
        amountMinor,
        currency: currencyText ? normalizeCurrency(currencyText) : (type?.currency ?? ctx.profile.currency.default),
      }
    }
  }

  const totalText = childText(node, 'Количество')
  const warehouses: Record<string, number> = {}
  let sawWarehouses = false
  let total: number | null | undefined = totalText !== undefined && totalText !== '' ? quantity(ctx, node, `${where}/Количество`, totalText) : undefined
  for (const item of node.children) {
    if ((item.name === 'Склад' || item.name === 'Склады') && item.attrs['ИдСклада'] !== undefined) {
      // 2.05–2.08 `<Склад ИдСклада КоличествоНаСкладе/>`; changes package `<Склады …/>`.
      sawWarehouses = true
      const amount = item.attrs['КоличествоНаСкладе'] ?? '0'
      addWarehouse(ctx, warehouses, id(item.attrs['ИдСклада']), quantity(ctx, item, `${where}/${item.name}[@КоличествоНаСкладе]`, amount))
    } else if (item.name === 'Остатки') {
      // 2.09+ / 3.1: Остатки/Остаток/Склад/{Ид, Количество}, or Остаток/Количество for a total.
      for (const rest of childrenNamed(item, 'Остаток')) {
        const warehouse = child(rest, 'Склад')
        if (warehouse) {
          sawWarehouses = true
          const amount = childText(warehouse, 'Количество') ?? '0'
          addWarehouse(ctx, warehouses, id(childText(warehouse, 'Ид') ?? ''), quantity(ctx, warehouse, `${where}/Остатки/Остаток/Склад/Количество`, amount))
        } else {
          const amount = childText(rest, 'Количество')
          if (amount) total = quantity(ctx, rest, `${where}/Остатки/Остаток/Количество`, amount)
        }
      }
    }
  }
  if (sawWarehouses) update.warehouses = warehouses
  if (total !== undefined) update.total = total
  else if (sawWarehouses && !isChange) update.total = null
  return update
}

/** Combines what a file says about an offer with what is stored. */
export function mergeOffer(update: OfferUpdate, stored: Offer | undefined): Offer {
  const base: Offer = stored ?? {
    id: update.id,
    productId: update.productId,
    variantId: update.variantId,
    prices: {},
    stock: { total: null, warehouses: {} },
    removed: false,
  }
  const prices = update.prices === undefined ? base.prices : update.merge ? { ...base.prices, ...update.prices } : update.prices
  let warehouses = base.stock.warehouses
  if (update.warehouses !== undefined) warehouses = update.merge ? { ...base.stock.warehouses, ...update.warehouses } : update.warehouses
  let total = base.stock.total
  if (update.total !== undefined) total = update.total
  else if (update.merge && update.warehouses !== undefined) total = Object.values(warehouses).reduce((sum, value) => sum + value, 0)
  return {
    id: update.id,
    productId: update.productId,
    variantId: update.variantId,
    prices,
    stock: { total, warehouses },
    removed: update.removed ?? stored?.removed ?? false,
  }
}

/** Whether an update fully defines the offer (no stored state needed). */
export function isCompleteOffer(update: OfferUpdate): boolean {
  return !update.merge && update.removed !== undefined && update.prices !== undefined && update.warehouses !== undefined && update.total !== undefined
}
