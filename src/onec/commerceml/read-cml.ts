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
import { parseDecimalNumber, toMinorUnits, type Entity, type Group, type Offer, type Price, type Product, type Property, type Unit } from '../../domain/index.ts'
import type { CmlFieldSource, CodeMap, CommerceMlProfile } from '../mapping/profile.ts'
import { normalizeCurrency } from './currency.ts'
import { said, type Language, type Said } from '../texts.ts'
import { child, childText, childrenNamed, XmlInputError, type XmlNode } from './xml-stream.ts'

/**
 * Elements inside records that no reader of this module looks at (presentations, a price type's tax,
 * version stamps, a price's own unit: offers carry five of them each), by name or `parent/name`.
 */
export const CML_SKIPPED = new Set(['Представление', 'НомерВерсии', 'Налог', 'Цена/Единица', 'Цена/Коэффициент'])

export type RecordType = 'product' | 'offer' | 'offerChange' | 'priceType' | 'warehouse' | 'property' | 'group'

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
    case 'Группа':
      // A top-level group with its whole subtree: nested groups are read from it.
      return parent === 'Группы' && grandparent === 'Классификатор' ? 'group' : null
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

export interface WarehouseRef {
  id: string
  name: string
}

/** Reference data a file may use but not contain (split files, later portions). */
export interface CmlReferences {
  priceTypes: Map<string, PriceTypeRef>
  properties: Map<string, PropertyDefinition>
  /** Warehouses the exchange has declared: an offer's stock at them is the exchange's to replace. */
  warehouses: Map<string, WarehouseRef>
}

/**
 * What a full offer of the exchange replaces: the prices of the price types and the stock at the
 * warehouses the exchange declares (as storefront codes). Prices and stock another source brought
 * for other price types or warehouses stay; `keep` are offer fields the profile gives to another source.
 */
export interface OfferScope {
  priceTypes: ReadonlySet<string>
  warehouses: ReadonlySet<string>
  keep: ReadonlySet<string>
}

export function offerScope(profile: CommerceMlProfile, refs: CmlReferences, keep: ReadonlySet<string>): OfferScope {
  const codes = (items: Iterable<{ id: string; name: string }>, map: CodeMap) => new Set([...items].flatMap((ref) => mapCode(map, ref.id, ref.name) ?? []))
  return { priceTypes: codes(refs.priceTypes.values(), profile.priceTypes), warehouses: codes(refs.warehouses.values(), profile.warehouses), keep }
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
  name?: string
  characteristics?: Array<{ name: string; value: string }>
  unit?: Unit | null
}

export interface FileContext {
  file: string
  profile: CommerceMlProfile
  refs: CmlReferences
  /** Top-level groups read so far in this file: the next one's place among its siblings. */
  topGroups?: number
}

const text = (node: XmlNode | undefined) => node?.text.trim() ?? ''
const id = (value: string) => value.trim()

function fail(ctx: FileContext, node: XmlNode, path: string, reason: Said): never {
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

export function readWarehouse(node: XmlNode, ctx: FileContext): WarehouseRef {
  const oneCId = id(childText(node, 'Ид') ?? node.attrs['ИдСклада'] ?? '')
  if (!oneCId) fail(ctx, node, 'Склад/Ид', said('склад без Ид', 'a warehouse without Ид'))
  return { id: oneCId, name: childText(node, 'Наименование') ?? '' }
}

export function warehouseEntity(ref: WarehouseRef, ctx: FileContext): Entity | null {
  const code = mapCode(ctx.profile.warehouses, ref.id, ref.name)
  return code ? { kind: 'warehouse', data: { id: code, name: ref.name } } : null
}

/** A property as an entity: what a shop needs to show it and filter by it. */
export function propertyEntity(node: XmlNode, definition: PropertyDefinition): Extract<Entity, { kind: 'property' }> {
  const flag = (name: string) => {
    const value = childText(node, name)
    return value === undefined ? null : parseBoolean(value)
  }
  const data: Property = {
    id: definition.id,
    name: definition.name,
    valueType: childText(node, 'ТипЗначений') || null,
    values: definition.values,
    forProducts: flag('ДляТоваров'),
    forOffers: flag('ДляПредложений'),
    removed: isMarkedRemoved(node),
  }
  return { kind: 'property', data }
}

/** A top-level `Группа` and every group nested in it, parents before children, `order` as 1C lists the siblings. */
export function groupEntities(node: XmlNode, ctx: FileContext, order: number, parentId: string | null = null): Array<Extract<Entity, { kind: 'group' }>> {
  const groupId = id(childText(node, 'Ид') ?? '')
  if (!groupId) fail(ctx, node, 'Классификатор/Группы/Группа/Ид', said('группа без Ид', 'a group without Ид'))
  const data: Group = { id: groupId, name: childText(node, 'Наименование') ?? '', parentId, order, removed: isMarkedRemoved(node) }
  const out: Array<Extract<Entity, { kind: 'group' }>> = [{ kind: 'group', data }]
  const nested = child(node, 'Группы')
  for (const [index, item] of (nested ? childrenNamed(nested, 'Группа') : []).entries()) out.push(...groupEntities(item, ctx, index, groupId))
  return out
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

/**
 * The value a mapped field reads: undefined when the Товар carries no such property or requisite
 * at all (the field is not sent, and stays as another source left it), null when it carries it
 * empty (1C cleared it).
 */
function sourceValue(source: CmlFieldSource | null, props: ReturnType<typeof propertyValues>, reqs: Map<string, string>): RawValue | null | undefined {
  if (!source) return undefined
  if (source.requisite !== undefined) {
    const value = reqs.get(source.requisite)
    return value === undefined ? undefined : value === '' ? null : { text: value, valueId: null }
  }
  for (const [propertyId, entry] of props) {
    if (source.propertyId !== undefined ? propertyId === source.propertyId : entry.name === source.property) return entry.values[0] ?? null
  }
  return undefined
}

function describe(source: CmlFieldSource, language: Language): string {
  if (language === 'ru')
    return source.requisite !== undefined ? `реквизит «${source.requisite}»` : source.property !== undefined ? `свойство «${source.property}»` : `свойство ${source.propertyId}`
  return source.requisite !== undefined ? `requisite "${source.requisite}"` : source.property !== undefined ? `property "${source.property}"` : `property ${source.propertyId}`
}

/** A number 1C sent that cannot be read: the value, and the reader's own words in English. */
function notANumber(value: string, error: unknown): Said {
  return said(`«${value}» не читается как число (${(error as Error).message})`, (error as Error).message)
}

/** What one `Товар` says of a product: the fields it sends (a field left undefined is not sent) and its pictures' paths. */
export interface ProductUpdate {
  id: string
  sent: Partial<Product> & { id: string }
  /** `Картинка` paths under the exchange's upload folder (`import_files/…`), in 1C's order. */
  pictures: string[]
}

/** The product fields the profile maps from properties or requisites: sent only where the Товар carries them. */
function mappedFields(node: XmlNode, ctx: FileContext, fullId: string, props: ReturnType<typeof propertyValues>, reqs: Map<string, string>): Partial<Product> {
  const { product: fields } = ctx.profile
  const out: Partial<Product> = {}
  const eligibleRaw = sourceValue(fields.bonusEligible, props, reqs)
  if (eligibleRaw !== undefined) {
    out.bonusEligible = eligibleRaw ? parseBoolean(eligibleRaw.text) : null
    if (eligibleRaw && out.bonusEligible === null && fields.bonusEligible) {
      fail(
        ctx,
        node,
        `Товар[${fullId}]`,
        said(
          `${describe(fields.bonusEligible, 'ru')} = «${eligibleRaw.text}»: это не «Да» или «Нет»`,
          `${describe(fields.bonusEligible, 'en')} = ${JSON.stringify(eligibleRaw.text)} is not a yes/no value`,
        ),
      )
    }
  }
  const percentRaw = sourceValue(fields.maxBonusPercent, props, reqs)
  if (percentRaw !== undefined) out.maxBonusPercent = null
  if (percentRaw && fields.maxBonusPercent) {
    let percent: number
    try {
      percent = parseDecimalNumber(percentRaw.text.replace('%', ''))
    } catch {
      fail(
        ctx,
        node,
        `Товар[${fullId}]`,
        said(
          `${describe(fields.maxBonusPercent, 'ru')} = «${percentRaw.text}»: это не число`,
          `${describe(fields.maxBonusPercent, 'en')} = ${JSON.stringify(percentRaw.text)} is not a number`,
        ),
      )
    }
    if (percent < 0 || percent > 100)
      fail(
        ctx,
        node,
        `Товар[${fullId}]`,
        said(`${describe(fields.maxBonusPercent, 'ru')} = ${percent}: вне 0..100`, `${describe(fields.maxBonusPercent, 'en')} = ${percent} is outside 0..100`),
      )
    out.maxBonusPercent = percent
  }
  const priceGroupRaw = sourceValue(fields.priceGroup, props, reqs)
  if (priceGroupRaw !== undefined) out.priceGroupId = priceGroupRaw ? (priceGroupRaw.valueId ?? priceGroupRaw.text) : null
  return out
}

/** БазоваяЕдиница: `<БазоваяЕдиница Код="796 " НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</…>`, with Пересчет or 3.1's bare code. */
export function readUnit(node: XmlNode | undefined, ctx: FileContext): Unit | null {
  if (!node) return null
  const inner = node.text.trim()
  const bareCode = /^\d+$/.test(inner)
  const code = node.attrs['Код']?.trim() || (bareCode ? inner : '') || childText(node, 'Код') || null
  const factor = childText(child(node, 'Пересчет') ?? node, 'Коэффициент')
  let ratio: number | null = null
  if (factor) {
    ratio = quantity(ctx, node, 'БазоваяЕдиница/Пересчет/Коэффициент', factor)
    if (!(ratio > 0)) fail(ctx, node, 'БазоваяЕдиница/Пересчет/Коэффициент', said(`коэффициент ${factor} не больше нуля`, `the ratio ${factor} is not above zero`))
  }
  return {
    code,
    name: (bareCode ? '' : inner) || node.attrs['НаименованиеКраткое']?.trim() || childText(node, 'НаименованиеКраткое') || node.attrs['НаименованиеПолное']?.trim() || null,
    fullName: node.attrs['НаименованиеПолное']?.trim() || childText(node, 'НаименованиеПолное') || null,
    abbreviation: node.attrs['МеждународноеСокращение']?.trim() || childText(node, 'МеждународноеСокращение') || null,
    ratio,
  }
}

const HTML = /<\/?[a-z][a-z0-9]*(\s[^>]*)?\/?>|&(nbsp|lt|gt|amp|quot);/i

/** A number from an element (an error names it) or a requisite (free text: kept only when it is a number). */
function measure(node: XmlNode, ctx: FileContext, where: string, element: string, reqs: Map<string, string>, requisite: string): number | null {
  const text = childText(node, element)
  if (text) return quantity(ctx, node, `${where}/${element}`, text)
  const free = reqs.get(requisite)
  if (!free) return null
  try {
    return parseDecimalNumber(free)
  } catch {
    return null
  }
}

function productContent(node: XmlNode, ctx: FileContext, where: string, reqs: Map<string, string>): Partial<Product> {
  const description = childText(node, 'Описание')
  const maker = child(node, 'Изготовитель')
  const taxes = child(node, 'СтавкиНалогов')
  const length = measure(node, ctx, where, 'Длина', reqs, 'Длина')
  const width = measure(node, ctx, where, 'Ширина', reqs, 'Ширина')
  const height = measure(node, ctx, where, 'Высота', reqs, 'Высота')
  return {
    fullName: childText(node, 'ПолноеНаименование') || reqs.get('Полное наименование') || null,
    description: description ? { text: description, html: HTML.test(description) } : null,
    unit: readUnit(child(node, 'БазоваяЕдиница'), ctx),
    weight: measure(node, ctx, where, 'Вес', reqs, 'Вес'),
    dimensions: length === null && width === null && height === null ? null : { length, width, height },
    manufacturer: maker && childText(maker, 'Наименование') ? { id: childText(maker, 'Ид') || null, name: childText(maker, 'Наименование') ?? '' } : null,
    brand: childText(node, 'ТорговаяМарка', 'Марка') || reqs.get('Торговая марка') || reqs.get('Марка') || null,
    taxes: (taxes ? childrenNamed(taxes, 'СтавкаНалога') : []).map((tax) => ({ name: childText(tax, 'Наименование') ?? '', rate: childText(tax, 'Ставка') ?? '' })),
    requisites: Object.fromEntries(reqs),
  }
}

export function productUpdate(node: XmlNode, ctx: FileContext): ProductUpdate {
  const fullId = id(childText(node, 'Ид') ?? '')
  if (!fullId) fail(ctx, node, 'Товар/Ид', said('товар без Ид', 'a product without Ид'))
  // 2.04 sends each variant as its own Товар with `product#variant`; the product is the part before #.
  const productId = fullId.split('#')[0] || fullId
  const props = propertyValues(node, ctx)
  const reqs = requisites(node)

  const properties: Record<string, string | string[]> = {}
  for (const entry of props.values()) {
    if (entry.values.length === 0) continue
    properties[entry.name] = entry.values.length === 1 ? (entry.values[0]?.text ?? '') : entry.values.map((value) => value.text)
  }
  const groups = child(node, 'Группы')
  const sent: ProductUpdate['sent'] = {
    id: productId,
    sku: childText(node, 'Артикул') || null,
    name: childText(node, 'Наименование') ?? '',
    groupIds: groups ? childrenNamed(groups, 'Ид').map(text).filter(Boolean) : [],
    barcode: childText(node, 'Штрихкод', 'ШтрихКод') || null,
    properties,
    propertyValues: [...props].map(([propertyId, entry]) => ({
      propertyId,
      name: entry.name,
      values: entry.values.map((value) => ({ value: value.text, valueId: value.valueId })),
    })),
    removed: isMarkedRemoved(node),
    ...productContent(node, ctx, `Товар[${fullId}]`, reqs),
    ...mappedFields(node, ctx, fullId, props, reqs),
  }
  const pictures = childrenNamed(node, 'Картинка').map(text).filter(Boolean)
  return { id: productId, sent, pictures }
}

/** The fields a product not stored yet starts with: nothing known until a source sends it. */
export function freshProduct(productId: string): Product {
  return { id: productId, sku: null, name: '', groupIds: [], priceGroupId: null, barcode: null, properties: {}, bonusEligible: null, maxBonusPercent: null, removed: false }
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
    fail(ctx, node, path, notANumber(value, error))
  }
}

function addWarehouse(ctx: FileContext, out: Record<string, number>, oneCId: string, amount: number): void {
  const code = mapCode(ctx.profile.warehouses, oneCId, undefined)
  if (code) out[code] = (out[code] ?? 0) + amount
}

export function readOffer(node: XmlNode, ctx: FileContext, isChange: boolean): OfferUpdate {
  const rawId = id(childText(node, 'Ид') ?? '')
  if (!rawId) fail(ctx, node, 'Предложение/Ид', said('предложение без Ид', 'an offer without Ид'))
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
  const name = childText(node, 'Наименование')
  if (name !== undefined) update.name = name
  const characteristics = child(node, 'ХарактеристикиТовара')
  if (characteristics) {
    update.characteristics = childrenNamed(characteristics, 'ХарактеристикаТовара').map((item) => ({
      name: childText(item, 'Наименование') ?? '',
      value: childText(item, 'Значение') ?? '',
    }))
  }
  const unit = child(node, 'БазоваяЕдиница')
  if (unit) update.unit = readUnit(unit, ctx)

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
        fail(ctx, price, `${where}/Цены/Цена[${typeId}]/ЦенаЗаЕдиницу`, notANumber(amountText, error))
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

/** `base` without the keys `owned` names, with `sent` over it: a full list of what one source owns. */
function replaceOwned<V>(base: Record<string, V>, owned: ReadonlySet<string>, sent: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {}
  for (const [key, value] of Object.entries(base)) if (!owned.has(key)) out[key] = value
  return Object.assign(out, sent)
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((total, value) => total + value, 0)

/**
 * Combines what a file says about an offer with what is stored. A full offer replaces the prices
 * of the exchange's price types and the stock at its warehouses, keeping what other sources brought
 * for others; a changes package (`merge`) replaces only what it lists. The total is 1C's own when
 * it sends one, else the sum of the warehouses (`stock.totalFrom` says which).
 */
export function mergeOffer(update: OfferUpdate, stored: Offer | undefined, scope: OfferScope): Offer {
  const base: Offer = stored ?? {
    id: update.id,
    productId: update.productId,
    variantId: update.variantId,
    prices: {},
    stock: { total: null, warehouses: {} },
    removed: false,
  }
  let prices = base.prices
  if (update.prices !== undefined && !scope.keep.has('prices'))
    prices = update.merge ? { ...base.prices, ...update.prices } : replaceOwned(base.prices, scope.priceTypes, update.prices)
  let stock = base.stock
  if (!scope.keep.has('stock')) {
    let warehouses = base.stock.warehouses
    if (update.warehouses !== undefined)
      warehouses = update.merge ? { ...base.stock.warehouses, ...update.warehouses } : replaceOwned(base.stock.warehouses, scope.warehouses, update.warehouses)
    if (typeof update.total === 'number') stock = { total: update.total, warehouses, totalFrom: 'sent' }
    else if (update.warehouses !== undefined || base.stock.total === null || base.stock.totalFrom === 'warehouses')
      stock = { total: sum(warehouses), warehouses, totalFrom: 'warehouses' }
    else stock = { ...base.stock, warehouses }
  }
  const offer: Offer = {
    ...base,
    id: update.id,
    productId: update.productId,
    variantId: update.variantId,
    prices,
    stock,
    removed: update.removed ?? stored?.removed ?? false,
  }
  if (update.name !== undefined && !scope.keep.has('name')) offer.name = update.name
  if (update.characteristics !== undefined && !scope.keep.has('characteristics')) offer.characteristics = update.characteristics
  if (update.unit !== undefined && !scope.keep.has('unit')) offer.unit = update.unit
  return offer
}

/** Whether an update fully defines the offer (no stored state needed). */
export function isCompleteOffer(update: OfferUpdate): boolean {
  return !update.merge && update.removed !== undefined && update.prices !== undefined && update.warehouses !== undefined && update.total !== undefined
}
