/**
 * Storefronts managed at run time through the admin API: created (starting at the current end of
 * the change feed, or with a backfill in batches), their signing secret rotated with an overlap in
 * which old and new both sign, their keys revoked; a storefront the config file declares keeps the
 * file's settings (a change through the API is refused, not silently undone by the next start).
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { seedStorefronts } from '../src/storefront/webhooks/index.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { Receiver, until } from './helpers/receiver.ts'
import { customer, offer, product } from './fixtures.ts'

const FILE_SECRET = `whsec_${randomBytes(32).toString('base64')}`
const fileStorefront = { id: 'from-file', url: 'https://shop.example/hooks', secrets: [FILE_SECRET], events: ['*'], enabled: true, local: false, apiKeys: [] }

let t: TestApp
let receiver: Receiver
beforeAll(async () => {
  receiver = new Receiver([])
  await receiver.listen()
  t = await buildTestApp({}, { configFile: { storefronts: [fileStorefront] } })
  // A history before the storefront exists: 450 offers, changed twice.
  const offers = Array.from({ length: 450 }, (_, index) => offer(`o${String(index).padStart(3, '0')}`))
  await applyChanges(t.db, await startRun(t.db, 'test', 'first'), [
    product('o000'),
    ...offers,
    customer('dealer', { legalForm: 'company' }),
    customer('person', { legalForm: 'person' }),
  ])
  await applyChanges(
    t.db,
    await startRun(t.db, 'test', 'second'),
    offers.map((_, index) => offer(`o${String(index).padStart(3, '0')}`, { stock: { total: 5, warehouses: {} } })),
  )
})
afterAll(async () => {
  await t.close()
  receiver.server.close()
})

const admin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url: `/admin/api${url}`, headers: adminHeaders, ...(payload && { payload }) })
const messagesTo = (id: string) => receiver.received.filter((message) => message.id.startsWith(`msg_${id}_`))

describe('a storefront created through the admin API', () => {
  it('gets its secret and key once, starts with the next change, not the whole history', async () => {
    const created = await admin('POST', '/storefronts', { id: 'fresh', url: receiver.url, local: true, events: ['offer.*'] })
    expect(created.statusCode).toBe(201)
    const { secret, apiKey, keyId } = created.json()
    expect(secret).toMatch(/^whsec_/)
    expect(keyId).toMatch(/^[0-9a-f]{16}$/)
    expect((await admin('POST', '/storefronts', { id: 'fresh', url: receiver.url })).statusCode).toBe(409)
    receiver.secrets = [secret]

    const read = await t.app.inject({ method: 'GET', url: '/api/v1/offers/o001', headers: { authorization: `Bearer ${apiKey}` } })
    expect(read.statusCode).toBe(200)

    await applyChanges(t.db, await startRun(t.db, 'test', 'third'), [offer('o001', { stock: { total: 7, warehouses: {} } })])
    await until(
      () => messagesTo('fresh'),
      (messages) => messages.length > 0,
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    // 901 events happened before it existed; it gets the one after.
    expect(messagesTo('fresh').map((message) => [message.body.type, message.body.data.id])).toEqual([['offer.updated', 'o001']])
    expect(messagesTo('fresh')[0]?.verifiedWith).toEqual([secret])
  })

  it('a rotation: old and new secret both sign during the overlap, then only the new one', async () => {
    const old = receiver.secrets[0] as string
    const rotated = await admin('POST', '/storefronts/fresh/secrets', { overlapHours: 24 })
    expect(rotated.statusCode).toBe(201)
    const fresh = rotated.json().secret as string
    receiver.secrets = [old, fresh]
    const before = messagesTo('fresh').length
    await applyChanges(t.db, await startRun(t.db, 'test', 'fourth'), [offer('o002', { stock: { total: 8, warehouses: {} } })])
    const [during] = (await until(
      () => messagesTo('fresh').slice(before),
      (messages) => messages.length > 0,
    )) as [(typeof receiver.received)[number]]
    expect(during.verifiedWith.sort()).toEqual([old, fresh].sort())

    expect((await admin('DELETE', '/storefronts/fresh/secrets/retiring')).statusCode).toBe(200)
    const after = messagesTo('fresh').length
    await applyChanges(t.db, await startRun(t.db, 'test', 'fifth'), [offer('o003', { stock: { total: 9, warehouses: {} } })])
    const [later] = (await until(
      () => messagesTo('fresh').slice(after),
      (messages) => messages.length > 0,
    )) as [(typeof receiver.received)[number]]
    expect(later.verifiedWith).toEqual([fresh])
  })

  it('a revoked key stops working (within the key cache’s 5 s); the others keep working', async () => {
    const issued = await admin('POST', '/storefronts/fresh/keys')
    const { apiKey, keyId } = issued.json()
    const listed = (await admin('GET', '/storefronts')).json().storefronts.find((row: { id: string }) => row.id === 'fresh')
    expect(listed).toMatchObject({ origin: 'api' })
    expect(listed.keyIds).toContain(keyId)
    expect((await admin('DELETE', `/storefronts/fresh/keys/${keyId}`)).statusCode).toBe(200)
    expect((await admin('DELETE', `/storefronts/fresh/keys/${keyId}`)).statusCode).toBe(404)
    await new Promise((resolve) => setTimeout(resolve, 5_100))
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/price-types', headers: { authorization: `Bearer ${apiKey}` } })).statusCode).toBe(401)
  })
})

describe('a backfill', () => {
  it('sends the current state in batches of 200, each entity once, within the storefront’s scope', async () => {
    const created = await admin('POST', '/storefronts', {
      id: 'backfilled',
      url: receiver.url,
      local: true,
      events: ['offer.*', 'customer.*'],
      customers: { legalForms: ['company'] },
      backfill: true,
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().backfill).toEqual({ offer: 450, customer: 1 })
    receiver.secrets = [created.json().secret]
    const batches = await until(
      () => messagesTo('backfilled').filter((message) => message.body.type === 'backfill.batch'),
      (messages) => messages.length >= 4,
    )
    // Batches are delivered concurrently: in any order, each numbered within its kind.
    const data = batches
      .map((message) => message.body.data as unknown as { kind: string; batch: number; entities: Array<{ id: string; version: number }> })
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.batch - b.batch)
    expect(data.map((batch) => [batch.kind, batch.batch, batch.entities.length])).toEqual([
      ['customer', 1, 1],
      ['offer', 1, 200],
      ['offer', 2, 200],
      ['offer', 3, 50],
    ])
    const offerIds = data.filter((batch) => batch.kind === 'offer').flatMap((batch) => batch.entities.map((entity) => entity.id))
    expect(new Set(offerIds).size).toBe(450)
    expect(data.find((batch) => batch.kind === 'customer')?.entities.map((entity) => entity.id)).toEqual(['dealer'])
    expect(batches.every((message) => message.verifiedWith.length === 1)).toBe(true)
    // Not in the change feed, which lists changes, not this storefront's backfill.
    expect(messagesTo('backfilled').filter((message) => message.body.type !== 'backfill.batch')).toEqual([])
  })
})

describe('a storefront the config file declares', () => {
  it('keeps the file’s settings: the API refuses to change them; a pause persists across a start', async () => {
    const changed = await admin('PATCH', '/storefronts/from-file', { url: 'https://elsewhere.example/hooks' })
    expect(changed.statusCode).toBe(409)
    expect(changed.json().error.message).toContain('declared in the config file')
    expect((await admin('POST', '/storefronts/from-file/secrets', {})).statusCode).toBe(409)
    expect((await admin('PATCH', '/storefronts/from-file', { enabled: false })).statusCode).toBe(200)
    // The next start writes the file's storefronts again.
    await seedStorefronts(t.db, [{ ...fileStorefront, enabled: true }])
    const listed = (await admin('GET', '/storefronts')).json().storefronts.find((row: { id: string }) => row.id === 'from-file')
    expect(listed).toMatchObject({ origin: 'config', enabled: false, url: 'https://shop.example/hooks' })
  })
})
