import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, adminHeaders } from './helpers/app.ts'
import { buildConsoleWorld, INN, ORDER_NUMBER, PASSWORDS, type ConsoleWorld } from './helpers/console-seed.ts'
import { until } from './helpers/receiver.ts'
import { freshnessOf } from '../src/console/health.ts'
import { chooseLang, formatPoints, zonedInstant } from '../src/console/i18n.ts'

let world: ConsoleWorld
beforeAll(async () => {
  world = await buildConsoleWorld({ staleMinutes: 1 })
})
afterAll(async () => {
  await world?.close()
})

type Answer = Awaited<ReturnType<ConsoleWorld['t']['app']['inject']>>
interface Session {
  cookie: string
  get(url: string, headers?: Record<string, string>): Promise<Answer>
  post(url: string, form: Record<string, string>, options?: { csrf?: boolean }): Promise<Answer>
}

async function signIn(login: string, password: string): Promise<Session> {
  const answer = await world.t.app.inject({
    method: 'POST',
    url: '/console/login',
    payload: new URLSearchParams({ login, password, next: '/console' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  expect(answer.statusCode).toBe(303)
  const setCookie = String(answer.headers['set-cookie'])
  expect(setCookie).toMatch(/HttpOnly/)
  expect(setCookie).toMatch(/SameSite=Strict/)
  const cookie = setCookie.split(';')[0] as string
  const home = await world.t.app.inject({ method: 'GET', url: '/console', headers: { cookie } })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? ''
  return {
    cookie,
    get: (url, headers = {}) => world.t.app.inject({ method: 'GET', url, headers: { cookie, ...headers } }),
    post: (url, form, options = {}) =>
      world.t.app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...form, ...(options.csrf === false ? {} : { _csrf: csrf }) }).toString(),
      }),
  }
}

describe('signing in and roles, enforced on the server', () => {
  it('sends a reader who is not signed in to the login form and back', async () => {
    const answer = await world.t.app.inject({ method: 'GET', url: '/console/runs?status=failed' })
    expect(answer.statusCode).toBe(303)
    expect(answer.headers.location).toBe('/console/login?next=%2Fconsole%2Fruns%3Fstatus%3Dfailed')
  })

  it('refuses a wrong password with the same answer as an unknown login', async () => {
    for (const [login, password] of [
      ['viewer', 'wrong-password-00'],
      ['nobody', 'wrong-password-00'],
    ]) {
      const answer = await world.t.app.inject({ method: 'POST', url: '/console/login', payload: { login, password } })
      expect(answer.statusCode).toBe(401)
      expect(answer.body).toContain('Неверный логин или пароль')
    }
  })

  it('lets the admin token sign in as the first admin, who sees users and the audit log', async () => {
    const admin = await signIn('admin', ADMIN_TOKEN)
    const users = await admin.get('/console/users')
    expect(users.statusCode).toBe(200)
    expect(users.body).toContain('viewer')
    const audit = await admin.get('/console/audit')
    expect(audit.body).toContain('пользователь сохранён')
  })

  it('refuses a viewer a resend (403), with a valid form token, and records nothing', async () => {
    const viewer = await signIn('viewer', PASSWORDS.viewer)
    const [delivery] = await world.t.db.query<{ id: number }>('select id from deliveries order by id limit 1')
    expect(delivery).toBeDefined()
    const refused = await viewer.post(`/console/deliveries/${delivery?.id}/resend`, {})
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('Недостаточно прав')
    expect(await world.t.db.query(`select 1 from audit_log where action = 'replayDelivery'`)).toHaveLength(0)
    const page = await viewer.get(`/console/deliveries/${delivery?.id}`)
    expect(page.body).not.toContain('/resend')
    expect((await viewer.get('/console/users')).statusCode).toBe(403)
  })

  it('refuses an operator a write without the form token (CSRF), then takes it with one and audits it', async () => {
    const operator = await signIn('operator', PASSWORDS.operator)
    const [delivery] = await world.t.db.query<{ id: number }>('select id from deliveries order by id limit 1')
    const forged = await operator.post(`/console/deliveries/${delivery?.id}/resend`, {}, { csrf: false })
    expect(forged.statusCode).toBe(403)
    const done = await operator.post(`/console/deliveries/${delivery?.id}/resend`, {})
    expect(done.statusCode).toBe(303)
    const [entry] = await world.t.db.query<{ actor: string; role: string; via: string; count: number }>(
      `select actor, role, via, count from audit_log where action = 'replayDelivery'`,
    )
    expect(entry).toEqual({ actor: 'operator', role: 'operator', via: 'console', count: 1 })
    const page = await operator.get(`/console/deliveries/${delivery?.id}`)
    expect(page.body).toContain('повторная отправка доставки')
  })

  it('keeps the admin API working with its bearer token, and audits its writes', async () => {
    const retried = await world.t.app.inject({ method: 'POST', url: `/admin/api/orders/${encodeURIComponent(world.orderId)}/retry`, headers: adminHeaders })
    expect(retried.statusCode).toBe(200)
    const audit = await world.t.app.inject({ method: 'GET', url: '/admin/api/audit', headers: adminHeaders })
    expect(audit.json().entries[0]).toMatchObject({ action: 'retryOrder', actor: 'admin-token', via: 'api', targetKey: world.orderId, count: 1 })
  })
})

describe("answering 'why does customer X see Y?'", () => {
  it('finds a customer by ИНН and shows the balance from 1C, the holds behind the available amount and the run that set it', async () => {
    const viewer = await signIn('viewer', PASSWORDS.viewer)
    const found = await viewer.get(`/console/search?q=${INN}`)
    expect(found.statusCode).toBe(303)
    expect(found.headers.location).toBe('/console/entities/customer/buyer-1')
    const page = await viewer.get(String(found.headers.location))
    expect(page.body).toContain('ООО «Ромашка»')
    expect(page.body).toMatch(/data-testid="balance">\s*5\u00a0000 баллов/)
    expect(page.body).toMatch(/data-testid="held">\s*100 баллов/)
    expect(page.body).toMatch(/data-testid="available">\s*<strong>4\u00a0900 баллов/)
    expect(page.body).toContain(`/console/runs/${world.balanceRuns[1]}`)
    expect(page.body).toContain(ORDER_NUMBER)
  })

  it("explains a cart's cap line by line: price group, percent, allocation and the lesser of balance and caps", async () => {
    const viewer = await signIn('viewer', PASSWORDS.viewer)
    const page = await viewer.get(`/console/entities/customer/buyer-1?cart=${encodeURIComponent('prod-1 2')}`)
    // 2 × 1 234,50 ₽ = 2 469,00; 10 % of it is 246,90 points, less than the 4 900 available.
    expect(page.body).toMatch(/Можно списать не больше <strong>246,9 балла<\/strong>/)
    expect(page.body).toContain('ценовая группа')
    expect(page.body).toContain('pg-coffee')
    expect(page.body).toMatch(/<td>10%<\/td>/)
  })

  it('shows which run of which source changed which field, from what to what', async () => {
    const viewer = await signIn('viewer', PASSWORDS.viewer)
    const page = await viewer.get('/console/entities/bonus_account/buyer-1')
    expect(page.body).toContain('OData: bonus-balances')
    expect(page.body).toContain('balanceMinor: 400000 → 500000')
    expect(page.body).toMatch(/data-testid="entity-storefronts"/)
  })

  it('finds an order by its number and tells whether 1C took it and what the storefront was told', async () => {
    const viewer = await signIn('viewer', PASSWORDS.viewer)
    const found = await viewer.get(`/console/search?q=${ORDER_NUMBER}`)
    expect(found.statusCode).toBe(303)
    const page = await viewer.get(String(found.headers.location))
    expect(page.body).toContain('1С ещё не приняла этот заказ')
    expect(page.body).toContain('Удержаны бонусы')
    await until(
      () => viewer.get(String(found.headers.location)),
      (answer) => answer.body.includes('order.accepted'),
    )
  })

  it('lists orders 1C has not taken after N minutes, and only those', async () => {
    const viewer = await signIn('viewer', PASSWORDS.viewer)
    const rows = async () => ((await viewer.get('/console/orders?notInOneCMinutes=5')).body.match(/data-testid="order-row"/g) ?? []).length
    expect(await rows()).toBe(0)
    await world.t.db.query(`update orders set created_at = now() - interval '10 minutes' where id = $1`, [world.orderId])
    expect(await rows()).toBe(1)
    await world.t.db.query(`update orders set created_at = now() where id = $1`, [world.orderId])
  })

  it('speaks English to an English browser', async () => {
    const viewer = await signIn('viewer', PASSWORDS.viewer)
    const page = await viewer.get('/console/runs', { 'accept-language': 'en-US,en;q=0.9' })
    expect(page.body).toContain('<html lang="en">')
    expect(page.body).toContain('Runs')
  })
})

describe('recovering failed deliveries', () => {
  it('shows the count before acting, then requeues exactly that many and audits it', async () => {
    await world.t.db.query(`update deliveries set status = 'dead' where storefront_id = 'shop'`)
    const [{ dead } = { dead: 0 }] = await world.t.db.query<{ dead: number }>(`select count(*)::int as dead from deliveries where status = 'dead'`)
    expect(dead).toBeGreaterThan(0)
    const operator = await signIn('operator', PASSWORDS.operator)
    const preview = await operator.get('/console/deliveries/recover?storefront=shop&since=2000-01-01T00:00')
    expect(preview.body).toMatch(new RegExp(`data-testid="recover-count">[^<]*<strong>${dead} `))
    expect(await world.t.db.query(`select 1 from deliveries where status = 'dead'`)).toHaveLength(dead)
    const done = await operator.post('/console/deliveries/recover', { storefront: 'shop', since: '2000-01-01T00:00', expected: String(dead) })
    expect(done.statusCode).toBe(303)
    expect(await world.t.db.query(`select 1 from deliveries where status = 'dead'`)).toHaveLength(0)
    const [entry] = await world.t.db.query<{ count: number }>(`select count from audit_log where action = 'recoverDeliveries'`)
    expect(entry?.count).toBe(dead)
  })
})

describe('a source with no success for twice its schedule', () => {
  it('shows as stale on the health page, raises the gauge and sends a signed bridge.alert', async () => {
    await world.t.db.query(`update sync_runs set started_at = now() - interval '3 minutes', finished_at = now() - interval '3 minutes' where source = 'odata:bonus-balances'`)
    const viewer = await signIn('viewer', PASSWORDS.viewer)
    const health = await viewer.get('/console')
    expect(health.body).toMatch(/data-source="odata:bonus-balances">[\s\S]*?data-status="stale"/)
    const metrics = await world.t.app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toContain('onec_bridge_source_stale{source="odata:bonus-balances"} 1')
    expect(metrics.body).toMatch(/onec_bridge_dead_letters\{storefront="shop"\} \d/)
    const alert = await until(
      () => world.alerts.received.find((message) => message.body.data.key === 'source_stale:odata:bonus-balances'),
      (found) => Boolean(found),
    )
    expect(alert?.body).toMatchObject({ type: 'bridge.alert', data: { alert: 'source_stale', state: 'raised', subject: 'odata:bonus-balances' } })
    expect(alert?.verifiedWith).toEqual([world.alerts.secrets[0]])
    // Sent once while it lasts.
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(world.alerts.received.filter((message) => message.body.data.key === 'source_stale:odata:bonus-balances')).toHaveLength(1)
  })
})

describe('the rules under the pages', () => {
  it('is on time within one interval, late within two, stale beyond, and "never" without a reference', () => {
    const now = new Date('2026-12-02T12:00:00Z')
    const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000)
    expect([freshnessOf(ago(50), 60, now), freshnessOf(ago(90), 60, now), freshnessOf(ago(121), 60, now), freshnessOf(null, 60, now)]).toEqual([
      'on_time',
      'late',
      'stale',
      'never',
    ])
  })

  it('reads the language from the switch, else Accept-Language, else Russian', () => {
    expect(chooseLang('en', 'ru-RU')).toBe('en')
    expect(chooseLang(undefined, 'de-DE,en;q=0.5')).toBe('en')
    expect(chooseLang(undefined, 'en;q=0.3,ru;q=0.8')).toBe('ru')
    expect(chooseLang(undefined, undefined)).toBe('ru')
  })

  it("says points with Russian plurals and reads form times in the reader's zone", () => {
    expect([formatPoints('ru', 100), formatPoints('ru', 300), formatPoints('ru', 500), formatPoints('ru', 2_100), formatPoints('ru', 150)]).toEqual([
      '1 балл',
      '3 балла',
      '5 баллов',
      '21 балл',
      '1,5 балла',
    ])
    expect(zonedInstant('2026-12-02T10:00', 'Europe/Moscow')?.toISOString()).toBe('2026-12-02T07:00:00.000Z')
    expect(zonedInstant('2026-07-01T10:00', 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T08:00:00.000Z')
  })
})

describe('several instances on one store', () => {
  it('lists the service processes working on the store, with their runs in progress, and drops one the moment it stops', async () => {
    const { openInstance } = await import('../src/store/index.ts')
    const { testDb } = world.t
    const first = await openInstance(testDb.connectionString, { schema: testDb.schema, applicationName: 'onec-bridge service 4001' })
    const second = await openInstance(testDb.connectionString, { schema: testDb.schema, applicationName: 'onec-bridge service 4002' })
    try {
      await world.t.db.query(`insert into sync_runs (source, kind, status, instance_id) values ('odata:customers', 'customer', 'running', $1)`, [first.id])
      const viewer = await signIn('viewer', PASSWORDS.viewer)
      // (On a shared server other test files' processes may be listed too: only these two are looked at.)
      const rowsOf = (body: string) =>
        [...body.matchAll(/<tr data-testid="instance">([\s\S]*?)<\/tr>/g)]
          .map((match) =>
            (match[1] ?? '')
              .replace(/<[^>]+>/g, ' ')
              .replace(/\s+/g, ' ')
              .trim(),
          )
          .filter((row) => /процесс 400[12] /.test(row))
      const both = rowsOf((await viewer.get('/console')).body)
      expect(both).toHaveLength(2)
      expect(both[0]).toMatch(/^сервис, процесс 4001 .* 1$/)
      expect(both[1]).toMatch(/^сервис, процесс 4002 .* 0$/)
      await first.close()
      const left = await until(
        async () => rowsOf((await viewer.get('/console')).body),
        (rows) => rows.length === 1,
      )
      expect(left[0]).toMatch(/^сервис, процесс 4002/)
    } finally {
      await first.close()
      await second.close()
      await world.t.db.query(`delete from sync_runs where source = 'odata:customers' and status = 'running'`)
    }
  })
})
