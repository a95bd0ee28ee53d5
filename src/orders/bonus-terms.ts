/**
 * What a shop's pages show a customer about bonuses, from the same rules the quote applies: the
 * programme's conditions (personal account), whether and up to what share points may pay for an
 * offer and the offer's price for this customer (catalogue), and the goods points may pay for
 * (a page at a time).
 */
import { bonusTerms, type BonusAccount, type BonusTerms, type Offer, type QuoteProgramme } from '../domain/index.ts'
import { AppError } from '../http/errors.ts'
import type { Queryable } from '../store/index.ts'
import { bonusViewOf } from './bonus-view.ts'
import { loadCustomerContext, priceTypeOf, programmeOf, quoteProductOf, type QuoteRules } from './quote.ts'

export interface CustomerTerms {
  customerId: string
  /** The account points are spent from (the head's when shared), null when there is none. */
  account: BonusAccount | null
  sharedFrom: string | null
  programme: QuoteProgramme
  /** The programme's record as 1C has it, when pulled. */
  programmeId: string | null
  programmeName: string | null
  /** Points pay only for this product segment's goods (СегментНоменклатуры), when set. */
  segmentId: string | null
  currency: string
  priceTypeId: string | null
}

/** null: no such customer. */
export async function customerTerms(db: Queryable, customerId: string, rules: QuoteRules): Promise<CustomerTerms | null> {
  const context = await loadCustomerContext(db, customerId)
  const view = bonusViewOf(context.chain, rules.shareAtHead)
  if (!view) return null
  const account = view.effective
  const entry = account?.programId ? context.programmes[account.programId] : undefined
  return {
    customerId,
    account,
    sharedFrom: view.sharedFrom,
    programme: await programmeOf(db, account, entry),
    programmeId: account?.programId ?? null,
    programmeName: entry?.data.name ?? null,
    segmentId: entry?.data.segmentId ?? null,
    currency: entry?.data.currency ?? account?.currency ?? 'RUB',
    priceTypeId: priceTypeOf(context.chain, rules),
  }
}

export async function requireTerms(db: Queryable, customerId: string, rules: QuoteRules): Promise<CustomerTerms> {
  const terms = await customerTerms(db, customerId, rules)
  if (!terms) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(customerId)}`)
  return terms
}

/** The programme's conditions as a personal-account page shows them. */
export function conditionsOf(terms: CustomerTerms) {
  const { programme } = terms
  return {
    customerId: terms.customerId,
    accountId: terms.account?.customerId ?? null,
    sharedFrom: terms.sharedFrom,
    programId: terms.programmeId,
    name: terms.programmeName,
    maxRedeemPercent: programme.maxRedeemPercent,
    priceGroupCaps: programme.priceGroupCaps,
    /** Points pay only for the goods of this segment (GET …/bonus/offers lists them). */
    segmentId: terms.segmentId,
    pointValue: programme.pointValue,
    currency: terms.currency,
    capsIgnoreDiscounts: programme.capsIgnoreDiscounts,
  }
}

export interface OfferForCustomer {
  /** The offer's price for the customer's price type; null when 1C has none. */
  price: { priceTypeId: string; amountMinor: number; currency: string } | null
  bonus: BonusTerms
}

type ProductData = { priceGroupId: string | null; bonusEligible: boolean | null; maxBonusPercent: number | null }

/** One offer's price and bonus terms for this customer, its product as stored (undefined: none, or removed). */
function offerForCustomer(terms: CustomerTerms, offer: Pick<Offer, 'id' | 'productId' | 'prices'>, product: ProductData | undefined): OfferForCustomer {
  const price = terms.priceTypeId ? offer.prices[terms.priceTypeId] : undefined
  return {
    price: price && terms.priceTypeId ? { priceTypeId: terms.priceTypeId, amountMinor: price.amountMinor, currency: price.currency } : null,
    bonus: terms.account
      ? bonusTerms(offer.id, product && quoteProductOf(offer.productId, product), terms.programme)
      : { eligible: false, reason: 'no_cap', capPercent: 0, capSource: null },
  }
}

/** Each offer's price and bonus terms for this customer, reading the offers' products in one statement. */
export async function offersForCustomer(db: Queryable, terms: CustomerTerms, offers: ReadonlyArray<Pick<Offer, 'id' | 'productId' | 'prices'>>) {
  const productIds = [...new Set(offers.map((offer) => offer.productId))]
  const rows = productIds.length
    ? await db.query<{ key: string; data: ProductData }>(`select key, data from entity_state where kind = 'product' and key = any($1::text[]) and not removed`, [productIds])
    : []
  const products = new Map(rows.map((row) => [row.key, row.data]))
  return new Map(offers.map((offer) => [offer.id, offerForCustomer(terms, offer, products.get(offer.productId))]))
}

/**
 * The offers points may pay for, in key order from `after`: not removed, in the programme's
 * segment when it has one, the product not excluded, a cap above 0. The same rule as the quote
 * (each page is checked with it); the statement narrows by segment and product flags first.
 */
export async function eligibleOffers(db: Queryable, terms: CustomerTerms, after: string, limit: number) {
  if (!terms.account) return { items: [], next: null }
  const { programme } = terms
  // The segment's members as the quote holds them (a segment named but not pulled has none: nothing is found, as the quote would).
  const members = programme.segment === null ? null : [...programme.segment]
  const rows = await db.query<{ key: string; data: Offer; version: number; updated_at: Date; product: ProductData }>(
    `select o.key, o.data, o.version, o.updated_at, p.data as product
       from entity_state o join entity_state p on p.kind = 'product' and p.key = o.data->>'productId' and not p.removed
      where o.kind = 'offer' and not o.removed and o.key > $1
        and coalesce((p.data->>'bonusEligible')::boolean, true)
        and coalesce(($3::jsonb->>(p.data->>'priceGroupId'))::numeric, (p.data->>'maxBonusPercent')::numeric, $4::numeric, 0) > 0
        and ($5::text[] is null or o.key in (select unnest($5::text[])) or o.data->>'productId' in (select unnest($5::text[])))
      order by o.key limit $2`,
    [after, limit, JSON.stringify(programme.priceGroupCaps), programme.maxRedeemPercent, members],
  )
  // The statement joined each offer's product already: the same rule is applied to it here.
  const items = rows
    .map((row) => ({ ...row.data, version: row.version, updatedAt: row.updated_at.toISOString(), forCustomer: offerForCustomer(terms, row.data, row.product) }))
    .filter((item) => item.forCustomer.bonus.eligible)
  const last = rows.at(-1)
  return { items, next: rows.length === limit && last ? last.key : null }
}
