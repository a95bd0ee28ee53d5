/**
 * Configuration: one zod schema over the environment and an optional config file (YAML or JSON,
 * named by CONFIG_FILE). The environment wins over the file. `loadConfig` is pure: it reads only
 * what it is given and throws one readable error naming the variable (or file field) at fault.
 * This is the only module that knows environment variable names.
 */
import { z } from 'zod'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const port = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
  z.number({ error: 'must be a whole number from 1 to 65535' }).int('must be a whole number from 1 to 65535').min(1, 'must be from 1 to 65535').max(65535, 'must be from 1 to 65535'),
)

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), 'must be a postgres:// or postgresql:// URL')

const secret = z.string().min(12, 'must be at least 12 characters')

export const ConfigSchema = z.strictObject({
  http: z
    .strictObject({
      port: port.default(8080),
      host: z.string().trim().min(1).default('0.0.0.0'),
    })
    .prefault({}),
  store: z
    .strictObject({
      /** Where the embedded database, the lock, generated secrets and uploads live. */
      dataDir: z.string().trim().min(1).default('./data'),
      /** A PostgreSQL server; unset = the embedded PGlite store in dataDir. */
      databaseUrl: postgresUrl.optional(),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** Bearer token of the admin API; generated on first start when not given. */
      adminToken: secret.optional(),
    })
    .prefault({}),
  exchange: z
    .strictObject({
      /** HTTP Basic login that 1C's «Обмен с сайтом» uses. */
      user: z.string().trim().min(1).default('1c'),
      /** Generated on first start when not given. */
      password: z.string().min(6, 'must be at least 6 characters').optional(),
    })
    .prefault({}),
  mapping: z
    .strictObject({
      /** A profile name in mappings/ (without .yaml) or a path to a profile file. */
      profile: z.string().trim().min(1).default('commerceml'),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    })
    .prefault({}),
})

export type ConfigInput = z.infer<typeof ConfigSchema>

/** The configuration the app runs with: every secret present. */
export type Config = Readonly<
  Omit<ConfigInput, 'auth' | 'exchange'> & {
    auth: { adminToken: string }
    exchange: { user: string; password: string }
  }
>

/** Environment variable → place in the config. */
export const ENV_VARS = {
  PORT: ['http', 'port'],
  HOST: ['http', 'host'],
  DATA_DIR: ['store', 'dataDir'],
  DATABASE_URL: ['store', 'databaseUrl'],
  ADMIN_TOKEN: ['auth', 'adminToken'],
  EXCHANGE_USER: ['exchange', 'user'],
  EXCHANGE_PASSWORD: ['exchange', 'password'],
  MAPPING_PROFILE: ['mapping', 'profile'],
  LOG_LEVEL: ['log', 'level'],
} as const satisfies Record<string, readonly [string, string]>

const SECRET_VARS = new Set<string>(['ADMIN_TOKEN', 'EXCHANGE_PASSWORD', 'DATABASE_URL'])

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

export interface ConfigSources {
  env: Readonly<Record<string, string | undefined>>
  /** The parsed config file, if CONFIG_FILE named one. */
  file?: { name: string; content: unknown }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}

export function loadConfig(sources: ConfigSources): ConfigInput {
  const fileContent = sources.file?.content ?? {}
  if (typeof fileContent !== 'object' || fileContent === null || Array.isArray(fileContent)) {
    throw new ConfigError(`${sources.file?.name}: must be a mapping of sections (http, store, auth, exchange, mapping, log)`)
  }
  const raw = structuredClone(fileContent) as Record<string, Record<string, unknown>>
  const fromEnv = new Map<string, string>()
  for (const [name, [section, field]] of Object.entries(ENV_VARS)) {
    const value = sources.env[name]
    if (value === undefined || value === '') continue
    const target = (raw[section] ??= {})
    if (typeof target !== 'object' || target === null) throw new ConfigError(`${sources.file?.name}: ${section} must be a mapping`)
    target[field] = value
    fromEnv.set(`${section}.${field}`, name)
  }
  const parsed = ConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue?.path.join('.') ?? ''
    const envName = fromEnv.get(path)
    if (envName) {
      const shown = SECRET_VARS.has(envName) ? '' : `=${sources.env[envName]}`
      throw new ConfigError(`${envName}${shown}: ${issue?.message}`)
    }
    throw new ConfigError(`${sources.file?.name ?? 'config'}: ${path || '(top)'}: ${issue?.message}`)
  }
  return deepFreeze(parsed.data)
}

/** Fills in secrets (from the environment, or generated and kept in the data dir) and freezes. */
export function withSecrets(input: ConfigInput, secrets: { adminToken: string; exchangePassword: string }): Config {
  return deepFreeze({
    ...input,
    auth: { adminToken: input.auth.adminToken ?? secrets.adminToken },
    exchange: { user: input.exchange.user, password: input.exchange.password ?? secrets.exchangePassword },
  })
}
