/** The shapes of the storefront API: one zod schema each (the OpenAPI document at /docs is made from them). */
import { z } from 'zod'
import { BonusAccount, LineText, Offer } from '../domain/index.ts'

export const Versioned = { version: z.number().int(), updatedAt: z.string() }
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.unknown().optional() }) })
export const Limit = z.coerce.number().int().min(1).max(1000).default(100)
export const IdParams = z.object({ id: LineText(200, 1) })

/** Paging: the `next.cursor` of the previous page, opaque. */
export const Cursor = z.string().max(1000)
export const decodeCursor = (cursor: string | undefined) => (cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : '')
export const encodeCursor = (key: string) => Buffer.from(key).toString('base64url')
export const NextCursor = z.object({ cursor: z.string() }).nullable()

export const SpendableBonus = BonusAccount.extend({
  /** balance less what orders taken here hold: what the customer can spend now. */
  availableMinor: z.number().int(),
  /** What orders taken here hold on the account (1C does not know of them yet). */
  heldMinor: z.number().int(),
  /** The holds of this storefront's orders, oldest first. */
  holds: z.array(z.object({ orderId: z.string(), number: z.string(), amountMinor: z.number().int(), createdAt: z.string() })),
  /** The head company whose account the customer spends from, when shared. */
  sharedFrom: z.string().nullable(),
})

export const BonusConditions = z.object({
  customerId: z.string(),
  /** The account points are spent from (the head company's when shared); null: the customer has none. */
  accountId: z.string().nullable(),
  sharedFrom: z.string().nullable(),
  programId: z.string().nullable(),
  name: z.string().nullable(),
  /** The share of a line points may pay for, %; null: none. */
  maxRedeemPercent: z.number().nullable(),
  /** Price group id → its own cap, %. */
  priceGroupCaps: z.record(z.string(), z.number()),
  /** Points pay only for this segment's goods; null: for any goods with a cap. */
  segmentId: z.string().nullable(),
  /** What one point is worth in `currency`, exact decimal text ("1", "0.5"). */
  pointValue: z.string(),
  currency: z.string(),
  /** Caps apply to the sum after the automatic discount instead of less the discount's percent. */
  capsIgnoreDiscounts: z.boolean(),
})

/** An offer's price and bonus terms for one customer. */
export const OfferForCustomer = z.object({
  price: z.object({ priceTypeId: z.string(), amountMinor: z.number().int(), currency: z.string() }).nullable(),
  bonus: z.object({
    /** Whether points may pay for it: show the bonus label. */
    eligible: z.boolean(),
    reason: z.enum(['no_cap', 'outside_segment', 'not_bonus_eligible', 'unknown_offer']).nullable(),
    capPercent: z.number(),
    capSource: z.enum(['price_group', 'programme', 'product']).nullable(),
  }),
})
export const OfferView = Offer.extend({ ...Versioned, forCustomer: OfferForCustomer.optional() })
export const BonusOffersAnswer = z.object({ offers: z.array(Offer.extend({ ...Versioned, forCustomer: OfferForCustomer })), next: NextCursor })

export const FeedQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: Limit })
export const FeedAnswer = z.object({
  events: z.array(z.object({ seq: z.number().int(), type: z.string(), kind: z.string(), key: z.string(), version: z.number().int(), createdAt: z.string() })),
  next: z.object({ after: z.number().int() }),
})
