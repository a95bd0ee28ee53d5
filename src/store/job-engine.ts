/**
 * Durable jobs: pg-boss on the same PostgreSQL as the state, with a small pool of its own.
 * Later issues register their queues here: imports, pulls, webhook deliveries, order forwarding.
 */
import { PgBoss } from 'pg-boss'
import type { Db } from './db.ts'

export const JOB_SCHEMA = 'pgboss'

export interface JobEngineOptions {
  /** pg-boss schema; tests use one per file on a shared server. */
  schema?: string
  /** Run pg-boss maintenance and cron timers (off in tests). */
  maintenance?: boolean
}

export interface JobEngine {
  readonly boss: PgBoss
  start(): Promise<void>
  /** Stops taking jobs, lets running ones finish for up to `timeoutMs`, then releases the rest for retry. */
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>
  /** Throws unless the engine is running and its tables answer (readiness). */
  check(): Promise<void>
}

export function createJobEngine(db: Db, options: JobEngineOptions = {}): JobEngine {
  const boss = new PgBoss({
    connectionString: db.connectionString,
    schema: options.schema ?? JOB_SCHEMA,
    supervise: options.maintenance ?? true,
    schedule: options.maintenance ?? true,
    max: 4,
    application_name: `onec-bridge jobs ${process.pid}`,
  })
  let state: 'created' | 'running' | 'stopped' = 'created'
  return {
    boss,
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

export type { PgBoss }
