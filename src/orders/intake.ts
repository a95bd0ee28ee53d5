/**
 * Orders from storefronts: idempotent intake, the bonus quote recomputed here, and a hold on the
 * bonus account taken in the same transaction under a lock on that account, so that concurrent
 * orders can never spend more than the balance.
 */
import { randomUUID } from 'node:crypto'
import { canonicalJson } from '../domain/index.ts'
import { AppError } from '../http/errors.ts'
import { notice, noticeBonus } from '../state/index.ts'
import type { Db, Queryable } from '../store/index.ts'
import { LOCKS } from '../store/locks.ts'
import { changeOrder, orderPayload, type OrderRow } from './lifecycle.ts'
import { quoteFor, type QuoteCache, type QuoteRules } from './quote.ts'
import type { OrderInput, OrderStatus } from './schemas.ts'

/** A refused order: its HTTP code says why (409 another body for the key, 422 what 1C's data does not allow, 404). */
export class OrderError extends AppError {
  constructor(code: 'CONFLICT' | 'UNPROCESSABLE' | 'NOT_FOUND', message: string, details?: unknown) {
    super(code, message, details === undefined ? {} : { details })
    this.name = 'OrderError'
  }
}

export interface StoredOrder {
  id: string
  status: string
  created: boolean
}

export interface IntakeOptions {
  /** Orders wait for 1C's order exchange (type=sale&mode=query); false: they are forwarded over OData. */
  viaSaleExchange?: boolean
  cache?: QuoteCache
  /** Queues the new order's forwarding to 1C in its own transaction (orders.forward = odata). */
  queueForward?: ((tx: Queryable, orderId: string) => Promise<void>) | undefined
  /** The longest order number 1C keeps (profile orders.numberMaxLength). */
  numberMaxLength?: number
}

/**
 * Takes an order: the same Idempotency-Key and body give the same order; the same key with
 * another body is a conflict. The hold is taken atomically with the order.
 */
export async function takeOrder(db: Db, storefrontId: string, idempotencyKey: string, input: OrderInput, rules: QuoteRules, options: IntakeOptions = {}): Promise<StoredOrder> {
  const maxLength = options.numberMaxLength ?? Infinity
  if (input.number.length > maxLength) {
    throw new OrderError(
      'UNPROCESSABLE',
      `number ${JSON.stringify(input.number)} is ${input.number.length} characters; 1C keeps the site's order number in ${maxLength} (profile orders.numberMaxLength) and would cut it, after which it no longer finds the order`,
      { field: 'number', maxLength },
    )
  }
  const requestHash = canonicalJson(input)
  let heldFrom: string | null = null
  const stored = await db.transaction(async (tx): Promise<StoredOrder> => {
    // One storefront retrying one key waits for its first request to finish.
    await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [LOCKS.orderIntake, `${storefrontId}:${idempotencyKey}`])
    const [existing] = await tx.query<{ id: string; status: string; request_hash: string }>(
      'select id, status, request_hash from orders where storefront_id = $1 and idempotency_key = $2',
      [storefrontId, idempotencyKey],
    )
    if (existing) {
      if (existing.request_hash !== requestHash) throw new OrderError('CONFLICT', `Idempotency-Key ${JSON.stringify(idempotencyKey)} was used for another order`)
      return { id: existing.id, status: existing.status, created: false }
    }
    // Lock the account spent from first: under the lock, balance less active holds is exact.
    const deliveryMinor = input.delivery?.priceMinor ?? 0
    const view = await quoteFor(tx, input.customerId, input.lines, input.bonusMinor, rules, options.cache, 0, deliveryMinor)
    if (!view) throw new OrderError('NOT_FOUND', `no customer ${JSON.stringify(input.customerId)}`)
    const accountId = view.account?.customerId ?? null
    if (accountId) await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [LOCKS.bonusAccount, accountId])
    const quoted = await quoteFor(tx, input.customerId, input.lines, input.bonusMinor, rules, options.cache, 0, deliveryMinor)
    if (!quoted) throw new OrderError('NOT_FOUND', `no customer ${JSON.stringify(input.customerId)}`)
    const missing = input.lines.filter((line) => !quoted.knownOffers.has(line.offerId)).map((line) => line.offerId)
    if (missing.length > 0) throw new OrderError('UNPROCESSABLE', `unknown or removed offers: ${missing.join(', ')}`, { offers: missing })
    if (input.bonusMinor > 0 && accountId === null) throw new OrderError('UNPROCESSABLE', 'the customer has no bonus account', { maxRedeemableMinor: 0 })
    const { quote } = quoted
    if (input.bonusMinor > quote.maxRedeemableMinor) {
      throw new OrderError('UNPROCESSABLE', `this order may take at most ${quote.maxRedeemableMinor} bonus points (minor units)`, {
        maxRedeemableMinor: quote.maxRedeemableMinor,
        availableMinor: quote.availableMinor,
        requestedMinor: input.bonusMinor,
      })
    }
    const id = randomUUID()
    const [row] = await tx.query<OrderRow>(
      `insert into orders (id, storefront_id, idempotency_key, request_hash, external_id, number, customer_id, status, bonus_minor, body, quote, export_rev)
       values ($1, $2, $3, $4, $5, $6, $7, 'accepted', $8, $9::jsonb, $10::jsonb, $11) returning *`,
      [
        id,
        storefrontId,
        idempotencyKey,
        requestHash,
        input.externalId,
        input.number,
        input.customerId,
        input.bonusMinor,
        // As sent, with each line at the price it was checked at: the document sent to 1C carries these.
        JSON.stringify({ ...input, lines: quoted.lines }),
        JSON.stringify({ ...quote, priceTypeId: quoted.priceTypeId }),
        options.viaSaleExchange === false ? 0 : 1,
      ],
    )
    if (!row) throw new Error('insert into orders returned no row')
    await tx.query(`insert into order_status_history (order_id, status, note) values ($1, 'accepted', $2)`, [id, `from storefront ${storefrontId}`])
    await notice(tx, { kind: 'order', key: id, messageType: 'order.accepted', storefrontId, version: row.version, payload: orderPayload(row) })
    if (input.bonusMinor > 0 && accountId) {
      await tx.query(`insert into bonus_holds (order_id, account_id, amount_minor, status) values ($1, $2, $3, 'active')`, [id, accountId, input.bonusMinor])
      await noticeBonus(tx, [accountId])
      heldFrom = accountId
    }
    await options.queueForward?.(tx, id)
    return { id, status: 'accepted', created: true }
  })
  // The next cart quote of this account sees the new hold at once.
  if (heldFrom) options.cache?.holdsChanged([heldFrom])
  return stored
}

/**
 * The storefront cancels an order. Not yet in 1C: cancelled here, its hold released, nothing is
 * sent. Already taken by 1C's order exchange: cancelled here and sent again with `Отменен`
 * (UT 11 cancels its order on that). Already sent over OData: refused — cancel it in 1C, the
 * status poll brings the cancellation back.
 */
export async function cancelOrder(db: Db, id: string, storefrontId: string, reason: string | undefined, cache?: QuoteCache): Promise<void> {
  const released = await db.transaction(async (tx) => {
    const [order] = await tx.query<OrderRow & { acked_rev: number; export_rev: number; forward_attempts: number }>(
      `select * from orders where id = $1 and storefront_id = $2 for update`,
      [id, storefrontId],
    )
    if (!order) throw new OrderError('NOT_FOUND', `no order ${JSON.stringify(id)}`)
    if (order.status === 'cancelled') return []
    if (order.status === 'failed') throw new OrderError('CONFLICT', 'the order failed in 1C already; nothing to cancel')
    const viaOData = order.export_rev === 0
    if (viaOData && (order.forward_attempts > 0 || order.onec_ref)) {
      throw new OrderError('CONFLICT', `the order has been sent to 1C${order.onec_ref ? ` (document ${order.onec_ref})` : ''}: cancel it in 1C, its status comes back here`)
    }
    const inOneC = !viaOData && order.acked_rev > 0
    const [hold] = await tx.query<{ account_id: string }>(`select account_id from bonus_holds where order_id = $1 and status = 'active'`, [id])
    await changeOrder(tx, id, {
      status: 'cancelled',
      note: `cancelled by the storefront${reason ? `: ${reason}` : ''}${inOneC ? '; sent to 1C again with Отменен' : ''}`,
      message: 'order.status_changed',
      hold: 'release',
      ...(inOneC && { reexport: true }),
    })
    // 1C never took it: nothing left to send.
    if (!viaOData && !inOneC) await tx.query('update orders set export_rev = acked_rev where id = $1', [id])
    return hold ? [hold.account_id] : []
  })
  cache?.holdsChanged(released)
}

/** An order with its history and holds; `storefrontId` null: whichever storefront placed it (admin). */
export async function getOrder(db: Queryable, id: string, storefrontId: string | null) {
  const [order] = await db.query<Record<string, unknown>>(
    `select id, external_id as "externalId", number, customer_id as "customerId", status, bonus_minor as "bonusMinor", body, quote,
            onec as "oneC", last_error as "error", exported_at as "exportedAt", version, created_at as "createdAt", updated_at as "updatedAt",
            storefront_id as "storefrontId", forward_attempts as "forwardAttempts", acked_rev < export_rev as "waitingForOrderExchange"
       from orders where id = $1 and ($2::text is null or storefront_id = $2)`,
    [id, storefrontId],
  )
  if (!order) return null
  const history = await db.query(`select status, note, at from order_status_history where order_id = $1 order by id`, [id])
  const holds = await db.query(
    `select account_id as "accountId", amount_minor as "amountMinor", status, created_at as "createdAt", ended_at as "endedAt" from bonus_holds where order_id = $1 order by id`,
    [id],
  )
  return { ...order, history, holds }
}

export interface OrderFilter {
  status?: OrderStatus | undefined
  customerId?: string | undefined
  number?: string | undefined
  /** Only orders 1C has not taken (accepted, or failed on the way) that were taken here before this instant. */
  notInOneCSince?: Date | undefined
  limit: number
}

/** Orders newest first, for support staff. */
export async function listOrders(db: Queryable, filter: OrderFilter) {
  return db.query(
    `select id, storefront_id as "storefrontId", external_id as "externalId", number, customer_id as "customerId", status, bonus_minor as "bonusMinor",
            onec->>'number' as "oneCNumber", last_error as "error", created_at as "createdAt", updated_at as "updatedAt"
       from orders
      where ($1::text is null or status = $1) and ($2::text is null or customer_id = $2) and ($3::text is null or number = $3)
        and ($5::timestamptz is null or (status in ('accepted', 'failed') and created_at < $5))
      order by created_at desc, id limit $4`,
    [filter.status ?? null, filter.customerId ?? null, filter.number ?? null, filter.limit, filter.notInOneCSince ?? null],
  )
}
