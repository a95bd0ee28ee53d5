import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, adminHeaders, buildStorefrontApp, buildTestApp, logCapture, storefrontHeaders, type TestApp } from './helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(async () => {
  await t.close()
})

describe('admin API authentication', () => {
  const urls = ['/admin/api/runs', '/admin/api/runs/1', '/admin/api/entities/offer/x', '/admin/api/events']

  it.each(urls)('answers 401 without a token: %s', async (url) => {
    const response = await t.app.inject({ method: 'GET', url })
    expect(response.statusCode).toBe(401)
    expect(response.json().error).toMatchObject({ code: 'UNAUTHORIZED', message: 'missing Authorization: Bearer <token>' })
  })

  it.each([
    ['a wrong token', 'Bearer not-the-token'],
    ['a prefix of the token', `Bearer ${'test-admin-token-0123456789'.slice(0, 10)}`],
    ['Basic auth', `Basic ${Buffer.from('admin:test-admin-token-0123456789').toString('base64')}`],
  ])('answers 401 with %s', async (_what, authorization) => {
    const response = await t.app.inject({ method: 'GET', url: '/admin/api/runs', headers: { authorization } })
    expect(response.statusCode).toBe(401)
  })

  it('lets the admin token through, case-insensitive scheme', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/admin/api/runs', headers: { authorization: 'bearer test-admin-token-0123456789' } })
    expect(response.statusCode).toBe(200)
  })
})

describe('admin API: other credentials and hostile input', () => {
  it('a storefront key is not an admin token, nor is the admin token in the query string', async () => {
    const shop = await buildStorefrontApp()
    try {
      expect((await shop.app.inject({ method: 'GET', url: '/admin/api/runs', headers: storefrontHeaders })).statusCode).toBe(401)
      expect((await shop.app.inject({ method: 'GET', url: `/admin/api/runs?token=${ADMIN_TOKEN}` })).statusCode).toBe(401)
    } finally {
      await shop.close()
    }
  })

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ftp://shop.example/hooks', 'not a url'])('refuses a storefront URL %j: 400 naming the field', async (url) => {
    const response = await t.app.inject({ method: 'PATCH', url: '/admin/api/storefronts/any', headers: adminHeaders, payload: { url } })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain('body/url must be an http(s) URL')
  })

  it.each([
    ['/admin/api/runs/1e308', 400],
    ['/admin/api/runs?limit=1e9', 400],
    ['/admin/api/runs?limit=-1', 400],
    ['/admin/api/events?after=NaN', 400],
    ['/admin/api/entities/offer/%00', 400],
    ['/admin/api/orders/a%00b', 400],
    ['/admin/api/orders?customerId=%00', 400],
  ])('%s: %i, never 500', async (url, status) => {
    const response = await t.app.inject({ method: 'GET', url, headers: adminHeaders })
    expect(response.statusCode).toBe(status)
  })

  it('a secret in a request URL never reaches the log', async () => {
    const log = logCapture()
    const app = await buildTestApp({ LOG_LEVEL: 'info' }, { logTo: log.stream })
    try {
      await app.app.inject({ method: 'GET', url: '/admin/api/runs?token=leaked-admin-token-123&sessid=0123456789abcdef&api_key=k-999&limit=5', headers: adminHeaders })
      const text = log.text()
      expect(text).toContain('/admin/api/runs?token=[redacted]&sessid=[redacted]&api_key=[redacted]&limit=5')
      for (const secret of ['leaked-admin-token-123', '0123456789abcdef', 'k-999', ADMIN_TOKEN]) expect(text).not.toContain(secret)
    } finally {
      await app.close()
    }
  })
})
