/**
 * Orders from storefronts: idempotent intake, the bonus quote recomputed here, and a hold on the
 * bonus account taken in the same transaction under a lock on that account, so that concurrent
 * orders can never spend more than the balance.
 */
import { randomUUID } from 'node:crypto'
import { canonicalJson, quoteBonus, type Quote, type QuoteProduct, type QuoteProgramme, type BonusProgramme } from '../domain/index.ts'
import type { Db, Queryable } from '../store/index.ts'
import { loadBonusView } from './bonus-view.ts'
import { notice, noticeBonus, orderPayload, type OrderRow } from './order-lifecycle.ts'

export interface OrderLine {
  offerId: string
  quantity: number
  unitPriceMinor: number
  autoDiscountPercent?: number | undefined
}

export interface OrderInput {
  externalId: string
  number: string
  customerId: string
  lines: OrderLine[]
  bonusMinor: number
  delivery?: Record<string, unknown> | undefined
  paymentMethod?: string | undefined
  comment?: string | undefined
}

export class OrderError extends Error {
  readonly code: 'conflict' | 'unprocessable' | 'not_found'
  readonly details: unknown
  constructor(code: OrderError['code'], message: string, details?: unknown) {
    super(message)
    this.name = 'OrderError'
    this.code = code
    this.details = details
  }
}

/** Active holds on an account: what 1C does not know yet is spent. */
export async function activeHolds(db: Queryable, accountId: string): Promise<number> {
  const [row] = await db.query<{ total: number }>(`select coalesce(sum(amount_minor), 0)::bigint as total from bonus_holds where account_id = $1 and status = 'active'`, [accountId])
  return row?.total ?? 0
}

/** Everything a quote needs, read from the store; `availableMinor` is the balance less active holds. */
export async function quoteFor(db: Queryable, customerId: string, lines: readonly OrderLine[], requestedMinor: number | undefined, shareAtHead: boolean) {
  const bonus = await loadBonusView(db, customerId, shareAtHead)
  if (!bonus) return null
  const account = bonus.effective
  const programmeRow = account?.programId
    ? (await db.query<{ data: BonusProgramme }>(`select data from entity_state where kind = 'bonus_programme' and key = $1`, [account.programId]))[0]?.data
    : undefined
  const segment = programmeRow?.segmentId
    ? new Set(Object.keys((await db.query<{ data: { members: Record<string, true> } }>(`select data from entity_state where kind = 'product_segment' and key = $1`, [programmeRow.segmentId]))[0]?.data.members ?? {}))
    : null
  const offers = await db.query<{ key: string; product_id: string }>(
    `select key, data->>'productId' as product_id from entity_state where kind = 'offer' and not removed and key = any($1::text[])`,
    [[...new Set(lines.map((line) => line.offerId))]],
  )
  const productRows = await db.query<{ key: string; data: { priceGroupId: string | null; bonusEligible: boolean | null; maxBonusPercent: number | null } }>(
    `select key, data from entity_state where kind = 'product' and key = any($1::text[])`,
    [offers.map((row) => row.product_id)],
  )
  const productById = new Map(productRows.map((row) => [row.key, row.data]))
  const products = new Map<string, QuoteProduct>(
    offers.map((row) => {
      const item = productById.get(row.product_id)
      return [row.key, { productId: row.product_id, priceGroupId: item?.priceGroupId ?? null, bonusEligible: item?.bonusEligible ?? null, maxBonusPercent: item?.maxBonusPercent ?? null }]
    }),
  )
  const programme: QuoteProgramme = {
    // The programme's own record when pulled; else the caps the account carries.
    maxRedeemPercent: programmeRow?.maxRedeemPercent ?? account?.maxRedeemPercent ?? null,
    priceGroupCaps: programmeRow?.priceGroupCaps ?? account?.priceGroupCaps ?? {},
    segment,
    pointValue: programmeRow?.pointValue ?? '1',
    capsIgnoreDiscounts: programmeRow?.capsIgnoreDiscounts ?? false,
  }
  const held = account ? await activeHolds(db, account.customerId) : 0
  const quote: Quote = quoteBonus({ lines, products, programme, availableMinor: (account?.balanceMinor ?? 0) - held, requestedMinor })
  return { quote, bonus, account, knownOffers: new Set(offers.map((row) => row.key)) }
}

// Any constant; combined with the account id so that only orders on one account wait for each other.
const HOLD_LOCK = 726_003

export interface StoredOrder {
  id: string
  status: string
  created: boolean
}

/**
 * Takes an order: the same Idempotency-Key and body give the same order; the same key with
 * another body is a conflict. The hold is taken atomically with the order.
 */
export async function takeOrder(
  db: Db,
  storefrontId: string,
  idempotencyKey: string,
  input: OrderInput,
  shareAtHead: boolean,
  options: { viaSaleExchange?: boolean } = {},
): Promise<StoredOrder> {
  const requestHash = canonicalJson(input)
  return db.transaction(async (tx) => {
    // One storefront retrying one key waits for its first request to finish.
    await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [HOLD_LOCK, `${storefrontId}:${idempotencyKey}`])
    const [existing] = await tx.query<{ id: string; status: string; request_hash: string }>(
      'select id, status, request_hash from orders where storefront_id = $1 and idempotency_key = $2',
      [storefrontId, idempotencyKey],
    )
    if (existing) {
      if (existing.request_hash !== requestHash) throw new OrderError('conflict', `Idempotency-Key ${JSON.stringify(idempotencyKey)} was used for another order`)
      return { id: existing.id, status: existing.status, created: false }
    }
    // Lock the account spent from first: under the lock, balance less active holds is exact.
    const view = await loadBonusView(tx, input.customerId, shareAtHead)
    if (!view) throw new OrderError('unprocessable', `unknown customer ${JSON.stringify(input.customerId)}`)
    const accountId = view.effective?.customerId ?? null
    if (accountId) await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [HOLD_LOCK + 1, accountId])
    const quoted = await quoteFor(tx, input.customerId, input.lines, input.bonusMinor, shareAtHead)
    if (!quoted) throw new OrderError('unprocessable', `unknown customer ${JSON.stringify(input.customerId)}`)
    const missing = input.lines.filter((line) => !quoted.knownOffers.has(line.offerId)).map((line) => line.offerId)
    if (missing.length > 0) throw new OrderError('unprocessable', `unknown or removed offers: ${missing.join(', ')}`, { offers: missing })
    if (input.bonusMinor > 0 && accountId === null) throw new OrderError('unprocessable', 'the customer has no bonus account', { maxRedeemableMinor: 0 })
    const { quote } = quoted
    if (input.bonusMinor > quote.maxRedeemableMinor) {
      throw new OrderError('unprocessable', `this order may take at most ${quote.maxRedeemableMinor} bonus points (minor units)`, {
        maxRedeemableMinor: quote.maxRedeemableMinor,
        availableMinor: quote.availableMinor,
        requestedMinor: input.bonusMinor,
      })
    }
    const id = randomUUID()
    const [row] = await tx.query<OrderRow>(
      `insert into orders (id, storefront_id, idempotency_key, request_hash, external_id, number, customer_id, status, bonus_minor, body, quote, export_rev)
       values ($1, $2, $3, $4, $5, $6, $7, 'accepted', $8, $9::jsonb, $10::jsonb, $11) returning *`,
      [id, storefrontId, idempotencyKey, requestHash, input.externalId, input.number, input.customerId, input.bonusMinor, JSON.stringify(input), JSON.stringify(quote), options.viaSaleExchange === false ? 0 : 1],
    )
    if (!row) throw new Error('insert into orders returned no row')
    await tx.query(`insert into order_status_history (order_id, status, note) values ($1, 'accepted', $2)`, [id, `from storefront ${storefrontId}`])
    await notice(tx, { kind: 'order', key: id, messageType: 'order.accepted', storefrontId, version: row.version, payload: orderPayload(row) })
    if (input.bonusMinor > 0 && accountId) {
      await tx.query(`insert into bonus_holds (order_id, account_id, amount_minor, status) values ($1, $2, $3, 'active')`, [id, accountId, input.bonusMinor])
      await noticeBonus(tx, [accountId])
    }
    return { id, status: 'accepted', created: true }
  })
}

export async function getOrder(db: Queryable, id: string, storefrontId: string) {
  const [order] = await db.query<Record<string, unknown>>(
    `select id, external_id as "externalId", number, customer_id as "customerId", status, bonus_minor as "bonusMinor", body, quote,
            onec as "oneC", last_error as "error", exported_at as "exportedAt", version, created_at as "createdAt", updated_at as "updatedAt"
       from orders where id = $1 and storefront_id = $2`,
    [id, storefrontId],
  )
  if (!order) return null
  const history = await db.query(`select status, note, at from order_status_history where order_id = $1 order by id`, [id])
  const holds = await db.query(`select account_id as "accountId", amount_minor as "amountMinor", status, created_at as "createdAt", ended_at as "endedAt" from bonus_holds where order_id = $1 order by id`, [id])
  return { ...order, history, holds }
}
