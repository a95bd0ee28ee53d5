/**
 * Configuration: one zod schema over the environment and an optional config file (YAML or JSON,
 * named by CONFIG_FILE). The environment wins over the file. `loadConfig` is pure: it reads only
 * what it is given and throws one readable error naming the variable (or file field) at fault.
 * This is the only module that knows environment variable names.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { CustomerScope } from './storefront/scope.ts'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be from ${min} to ${max}`)
      .max(max, `must be from ${min} to ${max}`),
  )

const flag = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value
    const text = value.trim().toLowerCase()
    if (['yes', 'true', '1', 'on'].includes(text)) return true
    if (['no', 'false', '0', 'off'].includes(text)) return false
    return value
  },
  z.boolean({ error: 'must be yes or no' }),
)

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), 'must be a postgres:// or postgresql:// URL')

const secret = z.string().min(12, 'must be at least 12 characters')
/** Where a storefront's webhooks go, in the config file and the admin API alike. */
export const StorefrontUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

export /** An IANA time zone (1C's clocks carry none), Europe/Moscow unless given. */
const timeZone = () =>
  z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone })
        return true
      } catch {
        return false
      }
    }, 'must be an IANA time zone such as Europe/Moscow')
    .default('Europe/Moscow')

const ConfigSchema = z
  .strictObject({
    http: z
      .strictObject({
        port: wholeNumber(1, 65535).default(8080),
        host: z.string().trim().min(1).default('0.0.0.0'),
      })
      .prefault({}),
    store: z
      .strictObject({
        /** Where the embedded PostgreSQL cluster (pg/), generated secrets and uploads live. */
        dataDir: z.string().trim().min(1).default('./data'),
        /** A PostgreSQL server of your own; unset = the embedded PostgreSQL the service runs in dataDir. */
        databaseUrl: postgresUrl.optional(),
        /** The embedded PostgreSQL server (used when databaseUrl is unset). */
        embedded: z
          .strictObject({
            /** Loopback port; unset = a free one chosen on the first start and remembered in dataDir/pg.json. */
            port: wholeNumber(1, 65535).optional(),
            /** PostgreSQL's shared_buffers. */
            sharedBuffers: z
              .string()
              .trim()
              .regex(/^\d+(kB|MB|GB)$/, 'must be a size such as 128MB')
              .default('128MB'),
            maxConnections: wholeNumber(10, 1000).default(40),
          })
          .prefault({}),
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
        /** Answer `zip=yes` to init: 1C packs each upload into one archive. */
        zip: flag.default(true),
        /** `file_limit` answered to init: 1C cuts larger files into chunks of this size. */
        fileLimit: wholeNumber(1024, 2 ** 31).default(10 * 1024 * 1024),
        /** Largest file (all chunks together) accepted in one session. */
        maxFileBytes: wholeNumber(1024, 2 ** 40).default(4 * 1024 ** 3),
        /** Limits on an uploaded zip: total inflated size, entries, inflated/compressed ratio per entry. */
        maxUnzippedBytes: wholeNumber(1024, 2 ** 40).default(8 * 1024 ** 3),
        maxZipEntries: wholeNumber(1, 1_000_000).default(100_000),
        maxZipRatio: wholeNumber(2, 100_000).default(1000),
        /**
         * When 1C uploads files and never asks to import them (its "wait for the site" setting is
         * off), import them after this many seconds without a request in that session; 0 = never.
         */
        autoImportSeconds: wholeNumber(0, 86_400).default(120),
        /** A session lets 1C in for at most this long, and its upload area is deleted once it has been idle this long. */
        sessionTtlHours: wholeNumber(1, 24 * 365).default(72),
        /** A session no request used for this long lets no one in (УТ 11 runs an exchange in one go). */
        sessionIdleMinutes: wholeNumber(1, 24 * 60 * 365).default(60),
        /** The language of the answers 1C's operator reads in the exchange log (and of the CLI): Russian, or English. */
        language: z.enum(['ru', 'en'], { error: 'must be ru or en' }).default('ru'),
        /**
         * Where uploads wait for their import: `store` — in PostgreSQL, so several instances behind a
         * load balancer share them; `disk` — in DATA_DIR/exchange; `auto` — `store` with DATABASE_URL, else `disk`.
         */
        uploads: z.enum(['auto', 'store', 'disk'], { error: 'must be auto, store or disk' }).default('auto'),
      })
      .prefault({}),
    odata: z
      .strictObject({
        /** `http://host/base/odata/standard.odata`; unset = no OData pulls. */
        url: z.string().trim().url('must be an http(s) URL of the standard.odata root').optional(),
        user: z.string().optional(),
        password: z.string().optional(),
        /** The 1C server's time zone: its OData dates are naive wall-clock times. */
        timeZone: timeZone(),
        timeoutMs: wholeNumber(1000, 3_600_000).default(60_000),
        /** Pull on each source's interval (`every` in the profile). */
        schedule: flag.default(true),
      })
      .prefault({}),
    /** Storefronts that receive webhooks (file only; also editable through the admin API). */
    storefronts: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -'),
          url: StorefrontUrl,
          /** Standard Webhooks secrets (`whsec_…`); several during a rotation, each signs every message. */
          secrets: z.array(z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be whsec_ followed by base64')).min(1),
          events: z.array(z.string()).default(['*']),
          enabled: z.boolean().default(true),
          /** Allow loopback and private addresses (tests, a demo on one machine). */
          local: z.boolean().default(false),
          /** Keys of the storefront's REST API (kept hashed in the store). */
          apiKeys: z.array(z.string().min(24, 'must be at least 24 characters')).default([]),
          /** Which customers it sees: `all`, or { ids, priceTypes, heads, legalForms } (storefront/scope.ts). */
          customers: CustomerScope.default('all'),
        }),
      )
      .default([]),
    webhooks: z
      .strictObject({
        timeoutMs: wholeNumber(1000, 60_000).default(15_000),
        /** Waits before each retry, ms (default about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
        retryScheduleMs: z.array(z.number().int().min(0)).min(1).optional(),
        jitter: z.number().min(0).max(0.5).default(0.2),
        /** An endpoint failing without a success for this long is disabled. */
        disableAfterHours: z.number().min(1).default(120),
      })
      .prefault({}),
    orders: z
      .strictObject({
        /**
         * How orders reach 1C: `commerceml` — 1C fetches them with its order exchange
         * (type=sale&mode=query); `odata` — this service creates and posts Document_ЗаказКлиента
         * as the profile's `orders.odata` says; `none` — kept here only.
         */
        forward: z.enum(['commerceml', 'odata', 'none'], { error: 'must be commerceml, odata or none' }).default('commerceml'),
        /** Charset of the orders XML answered to mode=query (UT 11 reads both; the 1C-Bitrix module ≥ 6.5 wants UTF-8). */
        charset: z.enum(['utf-8', 'windows-1251'], { error: 'must be utf-8 or windows-1251' }).default('utf-8'),
        /** Time zone of the order date and time written for 1C (Дата, Время). */
        timeZone: timeZone(),
        /**
         * A hold not ended after this many hours ends with a warning in the sync log: settled when 1C
         * had confirmed the order (no balance pull showed the write-off), released when it had not.
         */
        holdTtlHours: z
          .number()
          .min(1)
          .max(24 * 90)
          .default(72),
        /** OData forwarding: attempts before an order fails on transient errors, and the status poll interval. */
        maxForwardAttempts: wholeNumber(1, 1000).default(20),
        statusPollSeconds: wholeNumber(10, 86_400).default(300),
      })
      .prefault({}),
    health: z
      .strictObject({
        /**
         * How often each source is expected to succeed, in minutes, by its name in the run log
         * (`commerceml`, `exchange:sale`, `odata:<source>`, `xml:<source>`). A source is late after
         * one such interval without a success and stale after two. OData sources default to their
         * `every` in the profile; 1C's exchanges (whose schedule 1C keeps) to the values below.
         */
        schedules: z.record(z.string().min(1), z.number().positive('must be a number of minutes above 0')).default({}),
        /** The catalogue exchange (commerceml), by default daily. */
        exchangeMinutes: z
          .number()
          .positive()
          .default(24 * 60),
        /** 1C's order exchange (exchange:sale, with orders.forward commerceml), by default hourly. */
        orderExchangeMinutes: z.number().positive().default(60),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        /** Where `bridge.alert` messages go (a stale source, a failing storefront, dead letters); unset = none are sent. */
        url: StorefrontUrl.optional(),
        /** Standard Webhooks secret that signs them (whsec_…); required with url. */
        secret: z
          .string()
          .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be whsec_ followed by base64')
          .optional(),
        /** How often the conditions are checked. */
        checkSeconds: wholeNumber(1, 3600).default(60),
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
  .superRefine((config, context) => {
    if (config.alerts.url && !config.alerts.secret) {
      context.addIssue({ code: 'custom', path: ['alerts', 'secret'], message: 'alerts.url needs a secret to sign bridge.alert with (whsec_…): set ALERT_SECRET' })
    }
    if (config.orders.forward === 'odata' && !config.odata.url) {
      context.addIssue({ code: 'custom', path: ['orders', 'forward'], message: 'odata needs the 1C OData address: set ODATA_URL (odata.url)' })
    }
  })

export type ConfigInput = z.infer<typeof ConfigSchema>

/** The configuration the app runs with: every secret present. */
export type Config = Readonly<
  Omit<ConfigInput, 'auth' | 'exchange'> & {
    auth: { adminToken: string }
    exchange: ConfigInput['exchange'] & { password: string }
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
  EXCHANGE_ZIP: ['exchange', 'zip'],
  EXCHANGE_FILE_LIMIT: ['exchange', 'fileLimit'],
  EXCHANGE_LANGUAGE: ['exchange', 'language'],
  EXCHANGE_UPLOADS: ['exchange', 'uploads'],
  MAPPING_PROFILE: ['mapping', 'profile'],
  ODATA_URL: ['odata', 'url'],
  ODATA_USER: ['odata', 'user'],
  ODATA_PASSWORD: ['odata', 'password'],
  ODATA_TIMEZONE: ['odata', 'timeZone'],
  ORDERS_FORWARD: ['orders', 'forward'],
  ORDERS_CHARSET: ['orders', 'charset'],
  LOG_LEVEL: ['log', 'level'],
  ALERT_URL: ['alerts', 'url'],
  ALERT_SECRET: ['alerts', 'secret'],
} as const satisfies Record<string, readonly [string, string]>

const SECRET_VARS = new Set<string>(['ADMIN_TOKEN', 'EXCHANGE_PASSWORD', 'DATABASE_URL', 'ODATA_PASSWORD', 'ALERT_SECRET'])

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

/**
 * `NAME_FILE=/run/secrets/name` in place of `NAME=…` (Docker and Kubernetes secrets): the file's
 * content without its final line break. Both set is refused, as is a file that cannot be read.
 */
export function withFileVariables(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env }
  for (const name of Object.keys(ENV_VARS)) {
    const path = env[`${name}_FILE`]
    if (path === undefined || path === '') continue
    if (env[name] !== undefined && env[name] !== '') throw new ConfigError(`${name} and ${name}_FILE are both set: keep one`)
    try {
      out[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '')
    } catch (error) {
      throw new ConfigError(`${name}_FILE=${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
  }
  return out
}

export function loadConfig(sources: ConfigSources): ConfigInput {
  const fileContent = sources.file?.content ?? {}
  if (typeof fileContent !== 'object' || fileContent === null || Array.isArray(fileContent)) {
    throw new ConfigError(`${sources.file?.name}: must be a mapping of sections (http, store, auth, exchange, mapping, log)`)
  }
  const raw = structuredClone(fileContent) as Record<string, Record<string, unknown>>
  const fromEnv = new Map<string, string>()
  const env = withFileVariables(sources.env)
  for (const [name, [section, field]] of Object.entries(ENV_VARS)) {
    const value = env[name]
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
      const shown = SECRET_VARS.has(envName) ? '' : `=${env[envName]}`
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
    exchange: { ...input.exchange, password: input.exchange.password ?? secrets.exchangePassword },
  })
}
