/**
 * An order's way after intake: exported to 1C, confirmed (posted) there, cancelled or failed; the
 * bonus hold it took ends with it (released on cancel or failure, settled once 1C's own balance
 * shows the write-off, or by the TTL); every step is one history row and one webhook message.
 *
 * Messages are written as notices in the same transaction as the change, and moved into the
 * outbox (`events`) by `flushNotices` under the outbox lock: an order never waits for an import.
 */
import { canonicalJson } from '../domain/index.ts'
import type { Logger } from '../logger.ts'
import type { Db, Queryable } from '../store/index.ts'
import { finishRun, startRun } from './runs.ts'
import { EVENTS_LOCK } from './state.ts'

export type OrderStatus = 'accepted' | 'exported' | 'confirmed' | 'cancelled' | 'failed'
export type OrderMessage = 'order.accepted' | 'order.exported' | 'order.status_changed' | 'order.failed'

/** What 1C says of an order (from its status files or its document over OData). */
export interface OneCState {
  number?: string | null
  date?: string | null
  posted?: boolean | null
  cancelled?: boolean | null
  deletionMark?: boolean | null
  paid?: { number: string | null; date: string | null } | null
  shipped?: { number: string | null; date: string | null } | null
  /** 1C's own status text (Статус заказа, the document's Статус). */
  status?: string | null
  ref?: string | null
}

export interface OrderRow extends Record<string, unknown> {
  id: string
  storefront_id: string
  external_id: string
  number: string
  customer_id: string
  status: OrderStatus
  bonus_minor: number
  version: number
  onec: OneCState
  onec_ref: string | null
  exported_at: Date | null
  last_error: string | null
  created_at: Date
  updated_at: Date
}

/** The body of an order.* message: the order as it stands after the change. */
export function orderPayload(row: OrderRow) {
  return {
    id: row.id,
    externalId: row.external_id,
    number: row.number,
    customerId: row.customer_id,
    status: row.status,
    bonusMinor: row.bonus_minor,
    oneC: row.onec,
    error: row.last_error,
    exportedAt: row.exported_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export async function notice(
  tx: Queryable,
  item: { kind: string; key: string; messageType: string; storefrontId?: string | null; version?: number | null; payload?: unknown },
): Promise<void> {
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
    await tx.query('select pg_advisory_xact_lock($1)', [EVENTS_LOCK])
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

/** The status an order takes from what 1C says of it (failed and cancelled stay so). */
export function statusFrom(current: OrderStatus, state: OneCState): OrderStatus {
  if (current === 'failed') return current
  if (state.cancelled || state.deletionMark) return 'cancelled'
  if (current === 'cancelled') return current
  if (state.posted) return 'confirmed'
  return current === 'accepted' ? 'exported' : current
}

/**
 * What 1C reported of an order (a status file, its document over OData), laid over what was
 * known: the status it leads to, what happens to the hold, and whether anything changed at all.
 */
export function followOneC(current: OrderStatus, known: OneCState, reported: OneCState) {
  const merged = { ...known, ...reported }
  const status = statusFrom(current, merged)
  const hold: OrderChange['hold'] = status === 'cancelled' && current !== 'cancelled' ? 'release' : status === 'confirmed' ? 'confirm' : undefined
  return { status, hold, changed: status !== current || canonicalJson(merged) !== canonicalJson(known) }
}

export interface OrderChange {
  status?: OrderStatus
  /** Laid over what is known of the order in 1C. */
  onec?: OneCState
  onecRef?: string
  note: string
  message: OrderMessage
  /** What happens to the order's active hold. */
  hold?: 'release' | 'confirm'
  error?: string | null
  exported?: boolean
  /** Send the order to 1C again with the next query (its cancellation, say). */
  reexport?: boolean
}

/**
 * Applies one change to an order (the caller's transaction): a new version, a history row, the
 * hold's end, and the message. Returns the order as it now stands.
 */
export async function changeOrder(tx: Queryable, orderId: string, change: OrderChange): Promise<OrderRow | null> {
  const [row] = await tx.query<OrderRow>(
    `update orders set status = coalesce($2, status), onec = onec || $3::jsonb, onec_ref = coalesce($4, onec_ref),
            last_error = case when $5::boolean then $6 else last_error end,
            exported_at = case when $7 then coalesce(exported_at, now()) else exported_at end,
            export_rev = export_rev + case when $8 then 1 else 0 end,
            version = version + 1, updated_at = now()
      where id = $1 returning *`,
    [orderId, change.status ?? null, JSON.stringify(change.onec ?? {}), change.onecRef ?? null, change.error !== undefined, change.error ?? null, change.exported ?? false, change.reexport ?? false],
  )
  if (!row) return null
  await tx.query(`insert into order_status_history (order_id, status, note) values ($1, $2, $3)`, [orderId, row.status, change.note])
  if (change.hold === 'release') {
    const ended = await tx.query<{ account_id: string }>(
      `update bonus_holds set status = 'released', ended_at = now(), end_reason = $2 where order_id = $1 and status = 'active' returning account_id`,
      [orderId, change.note],
    )
    await noticeBonus(tx, ended.map((hold) => hold.account_id))
  } else if (change.hold === 'confirm') {
    await tx.query(`update bonus_holds set confirmed_at = coalesce(confirmed_at, now()) where order_id = $1 and status = 'active'`, [orderId])
  }
  await notice(tx, { kind: 'order', key: orderId, messageType: change.message, storefrontId: row.storefront_id, version: row.version, payload: orderPayload(row) })
  return row
}

/**
 * After a balance pull (run `runId`): holds of orders 1C had confirmed before the run started are
 * settled, the balance it read shows their write-off (УТ 11.5 writes it when posting).
 */
export async function settleConfirmedHolds(tx: Queryable, runId: number): Promise<number> {
  // Compared in the store, at its microsecond precision.
  const settled = await tx.query<{ account_id: string; order_id: string }>(
    `update bonus_holds set status = 'settled', ended_at = now(), end_reason = 'the balance pulled from 1C after it confirmed the order includes the write-off'
      where status = 'active' and confirmed_at is not null and confirmed_at < (select started_at from sync_runs where id = $1)
      returning account_id, order_id`,
    [runId],
  )
  for (const hold of settled) {
    await tx.query(`insert into order_status_history (order_id, status, note) select id, status, 'bonus hold settled: 1C’s balance shows the write-off' from orders where id = $1`, [hold.order_id])
  }
  await noticeBonus(tx, settled.map((hold) => hold.account_id))
  return settled.length
}

/**
 * Holds older than the TTL end with a warning in the sync log: settled when 1C had confirmed the
 * order (no pull showed the write-off in time), released when 1C never confirmed it.
 */
export async function expireHolds(db: Db, ttlHours: number, logger?: Logger): Promise<{ settled: number; released: number }> {
  const expired = await db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number; order_id: string; account_id: string; amount_minor: number; confirmed: boolean }>(
      `update bonus_holds set status = case when confirmed_at is null then 'released' else 'settled' end, ended_at = now(),
              end_reason = case when confirmed_at is null then 'TTL: 1C did not confirm the order in time' else 'TTL: no balance pull showed the write-off in time' end
        where status = 'active' and created_at < now() - make_interval(hours => $1)
        returning id, order_id, account_id, amount_minor, confirmed_at is not null as confirmed`,
      [ttlHours],
    )
    if (rows.length === 0) return rows
    for (const hold of rows) {
      await tx.query(`insert into order_status_history (order_id, status, note) select id, status, $2 from orders where id = $1`, [
        hold.order_id,
        hold.confirmed ? `bonus hold settled after ${ttlHours} h without a balance pull showing it` : `bonus hold released after ${ttlHours} h: 1C did not confirm the order`,
      ])
    }
    await noticeBonus(tx, rows.map((hold) => hold.account_id))
    const run = await startRun(tx, 'holds', 'hold-expiry')
    const warnings = rows.map((hold) =>
      hold.confirmed
        ? `order ${hold.order_id}: hold of ${hold.amount_minor} on ${hold.account_id} settled by TTL (${ttlHours} h) — no balance pull showed the write-off`
        : `order ${hold.order_id}: hold of ${hold.amount_minor} on ${hold.account_id} released by TTL (${ttlHours} h) — 1C never confirmed the order`,
    )
    await finishRun(tx, run.id, { counts: { seen: rows.length, changed: rows.length }, details: { warnings } })
    for (const warning of warnings) logger?.warn(warning)
    return rows
  })
  return { settled: expired.filter((hold) => hold.confirmed).length, released: expired.filter((hold) => !hold.confirmed).length }
}
