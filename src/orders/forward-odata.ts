/**
 * Orders to 1C over OData (orders.forward = odata), as the profile's `orders.odata` says
 * (the document itself is made in onec/odata/order-document.ts).
 *
 * 1C has no idempotency: a POST retried after a timeout makes a second order. So every attempt
 * first searches the document by the storefront's order number (`numberField`), creates it only
 * when none exists, then posts it. A business error of 1C (500, code -1: not enough stock, a
 * closed agreement…) fails the order with 1C's message and releases its hold; a transient one
 * (network, timeout, other 5xx, 401/403 while the integrator fixes rights) is tried again later,
 * up to `maxAttempts`. Posted documents are polled for their status.
 *
 * The forwarding job is queued in the transaction that takes the order (`queueForward`); a job
 * whose worker died is retried by pg-boss, and the sweep queues again any order still waiting
 * whose job is gone (store/job-engine.ts).
 */
import type { Quote } from '../domain/index.ts'
import type { Logger } from '../logger.ts'
import type { ODataOrders } from '../onec/mapping/orders-profile.ts'
import { buildOrderDocument, documentState, findOrderDocument, ODataError, OrderMappingError, type ODataClient, type ODataRow, type OrderForDocument } from '../onec/odata/index.ts'
import { jobGoneSql, queueInTx, RELIABLE, type Db, type JobEngine, type Queryable, ensureQueue } from '../store/index.ts'
import { changeOrder, followOneC, type OneCState, type OrderRow } from './lifecycle.ts'
import type { StoredOrderBody } from './schemas.ts'

export const FORWARD_QUEUE = 'order-forward'

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
  body: StoredOrderBody
  quote: Quote
  forward_attempts: number
}

export type ForwardOutcome = 'created' | 'found' | 'posted' | 'failed' | 'retry' | 'skipped'

function documentOf(row: ForwardRow): OrderForDocument {
  return {
    id: row.id,
    number: row.number,
    externalId: row.external_id,
    customerId: row.customer_id,
    createdAt: row.created_at,
    bonusMinor: row.bonus_minor,
    lines: row.body.lines,
    delivery: row.body.delivery,
    comment: row.body.comment,
    paymentMethod: row.body.paymentMethod,
    quote: row.quote,
  }
}

const refOf = (profile: ODataOrders, ref: string) => `${profile.document}(guid'${ref}')`

/** Fails the order; the history note says which side failed: 1C refused it, it could not be written, or 1C stayed unreachable. */
async function fail(deps: ForwarderDeps, row: ForwardRow, reason: string, why: 'refused' | 'unwritable' | 'unreachable'): Promise<void> {
  const { db, logger } = deps
  const note = {
    refused: `1C refused the order: ${reason}`,
    unwritable: `the order cannot be written as ${deps.profile.document}: ${reason}`,
    unreachable: `1C did not answer: ${reason}`,
  }[why]
  await db.transaction((tx) => changeOrder(tx, row.id, { status: 'failed', note, message: 'order.failed', hold: 'release', error: reason }))
  logger.warn({ order: row.id, number: row.number }, `order ${row.number} failed: ${reason}`)
}

/** One attempt at bringing the order into 1C and posting it. */
export async function forward(deps: ForwarderDeps, orderId: string): Promise<ForwardOutcome> {
  const { db, client, profile, logger } = deps
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
      const existing = await findOrderDocument(client, profile, row.number)
      if (existing) {
        ref = String(existing.Ref_Key)
        logger.info({ order: row.id, ref }, `order ${row.number} is in 1C already (${String(existing.Number ?? ref)}): not created again`)
      } else {
        // What fails while writing the document (not while asking 1C) is the order's own: it fails at once, never retried.
        const document = await buildOrderDocument(client, profile, documentOf(row), deps.minorDigits).catch((error: unknown) => {
          throw error instanceof ODataError || error instanceof OrderMappingError
            ? error
            : new OrderMappingError(`cannot be written as ${profile.document}: ${(error as Error).message}`)
        })
        const created = await client.create(profile.document, document)
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
      await client.invoke(`${refOf(profile, ref)}/Post`, { PostingModeOperational: 'false' })
      await db.transaction((tx) => changeOrder(tx, row.id, { status: 'confirmed', onec: { posted: true }, hold: 'confirm', note: 'posted in 1C', message: 'order.status_changed' }))
      outcome = 'posted'
    }
    return outcome
  } catch (error) {
    if (error instanceof OrderMappingError) {
      await fail(deps, row, error.message, 'unwritable')
      return 'failed'
    }
    // 1C refused the data (500, code -1) or the request (a 4xx other than rights): asking again changes nothing.
    if (error instanceof ODataError && (error.kind === 'business' || (!error.retryable && error.kind !== 'auth' && error.kind !== 'forbidden'))) {
      const [current] = await db.query<{ onec_ref: string | null }>('select onec_ref from orders where id = $1', [orderId])
      const left = current?.onec_ref ? ` (document ${current.onec_ref} stays unposted in 1C)` : ''
      await fail(deps, row, `${error.oneCMessage ?? error.message}${left}`, 'refused')
      return 'failed'
    }
    const reason = (error as Error).message
    if (attempt >= deps.maxAttempts) {
      await fail(deps, row, `gave up after ${attempt} attempts; last: ${reason}`, 'unreachable')
      return 'failed'
    }
    await db.query('update orders set last_error = $2 where id = $1', [orderId, reason])
    logger.warn({ order: row.id, attempt }, `order ${row.number}: attempt ${attempt} failed, will retry: ${reason}`)
    return 'retry'
  }
}

/** 1C's view of forwarded, unfinished orders: number, posted, deletion mark, status. */
export async function pollStatuses(deps: ForwarderDeps): Promise<number> {
  const { db, client, profile, logger } = deps
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
      document = await client.get(refOf(profile, ref), { select: ['Ref_Key', 'Number', 'Date', 'Posted', 'DeletionMark', profile.status.field] })
    } catch (error) {
      logger.warn({ order: row.id, err: error }, `could not read the status of order ${row.number} from 1C`)
      continue
    }
    const state: OneCState = documentState(document, profile.status)
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

/** Queues an order's forwarding in the caller's transaction (its intake). */
export async function queueForward(jobs: JobEngine, tx: Queryable, orderId: string): Promise<void> {
  const [jobId] = await queueInTx(jobs, tx, FORWARD_QUEUE, [{ data: { orderId }, singletonKey: orderId }])
  await tx.query('update orders set forward_job_id = $2::uuid where id = $1', [orderId, jobId])
}

/**
 * Orders waiting to be forwarded whose job is gone, failed or finished while they still wait
 * (a job lost before this rule, one failed with its store): queued again. Returns how many.
 */
export async function sweepForwards(deps: ForwarderDeps): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `select o.id from orders o
        where o.export_rev = 0 and (o.status = 'accepted' or (o.status = 'exported' and $1 and coalesce((o.onec->>'posted')::boolean, false) = false))
          and o.forward_attempts < $2 and o.created_at < now() - interval '1 minute'
          and ${jobGoneSql(deps.jobs, 'o.forward_job_id', '$3')}
        order by o.created_at for update of o skip locked`,
      [deps.profile.post, deps.maxAttempts, FORWARD_QUEUE],
    )
    for (const row of rows) await queueForward(deps.jobs, tx, row.id)
    return rows.length
  })
}

export function createOrderForwarder(deps: ForwarderDeps) {
  let worker: string | null = null
  return {
    forward: (orderId: string) => forward(deps, orderId),
    pollStatuses: () => pollStatuses(deps),
    sweep: () => sweepForwards(deps),
    async start(): Promise<void> {
      // pg-boss keeps the waits durable: 5 s, 10 s, 20 s… (with jitter) up to an hour between attempts.
      await ensureQueue(deps.jobs.boss, FORWARD_QUEUE, { ...RELIABLE, retryLimit: deps.maxAttempts, retryDelayMax: 3600 })
      worker = await deps.jobs.boss.work<{ orderId: string }>(FORWARD_QUEUE, { pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2, batchSize: 1 }, async ([job]) => {
        if (!job) return
        const outcome = await forward(deps, job.data.orderId)
        if (outcome === 'retry') throw new Error(`order ${job.data.orderId}: 1C not reachable yet, trying again later`)
      })
    },
    /** For takeOrder: queues the new order's forwarding in its transaction. */
    queueForward: (tx: Queryable, orderId: string) => queueForward(deps.jobs, tx, orderId),
    /** After the order's transaction committed: this instance's worker takes it at once. */
    wake(): void {
      if (worker) deps.jobs.boss.notifyWorker(worker)
    },
  }
}

export type OrderForwarder = ReturnType<typeof createOrderForwarder>
