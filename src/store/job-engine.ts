/**
 * Durable jobs: pg-boss on the same PostgreSQL as the state, with a small pool of its own.
 *
 * One rule for every job (webhook deliveries, order forwarding, imports, pulls), so no job is
 * left behind:
 * 1. A job is queued in the transaction that writes the row needing it (`queueInTx`): both
 *    commit or neither does, and the row keeps the job's id.
 * 2. Every queue is created with `RELIABLE`: a worker sends heartbeats; a job whose worker died
 *    (SIGKILL, power loss) misses them and pg-boss's monitor fails and retries it.
 * 3. Each feature sweeps its rows on start and every minute: a row still waiting whose job is
 *    gone, failed or finished without its work done is queued again (`jobGoneSql` tells).
 */
import { randomUUID } from 'node:crypto'
import { PgBoss, type Db as JobDatabase, type Queue } from 'pg-boss'
import type { Db, Queryable } from './db.ts'

/** What a queue is created with. */
type QueueSettings = Omit<Queue, 'name'>

export const JOB_SCHEMA = 'pgboss'

/**
 * A job claimed by a worker that stops heart-beating for this long is retried. pg-boss's least;
 * a worker beats every 5 s whatever its job takes.
 */
export const HEARTBEAT_SECONDS = 10
/** How often pg-boss's monitor looks for such jobs (and expires, retries, cleans). */
const SUPERVISE_SECONDS = 10

/**
 * Queue options every queue starts from (see rule 2). `notify`: a job queued on any instance wakes
 * the workers of every instance when its transaction commits (pg-boss's LISTEN/NOTIFY), polling
 * stays as the floor.
 */
export const RELIABLE = { heartbeatSeconds: HEARTBEAT_SECONDS, retryLimit: 3, retryDelay: 5, retryBackoff: true, notify: true } satisfies QueueSettings

/** Creates a queue; one created by an earlier version (without `notify`) is given it. */
export async function ensureQueue(boss: PgBoss, name: string, options: QueueSettings): Promise<void> {
  await boss.createQueue(name, options)
  if (options.notify !== undefined) await boss.updateQueue(name, { notify: options.notify })
}

export interface JobEngineOptions {
  /** pg-boss schema; tests use one per file on a shared server. */
  schema?: string
  /** Run pg-boss maintenance and cron timers (off in tests). */
  maintenance?: boolean
  /**
   * What pg-boss reports on its own (a pooled connection that dropped, a failed maintenance run);
   * it keeps working and retries. Without a listener its 'error' event would end the process.
   */
  onError?: (error: Error) => void
}

export interface JobEngine {
  readonly boss: PgBoss
  readonly schema: string
  start(): Promise<void>
  /** Stops taking jobs, lets running ones finish for up to `timeoutMs`, then releases the rest for retry. */
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>
  /** Throws unless the engine is running and its tables answer (readiness). */
  check(): Promise<void>
}

export function createJobEngine(db: Db, options: JobEngineOptions = {}): JobEngine {
  const schema = options.schema ?? JOB_SCHEMA
  const boss = new PgBoss({
    connectionString: db.connectionString,
    schema,
    supervise: options.maintenance ?? true,
    schedule: options.maintenance ?? true,
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
    max: 4,
    // One more connection per instance, LISTENing: a job queued anywhere wakes the workers here.
    // Where LISTEN cannot work (PgBouncer in transaction mode) pg-boss warns and keeps polling.
    useListenNotify: true,
    application_name: `onec-bridge jobs ${process.pid}`,
  })
  boss.on('error', (error: Error) => options.onError?.(error))
  let state: 'created' | 'running' | 'stopped' = 'created'
  return {
    boss,
    schema,
    async start() {
      await boss.start()
      state = 'running'
    },
    async stop({ graceful = true, timeoutMs = 20_000 } = {}) {
      if (state === 'stopped') return
      state = 'stopped'
      await boss.stop({ graceful, timeout: timeoutMs, close: true })
    },
    async check() {
      if (state !== 'running') throw new Error(`job engine is ${state}`)
      if (!(await boss.isInstalled())) throw new Error('job tables are not installed')
    },
  }
}

/** pg-boss's statements on the caller's transaction. */
function onTransaction(tx: Queryable): JobDatabase {
  return { executeSql: async (text, values) => ({ rows: await tx.query(text, values) }) }
}

export interface JobRequest {
  data: object
  startAfter?: Date
  singletonKey?: string
}

/**
 * Queues jobs in the caller's transaction (rule 1); returns their ids, in order, to keep on the
 * rows. One statement whatever their number.
 */
export async function queueInTx(jobs: JobEngine, tx: Queryable, queue: string, requests: readonly JobRequest[]): Promise<string[]> {
  if (requests.length === 0) return []
  const ids = requests.map(() => randomUUID())
  await jobs.boss.insert(
    queue,
    requests.map((request, index) => ({
      id: ids[index],
      data: request.data,
      ...(request.startAfter && { startAfter: request.startAfter }),
      ...(request.singletonKey && { singletonKey: request.singletonKey }),
    })),
    { db: onTransaction(tx) },
  )
  return ids
}

/**
 * SQL condition for rule 3: the job `idColumn` names (of the queue in parameter `queueParam`) no
 * longer waits or runs — gone, failed, or finished — so its row needs a new one. No id counts as gone.
 */
export function jobGoneSql(jobs: JobEngine, idColumn: string, queueParam: string): string {
  return `(${idColumn} is null or not exists (
            select 1 from ${jobs.schema}.job j where j.name = ${queueParam} and j.id = ${idColumn} and j.state in ('created', 'retry', 'active')))`
}

export type { PgBoss }
