/**
 * Prices of a cart's lines from 1C's data: each line at the stored offer price of the customer's
 * price type. A storefront may send its own `unitPriceMinor`; in `strict` mode it must equal 1C's
 * (else the line is named with both prices), in `storefront` mode it is taken as sent. Every line
 * that cannot be priced is reported, not only the first.
 */
import type { OrderLine, Price } from './model.ts'

export type PriceMode = 'strict' | 'storefront'

/** A cart line with the price it is quoted and ordered at. */
export type LineAtPrice = OrderLine & { unitPriceMinor: number }

export interface LinePriceProblem {
  /** Index of the line in the request (0-based). */
  line: number
  offerId: string
  reason: 'unknown_offer' | 'no_price_type' | 'no_price' | 'price_mismatch'
  /** What the storefront sent, when it sent a price. */
  sentMinor: number | null
  /** 1C's price for the price type, when there is one. */
  priceMinor: number | null
  priceTypeId: string | null
}

export interface PricedCart {
  lines: LineAtPrice[]
  problems: LinePriceProblem[]
  /** The price type the lines were priced or checked at (null: none known). */
  priceTypeId: string | null
}

/**
 * `offers`: the stored, not removed offers of the cart by id. `priceTypeId`: the customer's
 * (its agreement's), else the profile's fallback, else null.
 */
export function priceLines(
  lines: readonly OrderLine[],
  offers: ReadonlyMap<string, { prices: Readonly<Record<string, Price>> | null }>,
  priceTypeId: string | null,
  mode: PriceMode,
): PricedCart {
  const problems: LinePriceProblem[] = []
  const priced = lines.map((line, index): LineAtPrice => {
    const sent = line.unitPriceMinor ?? null
    const problem = (reason: LinePriceProblem['reason'], priceMinor: number | null = null): LineAtPrice => {
      problems.push({ line: index, offerId: line.offerId, reason, sentMinor: sent, priceMinor, priceTypeId })
      return { ...line, unitPriceMinor: sent ?? 0 }
    }
    const offer = offers.get(line.offerId)
    // A storefront's own price needs no 1C offer price; whether the offer exists is checked by the quote.
    if (mode === 'storefront' && sent !== null) return { ...line, unitPriceMinor: sent }
    if (!offer) return problem('unknown_offer')
    if (priceTypeId === null) return problem('no_price_type')
    const price = offer.prices?.[priceTypeId]
    if (!price) return problem('no_price')
    if (sent !== null && sent !== price.amountMinor) return problem('price_mismatch', price.amountMinor)
    return { ...line, unitPriceMinor: price.amountMinor }
  })
  return { lines: priced, problems, priceTypeId }
}

/** One sentence per problem, for the 422 a storefront developer reads. */
export function describePriceProblem(problem: LinePriceProblem): string {
  const at = `line ${problem.line} (offer ${JSON.stringify(problem.offerId)})`
  const type = problem.priceTypeId === null ? '' : ` for price type ${JSON.stringify(problem.priceTypeId)}`
  switch (problem.reason) {
    case 'unknown_offer':
      return `${at}: no such offer, or 1C removed it`
    case 'no_price_type':
      return `${at}: the customer has no price type (no agreement in force names one, and the profile sets no orders.fallbackPriceType)`
    case 'no_price':
      return `${at}: 1C has no price${type}`
    case 'price_mismatch':
      return `${at}: unitPriceMinor ${problem.sentMinor} differs from 1C's price ${problem.priceMinor}${type}`
  }
}
