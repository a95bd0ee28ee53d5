import { randomBytes } from 'node:crypto'
/** Builds the real app on a fresh database, as main.ts does, and closes all of it afterwards. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { DestinationStream } from 'pino'
import { loadProfile, type MappingProfile } from '../../src/onec/mapping/profile.ts'
import { buildApp } from '../../src/app.ts'
import { loadConfig, withSecrets, type Config } from '../../src/config.ts'
import { createLogger } from '../../src/logger.ts'
import type { Db, JobEngine } from '../../src/store/index.ts'
import { engine, openTestDb, startTestJobs, type TestDb } from './db.ts'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const EXCHANGE_USER = 'exchange'
export const EXCHANGE_PASSWORD = 'exchange-password'

export interface TestApp {
  app: FastifyInstance
  db: Db
  jobs: JobEngine
  config: Config
  profile: MappingProfile
  /** The app's DATA_DIR (uploads live under exchange/). */
  dataDir: string
  testDb: TestDb
  close(): Promise<void>
}

export async function buildTestApp(
  env: Record<string, string> = {},
  options: {
    profile?: MappingProfile
    configFile?: Record<string, unknown>
    logTo?: DestinationStream
    /** Another instance on the same database (and job schema), with a DATA_DIR of its own: closing it leaves the database. */
    beside?: TestApp
  } = {},
): Promise<TestApp> {
  const testDb = options.beside ? { ...options.beside.testDb, close: async () => {} } : await openTestDb()
  const jobs = await startTestJobs(testDb)
  const dataDir = await mkdtemp(join(tmpdir(), 'onec-bridge-app-'))
  // The PostgreSQL-server pass keeps the exchange's uploads in the store, as a service on DATABASE_URL does.
  const env_ = { LOG_LEVEL: 'silent', EXCHANGE_USER, DATA_DIR: dataDir, EXCHANGE_UPLOADS: engine === 'postgres' ? 'store' : 'disk', ...env }
  const file = options.configFile ? { name: 'test-config.yaml', content: options.configFile } : undefined
  const config = withSecrets(loadConfig(file ? { env: env_, file } : { env: env_ }), {
    adminToken: ADMIN_TOKEN,
    exchangePassword: EXCHANGE_PASSWORD,
  })
  const logger = createLogger(config.log.level, options.logTo)
  const profile = options.profile ?? (await loadProfile(config.mapping.profile))
  const app = await buildApp({ config, db: testDb.db, jobs, logger, profile })
  await app.ready()
  return {
    app,
    db: testDb.db,
    jobs,
    config,
    profile,
    dataDir,
    testDb,
    async close() {
      await app.close()
      await jobs.stop({ graceful: false })
      await testDb.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` }

/** The REST API key of the storefront `buildStorefrontApp` declares, and its header. */
export const STOREFRONT_KEY = `sk_test_${randomBytes(16).toString('hex')}`
export const storefrontHeaders = { authorization: `Bearer ${STOREFRONT_KEY}` }

/** An app with one storefront `shop` (webhooks off) whose REST API key is STOREFRONT_KEY. */
export function buildStorefrontApp(): Promise<TestApp> {
  return buildTestApp(
    {},
    {
      configFile: {
        storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: [`whsec_${randomBytes(32).toString('base64')}`], enabled: false, apiKeys: [STOREFRONT_KEY] }],
      },
    },
  )
}

/** Every log line the app writes, as text: `logTo` for buildTestApp (with LOG_LEVEL info or lower). */
export function logCapture(): { stream: DestinationStream; text: () => string } {
  const lines: string[] = []
  return { stream: { write: (line: string) => void lines.push(line) }, text: () => lines.join('') }
}

/** Signs in to the console (as the first admin, with the admin token, unless told) and returns the session cookie. */
export async function consoleCookie(app: FastifyInstance, login = 'admin', password = ADMIN_TOKEN): Promise<string> {
  const signIn = await app.inject({
    method: 'POST',
    url: '/console/login',
    payload: new URLSearchParams({ login, password, next: '/console' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  return String(signIn.headers['set-cookie']).split(';')[0] as string
}
