import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from './helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(async () => {
  await t.close()
})

describe('health, readiness and metrics', () => {
  it('answers /health while the process is up', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok' })
  })

  it('answers /ready with 200 when the store and the job engine answer', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/ready' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ready', checks: { store: 'ok', jobs: 'ok' } })
  })

  it('exposes default and HTTP metrics labelled by route pattern, not URL', async () => {
    await t.app.inject({ method: 'GET', url: '/admin/api/entities/offer/abc' })
    const response = await t.app.inject({ method: 'GET', url: '/metrics' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/plain')
    expect(response.body).toContain('process_cpu_user_seconds_total')
    expect(response.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} \d+/)
    expect(response.body).toContain('route="/admin/api/entities/:kind/:key",status_code="401"')
    expect(response.body).not.toContain('/admin/api/entities/offer/abc')
  })

  it('keeps a caller request id and makes one up otherwise', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'shop-42.abc' } })
    expect(given.headers['x-request-id']).toBe('shop-42.abc')
    const made = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id with spaces' } })
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers an unknown route with the error envelope', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/nope?x=1' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route GET /nope', requestId: response.headers['x-request-id'] },
    })
  })
})

describe('readiness when a dependency is gone', () => {
  it('answers 503 and names the job engine once it has stopped', async () => {
    const local = await buildTestApp()
    try {
      await local.jobs.stop({ graceful: false })
      const response = await local.app.inject({ method: 'GET', url: '/ready' })
      expect(response.statusCode).toBe(503)
      const body = response.json()
      expect(body.status).toBe('not ready')
      expect(body.checks.store).toBe('ok')
      expect(body.checks.jobs).not.toBe('ok')
    } finally {
      await local.close()
    }
  })
})
