/**
 * How fresh each source is and how each storefront fares: what the health page shows, the
 * Prometheus gauges expose and `bridge.alert` is sent on. A source is on time within one interval
 * of its schedule since its last success, late within two, stale beyond (Airbyte's rule).
 */
import { zoneCounts } from '../loyalty/index.ts'
import type { Queryable } from '../store/index.ts'

export interface SourceSpec {
  /** The source's name in the run log: commerceml, exchange:sale, odata:<name>, xml:<name>. */
  name: string
  everyMinutes: number
}

export type Freshness = 'on_time' | 'late' | 'stale' | 'never'

/** From the last success (or, when it never succeeded, its first attempt): how late it is. */
export function freshnessOf(reference: Date | null, everyMinutes: number, now: Date): Freshness {
  if (!reference) return 'never'
  const intervals = (now.getTime() - reference.getTime()) / (everyMinutes * 60_000)
  if (intervals <= 1) return 'on_time'
  return intervals <= 2 ? 'late' : 'stale'
}

export interface RunBar {
  id: number
  status: string
  startedAt: Date
  changed: number
}

export interface SourceHealth extends SourceSpec {
  lastSuccessAt: Date | null
  firstSeenAt: Date | null
  freshness: Freshness
  /** When it becomes stale (or became): the reference plus two intervals. */
  staleAt: Date | null
  failedSinceSuccess: number
  lastRuns: RunBar[]
}

export type StorefrontState = 'ok' | 'paused' | 'disabled' | 'failing' | 'dead_letters'

export interface StorefrontHealth {
  id: string
  url: string
  enabled: boolean
  disabledReason: string | null
  failingSince: Date | null
  pending: number
  dead: number
  lastDeliveredAt: Date | null
  state: StorefrontState
}

export interface HealthReport {
  at: Date
  sources: SourceHealth[]
  storefronts: StorefrontHealth[]
  holds: { active: number; overTtl: number; oldestAt: Date | null }
  /** Customers per churn zone, as last assessed. */
  churn: Record<'none' | 'warning' | 'red', number>
}

const RUN_BARS = 12

async function readSources(db: Queryable, specs: readonly SourceSpec[], now: Date): Promise<SourceHealth[]> {
  if (specs.length === 0) return []
  const rows = await db.query<{ source: string; last_success: Date | null; first_seen: Date | null; failed_since: number; runs: RunBar[] | null }>(
    `select s.source,
            greatest((select finished_at from sync_runs r where r.source = s.source and r.status = 'succeeded' order by id desc limit 1),
                     (select last_at from source_heartbeats h where h.source = s.source)) as last_success,
            least((select started_at from sync_runs r where r.source = s.source order by id limit 1),
                  (select last_at from source_heartbeats h where h.source = s.source)) as first_seen,
            (select count(*)::int from sync_runs r where r.source = s.source and r.status = 'failed'
                and r.id > coalesce((select max(id) from sync_runs x where x.source = s.source and x.status = 'succeeded'), 0)) as failed_since,
            (select json_agg(json_build_object('id', b.id, 'status', b.status, 'startedAt', b.started_at, 'changed', b.changed) order by b.id)
               from (select id, status, started_at, changed from sync_runs r where r.source = s.source order by id desc limit ${RUN_BARS}) b) as runs
       from unnest($1::text[]) as s(source)`,
    [specs.map((spec) => spec.name)],
  )
  const byName = new Map(rows.map((row) => [row.source, row]))
  return specs.map((spec) => {
    const row = byName.get(spec.name)
    const lastSuccessAt = row?.last_success ?? null
    const reference = lastSuccessAt ?? row?.first_seen ?? null
    return {
      ...spec,
      lastSuccessAt,
      firstSeenAt: row?.first_seen ?? null,
      freshness: freshnessOf(reference, spec.everyMinutes, now),
      staleAt: reference ? new Date(reference.getTime() + 2 * spec.everyMinutes * 60_000) : null,
      failedSinceSuccess: row?.failed_since ?? 0,
      lastRuns: (row?.runs ?? []).map((run) => ({ ...run, startedAt: new Date(run.startedAt) })),
    }
  })
}

function storefrontState(row: Omit<StorefrontHealth, 'state'>): StorefrontState {
  if (row.disabledReason) return 'disabled'
  if (row.failingSince) return 'failing'
  if (row.dead > 0) return 'dead_letters'
  return row.enabled ? 'ok' : 'paused'
}

async function readStorefronts(db: Queryable): Promise<StorefrontHealth[]> {
  const rows = await db.query<Omit<StorefrontHealth, 'state'>>(
    `select s.id, s.url, s.enabled, s.disabled_reason as "disabledReason", s.failing_since as "failingSince",
            (select count(*)::int from deliveries d where d.storefront_id = s.id and d.status = 'pending') as pending,
            (select count(*)::int from deliveries d where d.storefront_id = s.id and d.status = 'dead') as dead,
            (select max(delivered_at) from deliveries d where d.storefront_id = s.id and d.status = 'delivered') as "lastDeliveredAt"
       from storefronts s order by s.id`,
  )
  return rows.map((row) => ({ ...row, state: storefrontState(row) }))
}

export async function readHealth(db: Queryable, specs: readonly SourceSpec[], holdTtlHours: number, now = new Date()): Promise<HealthReport> {
  // One after another: `db` may be one transaction's connection (the alert check).
  const sources = await readSources(db, specs, now)
  const storefronts = await readStorefronts(db)
  const holds = await db.query<{ active: number; over: number; oldest: Date | null }>(
    `select count(*)::int as active, count(*) filter (where created_at < $1::timestamptz - make_interval(hours => $2))::int as over, min(created_at) as oldest
       from bonus_holds where status = 'active'`,
    [now, holdTtlHours],
  )
  const hold = holds[0]
  const churn = await zoneCounts(db)
  return { at: now, sources, storefronts, holds: { active: hold?.active ?? 0, overTtl: hold?.over ?? 0, oldestAt: hold?.oldest ?? null }, churn }
}
