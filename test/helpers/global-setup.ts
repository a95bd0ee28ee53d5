/**
 * Starts, once per run, the embedded PostgreSQL the service itself would run (same code, a fresh
 * DATA_DIR) and builds a template database with every migration and pg-boss's tables; each test
 * file clones it with CREATE DATABASE … TEMPLATE (a fraction of a second). With TEST_DATABASE_URL
 * set, the files use a schema each on that server instead, and nothing is started here.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { createJobEngine, migrate, openPostgres, startEmbedded, type EmbeddedServer } from '../../src/store/index.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The embedded test server's maintenance database, and the template to clone. */
    testServer: { adminUrl: string; template: string } | undefined
  }
}

export const TEST_JOB_SCHEMA = 'pgboss'
const TEMPLATE = 'onec_template'

function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('testServer', undefined)
    return async () => {}
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'onec-bridge-test-store-'))
  let server: EmbeddedServer | undefined
  try {
    server = await startEmbedded({
      dataDir,
      password: 'test-store-password',
      settings: { sharedBuffers: '128MB', maxConnections: 300 },
      log: { info: () => {}, warn: (message) => process.stderr.write(`test store: ${message}\n`) },
    })
    const adminUrl = databaseUrl(server.connectionString, 'postgres')
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`create database ${TEMPLATE}`)
    await admin.end()
    const db = await openPostgres({ connectionString: databaseUrl(server.connectionString, TEMPLATE), max: 2 })
    await migrate(db)
    const jobs = createJobEngine(db, { schema: TEST_JOB_SCHEMA, maintenance: false })
    await jobs.start()
    await jobs.stop({ graceful: false })
    await db.close()
    project.provide('testServer', { adminUrl, template: TEMPLATE })
  } catch (error) {
    await server?.stop().catch(() => {})
    await removeCluster(dataDir, server)
    throw error
  }
  return async () => {
    await server?.stop()
    await removeCluster(dataDir, server)
  }
}

async function removeCluster(dataDir: string, server: EmbeddedServer | undefined): Promise<void> {
  if (server) await rm(server.clusterDir, { recursive: true, force: true })
  await rm(dataDir, { recursive: true, force: true })
}
