/**
 * Storefronts as the store keeps them: their webhook endpoint and secrets, what they subscribe
 * to, whether they are paused, and the hashes of their REST API keys.
 */
import { randomBytes } from 'node:crypto'
import { hashApiKey } from '../../http/auth.ts'
import type { Queryable } from '../../store/index.ts'
import type { CustomerScope } from '../scope.ts'

export interface StorefrontConfig {
  id: string
  url: string
  secrets: string[]
  events: string[]
  enabled: boolean
  local: boolean
  apiKeys?: string[]
  /** Which customers it sees; absent: all. */
  customers?: CustomerScope
}

/** Writes the configured storefronts (the config file is the source of their settings). */
export async function seedStorefronts(db: Queryable, storefronts: readonly StorefrontConfig[]): Promise<void> {
  for (const storefront of storefronts) {
    await db.query(
      `insert into storefronts (id, url, secrets, event_types, enabled, local, api_key_hashes, customer_scope) values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb)
       on conflict (id) do update set url = excluded.url, secrets = excluded.secrets, event_types = excluded.event_types,
         enabled = excluded.enabled, local = excluded.local, customer_scope = excluded.customer_scope, updated_at = now(),
         api_key_hashes = (select coalesce(jsonb_agg(distinct value), '[]'::jsonb) from jsonb_array_elements(storefronts.api_key_hashes || excluded.api_key_hashes))`,
      [
        storefront.id,
        storefront.url,
        JSON.stringify(storefront.secrets),
        JSON.stringify(storefront.events),
        storefront.enabled,
        storefront.local,
        JSON.stringify((storefront.apiKeys ?? []).map(hashApiKey)),
        storefront.customers === undefined || storefront.customers === 'all' ? null : JSON.stringify(storefront.customers),
      ],
    )
  }
}

/** The storefront an API key belongs to, with its customer scope (null: all), by the key's hash (`hashApiKey`); null for an unknown key. */
export async function storefrontOfKeyHash(db: Queryable, hash: string): Promise<{ id: string; scope: CustomerScope | null } | null> {
  const [row] = await db.query<{ id: string; scope: CustomerScope | null }>(`select id, customer_scope as scope from storefronts where api_key_hashes @> $1::jsonb`, [
    JSON.stringify([hash]),
  ])
  return row ?? null
}

export interface StorefrontSummary {
  id: string
  url: string
  events: string[]
  enabled: boolean
  local: boolean
  disabledReason: string | null
  failingSince: Date | null
  cursor: number
  pending: number
  dead: number
}

export async function listStorefronts(db: Queryable): Promise<StorefrontSummary[]> {
  return db.query<StorefrontSummary & Record<string, unknown>>(
    `select s.id, s.url, s.event_types as events, s.enabled, s.local, s.disabled_reason as "disabledReason", s.failing_since as "failingSince", s.cursor,
            (select count(*)::int from deliveries d where d.storefront_id = s.id and d.status = 'pending') as pending,
            (select count(*)::int from deliveries d where d.storefront_id = s.id and d.status = 'dead') as dead
       from storefronts s order by s.id`,
  )
}

export interface StorefrontChange {
  enabled?: boolean | undefined
  events?: string[] | undefined
  url?: string | undefined
}

/** Changes a storefront's settings (the caller's transaction); null when there is no such storefront. */
export async function changeStorefront(tx: Queryable, id: string, change: StorefrontChange) {
  const [row] = await tx.query<{ id: string; url: string; events: string[]; enabled: boolean }>(
    `update storefronts set enabled = coalesce($2, enabled), event_types = coalesce($3::jsonb, event_types), url = coalesce($4, url),
       disabled_reason = case when $2 then null else disabled_reason end, failing_since = case when $2 then null else failing_since end, updated_at = now()
     where id = $1 returning id, url, event_types as events, enabled`,
    [id, change.enabled ?? null, change.events ? JSON.stringify(change.events) : null, change.url ?? null],
  )
  return row ?? null
}

/** A new REST API key for the storefront, returned once (only its hash is kept); null when there is no such storefront. */
export async function issueApiKey(db: Queryable, id: string): Promise<string | null> {
  const key = `sk_${randomBytes(24).toString('base64url')}`
  const rows = await db.query(`update storefronts set api_key_hashes = api_key_hashes || $2::jsonb, updated_at = now() where id = $1 returning id`, [
    id,
    JSON.stringify([hashApiKey(key)]),
  ])
  return rows.length > 0 ? key : null
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'superseded'

/** A storefront's deliveries, newest first, each with its attempts. */
export async function listDeliveries(db: Queryable, storefrontId: string, filter: { status?: DeliveryStatus | undefined; limit: number }) {
  return db.query(
    `select d.*, (select json_agg(a order by a.id) from delivery_attempts a where a.delivery_id = d.id) as attempt_log
       from deliveries d where d.storefront_id = $1 and ($2::text is null or d.status = $2) order by d.id desc limit $3`,
    [storefrontId, filter.status ?? null, filter.limit],
  )
}

export async function deliverySummary(db: Queryable, id: number) {
  const [row] = await db.query<{ id: number; status: DeliveryStatus; attempts: number; lastStatus: number | null; lastError: string | null }>(
    'select id, status, attempts, last_status as "lastStatus", last_error as "lastError" from deliveries where id = $1',
    [id],
  )
  return row ?? null
}
