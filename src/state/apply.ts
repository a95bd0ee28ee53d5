/**
 * Change detection: the heart of "re-importing identical data changes nothing".
 *
 * `applyChanges` compares each entity's content hash with the stored one and, in ONE
 * transaction, writes only the entities that changed and appends one event per change to the
 * outbox (`events`). Either both land or neither does.
 */
import { diffFields, entityData, prepareEntity, type Entity, type EntityKind, type FieldChange, type PreparedEntity } from '../domain/index.ts'
import type { Db, Queryable } from '../store/index.ts'
import { LOCKS } from '../store/locks.ts'

const CHUNK_SIZE = 2000

export type ChangeType = 'created' | 'updated' | 'removed'

export interface ApplyResult {
  seen: number
  changed: number
  unchanged: number
  removed: number
  created: number
  updated: number
}

export interface ApplyOptions {
  /** Called inside the transaction after all writes, before commit (tests of crash safety). */
  beforeCommit?: (tx: Queryable) => Promise<void>
  /** Use this transaction instead of opening one (the caller commits). */
  tx?: Queryable
}

type Prepared = PreparedEntity

interface StoredHead {
  key: string
  hash: string
  version: number
  removed: boolean
}

function isPrepared(entity: Entity | PreparedEntity): entity is PreparedEntity {
  return 'hash' in entity
}

function group(entities: ReadonlyArray<Entity | PreparedEntity>): Map<EntityKind, Map<string, Prepared>> {
  const byKind = new Map<EntityKind, Map<string, Prepared>>()
  for (const entity of entities) {
    const prepared = isPrepared(entity) ? entity : prepareEntity(entity)
    let items = byKind.get(prepared.kind)
    if (!items) byKind.set(prepared.kind, (items = new Map()))
    // The last occurrence of a key in one batch wins, as it would in 1C's own file.
    items.set(prepared.key, prepared)
  }
  return byKind
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size))
  return out
}

async function applyChunk(tx: Queryable, runId: number, kind: EntityKind, batch: Prepared[], result: ApplyResult): Promise<void> {
  const heads = await tx.query<StoredHead & Record<string, unknown>>(
    `select key, hash, version, removed from entity_state
      where kind = $1 and key = any($2::text[])`,
    [kind, batch.map((item) => item.key)],
  )
  const stored = new Map(heads.map((head) => [head.key, head]))
  const writes: Array<{ item: Prepared; version: number; type: ChangeType }> = []
  for (const item of batch) {
    result.seen += 1
    const head = stored.get(item.key)
    if (head?.hash === item.hash) {
      result.unchanged += 1
      continue
    }
    // A deletion mark for something never seen is kept as a tombstone: a later partial file
    // (prices___, rests___) must not bring it to life.
    const type: ChangeType = item.removed && !head?.removed ? 'removed' : !head ? 'created' : 'updated'
    writes.push({ item, version: (head?.version ?? 0) + 1, type })
    result.changed += 1
    result[type] += 1
  }
  if (writes.length === 0) return

  const previous = new Map<string, unknown>()
  const updatedKeys = writes.filter((write) => write.type !== 'created').map((write) => write.item.key)
  if (updatedKeys.length > 0) {
    const rows = await tx.query<{ key: string; data: unknown }>(`select key, data from entity_state where kind = $1 and key in (select jsonb_array_elements_text($2::jsonb))`, [
      kind,
      JSON.stringify(updatedKeys),
    ])
    for (const row of rows) previous.set(row.key, row.data)
  }

  // Rows go to PostgreSQL as one JSON array built from each entity's canonical JSON as it is:
  // nothing is parsed or serialized again here (100,000 offers of ~4 KB are 400 MB of text).
  const stateRows = writes.map(
    ({ item, version }) => `{"key":${JSON.stringify(item.key)},"version":${version},"hash":${JSON.stringify(item.hash)},"removed":${item.removed},"data":${item.json}}`,
  )
  await tx.query(
    `insert into entity_state as s (kind, key, version, hash, data, removed, run_id)
     select $1, r.key, r.version, r.hash, r.data, r.removed, $3
       from json_to_recordset($2::json) as r(key text, version integer, hash text, data json, removed boolean)
     on conflict (kind, key) do update
       set version = excluded.version, hash = excluded.hash, data = excluded.data,
           removed = excluded.removed, run_id = excluded.run_id, updated_at = now()`,
    [kind, `[${stateRows.join(',')}]`, runId],
  )
  await tx.query(
    `insert into events (kind, key, version, type, run_id, changes)
     select $1, r.key, r.version, r.type, $3, r.changes
       from json_to_recordset($2::json) as r(ord integer, key text, version integer, type text, changes jsonb)
      order by r.ord`,
    [
      kind,
      JSON.stringify(
        writes.map(({ item, version, type }, ord) => ({
          ord,
          key: item.key,
          version,
          type,
          changes: type === 'created' ? [] : (diffFields(previous.get(item.key), entityData(item)) satisfies FieldChange[]),
        })),
      ),
      runId,
    ],
  )
}

/**
 * Writes what changed among `entities` and appends one event per change, atomically.
 * Identical entities write nothing and emit nothing.
 */
export async function applyChanges(db: Db, run: { id: number }, entities: ReadonlyArray<Entity | PreparedEntity>, options: ApplyOptions = {}): Promise<ApplyResult> {
  const prepared = group(entities)
  const work = async (tx: Queryable): Promise<ApplyResult> => {
    const result: ApplyResult = { seen: 0, changed: 0, unchanged: 0, removed: 0, created: 0, updated: 0 }
    await tx.query('select pg_advisory_xact_lock($1)', [LOCKS.events])
    for (const [kind, items] of prepared) {
      for (const batch of chunks([...items.values()], CHUNK_SIZE)) await applyChunk(tx, run.id, kind, batch, result)
    }
    // Caches of reference data (the quote's) are valid while this number is unchanged.
    if (result.changed > 0) await tx.query('update state_generation set gen = gen + 1 where id = 1')
    await options.beforeCommit?.(tx)
    return result
  }
  return options.tx ? work(options.tx) : db.transaction(work)
}
