export { openPglite, openPostgres, type Db, type Queryable, type Row, type Driver } from './db.ts'
export { migrate, loadMigrations } from './migrate.ts'
export { lockDataDir, DataDirLockedError, type ReleaseLock } from './data-dir-lock.ts'
export { createJobEngine, JOB_SCHEMA, type JobEngine, type PgBoss, type JobEngineOptions } from './job-engine.ts'
