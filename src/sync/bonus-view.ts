/** A customer's bonus accounts as stored, through the group-of-companies rule of the profile. */
import { effectiveBonusAccount, type BonusAccount, type BonusView, type Customer } from '../domain/index.ts'
import type { Queryable } from '../store/index.ts'

/** null when the customer is unknown. A group is small: its accounts and heads are read one by one. */
export async function loadBonusView(db: Queryable, customerId: string, shareAtHead: boolean): Promise<BonusView | null> {
  const accounts = new Map<string, BonusAccount | null>()
  const heads = new Map<string, string | null>()
  let customer: Customer | null = null
  for (let next: string | null = customerId, depth = 0; next && depth < 9 && !heads.has(next); depth += 1) {
    const [row] = await db.query<{ account: BonusAccount | null; company: Customer | null }>(
      `select (select data from entity_state where kind = 'bonus_account' and key = $1) as account,
              (select data from entity_state where kind = 'customer' and key = $1) as company`,
      [next],
    )
    if (depth === 0) customer = row?.company ?? null
    accounts.set(next, row?.account ?? null)
    heads.set(next, row?.company?.headId ?? null)
    next = heads.get(next) ?? null
  }
  if (!customer) return null
  return effectiveBonusAccount(customer, (id) => accounts.get(id) ?? null, (id) => heads.get(id) ?? null, shareAtHead)
}
