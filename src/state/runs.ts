/**
 * The run log: every import and pull is one `sync_runs` row with its counts, and on failure
 * the file, element path, line and reason, so support staff can answer "what happened".
 */
import { InvalidEntityError } from '../domain/index.ts'
import { XmlInputError } from '../onec/commerceml/xml-stream.ts'
import { redactText, type Logger } from '../logger.ts'
import type { Queryable } from '../store/index.ts'
import { LOCKS } from '../store/locks.ts'
import type { ApplyResult } from './apply.ts'

export type RunStatus = 'running' | 'succeeded' | 'failed'

export interface RunFailure {
  reason: string
  file?: string | undefined
  path?: string | undefined
  line?: number | undefined
}

export interface Run {
  id: number
  source: string
  kind: string
  status: RunStatus
  startedAt: string
  finishedAt: string | null
  durationMs: number | null
  seen: number
  changed: number
  unchanged: number
  removed: number
  bytes: number
  error: RunFailure | null
  details: Record<string, unknown>
}

interface RunRow extends Record<string, unknown> {
  id: number
  source: string
  kind: string
  status: RunStatus
  started_at: Date
  finished_at: Date | null
  seen: number
  changed: number
  unchanged: number
  removed: number
  bytes: number
  error_file: string | null
  error_path: string | null
  error_line: number | null
  error_reason: string | null
  details: Record<string, unknown>
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    source: row.source,
    kind: row.kind,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.finished_at ? row.finished_at.getTime() - row.started_at.getTime() : null,
    seen: row.seen,
    changed: row.changed,
    unchanged: row.unchanged,
    removed: row.removed,
    bytes: row.bytes,
    error:
      row.error_reason === null
        ? null
        : {
            reason: row.error_reason,
            ...(row.error_file !== null && { file: row.error_file }),
            ...(row.error_path !== null && { path: row.error_path }),
            ...(row.error_line !== null && { line: row.error_line }),
          },
    details: row.details,
  }
}

export async function startRun(db: Queryable, source: string, kind: string, details: Record<string, unknown> = {}): Promise<Run> {
  const [row] = await db.query<RunRow>(`insert into sync_runs (source, kind, status, details) values ($1, $2, 'running', $3::jsonb) returning *`, [
    source,
    kind,
    JSON.stringify(details),
  ])
  if (!row) throw new Error('insert into sync_runs returned no row')
  return toRun(row)
}

export interface RunOutcome {
  /** Replaces the kind given at start, once the run knows what it was (a file's packages). */
  kind?: string
  counts?: Partial<Pick<ApplyResult, 'seen' | 'changed' | 'unchanged' | 'removed'>>
  bytes?: number
  details?: Record<string, unknown>
}

export async function finishRun(db: Queryable, id: number, outcome: RunOutcome = {}): Promise<Run> {
  return closeRun(db, id, 'succeeded', outcome)
}

async function closeRun(db: Queryable, id: number, status: RunStatus, outcome: RunOutcome, failure: RunFailure | null = null): Promise<Run> {
  const counts = outcome.counts ?? {}
  // One statement: a reader never sees a run failed without its reason.
  const [row] = await db.query<RunRow>(
    `update sync_runs
        set status = $8, finished_at = now(), kind = coalesce($9, kind),
            seen = seen + $2, changed = changed + $3, unchanged = unchanged + $4, removed = removed + $5,
            bytes = bytes + $6, details = details || $7::jsonb,
            error_file = $10, error_path = $11, error_line = $12, error_reason = $13
      where id = $1 returning *`,
    [
      id,
      counts.seen ?? 0,
      counts.changed ?? 0,
      counts.unchanged ?? 0,
      counts.removed ?? 0,
      outcome.bytes ?? 0,
      JSON.stringify(outcome.details ?? {}),
      status,
      outcome.kind ?? null,
      failure?.file ?? null,
      failure?.path ?? null,
      failure?.line ?? null,
      failure?.reason ?? null,
    ],
  )
  if (!row) throw new Error(`sync run ${id} does not exist`)
  return toRun(row)
}

/** Counts given here are what the run did apply before it failed (earlier files of a session). */
export async function failRun(db: Queryable, id: number, failure: RunFailure, outcome: RunOutcome = {}): Promise<Run> {
  return closeRun(db, id, 'failed', outcome, failure)
}

/**
 * What a run failed on, from the error that ended it: a file error names its line and element
 * path; an invalid entity its kind and key; anything else its message, in the file being read.
 */
export function failureOf(error: unknown, file?: string): RunFailure {
  if (error instanceof XmlInputError) return { file: error.file, path: error.path, line: error.line, reason: error.reason }
  // A stored run is read by support staff: an address or error quoted in it keeps no secret.
  const reason = redactText(error instanceof Error ? error.message : String(error))
  if (error instanceof InvalidEntityError) return { file, path: `${error.kind}[${error.key}]`, reason }
  return { file, reason }
}

/** Errors whose run has been failed already: a job runner above must not record them again. */
const recorded = new WeakSet<object>()

export function isRecorded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && recorded.has(error)
}

/**
 * The one way a run ends in failure: the error becomes its stored failure (see failureOf), and the
 * error is marked as recorded. Returns the error, to be thrown on: `throw await recordFailure(…)`.
 */
export async function recordFailure(db: Queryable, runId: number, error: unknown, options: { file?: string | undefined; outcome?: RunOutcome } = {}): Promise<unknown> {
  await failRun(db, runId, failureOf(error, options.file), options.outcome)
  if (typeof error === 'object' && error !== null) recorded.add(error)
  return error
}

/**
 * Runs `work` as one run: started before it, finished with what it returns, failed with what it
 * throws. Every run that starts here ends.
 */
export async function withRun<T>(
  db: Queryable,
  start: { source: string; kind: string; details?: Record<string, unknown>; file?: string },
  work: (run: Run) => Promise<{ value: T; outcome?: RunOutcome }>,
): Promise<{ run: Run; value: T }> {
  const run = await startRun(db, start.source, start.kind, start.details ?? {})
  try {
    const { value, outcome } = await work(run)
    return { run: await finishRun(db, run.id, outcome), value }
  } catch (error) {
    throw await recordFailure(db, run.id, error, { file: start.file })
  }
}

/**
 * Wraps a job's handler so that no job fails silently inside the job engine: an error that no run
 * recorded (thrown before its run started: files gone, a source unknown) becomes a failed run of
 * its own, `job:<queue>`, and a log line. `rethrow` hands it on for the queue's retry.
 */
export function recordedJob<T>(db: Queryable, logger: Logger, queue: string, handler: (job: T) => Promise<void>, options: { rethrow?: boolean } = {}) {
  return async (job: T): Promise<void> => {
    try {
      await handler(job)
    } catch (error) {
      if (!isRecorded(error)) {
        const run = await startRun(db, `job:${queue}`, queue, { job: job as unknown as Record<string, unknown> }).catch(() => null)
        if (run) await recordFailure(db, run.id, error).catch(() => {})
        logger.warn({ err: error, queue, run: run?.id }, `${queue}: the job failed before its run started: ${error instanceof Error ? error.message : String(error)}`)
      }
      if (options.rethrow ?? true) throw error
    }
  }
}

/**
 * A run still `running` whose process is gone was cut off by a crash or kill; its changes were
 * rolled back with its transaction. Its process is gone when no session holds the advisory lock
 * on the run's instance id (see store/instance.ts): true at once after a SIGKILL, on every store,
 * with any number of instances. Runs from before instance ids count as cut off.
 */
export async function failInterruptedRuns(db: Queryable): Promise<number> {
  const rows = await db.query(
    `update sync_runs r set status = 'failed', finished_at = now(),
            error_reason = 'interrupted: the process stopped before the run finished; nothing of it was applied after its last commit'
      where r.status = 'running'
        and not exists (
          select 1 from pg_locks l
           where l.locktype = 'advisory' and l.granted and l.classid = $1 and l.objsubid = 2
             and l.objid = r.instance_id::oid
             and l.database = (select oid from pg_database where datname = current_database()))
      returning id`,
    [LOCKS.instanceNamespace],
  )
  return rows.length
}

export async function getRun(db: Queryable, id: number): Promise<Run | null> {
  const [row] = await db.query<RunRow>('select * from sync_runs where id = $1', [id])
  return row ? toRun(row) : null
}

/** The newest run of each of `sources` (absent: that source never ran), whatever else ran since. */
export async function lastRunOf(db: Queryable, sources: readonly string[]): Promise<Map<string, Run>> {
  if (sources.length === 0) return new Map()
  const rows = await db.query<RunRow>(
    `select r.* from unnest($1::text[]) as s(source)
       cross join lateral (select * from sync_runs where source = s.source order by id desc limit 1) r`,
    [sources],
  )
  return new Map(rows.map((row) => [row.source, toRun(row)]))
}

export interface ListRunsFilter {
  limit: number
  /** Runs with a smaller id than this (paging backwards in time). */
  before?: number | undefined
  source?: string | undefined
  status?: RunStatus | undefined
  kind?: string | undefined
  /** Started at or after / before these instants. */
  from?: Date | undefined
  to?: Date | undefined
  /** Only runs that ended with an error. */
  hasErrors?: boolean | undefined
}

const RUN_FILTER = `($1::bigint is null or id < $1)
        and ($2::text is null or source = $2)
        and ($3::text is null or status = $3)
        and ($4::text is null or kind = $4)
        and ($5::timestamptz is null or started_at >= $5)
        and ($6::timestamptz is null or started_at < $6)
        and (not $7 or error_reason is not null)`

const runFilterValues = (filter: ListRunsFilter) => [
  filter.before ?? null,
  filter.source ?? null,
  filter.status ?? null,
  filter.kind ?? null,
  filter.from ?? null,
  filter.to ?? null,
  filter.hasErrors ?? false,
]

export async function listRuns(db: Queryable, filter: ListRunsFilter): Promise<Run[]> {
  const rows = await db.query<RunRow>(`select * from sync_runs where ${RUN_FILTER} order by id desc limit $8`, [...runFilterValues(filter), filter.limit])
  return rows.map(toRun)
}

/** How many runs of each status the filter (without its status and paging) matches. */
export async function countRuns(db: Queryable, filter: Omit<ListRunsFilter, 'limit' | 'before' | 'status'>): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    `select status, count(*)::int as n from sync_runs where ${RUN_FILTER} group by status`,
    runFilterValues({ ...filter, limit: 0 }),
  )
  return Object.fromEntries(rows.map((row) => [row.status, row.n]))
}

/** A source that leaves no run of its own (1C asking for orders) worked just now: what its freshness is measured by. */
export async function beat(db: Queryable, source: string): Promise<void> {
  await db.query(`insert into source_heartbeats (source, last_at) values ($1, now()) on conflict (source) do update set last_at = excluded.last_at`, [source])
}
