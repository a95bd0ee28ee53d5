/**
 * The PHP kit (kits/php) with Debian's php-cli against the real service: the client quotes,
 * orders, cancels and reads the change feed; the receiver (kits/php/examples/webhook.php under
 * `php -S`) verifies real signed deliveries once each and refuses a forged one. Skipped only where
 * php is not installed and CI_REQUIRE_PHP is unset (.ci/run installs php-cli and php-curl, and sets it).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { until } from './helpers/receiver.ts'
import { bonusAccount, customer, offer, product } from './fixtures.ts'

const KIT = new URL('../kits/php/', import.meta.url).pathname
const php = spawnSync('php', ['-r', 'echo extension_loaded("curl") && extension_loaded("hash") ? "ok" : "no";'], { encoding: 'utf8' })
const hasPhp = php.status === 0 && php.stdout === 'ok'
if (!hasPhp && process.env.CI_REQUIRE_PHP !== '1') console.warn('kits/php tests skipped: php-cli with the curl extension is not installed (apt-get install -y php-cli php-curl)')
if (!hasPhp && process.env.CI_REQUIRE_PHP === '1') throw new Error(`php-cli with curl is required here (CI_REQUIRE_PHP=1): ${php.error?.message ?? php.stdout}`)

const KEY = `sk_php_${randomBytes(16).toString('hex')}`
const SECRET = `whsec_${randomBytes(32).toString('base64')}`

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

describe.skipIf(!hasPhp)('kits/php with php-cli', () => {
  let t: TestApp
  let baseUrl: string
  let receiver: ChildProcess
  let hookUrl: string
  let storeDir: string
  beforeAll(async () => {
    storeDir = await mkdtemp(join(tmpdir(), 'onec-bridge-php-'))
    const port = await freePort()
    hookUrl = `http://127.0.0.1:${port}/webhook.php`
    receiver = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', join(KIT, 'examples')], {
      env: { ...process.env, ONEC_BRIDGE_WEBHOOK_SECRET: SECRET, ONEC_BRIDGE_STORE_DIR: storeDir },
      stdio: 'ignore',
    })
    await until(
      () =>
        fetch(hookUrl, { method: 'GET' }).then(
          (response) => response.status,
          () => 0,
        ),
      (status) => status === 405,
    )
    t = await buildTestApp({}, { configFile: { storefronts: [{ id: 'bitrix', url: hookUrl, secrets: [SECRET], apiKeys: [KEY], local: true, events: ['bonus.*', 'order.*'] }] } })
    await applyChanges(t.db, await startRun(t.db, 'test', 'seed'), [
      product('php1', { name: 'Кабель ВВГ' }),
      offer('php1'),
      customer('php-buyer'),
      bonusAccount('php-buyer', 100_000),
    ])
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    receiver?.kill()
    await t?.close()
    await rm(storeDir, { recursive: true, force: true })
  })

  const applied = async () =>
    (await readFile(join(storeDir, 'applied.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; type: string; data: Record<string, unknown> })

  it('every PHP block of the recipes and the kit README parses (php -l)', async () => {
    const docs = ['docs/storefronts/bitrix.md', 'docs/storefronts/woocommerce.md', 'kits/php/README.md']
    let blocks = 0
    for (const doc of docs) {
      const text = await readFile(new URL(`../${doc}`, import.meta.url), 'utf8')
      for (const [, code = ''] of text.matchAll(/```php\n([\s\S]*?)```/g)) {
        blocks += 1
        const lint = spawnSync('php', ['-l'], { input: code.trimStart().startsWith('<?php') ? code : `<?php\n${code}`, encoding: 'utf8' })
        expect(lint.status, `${doc}, block ${blocks}: ${lint.stdout}${lint.stderr}`).toBe(0)
      }
    }
    expect(blocks).toBeGreaterThanOrEqual(6)
  })

  it('the client: a quote and an order go through, a price that is not 1C’s and an unknown customer are errors', async () => {
    const { stdout } = await promisify(execFile)('php', [join(KIT, 'tests/client.php')], {
      env: { ...process.env, BASE_URL: baseUrl, API_KEY: KEY, CUSTOMER: 'php-buyer', OFFER: 'php1' },
    })
    const out = JSON.parse(stdout)
    expect(out.quote).toMatchObject({ totalMinor: 24_690, maxRedeemableMinor: 12_345 })
    expect(out.order).toMatchObject({ number: 'PHP-1', status: 'accepted', bonusMinor: 12_345, body: { comment: 'Заказ из PHP' } })
    expect(out.again.id).toBe(out.order.id)
    expect(out.bonus).toMatchObject({ heldMinor: 12_345, availableMinor: 87_655 })
    expect(out.inflated).toMatchObject({ status: 422, code: 'UNPROCESSABLE', details: { lines: [{ reason: 'price_mismatch', priceMinor: 12_345 }] } })
    expect(out.missing).toEqual({ status: 404, message: 'no customer "nobody"' })
    expect(out.cancelled).toMatchObject({ status: 'cancelled' })
    expect(out.changes.events.map((event: { type: string }) => event.type)).toContain('offer.updated')
    expect(out.changes.next.after).toBeGreaterThan(0)
  })

  it('the receiver: real signed deliveries verify and apply once each; a forged one is refused', async () => {
    // The order was cancelled at once: its newest message supersedes order.accepted (never stale).
    const messages = await until(applied, (items) => items.some((item) => item.type === 'order.status_changed') && items.some((item) => item.type === 'bonus.updated'))
    expect(messages.find((item) => item.type === 'order.status_changed')?.data).toMatchObject({ number: 'PHP-1', status: 'cancelled' })
    // A replay of a delivered message (same webhook-id) is answered 2xx and not applied again.
    // The receiver applies a message before the service has recorded its 2xx: wait for the record.
    const deliveries = await until(
      async () =>
        (await t.app.inject({ method: 'GET', url: '/admin/api/storefronts/bitrix/deliveries?status=delivered', headers: adminHeaders })).json().deliveries as Array<{
          id: number
          msg_id: string
        }>,
      (list) => list.length > 0,
    )
    const first = deliveries.at(-1) as { id: number; msg_id: string }
    const replayed = await t.app.inject({ method: 'POST', url: `/admin/api/deliveries/${first.id}/replay`, headers: adminHeaders })
    expect(replayed.json()).toMatchObject({ status: 'delivered' })
    expect((await applied()).filter((item) => item.id === first.msg_id)).toHaveLength(1)

    const body = JSON.stringify({ type: 'bonus.updated', timestamp: new Date().toISOString(), data: { customerId: 'php-buyer', availableMinor: 99_999_999, version: 1_000 } })
    const now = new Date()
    const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)) }
    const forged = await fetch(hookUrl, {
      method: 'POST',
      body,
      headers: { ...headers, 'webhook-signature': new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign('msg_forged', now, body) },
    })
    expect(forged.status).toBe(400)
    const stale = new Date(now.getTime() - 10 * 60_000)
    const old = await fetch(hookUrl, {
      method: 'POST',
      body,
      headers: { ...headers, 'webhook-timestamp': String(Math.floor(stale.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign('msg_forged', stale, body) },
    })
    expect(old.status).toBe(400)
    expect((await applied()).some((item) => item.id === 'msg_forged')).toBe(false)
    // Genuine, and during a rotation signed by both secrets: applied; then an older version of the same account is skipped.
    const genuine = await fetch(hookUrl, {
      method: 'POST',
      body,
      headers: {
        ...headers,
        'webhook-signature': `${new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign('msg_new', now, body).replace('v1,', 'v1,x')} ${new Webhook(SECRET).sign('msg_forged', now, body)}`,
      },
    })
    expect(genuine.status).toBe(204)
    const older = JSON.stringify({ type: 'bonus.updated', timestamp: now.toISOString(), data: { customerId: 'php-buyer', availableMinor: 1, version: 999 } })
    expect(
      (
        await fetch(hookUrl, {
          method: 'POST',
          body: older,
          headers: { ...headers, 'webhook-id': 'msg_older', 'webhook-signature': new Webhook(SECRET).sign('msg_older', now, older) },
        })
      ).status,
    ).toBe(204)
    const last = (await applied()).filter((item) => item.type === 'bonus.updated').at(-1)
    expect(last).toMatchObject({ id: 'msg_forged', data: { availableMinor: 99_999_999, version: 1_000 } })
  })
})
