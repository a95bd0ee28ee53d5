/**
 * Opening and closing the process's resources in the right order, shared by the service
 * (main.ts) and the CLI: config file, data-dir lock, store, migrations, job engine.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ConfigError, loadConfig, type ConfigInput } from './config.ts'
import type { Logger } from './logger.ts'
import { createJobEngine, lockDataDir, migrate, openPglite, openPostgres, type Db, type JobEngine, type ReleaseLock } from './store/index.ts'

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
  close(): Promise<void>
}

/** Opens the store the config names (PGlite in DATA_DIR unless DATABASE_URL) and migrates it. */
export async function openStore(config: ConfigInput, logger: Logger): Promise<Store> {
  let release: ReleaseLock | undefined
  let db: Db
  if (config.store.databaseUrl) {
    db = await openPostgres({ connectionString: config.store.databaseUrl })
  } else {
    release = await lockDataDir(config.store.dataDir, (error) => {
      logger.fatal({ err: error }, 'lost the lock on DATA_DIR; stopping to protect the embedded store')
      process.kill(process.pid, 'SIGTERM')
    })
    try {
      db = await openPglite({ dataDir: join(config.store.dataDir, 'pglite') })
    } catch (error) {
      await release()
      throw error
    }
  }
  try {
    const applied = await migrate(db)
    if (applied.length > 0) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`)
  } catch (error) {
    await db.close()
    await release?.()
    throw error
  }
  return {
    db,
    async close() {
      await db.close()
      await release?.()
    },
  }
}

export async function startJobs(db: Db): Promise<JobEngine> {
  const jobs = createJobEngine(db)
  await jobs.start()
  return jobs
}
