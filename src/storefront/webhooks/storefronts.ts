/**
 * Storefronts as the store keeps them: their webhook endpoint and secrets, what they subscribe
 * to, whether they are paused, and the hashes of their REST API keys.
 */
import { randomBytes } from 'node:crypto'
import { hashApiKey } from '../../http/auth.ts'
import type { Queryable } from '../../store/index.ts'
import { scopeJson, type CustomerScope } from '../scope.ts'

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

/**
 * Writes the storefronts the config file declares. The file owns their url, events, local,
 * customer scope and secrets, applied on every start (the admin API refuses to change them);
 * `enabled` applies when the storefront is first written, after which pausing through the admin
 * API persists across restarts; keys the file lists are added on start unless revoked through
 * the admin API, and keys the admin API issues stay. A new
 * storefront starts at the current end of the change feed (a backfill is asked for explicitly).
 */
export async function seedStorefronts(db: Queryable, storefronts: readonly StorefrontConfig[]): Promise<void> {
  for (const storefront of storefronts) {
    await db.query(
      `insert into storefronts (id, url, secrets, event_types, enabled, local, api_key_hashes, customer_scope, origin, cursor)
       values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb, 'config', (select coalesce(max(seq), 0) from events))
       on conflict (id) do update set url = excluded.url, secrets = excluded.secrets, event_types = excluded.event_types,
         local = excluded.local, customer_scope = excluded.customer_scope, origin = 'config', updated_at = now(),
         api_key_hashes = (select coalesce(jsonb_agg(distinct value), '[]'::jsonb) from jsonb_array_elements(storefronts.api_key_hashes || excluded.api_key_hashes)
                            where not storefronts.revoked_key_hashes @> jsonb_build_array(value))`,
      [
        storefront.id,
        storefront.url,
        JSON.stringify(storefront.secrets),
        JSON.stringify(storefront.events),
        storefront.enabled,
        storefront.local,
        JSON.stringify((storefront.apiKeys ?? []).map(hashApiKey)),
        scopeJson(storefront.customers),
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
  origin: 'config' | 'api'
  customers: CustomerScope | null
  keyIds: string[]
  retiringSecrets: Array<{ until: string }>
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
    `select s.id, s.origin, s.customer_scope as customers,
            (select coalesce(jsonb_agg(left(h, 16)), '[]'::jsonb) from jsonb_array_elements_text(s.api_key_hashes) h) as "keyIds",
            (select coalesce(jsonb_agg(jsonb_build_object('until', r->>'until')), '[]'::jsonb) from jsonb_array_elements(s.retiring_secrets) r
              where (r->>'until')::timestamptz > now()) as "retiringSecrets",
            s.url, s.event_types as events, s.enabled, s.local, s.disabled_reason as "disabledReason", s.failing_since as "failingSince", s.cursor,
            (select count(*)::int from deliveries d where d.storefront_id = s.id and d.status = 'pending') as pending,
            (select count(*)::int from deliveries d where d.storefront_id = s.id and d.status = 'dead') as dead
       from storefronts s order by s.id`,
  )
}

export interface StorefrontChange {
  enabled?: boolean | undefined
  events?: string[] | undefined
  url?: string | undefined
  /** null: all customers. */
  customers?: CustomerScope | null | undefined
}

/** Changes a storefront's settings (the caller's transaction); null when there is no such storefront. */
export async function changeStorefront(tx: Queryable, id: string, change: StorefrontChange) {
  const [row] = await tx.query<{ id: string; url: string; events: string[]; enabled: boolean }>(
    `update storefronts set enabled = coalesce($2, enabled), event_types = coalesce($3::jsonb, event_types), url = coalesce($4, url),
       customer_scope = case when $5 then $6::jsonb else customer_scope end,
       disabled_reason = case when $2 then null else disabled_reason end, failing_since = case when $2 then null else failing_since end, updated_at = now()
     where id = $1 returning id, url, event_types as events, enabled`,
    [id, change.enabled ?? null, change.events ? JSON.stringify(change.events) : null, change.url ?? null, change.customers !== undefined, scopeJson(change.customers)],
  )
  return row ?? null
}

/** A new REST API key for the storefront, returned once (only its hash is kept); null when there is no such storefront. */
export async function issueApiKey(db: Queryable, id: string): Promise<string | null> {
  const key = newKey()
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

/** A key's id as lists show it and revocation names it: the start of its hash (the key itself is never kept). */
export const keyIdOf = (hash: string) => hash.slice(0, 16)

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`
const newKey = () => `sk_${randomBytes(24).toString('base64url')}`

export interface NewStorefront {
  id: string
  url: string
  events: string[]
  enabled: boolean
  local: boolean
  customers: CustomerScope | null
}

/**
 * A storefront made through the admin API (the store owns its settings): it starts at the current
 * end of the change feed. Returns its first secret and key, shown once; null when the id is taken.
 */
export async function createStorefront(tx: Queryable, input: NewStorefront): Promise<{ secret: string; apiKey: string; keyId: string } | null> {
  const secret = newSecret()
  const apiKey = newKey()
  const rows = await tx.query(
    `insert into storefronts (id, url, secrets, event_types, enabled, local, api_key_hashes, customer_scope, origin, cursor)
     values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb, 'api', (select coalesce(max(seq), 0) from events))
     on conflict (id) do nothing returning id`,
    [input.id, input.url, JSON.stringify([secret]), JSON.stringify(input.events), input.enabled, input.local, JSON.stringify([hashApiKey(apiKey)]), scopeJson(input.customers)],
  )
  return rows.length > 0 ? { secret, apiKey, keyId: keyIdOf(hashApiKey(apiKey)) } : null
}

/**
 * A new signing secret; the ones it replaces keep signing (every message carries a signature of
 * each) until `overlapHours` have passed, so receivers can switch without losing a message.
 */
export async function rotateSecret(tx: Queryable, id: string, overlapHours: number): Promise<{ secret: string; retiringUntil: string } | null> {
  const secret = newSecret()
  const until = new Date(Date.now() + overlapHours * 3_600_000).toISOString()
  const rows = await tx.query(
    `update storefronts set
       retiring_secrets = coalesce((select jsonb_agg(r) from jsonb_array_elements(retiring_secrets) r where (r->>'until')::timestamptz > now()), '[]'::jsonb)
                          || coalesce((select jsonb_agg(jsonb_build_object('secret', s, 'until', $3::text)) from jsonb_array_elements_text(secrets) s), '[]'::jsonb),
       secrets = $2::jsonb, updated_at = now()
     where id = $1 returning id`,
    [id, JSON.stringify([secret]), until],
  )
  return rows.length > 0 ? { secret, retiringUntil: until } : null
}

/** Ends every rotation's overlap now: only the current secrets sign. */
export async function retireSecrets(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.query(`update storefronts set retiring_secrets = '[]'::jsonb, updated_at = now() where id = $1 returning id`, [id])).length > 0
}

/** Revokes a key by its id (keyIdOf); it stops working within the key cache's few seconds. false: no such key. */
export async function revokeKey(tx: Queryable, id: string, keyId: string): Promise<boolean> {
  const rows = await tx.query(
    `update storefronts set
       revoked_key_hashes = revoked_key_hashes || coalesce((select jsonb_agg(h) from jsonb_array_elements_text(api_key_hashes) h where left(h, 16) = $2), '[]'::jsonb),
       api_key_hashes = coalesce((select jsonb_agg(h) from jsonb_array_elements_text(api_key_hashes) h where left(h, 16) <> $2), '[]'::jsonb),
       updated_at = now()
     where id = $1 and exists (select 1 from jsonb_array_elements_text(api_key_hashes) h where left(h, 16) = $2) returning id`,
    [id, keyId],
  )
  return rows.length > 0
}

/** Who owns a storefront's settings; null when there is no such storefront. */
export async function originOf(db: Queryable, id: string): Promise<'config' | 'api' | null> {
  const [row] = await db.query<{ origin: 'config' | 'api' }>('select origin from storefronts where id = $1', [id])
  return row?.origin ?? null
}
