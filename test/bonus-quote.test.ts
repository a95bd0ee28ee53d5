import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { quoteBonus, QuoteInputError, type QuoteProduct, type QuoteProgramme } from '../src/domain/index.ts'

const programme = (overrides: Partial<QuoteProgramme> = {}): QuoteProgramme => ({
  maxRedeemPercent: 30,
  priceGroupCaps: { chemistry: 10 },
  segment: null,
  pointValue: '1',
  capsIgnoreDiscounts: false,
  ...overrides,
})
const product = (overrides: Partial<QuoteProduct> = {}): QuoteProduct => ({ productId: 'p', priceGroupId: null, bonusEligible: null, maxBonusPercent: null, ...overrides })

describe('the УТ 11.5 cap rule, line by line', () => {
  it('takes the price group cap first, then the product’s own, then the programme’s', () => {
    const quote = quoteBonus({
      lines: [
        { offerId: 'a', quantity: 2, unitPriceMinor: 10_000 },
        { offerId: 'b', quantity: 1, unitPriceMinor: 10_000 },
        { offerId: 'c', quantity: 1, unitPriceMinor: 10_000 },
      ],
      products: new Map([
        ['a', product({ priceGroupId: 'chemistry', maxBonusPercent: 50 })],
        ['b', product({ maxBonusPercent: 50 })],
        ['c', product()],
      ]),
      programme: programme(),
      availableMinor: 1_000_000,
    })
    expect(quote.lines.map((line) => [line.offerId, line.capSource, line.capPercent, line.capMinor])).toEqual([
      ['a', 'price_group', 10, 2_000],
      ['b', 'product', 50, 5_000],
      ['c', 'programme', 30, 3_000],
    ])
    expect(quote).toMatchObject({ maxRedeemableMinor: 10_000, appliedMinor: 10_000 })
  })

  it('excludes lines outside the segment, not bonus-eligible, with no cap, or with a discount above the cap', () => {
    const quote = quoteBonus({
      lines: [
        { offerId: 'in#v', quantity: 1, unitPriceMinor: 10_000 },
        { offerId: 'out', quantity: 1, unitPriceMinor: 10_000 },
        { offerId: 'no', quantity: 1, unitPriceMinor: 10_000 },
        { offerId: 'zero', quantity: 1, unitPriceMinor: 10_000 },
        { offerId: 'sale', quantity: 1, unitPriceMinor: 10_000, autoDiscountPercent: 35 },
        { offerId: 'unknown', quantity: 1, unitPriceMinor: 10_000 },
      ],
      products: new Map([
        ['in#v', product({ productId: 'in' })],
        ['out', product({ productId: 'out' })],
        ['no', product({ productId: 'in', bonusEligible: false })],
        ['zero', product({ productId: 'in', maxBonusPercent: 0 })],
        ['sale', product({ productId: 'in' })],
      ]),
      programme: programme({ segment: new Set(['in']) }),
      availableMinor: 1_000_000,
    })
    expect(quote.lines.map((line) => [line.offerId, line.eligible, line.reason])).toEqual([
      ['in#v', true, null],
      ['out', false, 'outside_segment'],
      ['no', false, 'not_bonus_eligible'],
      ['zero', false, 'no_cap'],
      ['sale', false, 'discount_above_cap'],
      ['unknown', false, 'unknown_offer'],
    ])
    expect(quote.maxRedeemableMinor).toBe(3_000)
  })

  it('takes the automatic discount off the cap, or, when caps ignore discounts, off the amount', () => {
    const line = { offerId: 'a', quantity: 3, unitPriceMinor: 33_333, autoDiscountPercent: 12.5 }
    const products = new Map([['a', product()]])
    // (30 − 12.5)% × 3 × 333.33 = 174.99825 → 175.00
    expect(quoteBonus({ lines: [line], products, programme: programme(), availableMinor: 10 ** 9 }).lines[0]?.capMinor).toBe(17_500)
    // 30% × (999.99 − 12.5%) = 30% × 874.99125 = 262.497375 → 262.50
    expect(quoteBonus({ lines: [line], products, programme: programme({ capsIgnoreDiscounts: true }), availableMinor: 10 ** 9 }).lines[0]?.capMinor).toBe(26_250)
  })

  it('converts money to points by what a point is worth', () => {
    const quote = quoteBonus({
      lines: [{ offerId: 'a', quantity: 1, unitPriceMinor: 100_000 }],
      products: new Map([['a', product()]]),
      programme: programme({ pointValue: '0.5' }),
      availableMinor: 10 ** 9,
    })
    // 30% of 1000.00 = 300.00 money = 600.00 points
    expect(quote.lines[0]?.capMinor).toBe(60_000)
    expect(quote).toMatchObject({ appliedMinor: 60_000, appliedMoneyMinor: 30_000 })
  })

  it('handles fractional quantities (kg) exactly', () => {
    const quote = quoteBonus({
      lines: [{ offerId: 'a', quantity: 1.235, unitPriceMinor: 19_990 }],
      products: new Map([['a', product()]]),
      programme: programme(),
      availableMinor: 10 ** 9,
    })
    // 30% × 1.235 × 199.90 = 74.06295 → 74.06
    expect(quote.lines[0]?.capMinor).toBe(7_406)
  })

  it('caps the order at the available balance and spreads it by line caps, remainders to the largest fractions', () => {
    const quote = quoteBonus({
      lines: [
        { offerId: 'a', quantity: 1, unitPriceMinor: 100 },
        { offerId: 'b', quantity: 1, unitPriceMinor: 100 },
        { offerId: 'c', quantity: 1, unitPriceMinor: 100 },
      ],
      products: new Map([
        ['a', product()],
        ['b', product()],
        ['c', product()],
      ]),
      programme: programme(),
      availableMinor: 50,
    })
    // caps 30 + 30 + 30 = 90, available 50: 16.67 each → 17, 17, 16
    expect(quote.lines.map((line) => line.allocatedMinor)).toEqual([17, 17, 16])
    expect(quote).toMatchObject({ maxRedeemableMinor: 50, appliedMinor: 50 })
  })

  it('clamps a request to what the order may take, and to zero', () => {
    const base = { lines: [{ offerId: 'a', quantity: 1, unitPriceMinor: 10_000 }], products: new Map([['a', product()]]), programme: programme(), availableMinor: 100_000 }
    expect(quoteBonus({ ...base, requestedMinor: 1_000 }).appliedMinor).toBe(1_000)
    expect(quoteBonus({ ...base, requestedMinor: 999_999 }).appliedMinor).toBe(3_000)
    expect(quoteBonus({ ...base, requestedMinor: -5 }).appliedMinor).toBe(0)
  })

  it('refuses nonsense lines', () => {
    const products = new Map([['a', product()]])
    expect(() => quoteBonus({ lines: [{ offerId: 'a', quantity: 0, unitPriceMinor: 1 }], products, programme: programme(), availableMinor: 1 })).toThrow(QuoteInputError)
    expect(() => quoteBonus({ lines: [{ offerId: 'a', quantity: 1, unitPriceMinor: 1.5 }], products, programme: programme(), availableMinor: 1 })).toThrow(QuoteInputError)
    expect(() => quoteBonus({ lines: [{ offerId: 'a', quantity: 1, unitPriceMinor: 1, autoDiscountPercent: 120 }], products, programme: programme(), availableMinor: 1 })).toThrow(
      QuoteInputError,
    )
  })
})

describe('quote invariants', () => {
  const line = fc.record({
    quantity: fc.integer({ min: 1, max: 5000 }).map((value) => value / 10),
    unitPriceMinor: fc.integer({ min: 0, max: 10_000_000 }),
    autoDiscountPercent: fc.integer({ min: 0, max: 60 }),
    cap: fc.integer({ min: 0, max: 100 }),
  })
  it('allocates exactly the applied amount, never above a line cap, never above what is available', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.option(fc.integer({ min: 0, max: 10 ** 9 }), { nil: undefined }),
        fc.boolean(),
        (items, available, requested, ignoreDiscounts) => {
          const quote = quoteBonus({
            lines: items.map((item, index) => ({
              offerId: `o${index}`,
              quantity: item.quantity,
              unitPriceMinor: item.unitPriceMinor,
              autoDiscountPercent: item.autoDiscountPercent,
            })),
            products: new Map(items.map((item, index) => [`o${index}`, product({ maxBonusPercent: item.cap })])),
            programme: programme({ maxRedeemPercent: null, capsIgnoreDiscounts: ignoreDiscounts }),
            availableMinor: available,
            requestedMinor: requested,
          })
          const allocated = quote.lines.reduce((sum, item) => sum + item.allocatedMinor, 0)
          expect(allocated).toBe(quote.appliedMinor)
          for (const item of quote.lines) expect(item.allocatedMinor).toBeLessThanOrEqual(item.capMinor)
          expect(quote.appliedMinor).toBeLessThanOrEqual(Math.min(available, quote.maxRedeemableMinor))
          if (requested === undefined) expect(quote.appliedMinor).toBe(quote.maxRedeemableMinor)
        },
      ),
      { numRuns: 500 },
    )
  })
})
