/** A customer's bonus accounts as stored, through the group-of-companies rule of the profile. */
import { effectiveBonusAccount, type BonusAccount, type BonusView, type Customer } from '../domain/index.ts'
import { AppError } from '../http/errors.ts'
import type { Queryable } from '../store/index.ts'

export type GroupMember = { key: string; account: BonusAccount | null; company: Customer | null }

/**
 * The customer `$1` and its heads (head of head…, at most 8 levels), each with its stored
 * account and customer record, as a CTE `members(key, depth, account, company)` to select from.
 */
export const GROUP_MEMBERS_CTE = `with recursive chain (key, depth) as (
       select $1::text, 0
       union all
       select c.data->>'headId', chain.depth + 1
         from chain join entity_state c on c.kind = 'customer' and c.key = chain.key
        where chain.depth < 8 and c.data->>'headId' is not null
     ),
     members as (
       select ch.key, ch.depth, a.data as account, c.data as company
         from chain ch
         left join entity_state a on a.kind = 'bonus_account' and a.key = ch.key
         left join entity_state c on c.kind = 'customer' and c.key = ch.key
     )`

/** `members` as one json value, the customer first. */
export const GROUP_MEMBERS_JSON = `(select json_agg(json_build_object('key', key, 'account', account, 'company', company) order by depth) from members)`

/** The view from the members read with GROUP_MEMBERS_CTE; null when the customer is unknown. */
export function bonusViewOf(members: readonly GroupMember[], shareAtHead: boolean): BonusView | null {
  const customer = members[0]?.company
  if (!customer) return null
  const byKey = new Map(members.map((member) => [member.key, member]))
  return effectiveBonusAccount(
    customer,
    (id) => byKey.get(id)?.account ?? null,
    (id) => byKey.get(id)?.company?.headId ?? null,
    shareAtHead,
  )
}

/** null when the customer is unknown. */
export async function loadBonusView(db: Queryable, customerId: string, shareAtHead: boolean): Promise<BonusView | null> {
  const [row] = await db.query<{ members: GroupMember[] | null }>(`${GROUP_MEMBERS_CTE} select ${GROUP_MEMBERS_JSON} as members`, [customerId])
  return bonusViewOf(row?.members ?? [], shareAtHead)
}

/** The active holds on an account with their orders, oldest first (support staff's view). */
export async function holdsOn(db: Queryable, accountId: string) {
  return db.query<{ orderId: string; number: string; storefrontId: string; orderStatus: string; amountMinor: number; createdAt: Date; confirmedAt: Date | null }>(
    `select h.order_id as "orderId", o.number, o.storefront_id as "storefrontId", o.status as "orderStatus", h.amount_minor as "amountMinor", h.created_at as "createdAt", h.confirmed_at as "confirmedAt"
       from bonus_holds h join orders o on o.id = h.order_id
      where h.account_id = $1 and h.status = 'active' order by h.id`,
    [accountId],
  )
}

/**
 * The account a customer spends from (its head company's when bonuses are shared at the head),
 * with what is still available: 1C's balance less what orders taken here hold.
 */
export async function spendableBonus(db: Queryable, customerId: string, shareAtHead: boolean, storefrontId: string | null = null) {
  const bonus = await loadBonusView(db, customerId, shareAtHead)
  if (!bonus) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(customerId)}`)
  if (!bonus.effective) throw new AppError('NOT_FOUND', `customer ${JSON.stringify(customerId)} has no bonus account`)
  const holds = await holdsOn(db, bonus.effective.customerId)
  const held = holds.reduce((sum, hold) => sum + Number(hold.amountMinor), 0)
  return {
    ...bonus.effective,
    availableMinor: Math.max(0, bonus.effective.balanceMinor - held),
    heldMinor: held,
    holds: holds
      .filter((hold) => storefrontId === null || hold.storefrontId === storefrontId)
      .map((hold) => ({ orderId: hold.orderId, number: hold.number, amountMinor: Number(hold.amountMinor), createdAt: new Date(hold.createdAt).toISOString() })),
    sharedFrom: bonus.sharedFrom,
  }
}

/** Support staff's view: every account of the group, the one spent from, and the holds on it with their orders. */
export async function bonusDetail(db: Queryable, customerId: string, shareAtHead: boolean) {
  const view = await loadBonusView(db, customerId, shareAtHead)
  if (!view) throw new AppError('NOT_FOUND', `no customer with key ${JSON.stringify(customerId)}`)
  // What orders taken here hold on the account spent from: the difference between 1C's balance and what the storefront shows.
  const accountId = view.effective?.customerId ?? null
  const holds = accountId ? await holdsOn(db, accountId) : []
  const heldMinor = holds.reduce((sum, hold) => sum + Number(hold.amountMinor), 0)
  return {
    customerId,
    shareAtHead,
    ...view,
    heldMinor,
    availableMinor: view.effective ? Math.max(0, view.effective.balanceMinor - heldMinor) : 0,
    holds,
  }
}
