/**
 * Which customers a storefront sees. A storefront's scope is `all`, or a rule over what 1C says
 * of the customer: its id in a list, or every criterion given met — the price type of its
 * agreement in force, membership of a group of companies (the head itself or any company below
 * it), its legal form. Out of scope is the same as absent (404) on every customer, bonus, quote
 * and order endpoint, in the change feed and in webhooks.
 */
import { z } from 'zod'
import { Id, LegalForm, LineText, type Customer } from '../domain/index.ts'
import { AppError } from '../http/errors.ts'
import type { Queryable } from '../store/index.ts'

/** 1C ids, trimmed, one line of text each. */
const Ids = z
  .array(Id.pipe(LineText(200, 1)))
  .min(1)
  .max(100_000)

/** A rule, as the config file and the admin API take it (all customers: `all` in the file, null through the API). */
export const CustomerScopeRule = z
  .strictObject({
    /** These customers, whatever the rest says. */
    ids: Ids.optional(),
    /** Customers whose agreement in force gives one of these price types (1C's ВидЦен Ref_Key / ИдТипаЦены). */
    priceTypes: Ids.optional(),
    /** Companies of these groups: the head company and every company whose head chain reaches it. */
    heads: Ids.optional(),
    /** By 1C's ЮрФизЛицо: `company`, `entrepreneur`, `person`. */
    legalForms: z.array(LegalForm).min(1).optional(),
  })
  .refine((scope) => Object.keys(scope).length > 0, 'name ids, priceTypes, heads or legalForms (all customers: `all` in the config file, null through the admin API)')

export const CustomerScope = z.union([z.literal('all'), CustomerScopeRule])
export type CustomerScope = z.infer<typeof CustomerScope>

/** As the store keeps it: null for all customers. */
export const scopeJson = (scope: CustomerScope | null | undefined): string | null => (scope === undefined || scope === null || scope === 'all' ? null : JSON.stringify(scope))

/** A customer as a scope reads it: its record and the ids of its heads, nearest first. */
export interface ScopedCustomer {
  customer: Pick<Customer, 'id' | 'priceTypeId' | 'legalForm'>
  heads: readonly string[]
}

export function inScope(scope: CustomerScope | null, subject: ScopedCustomer | undefined): boolean {
  if (scope === null || scope === 'all') return true
  if (!subject) return false
  const { customer, heads } = subject
  if (scope.ids?.includes(customer.id)) return true
  const { priceTypes, heads: groups, legalForms } = scope
  if (!priceTypes && !groups && !legalForms) return false
  if (priceTypes && !(customer.priceTypeId && priceTypes.includes(customer.priceTypeId))) return false
  if (groups && !groups.some((group) => group === customer.id || heads.includes(group))) return false
  if (legalForms && !(customer.legalForm && legalForms.includes(customer.legalForm))) return false
  return true
}

/** The customers `keys` with their head chains (at most 8 levels, as the bonus view walks), in one statement. */
export async function scopedCustomers(db: Queryable, keys: readonly string[]): Promise<Map<string, ScopedCustomer>> {
  if (keys.length === 0) return new Map()
  const rows = await db.query<{ key: string; customer: ScopedCustomer['customer']; heads: string[] | null }>(
    `with recursive chain (root, key, depth) as (
       select c.key, c.data->>'headId', 1 from entity_state c where c.kind = 'customer' and c.key = any($1::text[]) and c.data->>'headId' is not null
       union all
       select chain.root, h.data->>'headId', chain.depth + 1
         from chain join entity_state h on h.kind = 'customer' and h.key = chain.key
        where chain.depth < 8 and h.data->>'headId' is not null
     )
     select c.key, json_build_object('id', c.key, 'priceTypeId', c.data->>'priceTypeId', 'legalForm', c.data->>'legalForm') as customer,
            (select json_agg(chain.key order by chain.depth) from chain where chain.root = c.key) as heads
       from entity_state c where c.kind = 'customer' and c.key = any($1::text[])`,
    [[...new Set(keys)]],
  )
  return new Map(rows.map((row) => [row.key, { customer: row.customer, heads: row.heads ?? [] }]))
}

/** Entity kinds whose key is a customer's id: their changes go only to storefronts that see the customer. */
export const CUSTOMER_KEYED_KINDS: ReadonlySet<string> = new Set(['customer', 'bonus_account'])

/**
 * Of `items` (events, or entity rows, by kind and key), those a storefront of `scope` may see:
 * customer-keyed ones only for customers in its scope (a removed or unknown customer: not in a
 * rule's scope); the rest whatever the scope. One statement for the lot.
 */
/** Entity kinds that belong to a customer named in their data (a bonus movement's `customerId`). */
export const CUSTOMER_OWNED_KINDS: ReadonlySet<string> = new Set(['bonus_movement', 'sale'])

export async function visibleTo<E extends { kind: string; key: string }>(db: Queryable, scope: CustomerScope | null, items: readonly E[]): Promise<E[]> {
  if (scope === null || scope === 'all') return [...items]
  const owned = items.filter((item) => CUSTOMER_OWNED_KINDS.has(item.kind))
  const owners = new Map<string, string>()
  if (owned.length > 0) {
    const rows = await db.query<{ kind: string; key: string; customer: string | null }>(
      `select kind, key, data->>'customerId' as customer from entity_state where kind = any($1::text[]) and key = any($2::text[])`,
      [[...CUSTOMER_OWNED_KINDS], owned.map((item) => item.key)],
    )
    for (const row of rows) if (row.customer) owners.set(`${row.kind}/${row.key}`, row.customer)
  }
  const customerOf = (item: E) =>
    CUSTOMER_KEYED_KINDS.has(item.kind) ? item.key : CUSTOMER_OWNED_KINDS.has(item.kind) ? (owners.get(`${item.kind}/${item.key}`) ?? null) : undefined
  const keys = items.map(customerOf).filter((key): key is string => typeof key === 'string')
  if (keys.length === 0 && owned.length === 0) return [...items]
  const customers = await scopedCustomers(db, keys)
  return items.filter((item) => {
    const customer = customerOf(item)
    if (customer === undefined) return true
    return customer !== null && inScope(scope, customers.get(customer))
  })
}

/** 404 for a customer the storefront does not see (an unknown one too, under a rule), worded as for one that does not exist. */
export async function requireVisible(db: Queryable, scope: CustomerScope | null, id: string): Promise<void> {
  if (scope === null || scope === 'all') return
  if (!inScope(scope, (await scopedCustomers(db, [id])).get(id))) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(id)}`)
}
