/**
 * The audit log: every write made through the console or the admin API (who, what, when, on which
 * target, how many rows it touched), shown in the timelines of what it touched.
 */
import type { Queryable } from '../store/index.ts'
import type { Actor } from './users.ts'

/** What a write touched: an order, a delivery, a storefront, a source, a user, an entity (`<kind>`). */
export interface AuditTarget {
  kind: string
  key: string
}

export interface AuditEntry {
  id: number
  at: Date
  actor: string
  role: string
  via: string
  action: string
  targetKind: string | null
  targetKey: string | null
  count: number | null
  details: Record<string, unknown>
}

export async function recordAudit(
  db: Queryable,
  actor: Actor,
  entry: { action: string; target?: AuditTarget | undefined; count?: number | null | undefined; details?: Record<string, unknown> | undefined },
): Promise<void> {
  await db.query(`insert into audit_log (actor, role, via, action, target_kind, target_key, count, details) values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`, [
    actor.login,
    actor.role,
    actor.via,
    entry.action,
    entry.target?.kind ?? null,
    entry.target?.key ?? null,
    entry.count ?? null,
    JSON.stringify(entry.details ?? {}),
  ])
}

const COLUMNS = `id, at, actor, role, via, action, target_kind as "targetKind", target_key as "targetKey", count, details`

/** The writes on one target (or on any of `targets`), newest first. */
export async function auditOf(db: Queryable, targets: readonly AuditTarget[], limit = 50): Promise<AuditEntry[]> {
  if (targets.length === 0) return []
  return db.query<AuditEntry & Record<string, unknown>>(
    `select ${COLUMNS} from audit_log
      where (target_kind, target_key) in (select * from unnest($1::text[], $2::text[]))
      order by id desc limit $3`,
    [targets.map((target) => target.kind), targets.map((target) => target.key), limit],
  )
}

export async function listAudit(db: Queryable, filter: { before?: number | undefined; actor?: string | undefined; limit: number }): Promise<AuditEntry[]> {
  return db.query<AuditEntry & Record<string, unknown>>(
    `select ${COLUMNS} from audit_log where ($1::bigint is null or id < $1) and ($2::text is null or actor = $2) order by id desc limit $3`,
    [filter.before ?? null, filter.actor ?? null, filter.limit],
  )
}
