import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../src/store/index.ts'
import { InvalidEntityError } from '../src/domain/index.ts'
import { applyChanges, getEntity, listEvents, startRun } from '../src/state/index.ts'
import { openTestDb, type TestDb } from './helpers/db.ts'
import { offer, product } from './fixtures.ts'

let t: TestDb
let db: Db
beforeAll(async () => {
  t = await openTestDb()
  db = t.db
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await db.exec('delete from events; delete from entity_state; delete from sync_runs')
})

async function run() {
  return startRun(db, 'test', 'offers')
}

async function rowVersions(): Promise<Array<{ key: string; version: number; xmin: string }>> {
  return db.query('select key, version, xmin::text as xmin from entity_state order by key')
}

async function lastSeq(): Promise<number> {
  const [row] = await db.query<{ seq: number }>('select coalesce(max(seq), 0)::bigint as seq from events')
  return row?.seq ?? 0
}

async function eventCount(): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from events')
  return row?.n ?? -1
}

describe('applying entities for the first time', () => {
  it('stores each entity at version 1 and emits one created event each, in order', async () => {
    const first = await run()
    const result = await applyChanges(db, first, [offer('a'), offer('b'), product('p')])
    expect(result).toEqual({ seen: 3, changed: 3, unchanged: 0, removed: 0, created: 3, updated: 0 })
    const events = await listEvents(db, 0, 10)
    expect(events.map((event) => [event.kind, event.key, event.version, event.type, event.runId])).toEqual([
      ['offer', 'a', 1, 'created', first.id],
      ['offer', 'b', 1, 'created', first.id],
      ['product', 'p', 1, 'created', first.id],
    ])
    expect(events[1]!.seq).toBeGreaterThan(events[0]!.seq)
  })
})

describe('re-applying identical entities', () => {
  it('writes nothing and emits nothing', async () => {
    await applyChanges(db, await run(), [offer('a'), offer('b#v1'), product('p')])
    const before = await rowVersions()
    const eventsBefore = await eventCount()

    const result = await applyChanges(db, await run(), [offer('a'), offer('b#v1'), product('p')])

    expect(result).toEqual({ seen: 3, changed: 0, unchanged: 3, removed: 0, created: 0, updated: 0 })
    // xmin changes on any UPDATE of a row, so equal xmin means the row was not written at all.
    expect(await rowVersions()).toEqual(before)
    expect(await eventCount()).toBe(eventsBefore)
  })

  it('ignores key order and surrounding whitespace of ids', async () => {
    await applyChanges(db, await run(), [offer('a')])
    const reordered = offer('a')
    const data = reordered.data as Record<string, unknown>
    const shuffled = { kind: 'offer', data: { ...Object.fromEntries(Object.entries(data).reverse()), id: '  a ' } } as typeof reordered
    const result = await applyChanges(db, await run(), [shuffled])
    expect(result.changed).toBe(0)
    expect(await eventCount()).toBe(1)
  })
})

describe('changing one field', () => {
  it('emits exactly one event, bumps the version and records what changed from what', async () => {
    await applyChanges(db, await run(), [offer('a'), offer('b')])
    const mark = await lastSeq()
    const second = await run()
    const result = await applyChanges(db, second, [offer('a', { prices: { 'retail-price-type': { amountMinor: 12_500, currency: 'RUB' } } }), offer('b')])
    expect(result).toMatchObject({ changed: 1, unchanged: 1, updated: 1 })

    const events = await listEvents(db, mark, 10)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ kind: 'offer', key: 'a', version: 2, type: 'updated', runId: second.id })
    expect(events[0]!.changes).toEqual([{ path: 'prices.retail-price-type.amountMinor', from: 12_345, to: 12_500 }])

    const entity = await getEntity(db, 'offer', 'a')
    expect(entity?.version).toBe(2)
    expect(entity?.data.prices).toEqual({ 'retail-price-type': { amountMinor: 12_500, currency: 'RUB' } })
    expect(entity?.history.map((entry) => [entry.version, entry.type, entry.run?.id])).toEqual([
      [2, 'updated', second.id],
      [1, 'created', expect.any(Number)],
    ])
    expect((await getEntity(db, 'offer', 'b'))?.version).toBe(1)
  })
})

describe('removal', () => {
  it('emits a removed event when an entity becomes removed, and keeps a tombstone for a mark on an unknown one', async () => {
    await applyChanges(db, await run(), [offer('a')])
    const mark = await lastSeq()
    const result = await applyChanges(db, await run(), [offer('a', { removed: true }), offer('ghost', { removed: true })])
    expect(result).toMatchObject({ seen: 2, changed: 2, removed: 2, unchanged: 0 })
    const events = await listEvents(db, mark, 10)
    expect(events.map((event) => [event.key, event.type, event.version])).toEqual([
      ['a', 'removed', 2],
      ['ghost', 'removed', 1],
    ])
    expect((await getEntity(db, 'offer', 'ghost'))?.removed).toBe(true)
    expect((await getEntity(db, 'offer', 'a'))?.removed).toBe(true)
    const again = await applyChanges(db, await run(), [offer('ghost', { removed: true })])
    expect(again).toMatchObject({ changed: 0, unchanged: 1 })
  })

  it('treats an entity that comes back as an update', async () => {
    await applyChanges(db, await run(), [offer('a')])
    await applyChanges(db, await run(), [offer('a', { removed: true })])
    await applyChanges(db, await run(), [offer('a')])
    const events = await listEvents(db, 0, 10)
    expect(events.map((event) => [event.type, event.version])).toEqual([
      ['created', 1],
      ['removed', 2],
      ['updated', 3],
    ])
  })
})

describe('bad input', () => {
  it('rejects an invalid entity naming it, and applies nothing of the batch', async () => {
    await applyChanges(db, await run(), [offer('a')])
    const bad = offer('b', { prices: { 'retail-price-type': { amountMinor: 12.5, currency: 'RUB' } } })
    const attempt = applyChanges(db, await run(), [offer('a', { removed: true }), bad])
    await expect(attempt).rejects.toThrow(InvalidEntityError)
    await expect(attempt).rejects.toThrow(/offer "b" is invalid: prices\.retail-price-type\.amountMinor/)
    expect(await eventCount()).toBe(1)
    expect((await getEntity(db, 'offer', 'a'))?.removed).toBe(false)
  })

  it('rolls back every write of the batch when the store refuses part of it', async () => {
    await applyChanges(db, await run(), [offer('a')])
    const attempt = applyChanges(db, await run(), [offer('a', { removed: true }), offer('b')], {
      beforeCommit: async (tx) => {
        await tx.query('select 1/0')
      },
    })
    await expect(attempt).rejects.toThrow(/division by zero/)
    expect(await eventCount()).toBe(1)
    expect(await getEntity(db, 'offer', 'b')).toBeNull()
    expect((await getEntity(db, 'offer', 'a'))?.version).toBe(1)
  })
})

describe('large batches', () => {
  it('detects changes across chunk boundaries and keeps the last occurrence of a repeated key', async () => {
    const many = Array.from({ length: 4500 }, (_, index) => offer(`o-${index}`))
    expect((await applyChanges(db, await run(), many)).created).toBe(4500)
    const changedEvery = many.map((entity, index) => (index % 1000 === 0 ? offer(`o-${index}`, { stock: { total: 1, warehouses: { 'main-warehouse': 1 } } }) : entity))
    changedEvery.push(offer('o-1', { stock: { total: 7, warehouses: {} } }))
    const result = await applyChanges(db, await run(), changedEvery)
    expect(result).toMatchObject({ seen: 4500, changed: 6, unchanged: 4494 })
    expect((await getEntity(db, 'offer', 'o-1'))?.data.stock).toEqual({ total: 7, warehouses: {} })
  })
})
