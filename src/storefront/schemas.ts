/** The shapes of the storefront API: one zod schema each (the OpenAPI document at /docs is made from them). */
import { z } from 'zod'
import { BonusAccount, BonusMovement, Customer, Group, LineText, MultilineText, Offer, PriceType, Product, Property, Warehouse } from '../domain/index.ts'
import { OrderStatus } from '../orders/schemas.ts'

export const Versioned = { version: z.number().int(), updatedAt: z.string() }
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.unknown().optional() }) })
export const Limit = z.coerce.number().int().min(1).max(1000).default(100)
export const IdParams = z.object({ id: LineText(200, 1) })

/** Paging: the `next.cursor` of the previous page, opaque. */
export const Cursor = z.string().max(1000)
export const decodeCursor = (cursor: string | undefined) => (cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : '')
export const encodeCursor = (key: string) => Buffer.from(key).toString('base64url')
export const NextCursor = z.object({ cursor: z.string() }).nullable()

/** One movement of a customer's bonus account, as 1C keeps it. */
export const BonusMovementView = BonusMovement.extend({ version: z.number().int() })
export const BonusMovementsPage = z.object({ movements: z.array(BonusMovementView), next: z.object({ cursor: z.string() }).nullable() })

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

export const CustomerView = Customer.extend({
  ...Versioned,
  /** A company or an entrepreneur (show B2B offers and the bonus label); null when 1C's ЮрФизЛицо is not mapped. */
  b2b: z.boolean().nullable(),
  /** The customer's level (L1–L4 by turnover, or as 1C gives it); null where the profile has none. */
  level: z.string().nullable(),
})

/** A product as documented: a property's value is a string, or a list of strings for several reference values (no union in the document). */
export const ProductShape = Product.extend({ properties: z.record(z.string(), z.unknown()) })
/** The product's first group and its parents, from the root down (a shop's breadcrumb). */
export const GroupPath = z.array(z.object({ id: z.string(), name: z.string() }))
export const ProductView = ProductShape.extend({ ...Versioned, groupPath: GroupPath })
export const ProductDetail = ProductView.extend({ offers: z.array(Offer.extend(Versioned)) })
/** A group of the tree: listed parents before children, siblings in 1C's order; `depth` 0 at the root. */
export const GroupView = Group.extend({ ...Versioned, depth: z.number().int() })
export const PropertyView = Property.extend(Versioned)

const OrderHistory = z.object({ status: z.string(), note: z.string().nullable(), at: z.string() })
const OrderHold = z.object({ accountId: z.string(), amountMinor: z.number().int(), status: z.string(), createdAt: z.string(), endedAt: z.string().nullable() })

/** An order as this service keeps it, with its history and holds. */
export const OrderView = z.object({
  id: z.string(),
  externalId: z.string(),
  number: z.string(),
  customerId: z.string(),
  status: OrderStatus,
  bonusMinor: z.number().int(),
  /** As sent, each line with the price it was checked at. */
  body: z.record(z.string(), z.unknown()),
  /** The quote taken at intake (line caps and allocation, the price type). */
  quote: z.record(z.string(), z.unknown()),
  /** What 1C says of it: number, date, posted, cancelled, payment, shipment, status. */
  oneC: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  exportedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  storefrontId: z.string(),
  forwardAttempts: z.number().int(),
  /** Sent to (or waiting for) 1C's order exchange and not yet acknowledged with success. */
  waitingForOrderExchange: z.boolean(),
  history: z.array(OrderHistory),
  holds: z.array(OrderHold),
})

/** Dates as ISO text, as the answer carries them. */
export const asJson = <T>(value: T): unknown => JSON.parse(JSON.stringify(value))

export const PriceTypeView = PriceType.extend(Versioned)
export const WarehouseView = Warehouse.extend(Versioned)

/** Why the storefront cancels an order (kept in its history); the body may be left out. */
export const CancelRequest = z.object({ reason: MultilineText(500).optional() }).optional()
