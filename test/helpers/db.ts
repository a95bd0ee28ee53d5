/**
 * A real, fresh database per test file: PGlite loaded from the migrated template, or, when
 * TEST_DATABASE_URL is set, a new schema on that PostgreSQL server (dropped afterwards).
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { inject } from 'vitest'
import { createJobEngine, migrate, openPglite, openPostgres, type Db, type JobEngine } from '../../src/store/index.ts'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined
export const engine = TEST_DATABASE_URL ? 'postgres' : 'pglite'

export interface TestDb {
  db: Db
  /** Where pg-boss keeps its tables for this database. */
  jobSchema: string
  /** For a PostgreSQL run: the schema, to open a second connection to the same data. */
  schema: string | undefined
  close(): Promise<void>
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export async function openTestDb(): Promise<TestDb> {
  if (!TEST_DATABASE_URL) {
    const dump = await readFile(inject('pgliteTemplate'))
    const db = await openPglite({ loadDataDir: new Blob([dump]) })
    return { db, jobSchema: 'pgboss', schema: undefined, close: () => db.close() }
  }
  const schema = `t_${randomBytes(6).toString('hex')}`
  await admin((client) => client.query(`create schema ${schema}`))
  const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema, max: 5 })
  await migrate(db)
  return {
    db,
    jobSchema: `${schema}_jobs`,
    schema,
    async close() {
      await db.close()
      await admin((client) => client.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_jobs cascade`))
    },
  }
}

export async function startTestJobs(testDb: TestDb): Promise<JobEngine> {
  const jobs = createJobEngine(testDb.db, { schema: testDb.jobSchema, maintenance: false })
  await jobs.start()
  return jobs
}
