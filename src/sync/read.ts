/** Read side of the state and the outbox, for the admin API and (later) storefront feeds. */
import type { EntityKind } from '../domain/index.ts'
import type { Queryable } from '../store/index.ts'
import type { FieldChange } from '../domain/index.ts'
import type { ChangeType } from './state.ts'

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
  const rows = await db.query<EventRow>(
    `select * from events where seq > $1 and ($3::bigint is null or run_id = $3) order by seq limit $2`,
    [after, limit, runId ?? null],
  )
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
