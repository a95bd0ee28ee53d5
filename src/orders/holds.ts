/**
 * Bonus holds after intake: settled once 1C's own balance shows an order's write-off, ended by
 * the TTL otherwise (with a warning in the sync log).
 */
import type { Logger } from '../logger.ts'
import { finishRun, noticeBonus, startRun } from '../state/index.ts'
import type { Db, Queryable } from '../store/index.ts'

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
    await tx.query(
      `insert into order_status_history (order_id, status, note) select id, status, 'bonus hold settled: 1C’s balance shows the write-off' from orders where id = $1`,
      [hold.order_id],
    )
  }
  await noticeBonus(
    tx,
    settled.map((hold) => hold.account_id),
  )
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
    await noticeBonus(
      tx,
      rows.map((hold) => hold.account_id),
    )
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
