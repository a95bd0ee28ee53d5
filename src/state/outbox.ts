/**
 * Messages that are not entity changes (an order's steps, a bonus account whose holds changed)
 * are written as notices in the same transaction as the change, and moved into the outbox
 * (`events`) by `flushNotices` under the outbox lock: an order never waits for an import.
 */
import type { Db, Queryable } from '../store/index.ts'
import { LOCKS } from '../store/locks.ts'

export interface Notice {
  kind: string
  key: string
  messageType: string
  storefrontId?: string | null
  version?: number | null
  payload?: unknown
}

export async function notice(tx: Queryable, item: Notice): Promise<void> {
  await tx.query(`insert into event_notices (kind, key, message_type, storefront_id, version, payload) values ($1, $2, $3, $4, $5, $6::jsonb)`, [
    item.kind,
    item.key,
    item.messageType,
    item.storefrontId ?? null,
    item.version ?? null,
    item.payload === undefined ? null : JSON.stringify(item.payload),
  ])
}

/**
 * What storefronts see of an account changed (a hold taken or ended): the account gets a new
 * version — its content hash stays — and one `bonus.updated`. Messages carry the account with
 * its holds as read at send time, with that version, so a receiver can drop an older one that
 * arrives late.
 */
export async function noticeBonus(tx: Queryable, accountIds: Iterable<string>): Promise<void> {
  for (const accountId of new Set(accountIds)) {
    const [row] = await tx.query<{ version: number }>(
      `update entity_state set version = version + 1, updated_at = now() where kind = 'bonus_account' and key = $1 returning version`,
      [accountId],
    )
    await notice(tx, { kind: 'bonus_account', key: accountId, messageType: 'bonus.updated', version: row?.version ?? null })
  }
}

/** Moves waiting notices into the outbox, in order; returns how many. */
export async function flushNotices(db: Db): Promise<number> {
  const [waiting] = await db.query<{ any: boolean }>('select exists (select 1 from event_notices) as any')
  if (!waiting?.any) return 0
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCKS.events])
    const moved = await tx.query<{ id: number }>(
      `with taken as (delete from event_notices where id in (select id from event_notices order by id limit 2000) returning *)
       insert into events (kind, key, version, type, message_type, payload, storefront_id)
       select t.kind, t.key, coalesce(t.version, e.version, 0), 'updated', t.message_type, t.payload, t.storefront_id
         from taken t left join entity_state e on e.kind = t.kind and e.key = t.key
        order by t.id
       returning seq as id`,
    )
    return moved.length
  })
}
