/**
 * Orders to 1C over OData (orders.forward = odata), as the profile's `orders.odata` says.
 *
 * 1C has no idempotency: a POST retried after a timeout makes a second order. So every attempt
 * first searches the document by the storefront's order number (`numberField`), creates it only
 * when none exists, then posts it. A business error of 1C (500, code -1: not enough stock, a
 * closed agreement…) fails the order with 1C's message and releases its hold; a transient one
 * (network, timeout, other 5xx, 401/403 while the integrator fixes rights) is tried again later,
 * up to `maxAttempts`. Posted documents are polled for their status.
 */
import { formatMinorUnits, priceOrder, type Quote } from '../domain/index.ts'
import type { Logger } from '../logger.ts'
import type { ODataOrders, OrderValue } from '../onec/mapping/orders-profile.ts'
import { ODataError, quote, toNaive, type ODataClient, type ODataRow } from '../onec/odata/index.ts'
import type { Db, JobEngine } from '../store/index.ts'
import { changeOrder, followOneC, type OneCState, type OrderRow } from './order-lifecycle.ts'
import type { OrderInput } from './orders.ts'

export const FORWARD_QUEUE = 'order-forward'
export const EMPTY_REF = '00000000-0000-0000-0000-000000000000'

export interface ForwarderDeps {
  db: Db
  jobs: JobEngine
  client: ODataClient
  profile: ODataOrders
  logger: Logger
  maxAttempts: number
  minorDigits: number
}

interface ForwardRow extends OrderRow {
  body: OrderInput
  quote: Quote
  forward_attempts: number
}

export type ForwardOutcome = 'created' | 'found' | 'posted' | 'failed' | 'retry' | 'skipped'

/** A misconfigured profile or a value 1C cannot take: fails the order, naming the field. */
export class OrderMappingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OrderMappingError'
  }
}

type Scope = { order: Record<string, unknown>; line?: Record<string, unknown>; lookup: Record<string, ODataRow | null> }

function pick(scope: Scope, path: string): unknown {
  const [root, name, field] = path.split('.')
  if (root === 'order') return scope.order[name ?? '']
  if (root === 'line') return scope.line?.[name ?? '']
  const row = scope.lookup[name ?? '']
  if (row === undefined) throw new OrderMappingError(`${path}: no lookup named ${JSON.stringify(name)} in orders.odata.lookups`)
  return row === null ? undefined : row[field ?? '']
}

/** One field's value for the document body. */
export function orderValue(spec: OrderValue, scope: Scope, minorDigits: number, field: string): unknown {
  if (typeof spec !== 'object') return spec
  const raw = pick(scope, spec.from)
  const value = raw === undefined || raw === null || raw === '' ? spec.default : raw
  switch (spec.transform) {
    case 'money': {
      if (value === undefined) return 0
      const minor = Number(value)
      if (!Number.isSafeInteger(minor)) throw new OrderMappingError(`${field}: ${spec.from} is not whole minor units (${JSON.stringify(value)})`)
      // The exact decimal text as a JSON number: 142502 → 1425.02.
      return Number(formatMinorUnits(minor, minorDigits))
    }
    case 'number':
    case 'int': {
      if (value === undefined) return 0
      const number = Number(value)
      if (!Number.isFinite(number)) throw new OrderMappingError(`${field}: ${spec.from} is not a number (${JSON.stringify(value)})`)
      return spec.transform === 'int' ? Math.trunc(number) : number
    }
    case 'guid':
      return typeof value === 'string' && value !== '' ? value : EMPTY_REF
    case 'boolean':
      return value === true || value === 'true'
    default:
      return value === undefined ? '' : String(value)
  }
}

const fill = (template: string, order: Record<string, unknown>, now: string) =>
  template.replaceAll('{now}', `datetime'${now}'`).replace(/\{order\.([A-Za-z]+)\}/g, (_, name: string) => quote(String(order[name] ?? '')).slice(1, -1))

const rowsOf = (body: ODataRow): ODataRow[] => (Array.isArray(body.value) ? (body.value as ODataRow[]) : [])

export function createOrderForwarder(deps: ForwarderDeps) {
  const { db, client, profile, logger } = deps
  let worker: string | null = null

  /** The order's values the profile may name. */
  function orderScope(row: ForwardRow) {
    const priced = priceOrder(row.body.lines, row.quote, row.body.delivery)
    const lineScopes = priced.lines.map((line, index) => {
      const [productId, variantId] = line.offerId.split('#')
      return {
        no: String(index + 1),
        offerId: line.offerId,
        productId,
        variantId: variantId ?? null,
        quantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor,
        grossMinor: line.grossMinor,
        discountMinor: line.discountMinor,
        discountPercent: line.autoDiscountPercent ?? 0,
        sumMinor: line.sumMinor,
        bonusMinor: line.bonusMinor,
        bonusMoneyMinor: line.bonusMoneyMinor,
      }
    })
    const order = {
      id: row.id,
      number: row.number,
      externalId: row.external_id,
      customerId: row.customer_id,
      comment: row.body.comment ?? '',
      paymentMethod: row.body.paymentMethod ?? '',
      date: toNaive(row.created_at, client.timeZone),
      totalMinor: priced.totalMinor,
      deliveryMinor: priced.deliveryMinor,
      bonusMinor: row.bonus_minor,
      bonusMoneyMinor: row.quote.appliedMoneyMinor ?? 0,
    }
    return { order, lineScopes }
  }

  async function findExisting(row: ForwardRow): Promise<ODataRow | null> {
    const found = rowsOf(
      await client.get(profile.document, {
        filter: `${profile.numberField} eq ${quote(row.number)} and DeletionMark eq false`,
        select: ['Ref_Key', 'Number', 'Date', 'Posted'],
        top: 2,
      }),
    )
    return found[0] ?? null
  }

  async function buildDocument(row: ForwardRow): Promise<Record<string, unknown>> {
    const { order, lineScopes } = orderScope(row)
    const now = toNaive(new Date(), client.timeZone)
    const lookup: Record<string, ODataRow | null> = {}
    for (const [name, spec] of Object.entries(profile.lookups)) {
      const [first] = rowsOf(await client.get(spec.set, { filter: fill(spec.filter, order, now), select: spec.select, top: 1, ...(spec.orderby && { orderby: spec.orderby }) }))
      if (!first && spec.required) throw new OrderMappingError(`lookup ${name}: ${spec.set} has no row for this order (${fill(spec.filter, order, now)})`)
      lookup[name] = first ?? null
    }
    const body: Record<string, unknown> = {}
    for (const [field, spec] of Object.entries(profile.header)) body[field] = orderValue(spec, { order, lookup }, deps.minorDigits, field)
    body[profile.lines.into] = lineScopes.map((line) =>
      Object.fromEntries(Object.entries(profile.lines.fields).map(([field, spec]) => [field, orderValue(spec, { order, line, lookup }, deps.minorDigits, `${profile.lines.into}.${field}`)])),
    )
    // Our idempotency anchor is always written, whatever the header says.
    body[profile.numberField] = row.number
    return body
  }

  const refOf = (ref: string) => `${profile.document}(guid'${ref}')`

  async function fail(row: ForwardRow, reason: string): Promise<void> {
    await db.transaction((tx) => changeOrder(tx, row.id, { status: 'failed', note: `1C refused the order: ${reason}`, message: 'order.failed', hold: 'release', error: reason }))
    logger.warn({ order: row.id, number: row.number }, `order ${row.number} failed: ${reason}`)
  }

  /** One attempt at bringing the order into 1C and posting it. */
  async function forward(orderId: string): Promise<ForwardOutcome> {
    // Claiming the attempt and a storefront's cancellation exclude each other (both are conditional updates).
    const [row] = await db.query<ForwardRow>(
      `update orders set forward_attempts = forward_attempts + 1
        where id = $1 and (status = 'accepted' or (status = 'exported' and $2 and coalesce((onec->>'posted')::boolean, false) = false))
        returning *`,
      [orderId, profile.post],
    )
    if (!row) return 'skipped'
    const attempt = row.forward_attempts
    let outcome: ForwardOutcome = 'found'
    try {
      let ref = row.onec_ref
      if (!ref) {
        const existing = await findExisting(row)
        if (existing) {
          ref = String(existing.Ref_Key)
          logger.info({ order: row.id, ref }, `order ${row.number} is in 1C already (${String(existing.Number ?? ref)}): not created again`)
        } else {
          const created = await client.create(profile.document, await buildDocument(row))
          ref = String(created.Ref_Key ?? '')
          if (!ref) throw new OrderMappingError(`1C created ${profile.document} without answering its Ref_Key`)
          outcome = 'created'
        }
        const number = existing?.Number ?? undefined
        await db.transaction((tx) =>
          changeOrder(tx, row.id, {
            status: 'exported',
            onecRef: ref ?? undefined,
            onec: { ref, ...(number !== undefined && { number: String(number) }), posted: existing?.Posted === true },
            exported: true,
            error: null,
            note: outcome === 'created' ? `created in 1C as ${profile.document} ${ref}` : `found in 1C as ${profile.document} ${ref}`,
            message: 'order.exported',
          }),
        )
        if (existing?.Posted === true) return outcome
      }
      if (profile.post) {
        await client.invoke(`${refOf(ref)}/Post`, { PostingModeOperational: 'false' })
        await db.transaction((tx) => changeOrder(tx, row.id, { status: 'confirmed', onec: { posted: true }, hold: 'confirm', note: 'posted in 1C', message: 'order.status_changed' }))
        outcome = 'posted'
      }
      return outcome
    } catch (error) {
      if (error instanceof OrderMappingError) {
        await fail(row, error.message)
        return 'failed'
      }
      // 1C refused the data (500, code -1) or the request (a 4xx other than rights): asking again changes nothing.
      if (error instanceof ODataError && (error.kind === 'business' || (!error.retryable && error.kind !== 'auth' && error.kind !== 'forbidden'))) {
        const [current] = await db.query<{ onec_ref: string | null }>('select onec_ref from orders where id = $1', [orderId])
        const left = current?.onec_ref ? ` (document ${current.onec_ref} stays unposted in 1C)` : ''
        await fail(row, `${error.oneCMessage ?? error.message}${left}`)
        return 'failed'
      }
      const reason = (error as Error).message
      if (attempt >= deps.maxAttempts) {
        await fail(row, `gave up after ${attempt} attempts; last: ${reason}`)
        return 'failed'
      }
      await db.query('update orders set last_error = $2 where id = $1', [orderId, reason])
      logger.warn({ order: row.id, attempt }, `order ${row.number}: attempt ${attempt} failed, will retry: ${reason}`)
      return 'retry'
    }
  }

  /** 1C's view of forwarded, unfinished orders: number, posted, deletion mark, status. */
  async function pollStatuses(): Promise<number> {
    const rows = await db.query<ForwardRow>(
      `select * from orders where onec_ref is not null and status in ('exported', 'confirmed') and updated_at > now() - interval '60 days'
        order by polled_at nulls first, id limit 500`,
    )
    let changed = 0
    for (const row of rows) {
      const ref = row.onec_ref
      if (!ref) continue
      await db.query('update orders set polled_at = now() where id = $1', [row.id])
      let document: ODataRow
      try {
        document = await client.get(refOf(ref), { select: ['Ref_Key', 'Number', 'Date', 'Posted', 'DeletionMark', profile.status.field] })
      } catch (error) {
        logger.warn({ order: row.id, err: error }, `could not read the status of order ${row.number} from 1C`)
        continue
      }
      const status = document[profile.status.field]
      const state: OneCState = {
        number: typeof document.Number === 'string' ? document.Number.trim() : null,
        date: typeof document.Date === 'string' ? document.Date : null,
        posted: document.Posted === true,
        deletionMark: document.DeletionMark === true,
        status: typeof status === 'string' ? status : null,
        cancelled: typeof status === 'string' && profile.status.cancelled.includes(status),
      }
      const { status: next, hold, changed: differs } = followOneC(row.status, row.onec, state)
      if (!differs) continue
      await db.transaction((tx) =>
        changeOrder(tx, row.id, {
          status: next,
          onec: state,
          note: `1C: ${[state.number, state.posted ? 'posted' : 'not posted', state.deletionMark && 'marked for deletion', state.status && `status ${state.status}`].filter(Boolean).join(', ')}`,
          message: 'order.status_changed',
          ...(hold && { hold }),
        }),
      )
      changed += 1
    }
    return changed
  }

  return {
    forward,
    pollStatuses,
    async start(): Promise<void> {
      // pg-boss keeps the waits durable: 5 s, 10 s, 20 s… (with jitter) up to an hour between attempts.
      await deps.jobs.boss.createQueue(FORWARD_QUEUE, { retryLimit: deps.maxAttempts, retryDelay: 5, retryBackoff: true, retryDelayMax: 3600 })
      worker = await deps.jobs.boss.work<{ orderId: string }>(FORWARD_QUEUE, { pollingIntervalSeconds: 2, batchSize: 1 }, async ([job]) => {
        if (!job) return
        const outcome = await forward(job.data.orderId)
        if (outcome === 'retry') throw new Error(`order ${job.data.orderId}: 1C not reachable yet, trying again later`)
      })
    },
    /** Queues an order for forwarding (after intake; again by the sweep if lost). */
    async enqueue(orderId: string) {
      await deps.jobs.boss.send(FORWARD_QUEUE, { orderId }, { singletonKey: orderId })
      if (worker) deps.jobs.boss.notifyWorker(worker)
    },
    /** Orders taken but never tried (a crash between intake and queueing). */
    async sweep(): Promise<number> {
      const rows = await db.query<{ id: string }>(`select id from orders where status = 'accepted' and export_rev = 0 and forward_attempts = 0 and created_at < now() - interval '1 minute'`)
      for (const row of rows) await deps.jobs.boss.send(FORWARD_QUEUE, { orderId: row.id }, { singletonKey: row.id })
      return rows.length
    },
  }
}

export type OrderForwarder = ReturnType<typeof createOrderForwarder>
