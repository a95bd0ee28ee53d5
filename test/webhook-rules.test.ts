import { describe, expect, it } from 'vitest'
import { classifyStatus, DEFAULT_RETRY_SCHEDULE_MS, retryAfterMs, retryDelay, subscribed, webhookType } from '../src/storefront/webhooks/rules.ts'

describe('retry schedule', () => {
  it('waits about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up', () => {
    const middle = () => 0.5
    expect(DEFAULT_RETRY_SCHEDULE_MS.map((_, index) => retryDelay(index + 1, DEFAULT_RETRY_SCHEDULE_MS, 0.2, middle))).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ])
    expect(retryDelay(8, DEFAULT_RETRY_SCHEDULE_MS, 0.2, middle)).toBeNull()
  })

  it('spreads each wait by ±20 %', () => {
    expect(retryDelay(2, DEFAULT_RETRY_SCHEDULE_MS, 0.2, () => 0)).toBe(240_000)
    expect(retryDelay(2, DEFAULT_RETRY_SCHEDULE_MS, 0.2, () => 1)).toBe(360_000)
  })

  it('reads Retry-After as seconds or a date', () => {
    const now = Date.parse('2026-11-22T10:00:00Z')
    expect(retryAfterMs('120', now)).toBe(120_000)
    expect(retryAfterMs('Sun, 22 Nov 2026 10:01:00 GMT', now)).toBe(60_000)
    expect(retryAfterMs('soon', now)).toBeNull()
  })
})

describe('answers and types', () => {
  it('counts only 2xx as delivered, 410 as disable, everything else (redirects too) as a retry', () => {
    expect([200, 204, 299, 301, 302, 400, 404, 410, 429, 500, 503].map(classifyStatus)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'retry',
      'retry',
      'retry',
      'retry',
      'disable',
      'retry',
      'retry',
      'retry',
    ])
  })

  it('names messages by entity and change, and filters by type or prefix', () => {
    expect(webhookType('offer', 'created')).toBe('offer.updated')
    expect(webhookType('offer', 'removed')).toBe('offer.removed')
    expect(webhookType('bonus_account', 'updated')).toBe('bonus.updated')
    expect(subscribed(['offer.*'], 'offer.removed')).toBe(true)
    expect(subscribed(['offer.*'], 'bonus.updated')).toBe(false)
    expect(subscribed(['*'], 'bonus.updated')).toBe(true)
  })
})
