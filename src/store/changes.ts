/**
 * What other instances changed, as PostgreSQL tells every connection that LISTENs: triggers on the
 * tables behind this process's caches (migration 0022) call `pg_notify('onec_bridge', …)`, and the
 * notice arrives when the writer's transaction commits — whichever instance, CLI or SQL console
 * wrote. The caches drop what the notice names; each still re-reads within its own few seconds, so
 * a notice lost while the listening connection was down (it reconnects, and tells every cache to
 * drop everything) costs freshness, never correctness.
 *
 * Worker wake-ups across instances are pg-boss's own LISTEN/NOTIFY (`useListenNotify`, queues with
 * `notify: true`, store/job-engine.ts).
 */
import pg from 'pg'
import pRetry from 'p-retry'
import type { Db } from './db.ts'
import { connectionOptions } from './db.ts'

export const CHANGES_CHANNEL = 'onec_bridge'

/** `storefronts`: keys, scopes, endpoints; `holds`: bonus holds of these accounts (null: of any). */
export type Change = { topic: 'storefronts' } | { topic: 'holds'; accounts: string[] | null } | { topic: 'resync' }

export interface ChangeFeed {
  /** Calls `fn` for every change of `topic`, and for `resync` (the connection was lost: drop everything). */
  on(topic: 'storefronts' | 'holds', fn: (change: Change) => void): void
  /** Whether the LISTEN connection is up (readiness and the console may show it). */
  readonly listening: boolean
  close(): Promise<void>
}

/** A feed that never hears anything (tests of one instance, the CLI). */
export const NO_CHANGES: ChangeFeed = { on: () => {}, listening: false, close: async () => {} }

export async function listenForChanges(db: Db, log: { warn(message: string): void; info(message: string): void }): Promise<ChangeFeed> {
  const [row] = await db.query<{ schema: string }>('select current_schema() as schema')
  const schema = row?.schema ?? 'public'
  const handlers = new Map<string, Array<(change: Change) => void>>()
  let client: pg.Client | undefined
  let closed = false
  let listening = false

  const emit = (change: Change) => {
    const targets = change.topic === 'resync' ? [...handlers.values()].flat() : (handlers.get(change.topic) ?? [])
    for (const fn of targets) fn(change)
  }

  async function connect(): Promise<void> {
    const extra = connectionOptions(db.schema, db.settings)
    const next = new pg.Client({ connectionString: db.connectionString, application_name: `onec-bridge changes ${process.pid}`, ...(extra ? { options: extra } : {}) })
    next.on('notification', (message) => {
      if (!message.payload) return
      let parsed: { schema?: string; topic?: string; accounts?: string[] | null }
      try {
        parsed = JSON.parse(message.payload) as typeof parsed
      } catch {
        return
      }
      if (parsed.schema !== schema) return
      if (parsed.topic === 'storefronts') emit({ topic: 'storefronts' })
      else if (parsed.topic === 'holds') emit({ topic: 'holds', accounts: Array.isArray(parsed.accounts) ? parsed.accounts : null })
    })
    const lost = () => {
      if (client !== next) return
      client = undefined
      listening = false
      next.removeAllListeners('notification')
      next.end().catch(() => {})
      if (closed) return
      log.warn('listening for other instances’ changes: connection lost; reconnecting (caches re-read meanwhile)')
      emit({ topic: 'resync' })
      void reconnect()
    }
    next.on('error', lost)
    next.on('end', lost)
    try {
      await next.connect()
      await next.query(`listen ${CHANGES_CHANNEL}`)
    } catch (error) {
      next.removeAllListeners()
      next.on('error', () => {})
      await next.end().catch(() => {})
      throw error
    }
    client = next
    listening = true
  }

  async function reconnect(): Promise<void> {
    await pRetry(
      async () => {
        if (closed) return
        await connect()
        // Whatever changed while nobody listened.
        emit({ topic: 'resync' })
        log.info('listening for other instances’ changes again')
      },
      { retries: Number.POSITIVE_INFINITY, minTimeout: 500, maxTimeout: 10_000, shouldRetry: () => !closed },
    ).catch(() => {})
  }

  await connect()
  return {
    on(topic, fn) {
      handlers.set(topic, [...(handlers.get(topic) ?? []), fn])
    },
    get listening() {
      return listening
    },
    async close() {
      closed = true
      listening = false
      const current = client
      client = undefined
      await current?.end().catch(() => {})
    },
  }
}
