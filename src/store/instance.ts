/**
 * The instance session: one connection a process keeps for its whole life, holding an advisory
 * lock on its instance id. PostgreSQL drops the lock the moment the process dies (its socket
 * closes), so "is that process alive?" is asked of the store, never of a lock file that has to go
 * stale first: runs of a dead instance can be failed at once, and a second service on one embedded
 * server is refused while the first lives and accepted the moment it does not.
 */
import { randomInt } from 'node:crypto'
import pg from 'pg'
import { connectionOptions } from './db.ts'
import { LOCKS } from './locks.ts'

/** Session setting that stamps this process's instance id on the runs it starts. */
export const INSTANCE_SETTING = 'onec_bridge.instance'

export interface InstanceSession {
  /** Positive int4: the second half of the instance lock's key. */
  readonly id: number
  /** Takes the embedded owner lock; false when another live service holds it. */
  own(): Promise<boolean>
  /** The application name of whoever holds the owner lock (for the refusal message). */
  owner(): Promise<string | undefined>
  /** Sessions of other onec-bridge processes on this server (any database). */
  otherSessions(): Promise<number>
  close(): Promise<void>
}

export async function openInstance(connectionString: string, options: { schema?: string | undefined; applicationName: string }): Promise<InstanceSession> {
  const id = randomInt(1, 2 ** 31 - 1)
  const extra = connectionOptions(options.schema)
  const client = new pg.Client({ connectionString, application_name: options.applicationName, ...(extra ? { options: extra } : {}) })
  // Losing the server is reported by the pool's next query; this client must not crash the process.
  client.on('error', () => {})
  await client.connect()
  await client.query('select pg_advisory_lock($1, $2)', [LOCKS.instanceNamespace, id])
  let closed = false
  return {
    id,
    async own() {
      const { rows } = await client.query<{ own: boolean }>('select pg_try_advisory_lock($1) as own', [LOCKS.embeddedOwner])
      return rows[0]?.own === true
    },
    async owner() {
      const { rows } = await client.query<{ name: string }>(
        `select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = $1 and l.objsubid = 1 limit 1`,
        [LOCKS.embeddedOwner],
      )
      return rows[0]?.name
    },
    async otherSessions() {
      // Our own closed connections may linger a moment in pg_stat_activity: every name of ours ends with our pid.
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where application_name like 'onec-bridge%' and application_name not like $1 and pid <> pg_backend_pid()`,
        [`% ${process.pid}`],
      )
      return rows[0]?.n ?? 0
    },
    async close() {
      if (closed) return
      closed = true
      await client.end().catch(() => {})
    },
  }
}
