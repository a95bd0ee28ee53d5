/** The shapes orders are taken and answered in: one zod schema each, their types inferred. */
import { z } from 'zod'
import { type LineAtPrice, AmountMinor, amountBeyondBound, checkJsonText, LineText, MAX_AMOUNT_MINOR, MultilineText, OrderLine } from '../domain/index.ts'

export const OrderLines = z.array(OrderLine).min(1).max(500)

/** Delivery as the orders XML and the document read it; other keys are kept on the order as sent, their text checked here. */
export const Delivery = z
  .looseObject({
    method: LineText(200).optional(),
    address: MultilineText(1000).optional(),
    priceMinor: AmountMinor.optional(),
  })
  .superRefine(({ method: _method, address: _address, priceMinor: _price, ...rest }, context) => checkJsonText(rest, context))

/**
 * An order as a storefront sends it. Text that reaches 1C is refused when it holds a control
 * character (domain/limits.ts); the number's length is checked against the profile at intake.
 */
export const OrderInput = z
  .object({
    externalId: LineText(100, 1),
    number: LineText(100, 1),
    customerId: LineText(200, 1),
    lines: OrderLines,
    bonusMinor: AmountMinor.default(0),
    delivery: Delivery.optional(),
    paymentMethod: LineText(200).optional(),
    comment: MultilineText(2000).optional(),
  })
  .superRefine((order, context) => {
    const total = amountBeyondBound(order.lines, order.delivery?.priceMinor ?? 0)
    if (total !== null) context.addIssue({ code: 'custom', path: ['lines'], message: `the order comes to ${total} minor units, more than 1C's sums hold (${MAX_AMOUNT_MINOR})` })
  })
export type OrderInput = z.infer<typeof OrderInput>

/** An order as kept (orders.body): as sent, with every line at the price it was checked at. */
export type StoredOrderBody = Omit<OrderInput, 'lines'> & { lines: LineAtPrice[] }

/** A cart a storefront asks the bonus quote for. */
export const QuoteRequest = z.object({
  customerId: LineText(200, 1),
  lines: OrderLines,
  requestedPoints: AmountMinor.optional(),
})
export type QuoteRequest = z.infer<typeof QuoteRequest>

export const QuoteAnswer = z.object({
  customerId: z.string(),
  programId: z.string().nullable(),
  sharedFrom: z.string().nullable(),
  /** The price type the lines are priced at (the customer's agreement, else the profile's fallback). */
  priceTypeId: z.string().nullable(),
  lines: z.array(
    z.object({
      offerId: z.string(),
      quantity: z.number(),
      /** 1C's price for the customer's price type (or the storefront's, with orders.prices: storefront). */
      unitPriceMinor: z.number().int(),
      /** quantity × price less the automatic discount, rounded as 1C does. */
      sumMinor: z.number().int(),
      eligible: z.boolean(),
      reason: z.string().nullable(),
      capPercent: z.number(),
      capSource: z.enum(['price_group', 'programme', 'product']).nullable(),
      capMinor: z.number().int(),
      allocatedMinor: z.number().int(),
    }),
  ),
  availableMinor: z.number().int(),
  maxRedeemableMinor: z.number().int(),
  appliedMinor: z.number().int(),
  appliedMoneyMinor: z.number().int(),
  /** What the lines cost. */
  totalMinor: z.number().int(),
  /** totalMinor less the applied points in money: what is left to pay. */
  payableMinor: z.number().int(),
})
export type QuoteAnswer = z.infer<typeof QuoteAnswer>

export const OrderStatus = z.enum(['accepted', 'exported', 'confirmed', 'cancelled', 'failed'])
export type OrderStatus = z.infer<typeof OrderStatus>
