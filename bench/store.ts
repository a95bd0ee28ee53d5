/**
 * Stores for benches: by default an embedded PostgreSQL started once for the bench process (the
 * same code and settings the service uses, a fresh DATA_DIR) with a new database per round; with
 * BENCH_DATABASE_URL, a new schema per round on that server.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { migrate, openPostgres, startEmbedded, type Db, type EmbeddedServer } from '../src/store/index.ts'

export const serverUrl = process.env.BENCH_DATABASE_URL
export const storeName = serverUrl ? 'PostgreSQL server (BENCH_DATABASE_URL)' : 'embedded PostgreSQL'

let embedded: Promise<{ server: EmbeddedServer; dataDir: string }> | undefined

function startOnce() {
  embedded ??= (async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'onec-bridge-bench-store-'))
    const settings = loadConfig({ env: {} }).store.embedded
    const server = await startEmbedded({ dataDir, password: 'bench-store-password', settings, log: { info: () => {}, warn: (m) => console.error(m) } })
    return { server, dataDir }
  })()
  return embedded
}

/** Stops the bench's embedded server (if one was started) and removes its cluster. */
export async function stopBenchStore(): Promise<void> {
  if (!embedded) return
  const { server, dataDir } = await embedded
  embedded = undefined
  await server.stop()
  await rm(server.clusterDir, { recursive: true, force: true })
  await rm(dataDir, { recursive: true, force: true })
}

/** One statement on a server, on a connection of its own (create or drop a database or schema). */
export async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export interface BenchDb {
  db: Db
  /** The job engine's schema for this database. */
  jobSchema: string
  drop(): Promise<void>
}

/** A fresh, migrated database. */
export async function freshBenchDb(): Promise<BenchDb> {
  const name = `bench_${randomBytes(5).toString('hex')}`
  if (serverUrl) {
    await admin(serverUrl, `create schema ${name}`)
    const db = await openPostgres({ connectionString: serverUrl, schema: name })
    await migrate(db)
    return {
      db,
      jobSchema: `${name}_jobs`,
      async drop() {
        await db.close()
        await admin(serverUrl, `drop schema if exists ${name} cascade; drop schema if exists ${name}_jobs cascade`)
      },
    }
  }
  const { server } = await startOnce()
  const adminUrl = server.connectionString.replace(/\/[^/]+$/, '/postgres')
  await admin(adminUrl, `create database ${name}`)
  const db = await openPostgres({ connectionString: server.connectionString.replace(/\/[^/]+$/, `/${name}`) })
  await migrate(db)
  return {
    db,
    jobSchema: 'pgboss',
    async drop() {
      await db.close()
      await admin(adminUrl, `drop database if exists ${name} with (force)`)
    },
  }
}
