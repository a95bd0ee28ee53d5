/** The shapes orders are taken and answered in: one zod schema each, their types inferred. */
import { z } from 'zod'
import { OrderLine } from '../domain/index.ts'

export const OrderLines = z.array(OrderLine).min(1).max(500)

/** An order as a storefront sends it. */
export const OrderInput = z.object({
  externalId: z.string().min(1).max(100),
  number: z.string().min(1).max(100),
  customerId: z.string().min(1),
  lines: OrderLines,
  bonusMinor: z.number().int().min(0).default(0),
  delivery: z.record(z.string(), z.unknown()).optional(),
  paymentMethod: z.string().max(200).optional(),
  comment: z.string().max(2000).optional(),
})
export type OrderInput = z.infer<typeof OrderInput>

/** A cart a storefront asks the bonus quote for. */
export const QuoteRequest = z.object({
  customerId: z.string().min(1),
  lines: OrderLines,
  requestedPoints: z.number().int().min(0).optional(),
})
export type QuoteRequest = z.infer<typeof QuoteRequest>

export const QuoteAnswer = z.object({
  customerId: z.string(),
  programId: z.string().nullable(),
  sharedFrom: z.string().nullable(),
  lines: z.array(
    z.object({
      offerId: z.string(),
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
})
export type QuoteAnswer = z.infer<typeof QuoteAnswer>

export const OrderStatus = z.enum(['accepted', 'exported', 'confirmed', 'cancelled', 'failed'])
export type OrderStatus = z.infer<typeof OrderStatus>
