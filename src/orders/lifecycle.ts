/**
 * An order's way after intake: exported to 1C, confirmed (posted) there, cancelled or failed; the
 * bonus hold it took ends with it (released on cancel or failure, settled once 1C's own balance
 * shows the write-off, or by the TTL); every step is one history row and one webhook message.
 *
 * Messages are written as notices in the same transaction as the change (state/outbox.ts).
 */
import { canonicalJson } from '../domain/index.ts'
import { notice, noticeBonus } from '../state/index.ts'
import type { Queryable } from '../store/index.ts'
import type { OrderStatus } from './schemas.ts'

export type { OrderStatus } from './schemas.ts'
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
    [
      orderId,
      change.status ?? null,
      JSON.stringify(change.onec ?? {}),
      change.onecRef ?? null,
      change.error !== undefined,
      change.error ?? null,
      change.exported ?? false,
      change.reexport ?? false,
    ],
  )
  if (!row) return null
  await tx.query(`insert into order_status_history (order_id, status, note) values ($1, $2, $3)`, [orderId, row.status, change.note])
  if (change.hold === 'release') {
    const ended = await tx.query<{ account_id: string }>(
      `update bonus_holds set status = 'released', ended_at = now(), end_reason = $2 where order_id = $1 and status = 'active' returning account_id`,
      [orderId, change.note],
    )
    await noticeBonus(
      tx,
      ended.map((hold) => hold.account_id),
    )
  } else if (change.hold === 'confirm') {
    await tx.query(`update bonus_holds set confirmed_at = coalesce(confirmed_at, now()) where order_id = $1 and status = 'active'`, [orderId])
  }
  await notice(tx, { kind: 'order', key: orderId, messageType: change.message, storefrontId: row.storefront_id, version: row.version, payload: orderPayload(row) })
  return row
}
