import { describe, expect, it } from 'vitest'
import { effectiveBonusAccount, type BonusAccount } from '../src/domain/index.ts'

const account = (customerId: string, balanceMinor: number): BonusAccount => ({
  customerId,
  programId: null,
  balanceMinor,
  reservedMinor: 0,
  currency: 'RUB',
  maxRedeemPercent: 30,
  priceGroupCaps: {},
})

const accounts: Record<string, BonusAccount> = { branch: account('branch', 100), head: account('head', 5000), top: account('top', 9000) }
const heads: Record<string, string | null> = { branch: 'head', head: null, orphan: 'nobody', loopA: 'loopB', loopB: 'loopA' }
const accountOf = (id: string) => accounts[id] ?? null
const headOf = (id: string) => heads[id] ?? null

describe('groups of companies', () => {
  it('keeps the customer’s own account when bonuses are not shared', () => {
    expect(effectiveBonusAccount({ id: 'branch', headId: 'head' }, accountOf, headOf, false)).toEqual({ own: accounts.branch, effective: accounts.branch, sharedFrom: null })
  })

  it('spends from the head company’s account when shared, keeping the own view', () => {
    expect(effectiveBonusAccount({ id: 'branch', headId: 'head' }, accountOf, headOf, true)).toEqual({ own: accounts.branch, effective: accounts.head, sharedFrom: 'head' })
  })

  it('goes up to the top of the group, and stops on a cycle in bad data', () => {
    const withTop = (id: string) => (id === 'head' ? 'top' : headOf(id))
    expect(effectiveBonusAccount({ id: 'branch', headId: 'head' }, accountOf, withTop, true).sharedFrom).toBe('top')
    expect(effectiveBonusAccount({ id: 'loopA', headId: 'loopB' }, accountOf, headOf, true)).toEqual({ own: null, effective: null, sharedFrom: null })
  })

  it('falls back to the own account when the head has none', () => {
    expect(effectiveBonusAccount({ id: 'orphan', headId: 'nobody' }, accountOf, headOf, true)).toEqual({ own: null, effective: null, sharedFrom: null })
  })
})
