import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, withSecrets } from '../src/config.ts'

describe('config from an empty environment', () => {
  it('runs with defaults and no secrets yet', () => {
    const config = loadConfig({ env: {} })
    expect(config).toEqual({
      http: { port: 8080, host: '0.0.0.0' },
      store: { dataDir: './data', embedded: { sharedBuffers: '128MB', maxConnections: 40 } },
      auth: {},
      exchange: {
        user: '1c',
        zip: true,
        fileLimit: 10 * 1024 * 1024,
        maxFileBytes: 4 * 1024 ** 3,
        maxUnzippedBytes: 8 * 1024 ** 3,
        maxZipEntries: 100_000,
        maxZipRatio: 1000,
        autoImportSeconds: 120,
        sessionTtlHours: 72,
        language: 'ru',
        uploads: 'auto',
        sessionIdleMinutes: 60,
      },
      odata: { timeZone: 'Europe/Moscow', timeoutMs: 60_000, schedule: true },
      orders: { forward: 'commerceml', charset: 'utf-8', timeZone: 'Europe/Moscow', holdTtlHours: 72, maxForwardAttempts: 20, statusPollSeconds: 300 },
      storefronts: [],
      webhooks: { timeoutMs: 15_000, jitter: 0.2, disableAfterHours: 120 },
      health: { schedules: {}, exchangeMinutes: 1440, orderExchangeMinutes: 60 },
      alerts: { checkSeconds: 60 },
      mapping: { profile: 'commerceml' },
      log: { level: 'info' },
    })
  })

  it('is frozen all the way down', () => {
    const config = withSecrets(loadConfig({ env: {} }), { adminToken: 'a'.repeat(20), exchangePassword: 'b'.repeat(8) })
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.http)).toBe(true)
    expect(() => {
      ;(config.http as { port: number }).port = 1
    }).toThrow(TypeError)
  })
})

describe('config from the environment', () => {
  it('refuses an alert address without a secret to sign with, naming the variable', () => {
    expect(() => loadConfig({ env: { ALERT_URL: 'https://alerts.example/hooks' } })).toThrow(/alerts\.secret: alerts\.url needs a secret/)
  })

  it('reads every documented variable', () => {
    const config = loadConfig({
      env: {
        PORT: '9090',
        HOST: '127.0.0.1',
        DATA_DIR: '/var/lib/onec-bridge',
        DATABASE_URL: 'postgres://bridge@db:5432/bridge',
        ADMIN_TOKEN: 'admin-token-123456',
        EXCHANGE_USER: 'site',
        EXCHANGE_PASSWORD: 'secret-pass',
        EXCHANGE_ZIP: 'no',
        EXCHANGE_FILE_LIMIT: '204800',
        MAPPING_PROFILE: 'ut11',
        ORDERS_FORWARD: 'none',
        ORDERS_CHARSET: 'windows-1251',
        LOG_LEVEL: 'debug',
        ALERT_URL: 'https://alerts.example/hooks',
        ALERT_SECRET: 'whsec_c2VjcmV0',
      },
    })
    expect(config).toEqual({
      http: { port: 9090, host: '127.0.0.1' },
      store: { dataDir: '/var/lib/onec-bridge', databaseUrl: 'postgres://bridge@db:5432/bridge', embedded: { sharedBuffers: '128MB', maxConnections: 40 } },
      auth: { adminToken: 'admin-token-123456' },
      exchange: expect.objectContaining({ user: 'site', password: 'secret-pass', zip: false, fileLimit: 204800 }),
      odata: { timeZone: 'Europe/Moscow', timeoutMs: 60_000, schedule: true },
      orders: { forward: 'none', charset: 'windows-1251', timeZone: 'Europe/Moscow', holdTtlHours: 72, maxForwardAttempts: 20, statusPollSeconds: 300 },
      storefronts: [],
      webhooks: { timeoutMs: 15_000, jitter: 0.2, disableAfterHours: 120 },
      health: { schedules: {}, exchangeMinutes: 1440, orderExchangeMinutes: 60 },
      alerts: { url: 'https://alerts.example/hooks', secret: 'whsec_c2VjcmV0', checkSeconds: 60 },
      mapping: { profile: 'ut11' },
      log: { level: 'debug' },
    })
  })

  it('keeps configured secrets over generated ones', () => {
    const config = withSecrets(loadConfig({ env: { ADMIN_TOKEN: 'mine-mine-mine-mine' } }), {
      adminToken: 'generated-generated',
      exchangePassword: 'generated',
    })
    expect(config.auth.adminToken).toBe('mine-mine-mine-mine')
    expect(config.exchange.password).toBe('generated')
  })

  it.each([
    [{ PORT: 'abc' }, 'PORT=abc: must be a whole number from 1 to 65535'],
    [{ PORT: '70000' }, 'PORT=70000: must be from 1 to 65535'],
    [{ PORT: '80.5' }, 'PORT=80.5: must be a whole number from 1 to 65535'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL=loud: must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be a postgres:// or postgresql:// URL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN: must be at least 12 characters'],
    [{ EXCHANGE_ZIP: 'maybe' }, 'EXCHANGE_ZIP=maybe: must be yes or no'],
    [{ EXCHANGE_FILE_LIMIT: '10k' }, 'EXCHANGE_FILE_LIMIT=10k: must be a whole number from 1024 to 2147483648'],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig({ env })).toThrow(new ConfigError(message))
  })

  it('does not echo secret values in errors', () => {
    expect(() => loadConfig({ env: { EXCHANGE_PASSWORD: 'abc' } })).toThrow(/^EXCHANGE_PASSWORD: /)
  })
})

describe('config file', () => {
  it('is read by section and overridden by the environment', () => {
    const config = loadConfig({
      env: { PORT: '9000' },
      file: { name: 'bridge.yaml', content: { http: { port: 7000, host: '10.0.0.1' }, log: { level: 'warn' } } },
    })
    expect(config.http).toEqual({ port: 9000, host: '10.0.0.1' })
    expect(config.log.level).toBe('warn')
  })

  it('names the file and the field of a bad value', () => {
    expect(() => loadConfig({ env: {}, file: { name: 'bridge.yaml', content: { http: { port: 'x' } } } })).toThrow('bridge.yaml: http.port: must be a whole number from 1 to 65535')
  })

  it('takes the embedded server settings from store.embedded and names a bad one', () => {
    const config = loadConfig({ env: {}, file: { name: 'bridge.yaml', content: { store: { embedded: { port: 15432, sharedBuffers: '64MB', maxConnections: 20 } } } } })
    expect(config.store.embedded).toEqual({ port: 15432, sharedBuffers: '64MB', maxConnections: 20 })
    expect(() => loadConfig({ env: {}, file: { name: 'bridge.yaml', content: { store: { embedded: { sharedBuffers: '1 gig' } } } } })).toThrow(
      'bridge.yaml: store.embedded.sharedBuffers: must be a size such as 128MB',
    )
  })

  it('refuses unknown keys, which are usually typos', () => {
    expect(() => loadConfig({ env: {}, file: { name: 'bridge.yaml', content: { http: { prot: 1 } } } })).toThrow(/^bridge\.yaml: http: .*prot/)
  })

  it('refuses a file that is not a mapping', () => {
    expect(() => loadConfig({ env: {}, file: { name: 'bridge.yaml', content: ['a'] } })).toThrow(/^bridge\.yaml: must be a mapping/)
  })
})

describe('orders', () => {
  it('refuses to forward orders over OData without an OData address, naming the variable', () => {
    expect(() => loadConfig({ env: { ORDERS_FORWARD: 'odata' } })).toThrow('ORDERS_FORWARD=odata: odata needs the 1C OData address: set ODATA_URL (odata.url)')
    expect(loadConfig({ env: { ORDERS_FORWARD: 'odata', ODATA_URL: 'http://1c.local/trade/odata/standard.odata' } }).orders.forward).toBe('odata')
  })
})

describe('secrets from files (*_FILE), as Docker and Kubernetes mount them', () => {
  it('reads NAME_FILE in place of NAME, without the final line break', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const dir = await mkdtemp(join(tmpdir(), 'onec-bridge-secrets-'))
    try {
      await writeFile(join(dir, 'admin_token'), 'token-from-a-file-0123456789\n')
      await writeFile(join(dir, 'database_url'), 'postgres://bridge:s3cret@db:5432/bridge\n')
      await writeFile(join(dir, 'exchange_password'), 'пароль-обмена')
      const config = loadConfig({
        env: { ADMIN_TOKEN_FILE: join(dir, 'admin_token'), DATABASE_URL_FILE: join(dir, 'database_url'), EXCHANGE_PASSWORD_FILE: join(dir, 'exchange_password') },
      })
      expect(config.auth.adminToken).toBe('token-from-a-file-0123456789')
      expect(config.store.databaseUrl).toBe('postgres://bridge:s3cret@db:5432/bridge')
      expect(config.exchange.password).toBe('пароль-обмена')
      expect(() => loadConfig({ env: { ADMIN_TOKEN: 'x'.repeat(24), ADMIN_TOKEN_FILE: join(dir, 'admin_token') } })).toThrow('ADMIN_TOKEN and ADMIN_TOKEN_FILE are both set')
      expect(() => loadConfig({ env: { ODATA_PASSWORD_FILE: join(dir, 'missing') } })).toThrow(
        new ConfigError(`ODATA_PASSWORD_FILE=${join(dir, 'missing')}: cannot read it (ENOENT)`),
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
