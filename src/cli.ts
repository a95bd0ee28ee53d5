/**
 * `onec-bridge <command>`: tools for integrators and support staff that work on the same store
 * as the service. Later issues add `import`, `pull` and `mapping check`.
 */
import { parseArgs } from 'node:util'
import { ConfigError } from './config.ts'
import { createLogger } from './logger.ts'
import { openStore, readConfig } from './runtime.ts'
import { DataDirLockedError } from './store/index.ts'

const USAGE = `usage: onec-bridge <command>

commands:
  migrate        apply database migrations and exit

The store is the one the service uses: DATA_DIR (embedded) or DATABASE_URL.`

async function runMigrate(): Promise<number> {
  const config = await readConfig(process.env)
  const logger = createLogger(config.log.level === 'info' ? 'warn' : config.log.level)
  const store = await openStore(config, logger)
  await store.close()
  console.log('migrations: up to date')
  return 0
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } })
  const [command] = positionals
  if (values.help || !command) {
    console.log(USAGE)
    return command || values.help ? 0 : 2
  }
  switch (command) {
    case 'migrate':
      return runMigrate()
    default:
      console.error(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DataDirLockedError
    console.error(`onec-bridge: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`)
    process.exit(known ? 2 : 1)
  },
)
