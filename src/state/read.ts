/** Read side of the state and the outbox, for the admin API and (later) storefront feeds. */
import type { EntityByKind, EntityKind } from '../domain/index.ts'
import type { Queryable } from '../store/index.ts'
import type { FieldChange } from '../domain/index.ts'
import type { ChangeType } from './apply.ts'

export interface StoredEvent {
  seq: number
  kind: EntityKind
  key: string
  version: number
  type: ChangeType
  runId: number | null
  changes: FieldChange[]
  createdAt: string
}

interface EventRow extends Record<string, unknown> {
  seq: number
  kind: EntityKind
  key: string
  version: number
  type: ChangeType
  run_id: number | null
  changes: FieldChange[]
  created_at: Date
}

function toEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    kind: row.kind,
    key: row.key,
    version: row.version,
    type: row.type,
    runId: row.run_id,
    changes: row.changes,
    createdAt: row.created_at.toISOString(),
  }
}

export async function listEvents(db: Queryable, after: number, limit: number, runId?: number): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(`select * from events where seq > $1 and ($3::bigint is null or run_id = $3) order by seq limit $2`, [after, limit, runId ?? null])
  return rows.map(toEvent)
}

export interface EntityView {
  kind: EntityKind
  key: string
  version: number
  removed: boolean
  hash: string
  createdAt: string
  updatedAt: string
  runId: number | null
  data: Record<string, unknown>
  history: Array<{
    version: number
    type: ChangeType
    at: string
    seq: number
    run: { id: number; source: string; kind: string } | null
    changes: FieldChange[]
  }>
}

export async function getEntity(db: Queryable, kind: EntityKind, key: string, historyLimit = 50): Promise<EntityView | null> {
  const [row] = await db.query<{
    version: number
    removed: boolean
    hash: string
    created_at: Date
    updated_at: Date
    run_id: number | null
    data: Record<string, unknown>
  }>('select version, removed, hash, created_at, updated_at, run_id, data from entity_state where kind = $1 and key = $2', [kind, key])
  if (!row) return null
  const history = await db.query<EventRow & { run_source: string | null; run_kind: string | null }>(
    `select e.*, r.source as run_source, r.kind as run_kind
       from events e left join sync_runs r on r.id = e.run_id
      where e.kind = $1 and e.key = $2 order by e.seq desc limit $3`,
    [kind, key, historyLimit],
  )
  return {
    kind,
    key,
    version: row.version,
    removed: row.removed,
    hash: row.hash,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    runId: row.run_id,
    data: row.data,
    history: history.map((event) => ({
      version: event.version,
      type: event.type,
      at: event.created_at.toISOString(),
      seq: event.seq,
      run: event.run_id === null ? null : { id: event.run_id, source: event.run_source ?? '', kind: event.run_kind ?? '' },
      changes: event.changes,
    })),
  }
}

/** An entity as storefronts read it: its data with its version and when it last changed. */
export type StateView<K extends EntityKind> = EntityByKind[K] & { version: number; updatedAt: string }

/** Rows of entity_state as read: `data` was checked against its kind's schema when it was written (prepareEntity). */
interface StateRow<K extends EntityKind> extends Record<string, unknown> {
  key: string
  version: number
  updated_at: Date
  data: EntityByKind[K]
}

const stateView = <K extends EntityKind>(row: StateRow<K>): StateView<K> => ({ ...row.data, version: row.version, updatedAt: row.updated_at.toISOString() })

/** One entity as storefronts read it (removed ones too: they say so); null when unknown. */
export async function readEntity<K extends EntityKind>(db: Queryable, kind: K, key: string): Promise<StateView<K> | null> {
  const [row] = await db.query<StateRow<K>>('select key, version, updated_at, data from entity_state where kind = $1 and key = $2', [kind, key])
  return row ? stateView(row) : null
}

/** Every entity of a small reference kind (price types, warehouses) that is not removed, by key. */
export async function readAll<K extends EntityKind>(db: Queryable, kind: K): Promise<Array<StateView<K>>> {
  return (await db.query<StateRow<K>>('select key, version, updated_at, data from entity_state where kind = $1 and not removed order by key', [kind])).map(stateView)
}

/**
 * A page of one kind in key order after `after`, optionally only those changed since `updatedSince`
 * and (products) only those in one of `groupIds`; `next` is the last key of a full page.
 */
export async function readPage<K extends EntityKind>(
  db: Queryable,
  kind: K,
  page: { after: string; updatedSince?: string | undefined; limit: number; groupIds?: readonly string[] | undefined },
): Promise<{ items: Array<StateView<K>>; next: string | null }> {
  const rows = await db.query<StateRow<K>>(
    `select key, version, updated_at, data from entity_state
      where kind = $1 and key > $2 and ($3::timestamptz is null or updated_at > $3)
        and ($5::text[] is null or (data->'groupIds')::jsonb ?| $5::text[])
      order by key limit $4`,
    [kind, page.after, page.updatedSince ?? null, page.limit, page.groupIds ? [...page.groupIds] : null],
  )
  const last = rows.at(-1)
  return { items: rows.map(stateView), next: rows.length === page.limit && last ? last.key : null }
}

/** Customers with this ИНН (a holding's companies can share one). */
export async function customersByInn(db: Queryable, inn: string): Promise<Array<StateView<'customer'>>> {
  return (await db.query<StateRow<'customer'>>(`select key, version, updated_at, data from entity_state where kind = 'customer' and data->>'inn' = $1 order by key`, [inn])).map(
    stateView,
  )
}

export interface FeedEvent {
  seq: number
  kind: string
  key: string
  version: number
  type: ChangeType
  messageType: string | null
  createdAt: string
}

/** The change feed one storefront may read: every change, and the messages of its own orders. */
export async function feedFor(db: Queryable, storefrontId: string, after: number, limit: number): Promise<FeedEvent[]> {
  const rows = await db.query<{ seq: number; kind: string; key: string; version: number; type: ChangeType; message_type: string | null; created_at: Date }>(
    `select seq, kind, key, version, type, message_type, created_at from events
      where seq > $1 and (storefront_id is null or storefront_id = $3) and kind <> 'backfill' order by seq limit $2`,
    [after, limit, storefrontId],
  )
  return rows.map((row) => ({
    seq: row.seq,
    kind: row.kind,
    key: row.key,
    version: row.version,
    type: row.type,
    messageType: row.message_type,
    createdAt: row.created_at.toISOString(),
  }))
}

/** A product's offers (its variants, or the product itself as one offer), removed ones last. */
export async function offersOfProduct(db: Queryable, productId: string): Promise<Array<StateView<'offer'>>> {
  const rows = await db.query<StateRow<'offer'>>(`select key, version, updated_at, data from entity_state where kind = 'offer' and data->>'productId' = $1 order by removed, key`, [
    productId,
  ])
  return rows.map(stateView)
}

/** A picture the exchange uploaded, by its content hash; null when no such picture is kept. */
export async function readMedia(db: Queryable, hash: string): Promise<{ ext: string; contentType: string; content: Buffer } | null> {
  const [row] = await db.query<{ ext: string; content_type: string; content: Buffer }>('select ext, content_type, content from media where hash = $1', [hash])
  return row ? { ext: row.ext, contentType: row.content_type, content: row.content } : null
}
