/**
 * The bonus quote of a cart, from what 1C sent: the customer and its heads with their accounts,
 * the programme and its segment, the offers with their products, less what active holds take.
 * Cart quotes read through a cache kept while the state is unchanged; orders read afresh.
 */
import {
  amountBeyondBound,
  describePriceProblem,
  lineAmounts,
  MAX_AMOUNT_MINOR,
  priceLines,
  quoteBonus,
  type BonusAccount,
  type BonusProgramme,
  type LineAtPrice,
  type OrderLine,
  type Price,
  type PriceMode,
  type Quote,
  type QuoteProduct,
  type QuoteProgramme,
} from '../domain/index.ts'
import { AppError } from '../http/errors.ts'
import type { Queryable } from '../store/index.ts'
import { bonusViewOf, GROUP_MEMBERS_CTE, GROUP_MEMBERS_JSON, type GroupMember } from './bonus-view.ts'
import type { QuoteAnswer, QuoteRequest } from './schemas.ts'

/**
 * A programme's segment can hold tens of thousands of products: its member set is kept in memory
 * per content hash (the same hash is the same content), so a quote reads only the hash.
 */
const segmentCache = new Map<string, ReadonlySet<string>>()
const SEGMENT_CACHE_SIZE = 32

async function segmentMembers(db: Queryable, segmentId: string, hash: string): Promise<ReadonlySet<string>> {
  const cached = segmentCache.get(hash)
  if (cached) return cached
  const [row] = await db.query<{ data: { members: Record<string, true> } }>(`select data from entity_state where kind = 'product_segment' and key = $1 and hash = $2`, [
    segmentId,
    hash,
  ])
  const members = new Set(Object.keys(row?.data.members ?? {}))
  if (segmentCache.size >= SEGMENT_CACHE_SIZE) segmentCache.delete(segmentCache.keys().next().value as string)
  segmentCache.set(hash, members)
  return members
}

export type ProgrammeEntry = { data: BonusProgramme; segmentHash: string | null }
type OfferEntry = {
  key: string
  productId: string
  prices: Record<string, Price> | null
  priceGroupId: string | null
  bonusEligible: boolean | null
  maxBonusPercent: number | null
}

/** The profile's rules a quote follows: groups of companies, and whose prices count. */
export interface QuoteRules {
  /** bonus.shareAtHead: a group of companies spends from its head's account. */
  shareAtHead: boolean
  /** orders.prices. */
  prices: PriceMode
  /** orders.fallbackPriceType: for customers no agreement gives a price type. */
  fallbackPriceTypeId: string | null
}

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
    this.rememberHolds(
      (row.chain ?? []).map((member) => member.key),
      row.holds,
      at,
    )
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
       (select json_agg(json_build_object('key', o.key, 'productId', o.data->>'productId', 'prices', o.data->'prices', 'priceGroupId', p.data->>'priceGroupId',
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
async function quoteContext(
  db: Queryable,
  customerId: string,
  offerIds: readonly string[],
  cache: QuoteCache | undefined,
  maxStaleMs: number,
): Promise<QuoteContextRow | undefined> {
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

/**
 * The rules a quote applies for an account: the programme's own record when pulled (with its
 * segment's members), else the caps the account carries.
 */
export async function programmeOf(db: Queryable, account: BonusAccount | null, entry: ProgrammeEntry | undefined): Promise<QuoteProgramme> {
  const data = entry?.data
  const segmentId = data?.segmentId
  // A segment named but not (yet) pulled has no members: nothing is eligible, as in 1C.
  const segment = segmentId ? (entry?.segmentHash ? await segmentMembers(db, segmentId, entry.segmentHash) : new Set<string>()) : null
  return {
    maxRedeemPercent: data?.maxRedeemPercent ?? account?.maxRedeemPercent ?? null,
    priceGroupCaps: data?.priceGroupCaps ?? account?.priceGroupCaps ?? {},
    segment,
    pointValue: data?.pointValue ?? '1',
    capsIgnoreDiscounts: data?.capsIgnoreDiscounts ?? false,
  }
}

/** The customer, its heads and their accounts, and the programmes of those accounts (no offers): a customer's bonus terms. */
export async function loadCustomerContext(db: Queryable, customerId: string) {
  const row = await loadQuoteContext(db, customerId, [])
  return { chain: row?.chain ?? [], programmes: row?.programmes ?? {} }
}

/** The price type a customer buys at: its agreement's (the first of the chain is the customer), else the profile's fallback. */
export function priceTypeOf(chain: readonly GroupMember[], rules: QuoteRules): string | null {
  return chain[0]?.company?.priceTypeId ?? rules.fallbackPriceTypeId
}

/** What the rule of a quote reads of an offer's product. */
export function quoteProductOf(productId: string, product: { priceGroupId?: string | null; bonusEligible?: boolean | null; maxBonusPercent?: number | null }): QuoteProduct {
  return { productId, priceGroupId: product.priceGroupId ?? null, bonusEligible: product.bonusEligible ?? null, maxBonusPercent: product.maxBonusPercent ?? null }
}

/** A cart that cannot be priced from 1C's data: 422 naming every line and why. */
function refusePrices(result: { problems: ReturnType<typeof priceLines>['problems'] }): void {
  const { problems } = result
  if (problems.length === 0) return
  const head = problems.slice(0, 3).map(describePriceProblem).join('; ')
  throw new AppError('UNPROCESSABLE', `${head}${problems.length > 3 ? `; and ${problems.length - 3} more lines` : ''}`, { details: { lines: problems } })
}

/**
 * Everything a quote needs, read from the store; `availableMinor` is the balance less active holds.
 * Lines are priced from 1C's offer prices for the customer's price type (QuoteRules.prices); a
 * cart that cannot be priced is refused with 422 naming its lines.
 */
export async function quoteFor(
  db: Queryable,
  customerId: string,
  lines: readonly OrderLine[],
  requestedMinor: number | undefined,
  rules: QuoteRules,
  cache?: QuoteCache,
  maxStaleMs = 0,
  extraMinor = 0,
) {
  const context = await quoteContext(
    db,
    customerId,
    lines.map((line) => line.offerId),
    cache,
    maxStaleMs,
  )
  const bonus = bonusViewOf(context?.chain ?? [], rules.shareAtHead)
  if (!bonus) return null
  const offers = context?.offers ?? []
  const byId = new Map(offers.map((row) => [row.key, row]))
  const priced = priceLines(lines, byId, priceTypeOf(context?.chain ?? [], rules), rules.prices)
  refusePrices(priced)
  const total = amountBeyondBound(priced.lines, extraMinor)
  if (total !== null) {
    throw new AppError('UNPROCESSABLE', `at 1C's prices the order comes to ${total} minor units, more than 1C's sums hold (${MAX_AMOUNT_MINOR})`, {
      details: { field: 'lines', totalMinor: total.toString() },
    })
  }
  const account = bonus.effective
  const programme = await programmeOf(db, account, account?.programId ? context?.programmes?.[account.programId] : undefined)
  const products = new Map<string, QuoteProduct>(offers.map((row) => [row.key, quoteProductOf(row.productId, row)]))
  const held = account ? Number(context?.holds?.[account.customerId] ?? 0) : 0
  const quote: Quote = quoteBonus({ lines: priced.lines, products, programme, availableMinor: (account?.balanceMinor ?? 0) - held, requestedMinor })
  return { quote, bonus, account, lines: priced.lines, priceTypeId: priced.priceTypeId, knownOffers: new Set(byId.keys()) }
}

/**
 * A cart quote may use holds and the state generation read up to this long ago (an order is
 * checked afresh under its lock; orders taken by this process are seen at once).
 */
const QUOTE_STALE_MS = 1_000

/** What a line costs at its checked price: quantity × price less the automatic discount. */
function cartLine(line: LineAtPrice, quoted: Quote['lines'][number]) {
  return { ...quoted, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor, sumMinor: lineAmounts(line).sumMinor }
}

/** The storefront's cart quote: what this cart may take in points, line by line, at 1C's prices. */
export async function quoteCart(db: Queryable, request: QuoteRequest, rules: QuoteRules, cache: QuoteCache): Promise<QuoteAnswer> {
  const { customerId, lines, requestedPoints } = request
  const result = await quoteFor(db, customerId, lines, requestedPoints, rules, cache, QUOTE_STALE_MS)
  if (!result) throw new AppError('NOT_FOUND', `no customer ${JSON.stringify(customerId)}`)
  const { quote } = result
  const cart = quote.lines.map((line, index) => cartLine(result.lines[index] as LineAtPrice, line))
  const totalMinor = cart.reduce((sum, line) => sum + line.sumMinor, 0)
  return {
    customerId,
    programId: result.account?.programId ?? null,
    sharedFrom: result.bonus.sharedFrom,
    priceTypeId: result.priceTypeId,
    ...quote,
    lines: cart,
    totalMinor,
    payableMinor: Math.max(0, totalMinor - quote.appliedMoneyMinor),
  }
}
