/**
 * One small query interface over the two PostgreSQL engines we run on: PGlite (in-process,
 * the zero-install default) and a PostgreSQL server through `pg`. Everything above this file
 * speaks plain parameterized SQL and never knows which one it has.
 */
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

export type Row = Record<string, unknown>

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

export type Driver =
  | { readonly kind: 'pglite'; readonly pglite: PGlite }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema: string | undefined }

export interface Db extends Queryable {
  readonly driver: Driver
  /** Runs `fn` in one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

const INT8 = 20
const NUMERIC = 1700

/** int8 comes back as a number when it fits (sequences, counts), never silently rounded. */
function parseInt8(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} does not fit a JavaScript number`)
  return value
}

const PARSERS = { [INT8]: parseInt8, [NUMERIC]: (text: string) => text }

export interface PgliteOptions {
  /** A directory for the database files; omitted = in memory. */
  dataDir?: string
  /** A dump made by `dumpDataDir()` to start from (test templates). */
  loadDataDir?: Blob | File
}

export async function openPglite(options: PgliteOptions = {}): Promise<Db> {
  // Parsers given once here: passed with every query they cost ~0.15 ms a statement.
  const pglite = await PGlite.create(options.dataDir, { parsers: PARSERS, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) })
  const queryable = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<T>(sql, params as unknown[])
      return result.rows
    },
    async exec(sql: string) {
      await target.exec(sql)
    },
  })
  let closed = false
  return {
    driver: { kind: 'pglite', pglite },
    ...queryable(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(queryable(tx))),
    async close() {
      if (closed) return
      closed = true
      // PGlite runs without fsync; a checkpoint before close leaves the data files complete.
      await pglite.exec('CHECKPOINT')
      await pglite.close()
    },
  }
}

export interface PostgresOptions {
  connectionString: string
  /** A schema to put first on the search path (tests use one per file). */
  schema?: string
  max?: number
}

export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 || oid === NUMERIC ? PARSERS[oid] : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {})
  const queryable = (target: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<T>(sql, params as unknown[])
      return result.rows
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple protocol, which runs several statements.
      await target.query(sql)
    },
  })
  // Fail now, with the server's own message, rather than on the first request.
  await pool.query('select 1')
  let closed = false
  return {
    driver: { kind: 'postgres', connectionString: options.connectionString, schema: options.schema },
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const result = await fn(queryable(client))
        await client.query('commit')
        return result
      } catch (error) {
        await client.query('rollback').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}
