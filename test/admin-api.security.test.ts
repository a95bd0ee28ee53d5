import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from './helpers/app.ts'

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
