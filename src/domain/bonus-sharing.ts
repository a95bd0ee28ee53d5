/**
 * Groups of companies: a customer may have a head company. Whether bonuses are shared at the
 * head is the supplier's rule (the mapping profile says); both views are kept: the customer's own
 * account as 1C keeps it, and the effective one the customer spends from.
 */
import type { BonusAccount, Customer } from './model.ts'

export interface BonusView {
  own: BonusAccount | null
  effective: BonusAccount | null
  /** The head company whose account the customer spends from, when shared. */
  sharedFrom: string | null
}

const MAX_DEPTH = 8

export function effectiveBonusAccount(
  customer: Pick<Customer, 'id' | 'headId'>,
  accountOf: (customerId: string) => BonusAccount | null,
  headOf: (customerId: string) => string | null,
  shareAtHead: boolean,
): BonusView {
  const own = accountOf(customer.id)
  if (!shareAtHead || !customer.headId) return { own, effective: own, sharedFrom: null }
  // The top of the group: heads of heads (a cycle in bad data stops at the first repeat).
  let head = customer.headId
  const seen = new Set([customer.id])
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    seen.add(head)
    const next = headOf(head)
    if (!next || seen.has(next)) break
    head = next
  }
  const shared = accountOf(head)
  return shared ? { own, effective: shared, sharedFrom: head } : { own, effective: own, sharedFrom: null }
}
