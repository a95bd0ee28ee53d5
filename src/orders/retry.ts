/**
 * An operator sends an order to 1C again: one that 1C has not taken or has not posted yet (1C was
 * down, the order exchange lost its answer). Over OData its forwarding starts again with a fresh
 * count of attempts; through the order exchange it goes out with 1C's next query.
 */
import type { Db, Queryable } from '../store/index.ts'

export type RetryOutcome = { retried: true; via: 'odata' | 'commerceml' } | { retried: false; reason: { ru: string; en: string } }

export interface RetryDeps {
  db: Db
  forward: 'commerceml' | 'odata' | 'none'
  queueForward?: ((tx: Queryable, orderId: string) => Promise<void>) | undefined
  wake?: (() => void) | undefined
}

const REFUSALS: Record<string, { ru: string; en: string }> = {
  confirmed: { ru: 'заказ уже проведён в 1С', en: 'the order is already posted in 1C' },
  cancelled: { ru: 'заказ отменён', en: 'the order is cancelled' },
  failed: {
    ru: 'заказ завершился ошибкой, удержанные бонусы возвращены; витрина должна оформить его заново',
    en: 'the order failed and its held bonuses were released; the storefront must place it again',
  },
}

/** Null when there is no such order. */
export async function retryOrder(deps: RetryDeps, orderId: string): Promise<RetryOutcome | null> {
  const [order] = await deps.db.query<{ status: string }>('select status from orders where id = $1', [orderId])
  if (!order) return null
  const refusal = REFUSALS[order.status]
  if (refusal) return { retried: false, reason: refusal }
  if (deps.forward === 'odata' && deps.queueForward) {
    const queue = deps.queueForward
    await deps.db.transaction(async (tx) => {
      await tx.query('update orders set forward_attempts = 0, last_error = null, updated_at = now() where id = $1', [orderId])
      await queue(tx, orderId)
    })
    deps.wake?.()
    return { retried: true, via: 'odata' }
  }
  if (deps.forward === 'commerceml') {
    await deps.db.query('update orders set export_rev = export_rev + 1, updated_at = now() where id = $1', [orderId])
    return { retried: true, via: 'commerceml' }
  }
  return { retried: false, reason: { ru: 'передача заказов в 1С выключена (ORDERS_FORWARD=none)', en: 'orders are not forwarded to 1C (ORDERS_FORWARD=none)' } }
}
