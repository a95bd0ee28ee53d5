/**
 * `onec-bridge <command>`: tools for integrators and support staff that work on the same store
 * as the service. Its commands: see USAGE below.
 */
import { parseArgs } from 'node:util'
import { ConfigError } from './config.ts'
import { createLogger } from './logger.ts'
import { DataDirInUseError, openStore, readConfig } from './runtime.ts'
import { basename } from 'node:path'
import { loadProfile, ProfileError } from './onec/mapping/profile.ts'
import { EmbeddedStoreError, embeddedUrl } from './store/index.ts'
import { importCommerceMlFile } from './catalog/commerceml-import.ts'
import { checkProfile, createODataClient, ODataError, parseMetadata } from './onec/odata/index.ts'
import { pullSource } from './catalog/odata-pull.ts'
import { importCustomXml, summarizeXml, xmlSourcesFor } from './catalog/xml-import.ts'
import { summarize } from './catalog/exchange-imports.ts'
import { countsText, explain, said } from './onec/texts.ts'
import type { StoredEvent } from './state/index.ts'
import { isRole, listUsers, saveUser, UserError, type Role } from './console/users.ts'
import { recordAudit } from './console/audit.ts'

const USAGE = `usage: onec-bridge <command>

commands:
  migrate                            apply database migrations and exit
  import <files...> [--dry-run]      import CommerceML files from disk through the exchange's own path;
         [--profile <name|path>]     --dry-run prints what would change and changes nothing
         [--show <n>]                (with --dry-run: how many changes to list, default 20)
  pull <source> [--dry-run]          pull one OData source of the mapping profile now (ODATA_URL, ODATA_USER,
                                     ODATA_PASSWORD); --dry-run prints what would change and changes nothing
  store url                          print the connection URL of the embedded PostgreSQL (for pg_dump and psql,
                                     version 17 or later, while the service runs)
  user add <login> --role <role>     create a support console user (viewer, operator or admin); the password is
         [--replace]                 read from ONEC_BRIDGE_PASSWORD or asked for; --replace sets a new password/role
  user list                          list console users and their roles
  demo [--reset] [--fast]            the whole loop on this machine: the service on its embedded store, a УТ 11.5
       [--port 8080] [--shop-port 8090] [--onec-port 8091] [--data-dir ./data/demo]
                                     emulator and a demo B2B shop; Ctrl-C stops all of it (README, "Try it")
  mapping check <profile>            read the base's $metadata and list every entity set and field the profile
         [--url …] [--user …]        uses that the base does not expose (password: --password or ODATA_PASSWORD)

The store is the one the service uses: DATA_DIR (embedded) or DATABASE_URL.`

async function runMigrate(): Promise<number> {
  const config = await readConfig(process.env)
  const logger = createLogger(config.log.level === 'info' ? 'warn' : config.log.level)
  const store = await openStore(config, logger)
  await store.close()
  console.log('migrations: up to date')
  return 0
}

function formatChange(event: StoredEvent): string {
  const fields = event.changes
    .slice(0, 4)
    .map((change) => ('from' in change || 'to' in change ? `${change.path} ${JSON.stringify(change.from ?? null)} → ${JSON.stringify(change.to ?? null)}` : change.path))
    .join('; ')
  return `  ${event.type.padEnd(7)} ${event.kind} ${event.key} v${event.version}${fields ? `: ${fields}` : ''}${event.changes.length > 4 ? ` (+${event.changes.length - 4} more)` : ''}`
}

async function runImport(files: string[], options: { dryRun: boolean; profile: string | undefined; show: number }): Promise<number> {
  if (files.length === 0) {
    console.error('import needs at least one file')
    return 2
  }
  const config = await readConfig(process.env)
  const logger = createLogger(config.log.level === 'info' ? 'warn' : config.log.level)
  const profile = await loadProfile(options.profile ?? config.mapping.profile)
  const store = await openStore(config, logger)
  const language = config.exchange.language
  const dry = options.dryRun ? (language === 'ru' ? '[пробный прогон] ' : '[dry run] ') : ''
  const failed = (file: string, error: unknown) =>
    `${file}: ${said('загрузка не удалась, из файла ничего не применено', 'import failed, nothing of it was applied')[language]}: ${explain(error, language)}`
  try {
    for (const file of files) {
      const xmlSources = xmlSourcesFor(profile.xml, basename(file))
      if (xmlSources.length > 0 && profile.xml) {
        try {
          const pulled = await importCustomXml(store.db, file, basename(file), profile.xml, xmlSources, { dryRun: options.dryRun, owners: profile.owners })
          for (const { source, result } of pulled) {
            console.log(`${dry}${summarizeXml(basename(file), source, result, language)}`)
            for (const event of result.sample.slice(0, options.show)) console.log(formatChange(event))
          }
        } catch (error) {
          console.error(failed(file, error))
          return 1
        }
        continue
      }
      try {
        const result = await importCommerceMlFile(store.db, file, {
          profile: profile.commerceml,
          owners: profile.owners,
          fileName: basename(file),
          source: 'cli',
          details: { path: file },
          dryRun: options.dryRun,
          sampleSize: options.show,
        })
        console.log(`${dry}${summarize(basename(file), result, language)}`)
        for (const [kind, counts] of Object.entries(result.byKind)) console.log(`  ${kind}: ${countsText(counts, language)}`)
        if (options.dryRun && result.sample.length > 0) {
          console.log(
            language === 'ru' ? `  первые ${result.sample.length} из ${result.totals.changed} изменений:` : `  first ${result.sample.length} of ${result.totals.changed} changes:`,
          )
          for (const event of result.sample) console.log(formatChange(event))
        }
      } catch (error) {
        console.error(failed(file, error))
        return 1
      }
    }
    return 0
  } finally {
    await store.close()
  }
}

async function runPull(name: string | undefined, options: { dryRun: boolean; profile: string | undefined }): Promise<number> {
  if (!name) {
    console.error('pull needs a source name')
    return 2
  }
  const config = await readConfig(process.env)
  const profile = await loadProfile(options.profile ?? config.mapping.profile)
  if (!profile.odata) {
    console.error(`the mapping profile ${profile.name} has no odata sources`)
    return 2
  }
  if (!config.odata.url) {
    console.error('ODATA_URL is not set')
    return 2
  }
  const logger = createLogger(config.log.level === 'info' ? 'warn' : config.log.level)
  const client = createODataClient({
    baseUrl: config.odata.url,
    user: config.odata.user ?? '',
    password: config.odata.password ?? '',
    timeZone: config.odata.timeZone,
    timeoutMs: config.odata.timeoutMs,
  })
  const store = await openStore(config, logger)
  try {
    const result = await pullSource(store.db, client, profile.odata, name, { dryRun: options.dryRun, owners: profile.owners })
    const { counts } = result
    console.log(
      `${options.dryRun ? '[dry run] ' : ''}${name}: ${result.rows} rows; ${counts.seen} seen, ${counts.created} new, ${counts.updated} changed, ${counts.removed} removed, ${counts.unchanged} unchanged${result.run ? ` (run ${result.run.id})` : ''}`,
    )
    for (const event of result.sample) console.log(formatChange(event))
    return 0
  } catch (error) {
    console.error(`pull of ${name} failed, nothing was written: ${(error as Error).message}`)
    return 1
  } finally {
    await store.close()
  }
}

async function runMappingCheck(name: string | undefined, options: { url?: string; user?: string; password?: string }): Promise<number> {
  if (!name) {
    console.error('mapping check needs a profile name or path')
    return 2
  }
  const config = await readConfig(process.env)
  const url = options.url ?? config.odata.url
  if (!url) {
    console.error('give --url (or set ODATA_URL): the …/odata/standard.odata root of the base')
    return 2
  }
  const profile = await loadProfile(name)
  if (!profile.odata) {
    console.log(`${profile.name}: no OData sources to check`)
    return 0
  }
  const client = createODataClient({
    baseUrl: url,
    user: options.user ?? config.odata.user ?? '',
    password: options.password ?? config.odata.password ?? '',
    timeZone: config.odata.timeZone,
    timeoutMs: config.odata.timeoutMs,
  })
  const problems = checkProfile(profile.odata, parseMetadata(await client.metadata()))
  const language = config.exchange.language
  if (problems.length === 0) {
    console.log(
      language === 'ru' ? `${profile.name}: все наборы и поля профиля опубликованы в ${url}` : `${profile.name}: every entity set and field the profile uses is exposed by ${url}`,
    )
    return 0
  }
  console.log(language === 'ru' ? `${profile.name}: проблем ${problems.length} в ${url}` : `${profile.name}: ${problems.length} problem(s) against ${url}`)
  for (const problem of problems) console.log(`  ${problem.source}: ${problem.what[language]}`)
  return 1
}

async function runStoreUrl(): Promise<number> {
  const config = await readConfig(process.env)
  if (config.store.databaseUrl) {
    console.error('DATABASE_URL is set: the store is that server, not the embedded one')
    return 2
  }
  const url = await embeddedUrl(config.store.dataDir)
  if (!url) {
    console.error(`no embedded store in ${config.store.dataDir} yet: start the service once`)
    return 1
  }
  console.log(url)
  return 0
}

async function readPassword(): Promise<string> {
  const given = process.env.ONEC_BRIDGE_PASSWORD
  if (given) return given
  const { createInterface } = await import('node:readline/promises')
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: false })
  try {
    process.stderr.write('password: ')
    return (await prompt.question('')).trim()
  } finally {
    prompt.close()
  }
}

async function runUser(action: string | undefined, login: string | undefined, options: { role: string | undefined; replace: boolean }): Promise<number> {
  if (action !== 'add' && action !== 'list') {
    console.error(`unknown user command ${JSON.stringify(action ?? '')}\n\n${USAGE}`)
    return 2
  }
  if (action === 'add' && (!login || !options.role || !isRole(options.role))) {
    console.error('usage: onec-bridge user add <login> --role viewer|operator|admin')
    return 2
  }
  const config = await readConfig(process.env)
  const store = await openStore(config, createLogger(config.log.level === 'info' ? 'warn' : config.log.level))
  try {
    if (action === 'list') {
      for (const user of await listUsers(store.db)) console.log(`${user.login}\t${user.role}${user.disabled ? '\tdisabled' : ''}`)
      return 0
    }
    const password = await readPassword()
    const role = options.role as Role
    const done = await saveUser(store.db, { login: login as string, password, role, by: 'cli', replace: options.replace })
    await recordAudit(
      store.db,
      { login: process.env.USER ?? 'cli', role: 'admin', via: 'cli' },
      { action: 'saveUser', target: { kind: 'user', key: login as string }, count: 1, details: { role, done } },
    )
    console.log(`${login}: ${done} (${role})`)
    return 0
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`onec-bridge: ${error.message}`)
      return 1
    }
    throw error
  } finally {
    await store.close()
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean' },
      profile: { type: 'string' },
      show: { type: 'string' },
      url: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      replace: { type: 'boolean' },
    },
  })
  const [command] = positionals
  if (values.help || !command) {
    console.log(USAGE)
    return command || values.help ? 0 : 2
  }
  switch (command) {
    case 'migrate':
      return runMigrate()
    case 'store':
      if (positionals[1] !== 'url') {
        console.error(`unknown store command ${JSON.stringify(positionals[1] ?? '')}\n\n${USAGE}`)
        return 2
      }
      return runStoreUrl()
    case 'mapping':
      if (positionals[1] !== 'check') {
        console.error(`unknown mapping command ${JSON.stringify(positionals[1] ?? '')}\n\n${USAGE}`)
        return 2
      }
      return runMappingCheck(positionals[2], {
        ...(typeof values.url === 'string' ? { url: values.url } : {}),
        ...(typeof values.user === 'string' ? { user: values.user } : {}),
        ...(typeof values.password === 'string' ? { password: values.password } : {}),
      })
    case 'user':
      return runUser(positionals[1], positionals[2], { role: typeof values.role === 'string' ? values.role : undefined, replace: values.replace === true })
    case 'pull':
      return runPull(positionals[1], { dryRun: values['dry-run'] === true, profile: typeof values.profile === 'string' ? values.profile : undefined })
    case 'import':
      return runImport(positionals.slice(1), {
        dryRun: values['dry-run'] === true,
        profile: typeof values.profile === 'string' ? values.profile : undefined,
        show: Number(values.show ?? 20) || 20,
      })
    default:
      console.error(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`)
      return 2
  }
}

const argv = process.argv.slice(2)
if (argv[0] === 'demo') {
  // The demo (demo/run.ts) runs until Ctrl-C; it is loaded only here, never by the service.
  const demo = (await import(new URL('../demo/run.ts', import.meta.url).href)) as { main(args: string[]): Promise<void> }
  await demo.main(argv.slice(1)).catch((error: unknown) => {
    console.error(`onec-bridge demo: ${(error as Error).message}`)
    process.exit(1)
  })
} else {
  main(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const known =
        error instanceof ConfigError || error instanceof DataDirInUseError || error instanceof EmbeddedStoreError || error instanceof ProfileError || error instanceof ODataError
      console.error(`onec-bridge: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`)
      process.exit(known ? 2 : 1)
    },
  )
}
