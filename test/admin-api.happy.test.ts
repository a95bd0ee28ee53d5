import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, failRun, finishRun, startRun } from '../src/state/index.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { offer } from './fixtures.ts'

let t: TestApp
let firstRun: number
let secondRun: number
let failedRun: number

beforeAll(async () => {
  t = await buildTestApp()
  const first = await startRun(t.db, 'commerceml', 'offers', { files: ['offers0_1.xml'] })
  const firstResult = await applyChanges(t.db, first, [offer('a'), offer('b#v')])
  await finishRun(t.db, first.id, { counts: firstResult, bytes: 2048 })
  const second = await startRun(t.db, 'commerceml', 'offers')
  const secondResult = await applyChanges(t.db, second, [offer('a', { stock: { total: 3, warehouses: { 'main-warehouse': 3 } } }), offer('b#v')])
  await finishRun(t.db, second.id, { counts: secondResult })
  const failed = await startRun(t.db, 'commerceml', 'offers')
  await failRun(t.db, failed.id, {
    file: 'offers1_1.xml',
    path: 'КоммерческаяИнформация/ПакетПредложений/Предложения/Предложение[17]/Цены',
    line: 412,
    reason: 'Цена: not a decimal number',
  })
  firstRun = first.id
  secondRun = second.id
  failedRun = failed.id
})
afterAll(async () => {
  await t.close()
})

async function get(url: string) {
  const response = await t.app.inject({ method: 'GET', url, headers: adminHeaders })
  return { status: response.statusCode, body: response.json() }
}

describe('GET /admin/api/runs', () => {
  it('lists runs newest first with their counts and errors', async () => {
    const { status, body } = await get('/admin/api/runs')
    expect(status).toBe(200)
    expect(body.runs.map((run: { id: number }) => run.id)).toEqual([failedRun, secondRun, firstRun])
    expect(body.runs[2]).toMatchObject({
      source: 'commerceml',
      kind: 'offers',
      status: 'succeeded',
      seen: 2,
      changed: 2,
      unchanged: 0,
      bytes: 2048,
      error: null,
      details: { files: ['offers0_1.xml'] },
    })
    expect(body.runs[1]).toMatchObject({ seen: 2, changed: 1, unchanged: 1 })
    expect(body.runs[0]).toMatchObject({
      status: 'failed',
      error: { file: 'offers1_1.xml', path: 'КоммерческаяИнформация/ПакетПредложений/Предложения/Предложение[17]/Цены', line: 412, reason: 'Цена: not a decimal number' },
    })
    expect(body.runs[0].durationMs).toBeGreaterThanOrEqual(0)
    expect(body.next).toBeNull()
  })

  it('pages backwards and filters by status', async () => {
    const page = await get('/admin/api/runs?limit=2')
    expect(page.body.runs).toHaveLength(2)
    expect(page.body.next).toEqual({ before: secondRun })
    const rest = await get(`/admin/api/runs?limit=2&before=${secondRun}`)
    expect(rest.body.runs.map((run: { id: number }) => run.id)).toEqual([firstRun])
    const failed = await get('/admin/api/runs?status=failed')
    expect(failed.body.runs.map((run: { id: number }) => run.id)).toEqual([failedRun])
  })

  it('rejects a bad filter with 400', async () => {
    const { status, body } = await get('/admin/api/runs?limit=0')
    expect(status).toBe(400)
    expect(body.error.code).toBe('BAD_REQUEST')
  })
})

describe('GET /admin/api/runs/:id', () => {
  it('shows the run with the changes it made', async () => {
    const { status, body } = await get(`/admin/api/runs/${secondRun}`)
    expect(status).toBe(200)
    expect(body.run.id).toBe(secondRun)
    expect(body.events).toHaveLength(1)
    expect(body.events[0]).toMatchObject({ kind: 'offer', key: 'a', version: 2, type: 'updated' })
  })

  it('answers 404 for an unknown run', async () => {
    const { status, body } = await get('/admin/api/runs/999999')
    expect(status).toBe(404)
    expect(body.error.message).toBe('sync run 999999 does not exist')
  })
})

describe('GET /admin/api/entities/:kind/:key', () => {
  it('shows current state, version and which run changed which fields when', async () => {
    const { status, body } = await get('/admin/api/entities/offer/a')
    expect(status).toBe(200)
    expect(body).toMatchObject({ kind: 'offer', key: 'a', version: 2, removed: false, runId: secondRun })
    expect(body.data.stock).toEqual({ total: 3, warehouses: { 'main-warehouse': 3 } })
    expect(body.history).toEqual([
      {
        version: 2,
        type: 'updated',
        at: expect.any(String),
        seq: expect.any(Number),
        run: { id: secondRun, source: 'commerceml', kind: 'offers' },
        changes: [
          { path: 'stock.total', from: 10, to: 3 },
          { path: 'stock.warehouses.main-warehouse', from: 10, to: 3 },
        ],
      },
      { version: 1, type: 'created', at: expect.any(String), seq: expect.any(Number), run: { id: firstRun, source: 'commerceml', kind: 'offers' }, changes: [] },
    ])
  })

  it('finds an offer whose id carries a variant (guid#guid) when the # is encoded', async () => {
    const { status, body } = await get('/admin/api/entities/offer/b%23v')
    expect(status).toBe(200)
    expect(body.data).toMatchObject({ id: 'b#v', productId: 'b', variantId: 'v' })
  })

  it('answers 404 naming the kinds for an unknown kind, and for an unknown key', async () => {
    const kind = await get('/admin/api/entities/sku/a')
    expect(kind.status).toBe(404)
    expect(kind.body.error.message).toContain('kinds: price_type, warehouse, group, property, product, offer, customer, bonus_account, bonus_programme, product_segment')
    const key = await get('/admin/api/entities/offer/nope')
    expect(key.status).toBe(404)
    expect(key.body.error.message).toBe('no offer with key "nope"')
  })
})

describe('GET /admin/api/events', () => {
  it('reads the change feed in sequence order with a cursor', async () => {
    const all = await get('/admin/api/events')
    expect(all.body.events.map((event: { key: string; version: number }) => `${event.key}@${event.version}`)).toEqual(['a@1', 'b#v@1', 'a@2'])
    const first = await get('/admin/api/events?limit=2')
    expect(first.body.events).toHaveLength(2)
    const rest = await get(`/admin/api/events?after=${first.body.next.after}`)
    expect(rest.body.events.map((event: { key: string }) => event.key)).toEqual(['a'])
    expect(rest.body.next.after).toBe(all.body.events[2].seq)
    const none = await get(`/admin/api/events?after=${rest.body.next.after}`)
    expect(none.body).toEqual({ events: [], next: { after: rest.body.next.after } })
  })
})
