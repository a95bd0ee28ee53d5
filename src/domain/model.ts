/**
 * The normalized model: what onec-bridge keeps of a 1C base, whatever the base calls it.
 *
 * Terminology (1C → code):
 *   Номенклатура ............ product        (a catalogue item, `Товар` in CommerceML)
 *   Характеристика .......... variant        (`ХарактеристикаНоменклатуры`; offer id `product#variant`)
 *   Предложение ............. offer          (a sellable product or variant with prices and stock)
 *   ПакетПредложений ........ offer package  (offers.xml: prices and stock of many offers)
 *   ВидЦен / ТипЦены ........ price type
 *   Склад ................... warehouse
 *   Контрагент .............. counterparty   (legal entity; carries ИНН/КПП)
 *   Партнер ................. partner        (УТ 11: the business partner behind counterparties)
 *   Клиент / Покупатель ..... customer       (our `customer` is a partner or counterparty, as the profile says)
 *   ГоловнойКонтрагент ...... head company   (`headId`: group of companies)
 *   СоглашениеСКлиентом ..... agreement      (УТ 11: fixes the customer's price type)
 *   ЦеноваяГруппа ........... price group    (bonus caps may differ per price group)
 *   БонуснаяПрограммаЛояльности  bonus programme
 *   БонусныеБаллы ........... bonus account  (accrued minus written off; `balanceMinor`)
 *   Группа (Классификатор) .. group          (the catalogue's tree: id, name, parent, order)
 *   Свойство ................ property       (a product or offer attribute; Справочник values by id)
 *   БазоваяЕдиница .......... unit           (ОКЕИ code, name, international abbreviation, Пересчет ratio)
 *   ХарактеристикиТовара .... characteristics (a variant's name/value pairs)
 *   Изготовитель ............ manufacturer
 *   СтавкиНалогов ........... taxes
 *   ЗначенияРеквизитов ...... requisites     (name → value, as 1C writes them)
 *   ПометкаУдаления ......... removed
 *   Ид / Ref_Key ............ id             (1C's GUID, kept as sent, trimmed)
 *
 * Money is integer minor units (kopecks). Percentages are numbers from 0 to 100.
 */
import { z } from 'zod'
import { AmountMinor, amountBeyondBound, DiscountPercent, LineText, LineQuantity, MAX_AMOUNT_MINOR } from './limits.ts'

/** 1C's `Ид` or `Ref_Key`: opaque, trimmed, never empty. Offers may be `guid#guid`. */
export const Id = z.string().trim().min(1).max(200)
export const MinorUnits = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer')
export const Percent = z.number().min(0).max(100)
export const Currency = z.string().trim().min(1).max(16)
/** Stock may be fractional (kg, m) and, in real bases, negative. */
export const Quantity = z.number().finite()

export const PriceType = z.object({
  id: Id,
  name: z.string(),
  currency: Currency,
})
export type PriceType = z.infer<typeof PriceType>

export const Warehouse = z.object({
  id: Id,
  name: z.string(),
})
export type Warehouse = z.infer<typeof Warehouse>

export const PropertyValue = z.union([z.string(), z.array(z.string())])

/** A unit of measure (БазоваяЕдиница): ОКЕИ code (trimmed: 1C pads it), names, and the Пересчет ratio to the base unit. */
export const Unit = z.object({
  code: z.string().nullable(),
  /** The short name 1C shows («шт»), or the full name where no short one is sent. */
  name: z.string().nullable(),
  fullName: z.string().nullable(),
  /** МеждународноеСокращение («PCE»). */
  abbreviation: z.string().nullable(),
  /** Пересчет/Коэффициент: how many base units this one holds (1 for the base unit itself). */
  ratio: z.number().positive().nullable(),
})
export type Unit = z.infer<typeof Unit>

/** A product's property value with what it refers to: the property's Ид and name, and each value's text (and Справочник Ид). */
export const ProductPropertyValue = z.object({
  propertyId: Id,
  name: z.string(),
  values: z.array(z.object({ value: z.string(), valueId: z.string().nullable() })),
})

/** Where a picture of a product is served: content-addressed, so the same file is stored once. */
export const ProductImage = z.object({
  url: z.string(),
  hash: z.string(),
  /** The path 1C sent it under (`import_files/0c/…jpg`). */
  path: z.string(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
})
export type ProductImage = z.infer<typeof ProductImage>

/**
 * The catalogue's content as the exchange sends it. Each field is optional so that products a pull
 * created, and products stored before these fields existed, keep their content hash.
 */
const ProductContent = {
  /** «Полное наименование» (ПолноеНаименование or the requisite of that name). */
  fullName: z.string().nullable().optional(),
  /** Описание as sent; `html` when it holds markup (1C sends the description's HTML as text). */
  description: z.object({ text: z.string(), html: z.boolean() }).nullable().optional(),
  unit: Unit.nullable().optional(),
  /** Kilograms, as 1C sends Вес. */
  weight: z.number().nullable().optional(),
  dimensions: z.object({ length: z.number().nullable(), width: z.number().nullable(), height: z.number().nullable() }).nullable().optional(),
  manufacturer: z.object({ id: z.string().nullable(), name: z.string() }).nullable().optional(),
  brand: z.string().nullable().optional(),
  taxes: z.array(z.object({ name: z.string(), rate: z.string() })).optional(),
  requisites: z.record(z.string(), z.string()).optional(),
  propertyValues: z.array(ProductPropertyValue).optional(),
  images: z.array(ProductImage).optional(),
}

export const Product = z.object({
  id: Id,
  sku: z.string().nullable(),
  name: z.string(),
  groupIds: z.array(Id),
  priceGroupId: Id.nullable(),
  barcode: z.string().nullable(),
  /** Property name (or Ид where no name is known) → value(s), already resolved from reference values. */
  properties: z.record(z.string(), PropertyValue),
  /** null: the source does not say; the bonus programme's own rules decide. */
  bonusEligible: z.boolean().nullable(),
  maxBonusPercent: Percent.nullable(),
  removed: z.boolean(),
  ...ProductContent,
})
export type Product = z.infer<typeof Product>

/** A group of the catalogue (Классификатор/Группы): a tree by `parentId`, `order` as 1C lists the siblings. */
export const Group = z.object({
  id: Id,
  name: z.string(),
  parentId: Id.nullable(),
  order: z.number().int().min(0),
  removed: z.boolean(),
})
export type Group = z.infer<typeof Group>

/** A property (Классификатор/Свойства): its value type and, for Справочник values, value Ид → text. */
export const Property = z.object({
  id: Id,
  name: z.string(),
  /** ТипЗначений as 1C names it: Строка, Число, Справочник, Дата…; null when not sent. */
  valueType: z.string().nullable(),
  values: z.record(z.string(), z.string()),
  /** Свойство/ДляТоваров, ДляПредложений where 1C says (2.08+). */
  forProducts: z.boolean().nullable(),
  forOffers: z.boolean().nullable(),
  removed: z.boolean(),
})
export type Property = z.infer<typeof Property>

export const Price = z.object({
  amountMinor: MinorUnits,
  currency: Currency,
})
export type Price = z.infer<typeof Price>

export const Stock = z.object({
  /** null only where no source has said anything of the stock yet (a pulled price created the offer). */
  total: Quantity.nullable(),
  warehouses: z.record(Id, Quantity),
  /** `sent`: 1C's own total; `warehouses`: the sum of the warehouses, as 1C sent per-warehouse figures only. */
  totalFrom: z.enum(['sent', 'warehouses']).optional(),
})
export type Stock = z.infer<typeof Stock>

export const Offer = z.object({
  id: Id,
  productId: Id,
  variantId: Id.nullable(),
  prices: z.record(Id, Price),
  stock: Stock,
  removed: z.boolean(),
  /** The offer's own name (a variant's includes its characteristics), as the offer package sends it. */
  name: z.string().optional(),
  /** ХарактеристикиТовара: the variant's name/value pairs. */
  characteristics: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  unit: Unit.nullable().optional(),
})
export type Offer = z.infer<typeof Offer>

/**
 * 1C's ЮрФизЛицо of the counterparty: `company` (ЮрЛицо, ЮрЛицоНеРезидент, a separate division),
 * `entrepreneur` (ИндивидуальныйПредприниматель), `person` (ФизЛицо). A shop shows B2B offers
 * (the bonus label) to companies and entrepreneurs.
 */
export const LegalForm = z.enum(['company', 'entrepreneur', 'person'])
export type LegalForm = z.infer<typeof LegalForm>

export const Customer = z.object({
  id: Id,
  name: z.string(),
  inn: z.string().nullable(),
  kpp: z.string().nullable(),
  headId: Id.nullable(),
  priceTypeId: Id.nullable(),
  /** Absent or null: the source does not say. */
  legalForm: LegalForm.nullable().optional(),
  /** The level 1C gives the customer (a partner segment, a card kind), where the profile reads one. */
  level: z.string().nullable().optional(),
})
export type Customer = z.infer<typeof Customer>

export const BonusAccount = z.object({
  customerId: Id,
  programId: Id.nullable(),
  balanceMinor: MinorUnits,
  reservedMinor: MinorUnits,
  currency: Currency,
  maxRedeemPercent: Percent.nullable(),
  /** Price group id → max share (%) of a line that bonuses may pay for. */
  priceGroupCaps: z.record(Id, Percent),
})
export type BonusAccount = z.infer<typeof BonusAccount>

/**
 * A bonus programme (УТ 11: БонусныеПрограммыЛояльности): the rules a quote applies per line.
 * 1 point = `pointValueMinor` minor units of `currency` (КурсКонвертацииБонусовВВалюту, exact
 * decimal text); only products of `segmentId` may be paid with points when it is set.
 */
export const BonusProgramme = z.object({
  id: Id,
  name: z.string(),
  maxRedeemPercent: Percent.nullable(),
  priceGroupCaps: z.record(Id, Percent),
  segmentId: Id.nullable(),
  /** Money of one point, as exact decimal text in currency units ("1", "0.5"). */
  pointValue: z.string().regex(/^\d+(\.\d+)?$/, 'a decimal number'),
  currency: Currency,
  /** БезУчетаПредоставленныхСкидок: caps ignore the line's automatic discount. */
  capsIgnoreDiscounts: z.boolean(),
})
export type BonusProgramme = z.infer<typeof BonusProgramme>

/**
 * One movement of a customer's bonus account (УТ 11.5: a record of the register БонусныеБаллы):
 * what made the balance what it is. `amountMinor` is the movement's effect on the spendable
 * balance (accrued minus to-write-off), signed; a reservation moves nothing spendable. `at` is when
 * it counts: an accrual dated ahead activates then, a write-off of expiring points happens then.
 */
export const BonusMovementKind = z.enum(['accrual', 'write_off', 'expiry', 'reservation', 'reversal'])
export type BonusMovementKind = z.infer<typeof BonusMovementKind>

export const BonusMovement = z.object({
  /** The register record: recorder document and line. */
  id: Id,
  customerId: Id,
  programId: Id.nullable(),
  /** ISO instant the movement counts from. */
  at: z.string(),
  amountMinor: MinorUnits,
  kind: BonusMovementKind,
  /** The 1C document that made it: its type (`ЗаказКлиента`), id, number and date where 1C has them. */
  document: z.object({ type: z.string().nullable(), id: Id.nullable(), number: z.string().nullable(), date: z.string().nullable() }),
  /** When the points become spendable (an accrual with a delay), when they expire (a batch with a term). */
  activatesAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** The storefront order number the document carries (ЗаказКлиента.НомерПоДаннымКлиента), when it came from one of ours. */
  siteOrderNumber: z.string().nullable().optional(),
  /** A movement 1C no longer has (its document was unposted or deleted). */
  removed: z.boolean(),
})
export type BonusMovement = z.infer<typeof BonusMovement>

/**
 * A purchase as 1C recorded it (УТ 11: a posted РеализацияТоваровУслуг): who bought, when, for how
 * much. The churn signal reads the purchase days, levels the turnover.
 */
export const Sale = z.object({
  id: Id,
  customerId: Id,
  /** ISO instant of the document. */
  at: z.string(),
  amountMinor: MinorUnits,
  number: z.string().nullable(),
  removed: z.boolean(),
})
export type Sale = z.infer<typeof Sale>

/** A product segment (СегментНоменклатуры): which products (or `product#variant`) belong to it. */
export const ProductSegment = z.object({
  id: Id,
  members: z.record(Id, z.literal(true)),
})
export type ProductSegment = z.infer<typeof ProductSegment>

export const ENTITY_SCHEMAS = {
  price_type: PriceType,
  warehouse: Warehouse,
  group: Group,
  property: Property,
  product: Product,
  offer: Offer,
  customer: Customer,
  bonus_account: BonusAccount,
  bonus_programme: BonusProgramme,
  product_segment: ProductSegment,
  bonus_movement: BonusMovement,
  sale: Sale,
} as const

export type EntityKind = keyof typeof ENTITY_SCHEMAS
export const ENTITY_KINDS = Object.keys(ENTITY_SCHEMAS) as EntityKind[]
export const EntityKindSchema = z.enum(ENTITY_KINDS as [EntityKind, ...EntityKind[]])

export interface EntityByKind {
  price_type: PriceType
  warehouse: Warehouse
  group: Group
  property: Property
  product: Product
  offer: Offer
  customer: Customer
  bonus_account: BonusAccount
  bonus_programme: BonusProgramme
  product_segment: ProductSegment
  bonus_movement: BonusMovement
  sale: Sale
}

/** One normalized entity on its way to the store. */
export type Entity = { [K in EntityKind]: { kind: K; data: EntityByKind[K] } }[EntityKind]

/** The stable key an entity is stored and evented under. A bonus account is keyed by its customer. */
export function entityKey(entity: Entity): string {
  return entity.kind === 'bonus_account' ? entity.data.customerId : entity.data.id
}

export function isRemoved(entity: Entity): boolean {
  return 'removed' in entity.data && entity.data.removed === true
}

export function isEntityKind(value: string): value is EntityKind {
  return Object.hasOwn(ENTITY_SCHEMAS, value)
}

/**
 * One line of a cart or an order as a storefront sends it (quotes and orders alike), in the bounds
 * of 1C's fields (domain/limits.ts): quantity × price must still be an amount 1C can hold.
 */
export const OrderLine = z
  .object({
    offerId: LineText(200, 1),
    quantity: LineQuantity,
    /** Optional: the line is priced from 1C's price for the customer's price type (profile orders.prices). */
    unitPriceMinor: AmountMinor.optional(),
    autoDiscountPercent: DiscountPercent.optional(),
  })
  .superRefine((line, context) => {
    if (line.unitPriceMinor === undefined) return
    const gross = amountBeyondBound([{ ...line, unitPriceMinor: line.unitPriceMinor }])
    if (gross !== null) {
      context.addIssue({ code: 'custom', path: ['quantity'], message: `quantity × unitPriceMinor = ${gross} minor units, more than 1C's sums hold (${MAX_AMOUNT_MINOR})` })
    }
  })
export type OrderLine = z.infer<typeof OrderLine>
