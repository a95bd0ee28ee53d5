/**
 * 1C's order exchange (`type=sale`) on the site side.
 *
 * `query`: every order whose current revision 1C has not acknowledged, as CommerceML; what was
 * sent is remembered per exchange session. `success`: 1C stored them — only now do they count as
 * exported (marking them at `query` loses orders when 1C fails in between). Until then every
 * query sends them again, and 1C matches them to its own orders by the site's number.
 *
 * `importChanges`: an `orders-*.xml` 1C uploaded — its number and date, posted, cancelled,
 * deletion mark, payment and shipment reach the order, its hold and the storefront.
 */
import { priceOrder, type Quote, type Unit } from '../domain/index.ts'
import type { Logger } from '../logger.ts'
import { orderDocument, ordersXmlOf, readOrderChanges, type OrderChangeRecord, type SaleOrder } from '../onec/commerceml/index.ts'
import type { CommerceMlProfile } from '../onec/mapping/profile.ts'
import { beat, recordFailure, startRun, withRun, type Run } from '../state/index.ts'
import type { Db, Queryable } from '../store/index.ts'
import { changeOrder, followOneC, type OneCState, type OrderRow, type OrderStatus } from './lifecycle.ts'
import type { StoredOrderBody } from './schemas.ts'
import { runText, type Language } from '../onec/texts.ts'

export interface SaleExchangeDeps {
  db: Db
  profile: CommerceMlProfile
  orders: { charset: 'utf-8' | 'windows-1251'; timeZone: string }
  logger: Logger
  /** The language of what 1C's exchange log shows (default Russian). */
  language?: Language
}

/** The order exchange's name in the run log and on the health page. */
export const SALE_SOURCE = 'exchange:sale'
/** At most this many orders per query answer; the rest follow in the next exchange. */
const QUERY_LIMIT = 1000

/** An order as the query answer reads it: the row with the body and quote taken at intake. */
interface QueuedOrder extends OrderRow {
  body: StoredOrderBody
  quote: Quote
  export_rev: number
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null)

/** The order as the query answer writes it, with names and the buyer read from the store; an order that cannot be priced is its error. */
export async function saleOrders(db: Queryable, rows: readonly QueuedOrder[], currency: string): Promise<Array<SaleOrder | Error>> {
  const offerIds = [...new Set(rows.flatMap((row) => row.body.lines.map((line) => line.offerId)))]
  const customerIds = [...new Set(rows.map((row) => row.customer_id))]
  const names = new Map<string, CatalogueLine>()
  for (const row of await db.query<{
    key: string
    offer: string | null
    product: string | null
    sku: string | null
    unit: Unit | null
    product_unit: Unit | null
    kind: string | null
  }>(
    `select o.key, o.data->>'name' as offer, p.data->>'name' as product, p.data->>'sku' as sku,
            o.data->'unit' as unit, p.data->'unit' as product_unit, p.data->'requisites'->>'ВидНоменклатуры' as kind
       from entity_state o left join entity_state p on p.kind = 'product' and p.key = o.data->>'productId'
      where o.kind = 'offer' and o.key = any($1::text[])`,
    [offerIds],
  )) {
    names.set(row.key, { name: row.offer || row.product || null, sku: row.sku || null, unit: row.unit ?? row.product_unit ?? null, itemKind: row.kind || null })
  }
  const customers = new Map(
    (
      await db.query<{ key: string; data: { name: string; inn: string | null; kpp: string | null } }>(
        `select key, data from entity_state where kind = 'customer' and key = any($1::text[])`,
        [customerIds],
      )
    ).map((row) => [row.key, row.data]),
  )
  return rows.map((row) => {
    try {
      return saleOrder(row, currency, names, customers.get(row.customer_id))
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  })
}

/** What the catalogue says of an order line's offer: the name, article, unit and kind 1C's document shows. */
interface CatalogueLine {
  name: string | null
  sku: string | null
  unit: Unit | null
  itemKind: string | null
}

function saleOrder(
  row: QueuedOrder,
  currency: string,
  names: ReadonlyMap<string, CatalogueLine>,
  customer: { name: string; inn: string | null; kpp: string | null } | undefined,
): SaleOrder {
  const priced = priceOrder(row.body.lines, row.quote, row.body.delivery)
  const delivery: Record<string, unknown> = row.body.delivery ?? {}
  return {
    id: row.id,
    number: row.number,
    createdAt: row.created_at,
    storefrontId: row.storefront_id,
    currency,
    customer: { id: row.customer_id, name: customer?.name ?? row.customer_id, inn: customer?.inn ?? null, kpp: customer?.kpp ?? null },
    lines: priced.lines.map((line) => {
      const catalogue = names.get(line.offerId)
      return {
        offerId: line.offerId,
        name: catalogue?.name ?? line.offerId,
        sku: catalogue?.sku ?? null,
        unit: catalogue?.unit ?? null,
        itemKind: catalogue?.itemKind ?? null,
        quantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor,
        discountPercent: line.autoDiscountPercent ?? 0,
        discountMinor: line.discountMinor,
        sumMinor: line.sumMinor,
        bonusMoneyMinor: line.bonusMoneyMinor,
      }
    }),
    delivery: { method: text(delivery.method), address: text(delivery.address), priceMinor: priced.deliveryMinor },
    paymentMethod: row.body.paymentMethod ?? null,
    comment: row.body.comment ?? null,
    bonusPoints: row.bonus_minor,
    bonusMoneyMinor: row.quote.appliedMoneyMinor ?? 0,
    cancelled: row.status === 'cancelled',
    status: row.status,
  }
}

export interface ChangesResult {
  run: Run
  seen: number
  changed: number
  unknown: string[]
}

/**
 * Applies the documents of one order-changes file in one transaction: all of them or none.
 * Documents of orders this service did not take (made in 1C) are listed in the run, not errors.
 */
export async function applyOrderChanges(
  db: Db,
  records: readonly OrderChangeRecord[],
  source: { fileName: string; runSource: string; details?: Record<string, unknown> },
): Promise<ChangesResult> {
  const { run, value } = await withRun(
    db,
    { source: source.runSource, kind: 'order-changes', details: { file: source.fileName, ...source.details }, file: source.fileName },
    async () => {
      const outcome = await db.transaction(async (tx) => {
        let changed = 0
        const unknown: string[] = []
        for (const record of records) {
          const result = await applyOrderChange(tx, record, source.fileName)
          if (result === 'changed') changed += 1
          else if (result !== 'unchanged') unknown.push(result.unknown)
        }
        return { changed, unknown }
      })
      return {
        value: outcome,
        outcome: {
          counts: { seen: records.length, changed: outcome.changed, unchanged: records.length - outcome.changed - outcome.unknown.length },
          details: outcome.unknown.length > 0 ? { notOurs: outcome.unknown.slice(0, 100) } : {},
        },
      }
    },
  )
  return { run, seen: records.length, changed: value.changed, unknown: value.unknown }
}

/**
 * One document of an order-changes file, on the order it names (by the site's Ид we sent; else by
 * the site's number when only one order has it). A document of an order this service did not
 * take (made in 1C) is named, not an error.
 */
async function applyOrderChange(tx: Queryable, record: OrderChangeRecord, fileName: string): Promise<'changed' | 'unchanged' | { unknown: string }> {
  let [order] = record.id ? await tx.query<OrderRow>(`select * from orders where id = $1 for update`, [record.id]) : []
  if (!order && record.number) {
    const byNumber = await tx.query<OrderRow>(`select * from orders where number = $1 limit 2 for update`, [record.number])
    if (byNumber.length === 1) order = byNumber[0]
  }
  if (!order) return { unknown: record.number ?? record.id ?? `line ${record.line}` }
  const state = Object.fromEntries(Object.entries(record.state).filter(([, value]) => value !== null)) as OneCState
  const { status, hold, changed: differs } = followOneC(order.status, order.onec, state)
  if (!differs) return 'unchanged'
  const what = [
    state.number && `1C number ${state.number}`,
    state.posted !== undefined && (state.posted ? 'posted' : 'not posted'),
    state.cancelled && 'cancelled',
    state.deletionMark && 'marked for deletion',
    state.paid && 'paid',
    state.shipped && 'shipped',
    state.status && `status «${state.status}»`,
  ].filter(Boolean)
  await changeOrder(tx, order.id, {
    status,
    onec: state,
    note: `1C (${fileName}): ${what.join(', ') || 'updated'}`,
    message: 'order.status_changed',
    ...(hold && { hold }),
    exported: true,
  })
  return 'changed'
}

/** An order the query cannot write: failed with the reason, out of the queue (this revision counts as answered). */
async function failUnwritable(tx: Queryable, row: QueuedOrder, reason: string): Promise<void> {
  const error = `cannot be written for 1C's order exchange: ${reason}`
  await changeOrder(tx, row.id, { status: 'failed', note: error, message: 'order.failed', hold: 'release', error })
  await tx.query('update orders set acked_rev = greatest(acked_rev, $2) where id = $1', [row.id, row.export_rev])
}

/** What 1C's log shows for an order-changes file. */
function changesMessage(fileName: string, result: ChangesResult, language: Language): string {
  if (language === 'ru') {
    const unknown = result.unknown.length > 0 ? `, не с этого сайта ${result.unknown.length}` : ''
    return `${fileName}: документов заказов ${result.seen}, изменено ${result.changed}${unknown}${runText(result.run.id, 'ru')}`
  }
  const unknown = result.unknown.length > 0 ? `, ${result.unknown.length} not from this site` : ''
  return `${fileName}: ${result.seen} order document(s), ${result.changed} changed${unknown} (run ${result.run.id})`
}

export function createSaleExchange(deps: SaleExchangeDeps) {
  const { db, profile, logger } = deps
  const xmlOptions = {
    charset: deps.orders.charset,
    schemaVersion: profile.orders.schemaVersion,
    timeZone: deps.orders.timeZone,
    minorDigits: profile.currency.minorDigits,
    bonusPayment: profile.orders.bonusPayment,
    deliveryItemId: profile.orders.deliveryItemId,
  }
  return {
    contentType: `application/xml; charset=${deps.orders.charset}`,

    /**
     * `mode=query`: the orders 1C has not acknowledged, remembered for this session's `success`.
     * An order that cannot be written for 1C fails alone: it is marked failed with the reason (its
     * hold released, `order.failed` to its storefront) and leaves the queue; the others go.
     */
    async query(sessionId: string, version: string | null = null): Promise<{ body: Buffer; count: number; failed: number }> {
      const rows = await db.query<QueuedOrder>(`select * from orders where acked_rev < export_rev order by created_at, id limit $1`, [QUERY_LIMIT])
      // A client that agreed on 3.x at init (the 1C-Bitrix module) gets 3.x: documents in Контейнер.
      const options = version?.startsWith('3') ? { ...xmlOptions, schemaVersion: version } : xmlOptions
      const orders = await saleOrders(db, rows, profile.currency.default)
      const sent: QueuedOrder[] = []
      const documents: Array<Record<string, unknown>> = []
      const failed: Array<{ row: QueuedOrder; reason: string }> = []
      rows.forEach((row, index) => {
        try {
          const order = orders[index]
          if (order instanceof Error) throw order
          if (order) documents.push(orderDocument(order, options))
          sent.push(row)
        } catch (error) {
          failed.push({ row, reason: (error as Error).message })
        }
      })
      const body = ordersXmlOf(documents, options)
      await db.transaction(async (tx) => {
        await tx.query('delete from sale_exports where session_id = $1', [sessionId])
        if (sent.length > 0) {
          await tx.query(`insert into sale_exports (session_id, order_id, rev) select $1, r.id, r.rev from json_to_recordset($2::json) as r(id text, rev integer)`, [
            sessionId,
            JSON.stringify(sent.map((row) => ({ id: row.id, rev: row.export_rev }))),
          ])
        }
        for (const { row, reason } of failed) await failUnwritable(tx, row, reason)
        await beat(tx, SALE_SOURCE)
      })
      for (const { row, reason } of failed)
        logger.error({ session: sessionId, order: row.id, number: row.number }, `order ${row.number} cannot be written for 1C and failed: ${reason}`)
      logger.info({ session: sessionId, orders: sent.length, failed: failed.length }, `order exchange: ${sent.length} order(s) sent to 1C, waiting for mode=success`)
      return { body, count: sent.length, failed: failed.length }
    },

    /** `mode=success`: what this session's query sent is now in 1C. Returns how many orders that was. */
    async success(sessionId: string): Promise<number> {
      const acked = await db.transaction(async (tx) => {
        const rows = await tx.query<{ id: string; status: OrderStatus; first: boolean }>(
          `update orders o set acked_rev = greatest(o.acked_rev, e.rev)
             from sale_exports e where e.session_id = $1 and e.order_id = o.id
           returning o.id, o.status, o.exported_at is null as first`,
          [sessionId],
        )
        for (const row of rows) {
          if (!row.first) continue
          await changeOrder(tx, row.id, {
            ...(row.status === 'accepted' && { status: 'exported' as const }),
            exported: true,
            note: '1C took the order (order exchange, mode=success)',
            message: 'order.exported',
          })
        }
        await tx.query('delete from sale_exports where session_id = $1', [sessionId])
        return rows.length
      })
      logger.info({ session: sessionId, orders: acked }, `order exchange: 1C confirmed ${acked} order(s)`)
      return acked
    },

    /** An uploaded order-changes file: read it whole, then apply it in one transaction. */
    async importChanges(path: string, fileName: string, sessionId: string): Promise<{ message: string; runId: number }> {
      const records = await readOrderChanges(path, fileName).catch(async (error: unknown) => {
        const run = await startRun(db, SALE_SOURCE, 'order-changes', { file: fileName, session: sessionId })
        throw await recordFailure(db, run.id, error, { file: fileName })
      })
      const result = await applyOrderChanges(db, records, { fileName, runSource: SALE_SOURCE, details: { session: sessionId } })
      return { message: changesMessage(fileName, result, deps.language ?? 'ru'), runId: result.run.id }
    },
  }
}

export type SaleExchange = ReturnType<typeof createSaleExchange>
