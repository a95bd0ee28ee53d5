/**
 * Orders from storefronts: idempotent intake, the bonus quote recomputed here, and a hold on the
 * bonus account taken in the same transaction under a lock on that account, so that concurrent
 * orders can never spend more than the balance.
 */
import { randomUUID } from 'node:crypto'
import { canonicalJson, quoteBonus, type BonusProgramme, type Quote, type QuoteProduct, type QuoteProgramme } from '../domain/index.ts'
import { bonusViewOf, GROUP_MEMBERS_CTE, GROUP_MEMBERS_JSON, type GroupMember } from './bonus-view.ts'
import type { Db, Queryable } from '../store/index.ts'
import { changeOrder, notice, noticeBonus, orderPayload, type OrderRow } from './order-lifecycle.ts'

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

/**
 * A programme's segment can hold tens of thousands of products: its member set is kept in memory
 * per content hash (the same hash is the same content), so a quote reads only the hash.
 */
const segmentCache = new Map<string, ReadonlySet<string>>()
const SEGMENT_CACHE_SIZE = 32

async function segmentMembers(db: Queryable, segmentId: string, hash: string): Promise<ReadonlySet<string>> {
  const cached = segmentCache.get(hash)
  if (cached) return cached
  const [row] = await db.query<{ data: { members: Record<string, true> } }>(`select data from entity_state where kind = 'product_segment' and key = $1 and hash = $2`, [segmentId, hash])
  const members = new Set(Object.keys(row?.data.members ?? {}))
  if (segmentCache.size >= SEGMENT_CACHE_SIZE) segmentCache.delete(segmentCache.keys().next().value as string)
  segmentCache.set(hash, members)
  return members
}

type ProgrammeEntry = { data: BonusProgramme; segmentHash: string | null }
type OfferEntry = { key: string; productId: string; priceGroupId: string | null; bonusEligible: boolean | null; maxBonusPercent: number | null }

interface QuoteContextRow extends Record<string, unknown> {
  gen: number
  chain: GroupMember[] | null
  programmes: Record<string, ProgrammeEntry> | null
  holds: Record<string, number> | null
  offers: OfferEntry[] | null
}

/**
 * What quotes read that only imports and pulls change (customers, accounts, programmes, offers),
 * kept in memory while `state_generation` is unchanged, and the active holds per account as last
 * read (dropped when this process changes them). On the embedded store a statement costs ~0.3 ms
 * before it does anything, and a quote must answer in a few: with the cache warm, a quote is one
 * small statement (generation and holds), or none when both were read within the allowed age.
 */
export class QuoteCache {
  gen = -1
  /** When `gen` was last read from the store (Date.now()). */
  genAt = 0
  readonly chains = new Map<string, GroupMember[]>()
  readonly programmes = new Map<string, ProgrammeEntry | null>()
  readonly offers = new Map<string, OfferEntry | null>()
  /** Active holds per account as last read; dropped when this process changes them. */
  readonly holds = new Map<string, { held: number; at: number }>()
  readonly maxEntries: number
  constructor(maxEntries = 200_000) {
    this.maxEntries = maxEntries
  }
  reset(gen: number): void {
    this.gen = gen
    this.chains.clear()
    this.programmes.clear()
    this.offers.clear()
    this.holds.clear()
  }
  /** This process changed holds of these accounts. */
  holdsChanged(accountIds: Iterable<string>): void {
    for (const id of accountIds) this.holds.delete(id)
  }
  rememberHolds(accountIds: readonly string[], holds: Record<string, number> | null, at: number): void {
    if (this.holds.size >= this.maxEntries) this.holds.clear()
    for (const id of accountIds) this.holds.set(id, { held: Number(holds?.[id] ?? 0), at })
  }
  fill(row: QuoteContextRow, customerId: string, offerIds: readonly string[], at: number): void {
    if (row.gen !== this.gen) this.reset(row.gen)
    if (this.offers.size + offerIds.length > this.maxEntries || this.chains.size >= this.maxEntries) this.reset(row.gen)
    this.genAt = at
    this.rememberHolds((row.chain ?? []).map((member) => member.key), row.holds, at)
    this.chains.set(customerId, row.chain ?? [])
    for (const member of row.chain ?? []) {
      const programId = member.account?.programId
      if (programId) this.programmes.set(programId, row.programmes?.[programId] ?? null)
    }
    const found = new Map((row.offers ?? []).map((offer) => [offer.key, offer]))
    for (const id of offerIds) this.offers.set(id, found.get(id) ?? null)
  }
}

/**
 * Everything a quote reads, in one statement: the customer and its heads with their accounts,
 * the programmes of those accounts with their segment's content hash, active holds, and the
 * offers with their products.
 */
async function loadQuoteContext(db: Queryable, customerId: string, offerIds: readonly string[]): Promise<QuoteContextRow | undefined> {
  const [row] = await db.query<QuoteContextRow>(
    `${GROUP_MEMBERS_CTE}
     select
       (select gen from state_generation where id = 1) as gen,
       ${GROUP_MEMBERS_JSON} as chain,
       (select json_object_agg(p.key, json_build_object('data', p.data, 'segmentHash', s.hash))
          from entity_state p left join entity_state s on s.kind = 'product_segment' and s.key = p.data->>'segmentId'
         where p.kind = 'bonus_programme' and p.key in (select account->>'programId' from members)) as programmes,
       (select json_object_agg(account_id, total) from (
          select account_id, sum(amount_minor)::bigint as total from bonus_holds
           where status = 'active' and account_id in (select key from members) group by account_id) h) as holds,
       (select json_agg(json_build_object('key', o.key, 'productId', o.data->>'productId', 'priceGroupId', p.data->>'priceGroupId',
                                          'bonusEligible', p.data->'bonusEligible', 'maxBonusPercent', p.data->'maxBonusPercent'))
          from entity_state o left join entity_state p on p.kind = 'product' and p.key = o.data->>'productId'
         where o.kind = 'offer' and not o.removed and o.key = any($2::text[])) as offers`,
    [customerId, [...new Set(offerIds)]],
  )
  return row
}

/**
 * From the cache, or the store. With `maxStaleMs` 0 (orders) the generation and holds are read
 * in one small statement every time; a cart quote may use them up to `maxStaleMs` old (an order
 * re-checks everything under its lock), and then often needs no statement at all.
 */
async function quoteContext(db: Queryable, customerId: string, offerIds: readonly string[], cache: QuoteCache | undefined, maxStaleMs: number): Promise<QuoteContextRow | undefined> {
  const now = Date.now()
  const chain = cache?.chains.get(customerId)
  if (cache && chain && offerIds.every((id) => cache.offers.has(id))) {
    const keys = chain.map((member) => member.key)
    let holds: Record<string, number> | null = null
    let current = false
    const recent = maxStaleMs > 0 && now - cache.genAt <= maxStaleMs && keys.every((key) => now - (cache.holds.get(key)?.at ?? 0) <= maxStaleMs)
    if (recent) {
      holds = Object.fromEntries(keys.map((key) => [key, cache.holds.get(key)?.held ?? 0]))
      current = true
    } else {
      const [fresh] = await db.query<{ gen: number; holds: Record<string, number> | null }>(
        `select (select gen from state_generation where id = 1) as gen,
                (select json_object_agg(account_id, total) from (
                   select account_id, sum(amount_minor)::bigint as total from bonus_holds
                    where status = 'active' and account_id = any($1::text[]) group by account_id) h) as holds`,
        [keys],
      )
      if (fresh && Number(fresh.gen) === cache.gen) {
        cache.genAt = now
        cache.rememberHolds(keys, fresh.holds, now)
        holds = fresh.holds
        current = true
      }
    }
    if (current) {
      const programmes: Record<string, ProgrammeEntry> = {}
      for (const member of chain) {
        const id = member.account?.programId
        const entry = id ? cache.programmes.get(id) : undefined
        if (id && entry) programmes[id] = entry
      }
      const offers = offerIds.map((id) => cache.offers.get(id)).filter((offer): offer is OfferEntry => Boolean(offer))
      return { gen: cache.gen, chain, programmes, holds, offers }
    }
  }
  const row = await loadQuoteContext(db, customerId, offerIds)
  if (row && cache) cache.fill({ ...row, gen: Number(row.gen) }, customerId, offerIds, now)
  return row
}

/** Everything a quote needs, read from the store; `availableMinor` is the balance less active holds. */
export async function quoteFor(
  db: Queryable,
  customerId: string,
  lines: readonly OrderLine[],
  requestedMinor: number | undefined,
  shareAtHead: boolean,
  cache?: QuoteCache,
  maxStaleMs = 0,
) {
  const context = await quoteContext(db, customerId, lines.map((line) => line.offerId), cache, maxStaleMs)
  const bonus = bonusViewOf(context?.chain ?? [], shareAtHead)
  if (!bonus) return null
  const account = bonus.effective
  const programmeRow = account?.programId ? context?.programmes?.[account.programId] : undefined
  const programmeData = programmeRow?.data
  const segmentId = programmeData?.segmentId
  // A segment named but not (yet) pulled has no members: nothing is eligible, as in 1C.
  const segment = segmentId ? (programmeRow?.segmentHash ? await segmentMembers(db, segmentId, programmeRow.segmentHash) : new Set<string>()) : null
  const offers = context?.offers ?? []
  const products = new Map<string, QuoteProduct>(
    offers.map((row) => [row.key, { productId: row.productId, priceGroupId: row.priceGroupId, bonusEligible: row.bonusEligible ?? null, maxBonusPercent: row.maxBonusPercent ?? null }]),
  )
  const programme: QuoteProgramme = {
    // The programme's own record when pulled; else the caps the account carries.
    maxRedeemPercent: programmeData?.maxRedeemPercent ?? account?.maxRedeemPercent ?? null,
    priceGroupCaps: programmeData?.priceGroupCaps ?? account?.priceGroupCaps ?? {},
    segment,
    pointValue: programmeData?.pointValue ?? '1',
    capsIgnoreDiscounts: programmeData?.capsIgnoreDiscounts ?? false,
  }
  const held = account ? Number(context?.holds?.[account.customerId] ?? 0) : 0
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
  options: { viaSaleExchange?: boolean; cache?: QuoteCache } = {},
): Promise<StoredOrder> {
  const requestHash = canonicalJson(input)
  let heldFrom: string | null = null
  const stored = await db.transaction(async (tx): Promise<StoredOrder> => {
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
    const view = await quoteFor(tx, input.customerId, input.lines, input.bonusMinor, shareAtHead, options.cache)
    if (!view) throw new OrderError('unprocessable', `unknown customer ${JSON.stringify(input.customerId)}`)
    const accountId = view.account?.customerId ?? null
    if (accountId) await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [HOLD_LOCK + 1, accountId])
    const quoted = await quoteFor(tx, input.customerId, input.lines, input.bonusMinor, shareAtHead, options.cache)
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
      heldFrom = accountId
    }
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
    if (!order) throw new OrderError('not_found', `no order ${JSON.stringify(id)}`)
    if (order.status === 'cancelled') return []
    if (order.status === 'failed') throw new OrderError('conflict', 'the order failed in 1C already; nothing to cancel')
    const viaOData = order.export_rev === 0
    if (viaOData && (order.forward_attempts > 0 || order.onec_ref)) {
      throw new OrderError('conflict', `the order has been sent to 1C${order.onec_ref ? ` (document ${order.onec_ref})` : ''}: cancel it in 1C, its status comes back here`)
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
  const holds = await db.query(`select account_id as "accountId", amount_minor as "amountMinor", status, created_at as "createdAt", ended_at as "endedAt" from bonus_holds where order_id = $1 order by id`, [id])
  return { ...order, history, holds }
}
