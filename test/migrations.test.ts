import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadMigrations, migrate } from '../src/store/index.ts'
import { openTestDb, type TestDb } from './helpers/db.ts'

let t: TestDb
beforeAll(async () => {
  t = await openTestDb()
})
afterAll(async () => {
  await t.close()
})

describe('migrations', () => {
  it('are numbered without gaps', async () => {
    const migrations = await loadMigrations()
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1))
  })

  it('have all been applied to a fresh database, each recorded once', async () => {
    const rows = await t.db.query<{ version: number }>('select version from schema_migrations order by version')
    expect(rows.map((row) => row.version)).toEqual((await loadMigrations()).map((migration) => migration.version))
    for (const table of ['sync_runs', 'entity_state', 'events']) {
      const [found] = await t.db.query<{ name: string | null }>('select to_regclass($1)::text as name', [table])
      expect(found?.name).toBe(table)
    }
  })

  it('apply nothing the second time, even when started concurrently', async () => {
    const results = await Promise.all([migrate(t.db), migrate(t.db), migrate(t.db)])
    expect(results).toEqual([[], [], []])
  })

  it('roll back a failing migration as a whole and leave it unrecorded', async () => {
    const existing = await loadMigrations()
    const broken = { version: existing.length + 1, name: 'broken', sql: 'create table half_done (id int); select 1/0;' }
    await expect(migrate(t.db, [...existing, broken])).rejects.toThrow(/division by zero/)
    const [found] = await t.db.query<{ name: string | null }>("select to_regclass('half_done')::text as name")
    expect(found?.name).toBeNull()
    const recorded = await t.db.query('select 1 from schema_migrations where version = $1', [broken.version])
    expect(recorded).toHaveLength(0)
  })
})
