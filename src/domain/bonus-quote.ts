/**
 * How many bonus points an order may take: УТ 11.5's rule
 * (Catalog.БонусныеПрограммыЛояльности.Form.ОплатаБонуснымиБаллами), per line:
 *
 *  1. cap % = the programme's cap for the line's price group; else the product's own maximum
 *     (where the mapping provides one); else the programme's cap; else 0;
 *  2. the line takes no points when its cap is 0, its product is outside the programme's segment
 *     or not bonus-eligible, or (unless caps ignore discounts) its automatic discount % is above
 *     the cap;
 *  3. line cap in money = (cap % − discount %) × quantity × price, or, when caps ignore
 *     discounts, cap % × (quantity × price − the discount amount);
 *  4. line cap in points = money ÷ what one point is worth, rounded as 1C's Окр (half away from zero);
 *  5. order cap = min(Σ line caps, available points); the amount applied (requested and clamped,
 *     or the whole cap) is spread over lines in proportion to their caps, the integer remainder
 *     going to the largest fractions first, then to earlier lines.
 *
 * All arithmetic is exact (bigint); points and money are integer minor units.
 */
import type { LineAtPrice } from './line-prices.ts'
import { parseDecimal } from './money.ts'
import { divideRound, exactDecimal } from './order-amounts.ts'

export type QuoteLineInput = LineAtPrice

export interface QuoteProduct {
  /** The product (without a variant) of the offer. */
  productId: string
  priceGroupId: string | null
  bonusEligible: boolean | null
  maxBonusPercent: number | null
}

export interface QuoteProgramme {
  maxRedeemPercent: number | null
  priceGroupCaps: Record<string, number>
  /** Members (`product` or `product#variant`) of the programme's segment; null: no segment. */
  segment: ReadonlySet<string> | null
  /** What one point is worth in currency units, exact decimal text ("1", "0.5"). */
  pointValue: string
  capsIgnoreDiscounts: boolean
}

export type CapSource = 'price_group' | 'product' | 'programme'

export interface QuoteLine {
  offerId: string
  eligible: boolean
  /** Why a line takes no points. */
  reason: 'no_cap' | 'outside_segment' | 'not_bonus_eligible' | 'discount_above_cap' | 'unknown_offer' | null
  capPercent: number
  capSource: CapSource | null
  /** Points (minor units) this line may take. */
  capMinor: number
  allocatedMinor: number
}

export interface Quote {
  lines: QuoteLine[]
  /** Points the customer can spend. */
  availableMinor: number
  /** min(Σ line caps, available). */
  maxRedeemableMinor: number
  appliedMinor: number
  /** The applied points in money (minor units of the programme's currency). */
  appliedMoneyMinor: number
}

export class QuoteInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'QuoteInputError'
  }
}

const pow10 = (exponent: number) => 10n ** BigInt(exponent)

function capOf(product: QuoteProduct, programme: QuoteProgramme): { percent: number; source: CapSource | null } {
  const groupCap = product.priceGroupId === null ? undefined : programme.priceGroupCaps[product.priceGroupId]
  if (groupCap !== undefined) return { percent: groupCap, source: 'price_group' }
  if (product.maxBonusPercent !== null) return { percent: product.maxBonusPercent, source: 'product' }
  if (programme.maxRedeemPercent !== null) return { percent: programme.maxRedeemPercent, source: 'programme' }
  return { percent: 0, source: null }
}

/** The line's cap in points (minor units). */
function lineCap(line: QuoteLineInput, capPercent: number, programme: QuoteProgramme): bigint {
  const quantity = exactDecimal(line.quantity)
  const cap = exactDecimal(capPercent)
  const discount = exactDecimal(line.autoDiscountPercent ?? 0)
  const point = parseDecimal(programme.pointValue)
  // percent factor as an exact fraction over 100 × 10^scale
  let factorUnits: bigint
  let factorScale: number
  if (programme.capsIgnoreDiscounts) {
    // cap% × (1 − discount%/100) = cap × (100 − discount) / 100
    const scale = Math.max(discount.scale, 0)
    const hundred = 100n * pow10(scale)
    const rest = hundred - discount.units * pow10(scale - discount.scale)
    factorUnits = cap.units * rest
    factorScale = cap.scale + scale + 2
  } else {
    const scale = Math.max(cap.scale, discount.scale)
    factorUnits = cap.units * pow10(scale - cap.scale) - discount.units * pow10(scale - discount.scale)
    factorScale = scale
  }
  // money minor = factor/100 × quantity × price ; points minor = money minor / pointValue
  const numerator = factorUnits * quantity.units * BigInt(line.unitPriceMinor) * pow10(point.scale)
  const denominator = 100n * pow10(factorScale) * pow10(quantity.scale) * point.units
  if (denominator === 0n) throw new QuoteInputError('the programme gives a point no value')
  const points = divideRound(numerator, denominator)
  return points < 0n ? 0n : points
}

export interface BonusTerms {
  /** Whether points may pay for the offer at all (a line's discount may still exclude it). */
  eligible: boolean
  reason: Exclude<QuoteLine['reason'], 'discount_above_cap'>
  capPercent: number
  capSource: CapSource | null
}

/** Steps 1–2 of the rule for one offer, before any discount: whether points may pay for it, and up to what share. */
export function bonusTerms(offerId: string, product: QuoteProduct | undefined, programme: QuoteProgramme): BonusTerms {
  if (!product) return { eligible: false, reason: 'unknown_offer', capPercent: 0, capSource: null }
  const { percent, source } = capOf(product, programme)
  const terms = { capPercent: percent, capSource: source }
  if (percent <= 0) return { ...terms, eligible: false, reason: 'no_cap' }
  if (programme.segment && !programme.segment.has(offerId) && !programme.segment.has(product.productId)) return { ...terms, eligible: false, reason: 'outside_segment' }
  if (product.bonusEligible === false) return { ...terms, eligible: false, reason: 'not_bonus_eligible' }
  return { ...terms, eligible: true, reason: null }
}

export function quoteBonus(input: {
  lines: readonly QuoteLineInput[]
  products: ReadonlyMap<string, QuoteProduct>
  programme: QuoteProgramme
  availableMinor: number
  requestedMinor?: number | undefined
}): Quote {
  const { programme } = input
  for (const line of input.lines) {
    if (!(line.quantity > 0) || !Number.isFinite(line.quantity)) throw new QuoteInputError(`line ${line.offerId}: quantity must be above 0`)
    if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0)
      throw new QuoteInputError(`line ${line.offerId}: unitPriceMinor must be a whole number of minor units`)
    const discount = line.autoDiscountPercent ?? 0
    if (discount < 0 || discount > 100) throw new QuoteInputError(`line ${line.offerId}: autoDiscountPercent must be from 0 to 100`)
  }
  const lines: QuoteLine[] = input.lines.map((line) => {
    const terms = bonusTerms(line.offerId, input.products.get(line.offerId), programme)
    const base = { offerId: line.offerId, capPercent: terms.capPercent, capSource: terms.capSource, capMinor: 0, allocatedMinor: 0 }
    if (!terms.eligible) return { ...base, eligible: false, reason: terms.reason }
    if (!programme.capsIgnoreDiscounts && (line.autoDiscountPercent ?? 0) > terms.capPercent) return { ...base, eligible: false, reason: 'discount_above_cap' }
    return { ...base, eligible: true, reason: null, capMinor: Number(lineCap(line, terms.capPercent, programme)) }
  })
  const totalCap = lines.reduce((sum, line) => sum + line.capMinor, 0)
  const available = Math.max(0, input.availableMinor)
  const maxRedeemable = Math.min(totalCap, available)
  const requested = input.requestedMinor === undefined ? maxRedeemable : Math.max(0, Math.floor(input.requestedMinor))
  const applied = Math.min(requested, maxRedeemable)

  if (applied > 0 && totalCap > 0) {
    // Proportional shares, floors first; the remainder by largest fraction, then line order.
    const shares = lines.map((line, index) => {
      const exact = BigInt(applied) * BigInt(line.capMinor)
      return { index, floor: exact / BigInt(totalCap), fraction: exact % BigInt(totalCap) }
    })
    let left = applied - shares.reduce((sum, share) => sum + Number(share.floor), 0)
    for (const share of shares) {
      const line = lines[share.index]
      if (line) line.allocatedMinor = Math.min(Number(share.floor), line.capMinor)
    }
    const order = [...shares].sort((a, b) => (a.fraction === b.fraction ? a.index - b.index : a.fraction > b.fraction ? -1 : 1))
    for (const share of order) {
      if (left <= 0) break
      const line = lines[share.index]
      if (line && line.allocatedMinor < line.capMinor) {
        line.allocatedMinor += 1
        left -= 1
      }
    }
  }
  const point = parseDecimal(programme.pointValue)
  return {
    lines,
    availableMinor: available,
    maxRedeemableMinor: maxRedeemable,
    appliedMinor: applied,
    appliedMoneyMinor: Number(divideRound(BigInt(applied) * point.units, pow10(point.scale))),
  }
}
