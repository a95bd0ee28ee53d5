/**
 * The silent-churn rule (domain/churn.ts), with property tests: no zone for too little history,
 * a quiet customer only ever moves to a worse zone as days pass, a fresh purchase clears it, and
 * the +10 % / +30 % edges where the seeds put them.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assessChurn, churnNews, levelOf, type ChurnRule } from '../src/domain/index.ts'

const RULE: ChurnRule = { minPurchases: 4, warningPercent: 10, redPercent: 30 }
const DAY = 86_400_000
const start = Date.UTC(2025, 0, 1)
const days = (list: readonly number[]) => list.map((day) => new Date(start + day * DAY))

describe('the churn zones', () => {
  it('a regular customer every 10 days: none up to 11 days of quiet, warning after, red after 13', () => {
    const purchases = days([0, 10, 20, 30, 40])
    const at = (gap: number) => assessChurn(purchases, new Date(start + (40 + gap) * DAY + 3_600_000), RULE)
    expect(at(11)).toMatchObject({ zone: 'none', cycleDays: 10, gapDays: 11, daysOverdue: 1 })
    expect(at(12)).toMatchObject({ zone: 'warning', gapDays: 12, daysOverdue: 2 })
    expect(at(13)).toMatchObject({ zone: 'warning' })
    expect(at(14)).toMatchObject({ zone: 'red', daysOverdue: 4, lastPurchaseAt: new Date(start + 40 * DAY) })
  })

  it('never says anything with too little history', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: RULE.minPurchases - 1 }), fc.integer({ min: 0, max: 2000 }), (list, later) => {
        expect(assessChurn(days(list), new Date(start + (400 + later) * DAY), RULE)).toBeNull()
      }),
    )
  })

  it('only gets worse while the customer stays quiet, and a purchase today clears it', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 365 }), { minLength: RULE.minPurchases, maxLength: 30 }), fc.integer({ min: 0, max: 400 }), (list, quiet) => {
        const last = Math.max(...list)
        const rank = { none: 0, warning: 1, red: 2 }
        let previous = 0
        for (let gap = 0; gap <= quiet; gap += 7) {
          const zone = assessChurn(days(list), new Date(start + (last + gap) * DAY), RULE)?.zone ?? 'none'
          expect(rank[zone]).toBeGreaterThanOrEqual(previous)
          previous = rank[zone]
        }
        const now = new Date(start + (last + quiet) * DAY)
        expect(assessChurn([...days(list), now], now, RULE)?.zone).toBe('none')
      }),
    )
  })

  it('tells a storefront when a customer enters a worse zone or leaves them, not while it stays', () => {
    expect([churnNews('none', 'warning'), churnNews('warning', 'red'), churnNews('none', 'red'), churnNews('red', 'none')]).toEqual([true, true, true, true])
    expect([churnNews('none', 'none'), churnNews('warning', 'warning'), churnNews('red', 'red'), churnNews('red', 'warning')]).toEqual([false, false, false, false])
  })
})

describe('levels from turnover', () => {
  const L = [
    { level: 'L1', minMinor: 0 },
    { level: 'L3', minMinor: 50_000_000 },
    { level: 'L2', minMinor: 10_000_000 },
    { level: 'L4', minMinor: 150_000_000 },
  ]
  it('is the highest threshold the turnover reaches, in any order of thresholds', () => {
    expect([0, 9_999_999, 10_000_000, 149_999_999, 150_000_000].map((turnover) => levelOf(turnover, L))).toEqual(['L1', 'L1', 'L2', 'L3', 'L4'])
    expect(levelOf(5, [{ level: 'L2', minMinor: 10 }])).toBeNull()
  })
})
