/**
 * One rule for runs: every run that starts ends; a job that fails before its run starts still
 * leaves a failed run and a log line; the admin API shows each source's true last run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removeUnseen } from '../src/catalog/removal.ts'
import { applyChanges, finishRun, listRuns, startRun } from '../src/state/index.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { until } from './helpers/receiver.ts'
import { offer } from './fixtures.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp({ MAPPING_PROFILE: 'ut11' }, { configFile: { exchange: { autoImportSeconds: 1 } } })
})
afterAll(async () => {
  await t.close()
})

describe('a removal that fails', () => {
  it('ends its run as failed, naming the record and the reason, and removes nothing', async () => {
    await applyChanges(t.db, await startRun(t.db, 'test', 'offers'), [offer('kept'), offer('broken')])
    // A stored offer that no longer passes its schema (written by hand, say): marking it removed fails.
    await t.db.query(`update entity_state set data = (data::jsonb - 'productId')::json where kind = 'offer' and key = 'broken'`)
    const since = new Date()
    await t.db.query(`insert into cml_seen (run_id, kind, keys) values ((select max(id) from sync_runs), 'offer', '["other"]')`)
    await expect(removeUnseen(t.db, since, 'test')).rejects.toThrow(/offer "broken" is invalid/)
    const [run] = await listRuns(t.db, { limit: 1, source: 'commerceml' })
    expect(run).toMatchObject({ kind: 'removal', status: 'failed', error: { path: 'offer[broken]' } })
    expect(run?.error?.reason).toMatch(/productId/)
    const [kept] = await t.db.query<{ removed: boolean }>(`select removed from entity_state where kind = 'offer' and key = 'kept'`)
    expect(kept?.removed).toBe(false)
    expect(await listRuns(t.db, { limit: 10, status: 'running', source: 'commerceml' })).toEqual([])
  })
})

describe('a job that fails before its run starts', () => {
  it('leaves a failed run naming the reason (an automatic import of a session that uploaded no XML)', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    await client.init()
    await client.upload('readme.txt', Buffer.from('not an exchange file'))
    const failed = await until(
      () => listRuns(t.db, { limit: 5, source: 'job:commerceml-auto-import' }),
      (runs) => runs[0]?.status === 'failed',
      20_000,
    )
    expect(failed[0]).toMatchObject({ status: 'failed', kind: 'commerceml-auto-import' })
    expect(failed[0]?.error?.reason).toMatch(/uploaded no XML file .*readme\.txt/)
  })
})

describe('GET /admin/api/sources', () => {
  it('shows a source’s last run even when hundreds of runs of other sources came after it', async () => {
    const source = t.profile.odata?.sources[0]?.name
    expect(source).toBeDefined()
    const pull = await startRun(t.db, `odata:${source}`, 'price_type')
    await finishRun(t.db, pull.id)
    for (let index = 0; index < 600; index += 1) await finishRun(t.db, (await startRun(t.db, 'holds', 'hold-expiry')).id)
    const answer = (await t.app.inject({ method: 'GET', url: '/admin/api/sources', headers: adminHeaders })).json()
    expect(answer.sources.find((item: { name: string }) => item.name === source)).toMatchObject({ lastRun: { id: pull.id, status: 'succeeded' } })
  })
})
