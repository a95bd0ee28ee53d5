/**
 * Numbered SQL migrations (`migrations/NNNN_name.sql`), each applied in its own transaction
 * under an advisory lock, so several instances starting at once apply each exactly once.
 */
import { readdir, readFile } from 'node:fs/promises'
import type { Db } from './db.ts'
import { LOCKS } from './locks.ts'

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)

export interface Migration {
  version: number
  name: string
  sql: string
}

export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort()
  const migrations: Migration[] = []
  for (const file of files) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file)
    if (!match) throw new Error(`migration file name ${file} is not NNNN_name.sql`)
    migrations.push({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: await readFile(new URL(file, MIGRATIONS_DIR), 'utf8'),
    })
  }
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration ${migration.version} is out of sequence (expected ${index + 1})`)
  })
  return migrations
}

/** Applies what is missing; returns the versions it applied. */
export async function migrate(db: Db, migrations?: readonly Migration[]): Promise<number[]> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCKS.migrations])
    await tx.exec(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`)
  })
  const applied: number[] = []
  for (const migration of migrations ?? (await loadMigrations())) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LOCKS.migrations])
      const existing = await tx.query('select 1 from schema_migrations where version = $1', [migration.version])
      if (existing.length > 0) return false
      await tx.exec(migration.sql)
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name])
      return true
    })
    if (done) applied.push(migration.version)
  }
  return applied
}
