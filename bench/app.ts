/** The real service for benches: a fresh store (PGlite in memory, or BENCH_DATABASE_URL), migrated, with its job engine and one storefront. */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.ts'
import { loadConfig, withSecrets } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { createJobEngine, migrate, openPglite, openPostgres, type Db } from '../src/store/index.ts'

export const serverUrl = process.env.BENCH_DATABASE_URL

/** PGlite in memory, or the BENCH_DATABASE_URL server with its public and pgboss schemas dropped first. */
export async function openBenchDb(): Promise<Db> {
  if (!serverUrl) return openPglite()
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query('drop schema if exists public cascade; drop schema if exists pgboss cascade; create schema public')
  await admin.end()
  return openPostgres({ connectionString: serverUrl })
}

export interface BenchApp {
  app: FastifyInstance
  db: Db
  close(): Promise<void>
}

export async function startBenchApp(storefront: { url: string; enabled?: boolean; apiKeys?: string[] }): Promise<BenchApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'onec-bridge-bench-'))
  const db = await openBenchDb()
  await migrate(db)
  const jobs = createJobEngine(db, { maintenance: false })
  await jobs.start()
  const config = withSecrets(
    loadConfig({
      env: { LOG_LEVEL: 'silent', DATA_DIR: dataDir },
      file: { name: 'bench', content: { storefronts: [{ id: 'bench', secrets: [`whsec_${randomBytes(32).toString('base64')}`], local: true, ...storefront }] } },
    }),
    { adminToken: 'bench-admin-token-000', exchangePassword: 'bench-password' },
  )
  const app = await buildApp({ config, db, jobs, logger: createLogger('silent'), profile: await loadProfile('commerceml') })
  return {
    app,
    db,
    async close() {
      await app.close()
      await jobs.stop({ graceful: false })
      await db.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
