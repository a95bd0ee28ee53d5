/** A customer's bonus accounts as stored, through the group-of-companies rule of the profile. */
import { effectiveBonusAccount, type BonusAccount, type BonusView, type Customer } from '../domain/index.ts'
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
  return effectiveBonusAccount(customer, (id) => byKey.get(id)?.account ?? null, (id) => byKey.get(id)?.company?.headId ?? null, shareAtHead)
}

/** null when the customer is unknown. */
export async function loadBonusView(db: Queryable, customerId: string, shareAtHead: boolean): Promise<BonusView | null> {
  const [row] = await db.query<{ members: GroupMember[] | null }>(`${GROUP_MEMBERS_CTE} select ${GROUP_MEMBERS_JSON} as members`, [customerId])
  return bonusViewOf(row?.members ?? [], shareAtHead)
}
