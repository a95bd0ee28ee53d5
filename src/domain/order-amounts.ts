/**
 * Amounts of an order line as 1C computes them: sum = quantity × price, the automatic discount
 * = sum × discount %, both rounded half away from zero (1C's `Окр`), in exact integer arithmetic.
 */
import { parseDecimal, formatDecimal, type Decimal } from './money.ts'

const pow10 = (exponent: number) => 10n ** BigInt(exponent)

/** A quantity or percentage as an exact decimal: a whole number exactly, else its 15 significant digits (what a double holds). */
export function exactDecimal(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`)
  if (Number.isInteger(value)) return { units: BigInt(value), scale: 0 }
  const [mantissa = '0', exponent = '0'] = value.toPrecision(15).split('e')
  const { units, scale } = parseDecimal(mantissa.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''))
  const shifted = scale - Number(exponent)
  return shifted >= 0 ? { units, scale: shifted } : { units: units * 10n ** BigInt(-shifted), scale: 0 }
}

/** numerator / denominator rounded half away from zero (denominator > 0). */
export function divideRound(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n
  const magnitude = negative ? -numerator : numerator
  let quotient = magnitude / denominator
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n
  return negative ? -quotient : quotient
}

export interface LineAmounts {
  /** quantity × price. */
  grossMinor: number
  /** The automatic discount in money. */
  discountMinor: number
  /** gross − discount: what the line costs. */
  sumMinor: number
}

/** quantity × price, rounded as 1C does, as a bigint (it may be larger than any safe number). */
export function lineGrossMinor(line: { quantity: number; unitPriceMinor: number }): bigint {
  const quantity = exactDecimal(line.quantity)
  return divideRound(quantity.units * BigInt(line.unitPriceMinor), pow10(quantity.scale))
}

export function lineAmounts(line: { quantity: number; unitPriceMinor: number; autoDiscountPercent?: number | undefined }): LineAmounts {
  const gross = lineGrossMinor(line)
  const percent = exactDecimal(line.autoDiscountPercent ?? 0)
  const discount = divideRound(gross * percent.units, 100n * pow10(percent.scale))
  return { grossMinor: Number(gross), discountMinor: Number(discount), sumMinor: Number(gross - discount) }
}

/** A quantity as 1C writes it: dot, no exponent, no trailing zeros. */
export function formatQuantity(value: number): string {
  return formatDecimal(exactDecimal(value))
}

/**
 * Splits `total` over `weights` in proportion, in integers that add up to `total` exactly:
 * floors first, the remainder one by one to the largest fractions, earlier entries first on ties.
 */
export function distribute(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, weight) => acc + weight, 0)
  if (sum <= 0 || total === 0) return weights.map(() => 0)
  const shares = weights.map((weight, index) => {
    const exact = BigInt(total) * BigInt(weight)
    return { index, floor: Number(exact / BigInt(sum)), fraction: exact % BigInt(sum) }
  })
  let left = total - shares.reduce((acc, share) => acc + share.floor, 0)
  const result = shares.map((share) => share.floor)
  const order = [...shares].sort((a, b) => (a.fraction === b.fraction ? a.index - b.index : a.fraction > b.fraction ? -1 : 1))
  for (const share of order) {
    if (left <= 0) break
    result[share.index] = (result[share.index] ?? 0) + 1
    left -= 1
  }
  return result
}

export interface PricedLine extends LineAmounts {
  /** Bonus points the quote allocated to the line (minor units). */
  bonusMinor: number
  /** Those points in money, spread as the points were, adding up to the quote's money exactly. */
  bonusMoneyMinor: number
}

/**
 * An order as 1C is told of it: each line's amounts and its share of the bonuses (the quote taken
 * at intake, lines in the same order), the delivery price, and the total.
 */
export function priceOrder<L extends { quantity: number; unitPriceMinor: number; autoDiscountPercent?: number | undefined }>(
  lines: readonly L[],
  quote: { lines: ReadonlyArray<{ allocatedMinor: number }>; appliedMoneyMinor?: number },
  delivery: Record<string, unknown> | undefined,
): { lines: Array<L & PricedLine>; deliveryMinor: number; totalMinor: number } {
  const points = lines.map((_, index) => quote.lines[index]?.allocatedMinor ?? 0)
  const money = distribute(quote.appliedMoneyMinor ?? 0, points)
  const price = delivery?.priceMinor
  const deliveryMinor = typeof price === 'number' && Number.isSafeInteger(price) && price > 0 ? price : 0
  const priced = lines.map((line, index) => ({ ...line, ...lineAmounts(line), bonusMinor: points[index] ?? 0, bonusMoneyMinor: money[index] ?? 0 }))
  return { lines: priced, deliveryMinor, totalMinor: priced.reduce((sum, line) => sum + line.sumMinor, 0) + deliveryMinor }
}
