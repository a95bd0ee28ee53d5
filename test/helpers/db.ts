/**
 * A real, fresh database per test file: a clone of the migrated template on the run's embedded
 * server, or, when TEST_DATABASE_URL is set, a new schema on that PostgreSQL server. Dropped afterwards.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { createJobEngine, migrate, openPostgres, type Db, type JobEngine } from '../../src/store/index.ts'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined
export const engine = TEST_DATABASE_URL ? 'postgres' : 'embedded'

export interface TestDb {
  db: Db
  /** Where pg-boss keeps its tables for this database. */
  jobSchema: string
  /** How a second process reaches the same data: the URL, and on a shared server the schema. */
  connectionString: string
  schema: string | undefined
  close(): Promise<void>
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

export async function openTestDb(): Promise<TestDb> {
  const name = `t_${randomBytes(6).toString('hex')}`
  if (!TEST_DATABASE_URL) {
    const server = inject('testServer')
    if (!server) throw new Error('the test store was not started (test/helpers/global-setup.ts)')
    await admin(server.adminUrl, (client) => client.query(`create database ${name} template ${server.template}`))
    const connectionString = withDatabase(server.adminUrl, name)
    const db = await openPostgres({ connectionString, max: 5, applicationName: 'onec-bridge test' })
    return {
      db,
      jobSchema: 'pgboss',
      connectionString,
      schema: undefined,
      async close() {
        await db.close()
        await admin(server.adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`))
      },
    }
  }
  await admin(TEST_DATABASE_URL, (client) => client.query(`create schema ${name}`))
  const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema: name, max: 5, applicationName: 'onec-bridge test' })
  await migrate(db)
  return {
    db,
    jobSchema: `${name}_jobs`,
    connectionString: TEST_DATABASE_URL,
    schema: name,
    async close() {
      await db.close()
      await admin(TEST_DATABASE_URL, (client) => client.query(`drop schema if exists ${name} cascade; drop schema if exists ${name}_jobs cascade`))
    },
  }
}

export async function startTestJobs(testDb: TestDb): Promise<JobEngine> {
  const jobs = createJobEngine(testDb.db, { schema: testDb.jobSchema, maintenance: false })
  await jobs.start()
  return jobs
}
