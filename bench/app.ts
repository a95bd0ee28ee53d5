/** The real service for benches: a fresh store (bench/store.ts), migrated, with its job engine and one storefront. */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.ts'
import { loadConfig, withSecrets } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { createJobEngine, type Db } from '../src/store/index.ts'
import { freshBenchDb } from './store.ts'

export { serverUrl, storeName } from './store.ts'

export interface BenchApp {
  app: FastifyInstance
  db: Db
  close(): Promise<void>
}

export async function startBenchApp(storefront: { url: string; enabled?: boolean; apiKeys?: string[] }): Promise<BenchApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'onec-bridge-bench-'))
  const bench = await freshBenchDb()
  const db = bench.db
  const jobs = createJobEngine(db, { schema: bench.jobSchema, maintenance: false })
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
      await bench.drop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
