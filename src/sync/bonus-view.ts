/** A customer's bonus accounts as stored, through the group-of-companies rule of the profile. */
import { effectiveBonusAccount, type BonusAccount, type BonusView, type Customer } from '../domain/index.ts'
import type { Queryable } from '../store/index.ts'

/** null when the customer is unknown. A group is small: its accounts and heads are read one by one. */
export async function loadBonusView(db: Queryable, customerId: string, shareAtHead: boolean): Promise<BonusView | null> {
  const accounts = new Map<string, BonusAccount | null>()
  const heads = new Map<string, string | null>()
  let customer: Customer | null = null
  for (let next: string | null = customerId, depth = 0; next && depth < 9 && !heads.has(next); depth += 1) {
    const [account] = await db.query<{ data: BonusAccount }>(`select data from entity_state where kind = 'bonus_account' and key = $1`, [next])
    const [company] = await db.query<{ data: Customer }>(`select data from entity_state where kind = 'customer' and key = $1`, [next])
    if (depth === 0) customer = company?.data ?? null
    accounts.set(next, account?.data ?? null)
    heads.set(next, company?.data.headId ?? null)
    next = heads.get(next) ?? null
  }
  if (!customer) return null
  return effectiveBonusAccount(customer, (id) => accounts.get(id) ?? null, (id) => heads.get(id) ?? null, shareAtHead)
}
