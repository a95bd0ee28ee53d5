/**
 * The process: read config, open the store (starting or adopting the embedded PostgreSQL), start
 * the job engine, listen, and shut all of it down in reverse order on SIGTERM/SIGINT: requests
 * end, running jobs finish or are released, then PostgreSQL gets a fast shutdown.
 */
import { buildApp } from './app.ts'
import { ConfigError, withSecrets } from './config.ts'
import { loadProfile, ProfileError } from './onec/mapping/profile.ts'
import { createLogger } from './logger.ts'
import { DataDirInUseError, readConfig, openStore, startJobs } from './runtime.ts'
import { ensureSecrets } from './secrets.ts'
import { EmbeddedStoreError } from './store/index.ts'

const FORCE_AFTER_MS = 2000

async function main(): Promise<void> {
  const input = await readConfig(process.env)
  const logger = createLogger(input.log.level)
  const profile = await loadProfile(input.mapping.profile)
  const secrets = await ensureSecrets(input.store.dataDir)
  const store = await openStore(input, logger, { role: 'service', secrets })
  const config = withSecrets(input, secrets)
  // Printed once, on the first start, for the integrator to write down (README); never again.
  if (!input.auth.adminToken && secrets.generated.includes('adminToken')) {
    logger.warn(`generated admin token ${secrets.adminToken} (kept in ${secrets.file}; set ADMIN_TOKEN to choose your own)`)
  }
  if (!input.exchange.password && secrets.generated.includes('exchangePassword')) {
    logger.warn(`generated 1C exchange login ${config.exchange.user} / ${secrets.exchangePassword} (kept in ${secrets.file}; set EXCHANGE_PASSWORD to choose your own)`)
  }
  // On a server of your own, other instances may share the store, but not this DATA_DIR: their generated secrets would differ.
  const generatedHere = [!input.auth.adminToken && 'ADMIN_TOKEN', !input.exchange.password && 'EXCHANGE_PASSWORD'].filter(Boolean)
  if (input.store.databaseUrl && generatedHere.length > 0) {
    logger.warn(
      `${generatedHere.join(' and ')} not set: this instance uses the ones generated in ${secrets.file}. Running several instances on one DATABASE_URL, set them (or ${generatedHere.map((name) => `${name}_FILE`).join(', ')}) the same on every instance, or 1C and the console will be refused by the others.`,
    )
  }
  const jobs = await startJobs(store.db, logger)
  const app = await buildApp({ config, db: store.db, jobs, logger, profile })

  let stoppingSince = 0
  const shutdown = async (signal: string) => {
    if (stoppingSince > 0) {
      // Ctrl-C under `npm start` delivers SIGINT twice (terminal and npm); only a later one forces.
      if (Date.now() - stoppingSince < FORCE_AFTER_MS) return
      logger.warn(`${signal} again: exiting without a clean shutdown`)
      process.exit(1)
    }
    stoppingSince = Date.now()
    logger.info({ signal }, 'shutting down')
    try {
      await app.close()
      await jobs.stop()
      await store.close()
      logger.info('stopped cleanly')
      process.exit(0)
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  await app.listen({ port: config.http.port, host: config.http.host })
  logger.info({ store: config.store.databaseUrl ? 'postgres' : `embedded (${store.embedded?.clusterDir})` }, `onec-bridge listening on ${config.http.host}:${config.http.port}`)
}

main().catch((error: unknown) => {
  // Before the logger exists, and for errors the operator must read, one plain line on stderr.
  const known = error instanceof ConfigError || error instanceof DataDirInUseError || error instanceof EmbeddedStoreError || error instanceof ProfileError
  process.stderr.write(`onec-bridge: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`)
  process.exit(known ? 2 : 1)
})
