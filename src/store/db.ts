/**
 * One small query interface over PostgreSQL through `pg`: the embedded server the service runs
 * itself and a server of your own (DATABASE_URL) take the same code path. Everything above this
 * file speaks plain parameterized SQL.
 */
import pg from 'pg'

export type Row = Record<string, unknown>

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

export interface Db extends Queryable {
  readonly connectionString: string
  /** A schema put first on the search path (tests on a shared server use one per file). */
  readonly schema: string | undefined
  /** Session settings every connection gets (the instance id): a second pool of this process opens with them too. */
  readonly settings: Readonly<Record<string, string>>
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

const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (oid === INT8) return parseInt8
  // Exact decimals stay text; domain code turns them into minor units or exact rates.
  if (oid === NUMERIC) return (text: string) => text
  return pg.types.getTypeParser(oid, format ?? 'text')
}) as typeof pg.types.getTypeParser

export interface PostgresOptions {
  connectionString: string
  schema?: string | undefined
  max?: number
  /** Shown in pg_stat_activity; every process of ours starts it with `onec-bridge`. */
  applicationName?: string
  /** Session settings given to every connection (`-c name=value`). */
  settings?: Readonly<Record<string, string>>
}

/** The `options` startup parameter for a search path and session settings. */
export function connectionOptions(schema: string | undefined, settings: Readonly<Record<string, string>> = {}): string | undefined {
  const parts = Object.entries({ ...(schema ? { search_path: schema } : {}), ...settings }).map(([name, value]) => `-c ${name}=${value}`)
  return parts.length > 0 ? parts.join(' ') : undefined
}

export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const extra = connectionOptions(options.schema, options.settings)
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? `onec-bridge ${process.pid}`,
    ...(extra ? { options: extra } : {}),
    types: { getTypeParser },
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
  try {
    await pool.query('select 1')
  } catch (error) {
    await pool.end().catch(() => {})
    throw error
  }
  let closed = false
  return {
    connectionString: options.connectionString,
    schema: options.schema,
    settings: options.settings ?? {},
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
