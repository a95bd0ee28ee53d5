/**
 * Opening and closing the process's resources in the right order, shared by the service
 * (main.ts) and the CLI: config file, store (embedded server or DATABASE_URL), migrations, job engine.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ConfigError, loadConfig, type ConfigInput } from './config.ts'
import type { Logger } from './logger.ts'
import { ensureSecrets, type GeneratedSecrets } from './secrets.ts'
import {
  createJobEngine,
  INSTANCE_SETTING,
  migrate,
  openInstance,
  openPostgres,
  startEmbedded,
  type Db,
  type EmbeddedServer,
  type InstanceSession,
  type JobEngine,
} from './store/index.ts'
import { failInterruptedRuns } from './state/index.ts'

export async function readConfig(env: Readonly<Record<string, string | undefined>>): Promise<ConfigInput> {
  const fileName = env.CONFIG_FILE
  if (!fileName) return loadConfig({ env })
  let text: string
  try {
    text = await readFile(fileName, 'utf8')
  } catch (error) {
    throw new ConfigError(`CONFIG_FILE=${fileName}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  let content: unknown
  try {
    // YAML is a superset of JSON, so one parser reads both.
    content = parseYaml(text) ?? {}
  } catch (error) {
    throw new ConfigError(`CONFIG_FILE=${fileName}: not valid YAML or JSON (${(error as Error).message.split('\n')[0]})`)
  }
  return loadConfig({ env, file: { name: fileName, content } })
}

export interface Store {
  db: Db
  /** The embedded server, when DATABASE_URL is unset. */
  embedded: EmbeddedServer | undefined
  close(): Promise<void>
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, holder: string | undefined) {
    super(
      `DATA_DIR ${dataDir} is in use by another onec-bridge service${holder ? ` (${holder})` : ''}. Stop that process first; ` +
        'the CLI (onec-bridge import, pull, migrate) works beside it. To run several instances, give each its own DATA_DIR and one DATABASE_URL.',
    )
    this.name = 'DataDirInUseError'
  }
}

export interface OpenStoreOptions {
  /** A service owns the embedded server of its DATA_DIR (one at a time); CLI commands share it. */
  role: 'service' | 'cli'
  /** Secrets already read by the caller (main.ts prints the ones it generated). */
  secrets?: GeneratedSecrets
}

const FATAL_LINES_EVERY_MS = 2000

/**
 * Opens the store the config names and migrates it: a server of your own (DATABASE_URL), or the
 * embedded PostgreSQL in DATA_DIR, started or adopted. The last onec-bridge process to close an
 * embedded server stops it; one that leaves others connected (the service beside a CLI) leaves it running.
 */
export async function openStore(config: ConfigInput, logger: Logger, options: OpenStoreOptions = { role: 'cli' }): Promise<Store> {
  const applicationName = `onec-bridge ${options.role} ${process.pid}`
  const server = config.store.databaseUrl ? undefined : await startEmbeddedStore(config, logger, options.secrets)
  const connectionString = server ? server.connectionString : String(config.store.databaseUrl)
  let instance: InstanceSession | undefined
  let db: Db | undefined
  let watch: NodeJS.Timeout | undefined
  const closeAll = async () => {
    clearInterval(watch)
    await db?.close()
    const others = server ? await instance?.otherSessions().catch(() => 0) : 0
    await instance?.close()
    if (!server) return
    if (others === 0) await server.stop()
    else logger.info(`embedded PostgreSQL left running: ${others} other onec-bridge connection(s) use it`)
  }
  try {
    instance = await openInstance(connectionString, { applicationName })
    if (server && options.role === 'service' && !(await instance.own())) {
      const holder = await instance.owner()
      await instance.close()
      instance = undefined
      throw new DataDirInUseError(config.store.dataDir, holder)
    }
    if (server) logger.info({ port: server.port }, `embedded store ${server.how}: ${server.describe}, port ${server.port}`)
    db = await openPostgres({ connectionString, applicationName, settings: { [INSTANCE_SETTING]: String(instance.id) } })
    const applied = await migrate(db)
    if (applied.length > 0) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`)
    const interrupted = await failInterruptedRuns(db)
    if (interrupted > 0) logger.warn({ interrupted }, `${interrupted} sync run(s) were cut off by a process that stopped, and are marked failed`)
  } catch (error) {
    // A refused second service leaves the first one's server alone; anything else closes what it opened.
    if (!(error instanceof DataDirInUseError)) await closeAll().catch(() => {})
    throw error
  }
  if (server && options.role === 'service') {
    watch = setInterval(() => {
      void server.readFatalLines().then(
        (lines) => lines.forEach((line) => logger.error({ postgres: line }, `PostgreSQL: ${line}`)),
        () => {},
      )
    }, FATAL_LINES_EVERY_MS)
    watch.unref()
  }
  return { db, embedded: server, close: closeAll }
}

async function startEmbeddedStore(config: ConfigInput, logger: Logger, known: GeneratedSecrets | undefined): Promise<EmbeddedServer> {
  const secrets = known ?? (await ensureSecrets(config.store.dataDir))
  if (existsSync(join(config.store.dataDir, 'pglite')) && !existsSync(join(config.store.dataDir, 'pg'))) {
    logger.warn(
      `${join(config.store.dataDir, 'pglite')} holds the PGlite store of an earlier version; it is not read any more. The new store starts empty: run a full exchange from 1C once.`,
    )
  }
  return startEmbedded({
    dataDir: config.store.dataDir,
    password: secrets.storePassword,
    settings: config.store.embedded,
    log: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) },
  })
}

export async function startJobs(db: Db, logger: Logger): Promise<JobEngine> {
  const jobs = createJobEngine(db, { onError: (error) => logger.warn({ err: error }, `job engine: ${error.message} (it retries)`) })
  await jobs.start()
  return jobs
}
