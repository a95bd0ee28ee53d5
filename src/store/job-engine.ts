/**
 * Durable jobs: pg-boss on the same PostgreSQL as the state (PGlite through pg-boss's own adapter).
 * Later issues register their queues here: imports, pulls, webhook deliveries, order forwarding.
 */
import { PgBoss, fromPglite, type ConstructorOptions } from 'pg-boss'
import type { Db } from './db.ts'

export const JOB_SCHEMA = 'pgboss'

export interface JobEngineOptions {
  /** pg-boss schema; tests use one per file on a shared server. */
  schema?: string
  /** Run pg-boss maintenance and cron timers (off in tests). */
  maintenance?: boolean
}

export function createJobEngine(db: Db, options: JobEngineOptions = {}): PgBoss {
  const common: ConstructorOptions = {
    schema: options.schema ?? JOB_SCHEMA,
    supervise: options.maintenance ?? true,
    schedule: options.maintenance ?? true,
  }
  const boss =
    db.driver.kind === 'pglite'
      ? new PgBoss({ ...common, db: fromPglite(db.driver.pglite), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: db.driver.connectionString, max: 4, application_name: 'onec-bridge-jobs' })
  return boss
}

/** Stops taking jobs, lets running ones finish for up to `timeoutMs`, then releases the rest for retry. */
export async function stopJobEngine(boss: PgBoss, timeoutMs = 20_000): Promise<void> {
  await boss.stop({ graceful: true, timeout: timeoutMs, close: true })
}

export type { PgBoss }
