/** Builds the real app on a fresh database, as main.ts does, and closes all of it afterwards. */
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { loadConfig, withSecrets, type Config } from '../../src/config.ts'
import { createLogger } from '../../src/logger.ts'
import type { Db, JobEngine } from '../../src/store/index.ts'
import { openTestDb, startTestJobs } from './db.ts'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const EXCHANGE_USER = 'exchange'
export const EXCHANGE_PASSWORD = 'exchange-password'

export interface TestApp {
  app: FastifyInstance
  db: Db
  jobs: JobEngine
  config: Config
  close(): Promise<void>
}

export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const testDb = await openTestDb()
  const jobs = await startTestJobs(testDb)
  const config = withSecrets(loadConfig({ env: { LOG_LEVEL: 'silent', EXCHANGE_USER, ...env } }), {
    adminToken: ADMIN_TOKEN,
    exchangePassword: EXCHANGE_PASSWORD,
  })
  const logger = createLogger(config.log.level)
  const app = await buildApp({ config, db: testDb.db, jobs, logger })
  await app.ready()
  return {
    app,
    db: testDb.db,
    jobs,
    config,
    async close() {
      await app.close()
      await jobs.stop({ graceful: false })
      await testDb.close()
    },
  }
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` }
