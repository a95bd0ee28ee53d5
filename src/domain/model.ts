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
})
export type Product = z.infer<typeof Product>

export const Price = z.object({
  amountMinor: MinorUnits,
  currency: Currency,
})
export type Price = z.infer<typeof Price>

export const Stock = z.object({
  /** null: the source sent per-warehouse figures only, or nothing. */
  total: Quantity.nullable(),
  warehouses: z.record(Id, Quantity),
})
export type Stock = z.infer<typeof Stock>

export const Offer = z.object({
  id: Id,
  productId: Id,
  variantId: Id.nullable(),
  prices: z.record(Id, Price),
  stock: Stock,
  removed: z.boolean(),
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

/** A product segment (СегментНоменклатуры): which products (or `product#variant`) belong to it. */
export const ProductSegment = z.object({
  id: Id,
  members: z.record(Id, z.literal(true)),
})
export type ProductSegment = z.infer<typeof ProductSegment>

export const ENTITY_SCHEMAS = {
  price_type: PriceType,
  warehouse: Warehouse,
  product: Product,
  offer: Offer,
  customer: Customer,
  bonus_account: BonusAccount,
  bonus_programme: BonusProgramme,
  product_segment: ProductSegment,
} as const

export type EntityKind = keyof typeof ENTITY_SCHEMAS
export const ENTITY_KINDS = Object.keys(ENTITY_SCHEMAS) as EntityKind[]
export const EntityKindSchema = z.enum(ENTITY_KINDS as [EntityKind, ...EntityKind[]])

export interface EntityByKind {
  price_type: PriceType
  warehouse: Warehouse
  product: Product
  offer: Offer
  customer: Customer
  bonus_account: BonusAccount
  bonus_programme: BonusProgramme
  product_segment: ProductSegment
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
