/**
 * What the console reads that no feature reads for itself: the search box's look-ups, deliveries
 * filtered for support, an entity's state per storefront, an order's exchange steps.
 */
import type { Queryable } from '../store/index.ts'
import { subscribed, webhookType } from '../storefront/webhooks/index.ts'

export interface SearchHit {
  kind: 'customer' | 'order' | 'run' | 'delivery' | 'entity'
  entityKind?: string
  key: string
  label: string
  detail?: string | null
}

/** Case-insensitive Cyrillic with ё folded to е, as people type it. */
export const foldText = (text: string) => text.toLowerCase().replaceAll('ё', 'е')

const FOLD_SQL = (expression: string) => `translate(lower(${expression}), 'ё', 'е')`
const SEARCH_LIMIT = 25

async function byNumbers(db: Queryable, q: string): Promise<SearchHit[]> {
  const hits: SearchHit[] = []
  // An ИНН, or ИНН/КПП as 1C prints it.
  const inn = /^(\d{10}|\d{12})(?:\/\d{9})?$/.exec(q)?.[1]
  if (inn) {
    const rows = await db.query<{ key: string; name: string | null; kpp: string | null }>(
      `select key, data->>'name' as name, data->>'kpp' as kpp from entity_state where kind = 'customer' and data->>'inn' = $1 order by key limit ${SEARCH_LIMIT}`,
      [inn],
    )
    hits.push(...rows.map((row) => ({ kind: 'customer' as const, key: row.key, label: row.name ?? row.key, detail: `ИНН ${inn}${row.kpp ? ` / КПП ${row.kpp}` : ''}` })))
  }
  const run = /^#?(\d{1,15})$/.exec(q)?.[1]
  if (run) {
    const rows = await db.query<{ id: number; source: string; kind: string; status: string }>('select id, source, kind, status from sync_runs where id = $1', [run])
    hits.push(...rows.map((row) => ({ kind: 'run' as const, key: String(row.id), label: `#${row.id} ${row.source} ${row.kind}`, detail: row.status })))
  }
  return hits
}

async function byOrderNumber(db: Queryable, q: string): Promise<SearchHit[]> {
  const rows = await db.query<{ id: string; number: string; onec_number: string | null; storefront_id: string; status: string }>(
    `select id, number, onec->>'number' as onec_number, storefront_id, status from orders
      where number = $1 or external_id = $1 or id = $1 or onec->>'number' = $1 or onec_ref = $1
      order by created_at desc limit ${SEARCH_LIMIT}`,
    [q],
  )
  return rows.map((row) => ({
    kind: 'order',
    key: row.id,
    label: `№ ${row.number}`,
    detail: `${row.storefront_id} · ${row.status}${row.onec_number ? ` · 1С № ${row.onec_number}` : ''}`,
  }))
}

async function byEntityKey(db: Queryable, q: string): Promise<SearchHit[]> {
  // A 1C Ид matches with or without its #variant suffix; an article and a code as 1C shows them.
  const rows = await db.query<{ kind: string; key: string; name: string | null }>(
    `select kind, key, coalesce(data->>'name', data->>'title') as name from entity_state
      where key = $1 or key like $2 or (kind = 'product' and lower(data->>'sku') = lower($1))
      order by kind, key limit ${SEARCH_LIMIT}`,
    [q, `${q.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}#%`],
  )
  return rows.map((row) => ({ kind: 'entity', entityKind: row.kind, key: row.key, label: row.name ?? row.key, detail: row.kind }))
}

async function byName(db: Queryable, q: string): Promise<SearchHit[]> {
  const rows = await db.query<{ kind: string; key: string; name: string; inn: string | null }>(
    `select kind, key, data->>'name' as name, data->>'inn' as inn from entity_state
      where kind in ('customer', 'product', 'offer', 'price_type', 'warehouse', 'bonus_programme', 'group')
        and not removed and ${FOLD_SQL("data->>'name'")} like $1
      order by kind = 'customer' desc, length(data->>'name'), key limit ${SEARCH_LIMIT}`,
    [`%${foldText(q).replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`],
  )
  return rows.map((row) =>
    row.kind === 'customer'
      ? { kind: 'customer', key: row.key, label: row.name, detail: row.inn ? `ИНН ${row.inn}` : null }
      : { kind: 'entity', entityKind: row.kind, key: row.key, label: row.name, detail: row.kind },
  )
}

/** Everything the one search box finds for what support staff paste in, most specific first. */
export async function search(db: Queryable, input: string): Promise<SearchHit[]> {
  const q = input.trim()
  if (!q) return []
  const hits: SearchHit[] = []
  if (/^msg_[\w-]+$/.test(q)) {
    const rows = await db.query<{ id: number; storefront_id: string; type: string; status: string }>('select id, storefront_id, type, status from deliveries where msg_id = $1', [
      q,
    ])
    hits.push(...rows.map((row) => ({ kind: 'delivery' as const, key: String(row.id), label: q, detail: `${row.storefront_id} · ${row.type} · ${row.status}` })))
  }
  hits.push(...(await byNumbers(db, q)), ...(await byOrderNumber(db, q)), ...(await byEntityKey(db, q)))
  if (q.length >= 2 && !/^\d+$/.test(q)) hits.push(...(await byName(db, q)))
  const seen = new Set<string>()
  return hits.filter((hit) => {
    const id = `${hit.kind}:${hit.entityKind ?? ''}:${hit.key}`
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

export type EntityDeliveryState = 'up_to_date' | 'pending' | 'failing' | 'dead' | 'not_subscribed' | 'not_sent' | 'paused'

export interface EntityAtStorefront {
  storefront: string
  state: EntityDeliveryState
  deliveredVersion: number | null
  deliveredAt: Date | null
  latest: { id: number; version: number; status: string; attempts: number; lastStatus: number | null; lastError: string | null; msgId: string } | null
}

/** Per storefront: the last version of this entity it was given, and whether it has the current one. */
export async function entityAtStorefronts(db: Queryable, kind: string, key: string, version: number, removed: boolean): Promise<EntityAtStorefront[]> {
  const rows = await db.query<{
    id: string
    enabled: boolean
    event_types: string[]
    delivered_version: number | null
    delivered_at: Date | null
    latest: EntityAtStorefront['latest']
  }>(
    `select s.id, s.enabled, s.event_types,
            (select max(version) from deliveries d where d.storefront_id = s.id and d.kind = $1 and d.key = $2 and d.status = 'delivered') as delivered_version,
            (select max(delivered_at) from deliveries d where d.storefront_id = s.id and d.kind = $1 and d.key = $2 and d.status = 'delivered') as delivered_at,
            (select json_build_object('id', d.id, 'version', d.version, 'status', d.status, 'attempts', d.attempts, 'lastStatus', d.last_status,
                                      'lastError', d.last_error, 'msgId', d.msg_id)
               from deliveries d where d.storefront_id = s.id and d.kind = $1 and d.key = $2 order by d.id desc limit 1) as latest
       from storefronts s order by s.id`,
    [kind, key],
  )
  const type = webhookType(kind, removed ? 'removed' : 'updated')
  return rows.map((row) => {
    const latest = row.latest
    let state: EntityDeliveryState
    if (row.delivered_version !== null && row.delivered_version >= version) state = 'up_to_date'
    else if (!subscribed(row.event_types, type)) state = 'not_subscribed'
    else if (!latest) state = 'not_sent'
    else if (latest.status === 'dead') state = 'dead'
    else if (!row.enabled) state = 'paused'
    else if (latest.status === 'pending' && latest.attempts > 0) state = 'failing'
    else state = 'pending'
    return { storefront: row.id, state, deliveredVersion: row.delivered_version, deliveredAt: row.delivered_at, latest }
  })
}

export interface DeliveryFilter {
  storefront?: string | undefined
  status?: string | undefined
  since?: Date | undefined
  key?: string | undefined
  type?: string | undefined
  before?: number | undefined
  limit: number
}

export interface DeliveryRow {
  id: number
  storefrontId: string
  msgId: string
  type: string
  kind: string
  key: string
  version: number
  status: string
  attempts: number
  nextAttemptAt: Date | null
  lastStatus: number | null
  lastError: string | null
  createdAt: Date
  deliveredAt: Date | null
}

const DELIVERY_COLUMNS = `d.id, d.storefront_id as "storefrontId", d.msg_id as "msgId", d.type, d.kind, d.key, d.version, d.status, d.attempts,
  d.next_attempt_at as "nextAttemptAt", d.last_status as "lastStatus", d.last_error as "lastError", d.created_at as "createdAt", d.delivered_at as "deliveredAt"`

export async function findDeliveries(db: Queryable, filter: DeliveryFilter): Promise<DeliveryRow[]> {
  return db.query<DeliveryRow & Record<string, unknown>>(
    `select ${DELIVERY_COLUMNS} from deliveries d
      where ($1::text is null or d.storefront_id = $1)
        and ($2::text is null or d.status = $2 or ($2 = 'failing' and d.status = 'pending' and d.attempts > 0))
        and ($3::timestamptz is null or d.created_at >= $3) and ($4::text is null or d.key = $4 or d.msg_id = $4)
        and ($5::text is null or d.type = $5) and ($6::bigint is null or d.id < $6)
      order by d.id desc limit $7`,
    [filter.storefront ?? null, filter.status ?? null, filter.since ?? null, filter.key ?? null, filter.type ?? null, filter.before ?? null, filter.limit],
  )
}

export async function deliveryDetail(db: Queryable, id: number) {
  const [row] = await db.query<DeliveryRow & Record<string, unknown>>(`select ${DELIVERY_COLUMNS} from deliveries d where d.id = $1`, [id])
  if (!row) return null
  const attempts = await db.query<{
    id: number
    at: Date
    durationMs: number
    responseStatus: number | null
    responseBody: string | null
    error: string | null
    nextAttemptAt: Date | null
    manual: boolean
  }>(
    `select id, at, duration_ms as "durationMs", response_status as "responseStatus", response_body as "responseBody", error, next_attempt_at as "nextAttemptAt", manual
       from delivery_attempts where delivery_id = $1 order by id desc limit 100`,
    [id],
  )
  return { ...row, attempts }
}

/** The order exchange's side of an order: sent in answer to a query and not yet acknowledged. */
export async function orderExchangeSteps(db: Queryable, orderId: string) {
  return db.query<{ sessionId: string; rev: number; sentAt: Date }>(
    `select session_id as "sessionId", rev, sent_at as "sentAt" from sale_exports where order_id = $1 order by sent_at`,
    [orderId],
  )
}

/** Orders of a customer, newest first. */
export async function ordersOfCustomer(db: Queryable, customerId: string, limit = 10) {
  return db.query<{ id: string; number: string; status: string; bonusMinor: number; createdAt: Date; storefrontId: string }>(
    `select id, number, status, bonus_minor as "bonusMinor", created_at as "createdAt", storefront_id as "storefrontId" from orders where customer_id = $1 order by created_at desc limit $2`,
    [customerId, limit],
  )
}

/** The distinct sources and kinds of the run log, for the runs page's filters. */
export async function runFacets(db: Queryable): Promise<{ sources: string[]; kinds: string[] }> {
  const [row] = await db.query<{ sources: string[] | null; kinds: string[] | null }>(
    `select (select array_agg(distinct source order by source) from sync_runs) as sources, (select array_agg(distinct kind order by kind) from sync_runs) as kinds`,
  )
  return { sources: row?.sources ?? [], kinds: row?.kinds ?? [] }
}

export async function storefrontIds(db: Queryable): Promise<string[]> {
  return (await db.query<{ id: string }>('select id from storefronts order by id')).map((row) => row.id)
}

export async function deliveryExists(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('select 1 from deliveries where id = $1', [id])).length > 0
}
