/**
 * Fan-out: the events after each enabled storefront's cursor become its deliveries, and their
 * jobs are queued in the same transaction (a crash between the two cannot strand them). A paused
 * storefront's cursor stays where it is: its events become deliveries when it is resumed.
 */
import { flushNotices } from '../../state/index.ts'
import { crashPoint } from '../../store/crash-point.ts'
import { queueInTx, type Queryable } from '../../store/index.ts'
import { DELIVERY_QUEUE, type WebhookContext } from './context.ts'
import { visibleTo, type CustomerScope } from '../scope.ts'
import { BACKFILL_TYPE } from './backfill.ts'
import { subscribed, webhookType } from './rules.ts'

interface StorefrontRow extends Record<string, unknown> {
  id: string
  event_types: string[]
  cursor: number
  customer_scope: CustomerScope | null
}

interface EventRow extends Record<string, unknown> {
  seq: number
  kind: string
  key: string
  version: number
  type: 'created' | 'updated' | 'removed'
  message_type: string | null
  storefront_id: string | null
}

const FAN_OUT_BATCH = 5000

/** One storefront's share of the next events; returns the deliveries made. */
async function fanOutTo(ctx: WebhookContext, tx: Queryable, storefront: StorefrontRow): Promise<number[]> {
  const events = await tx.query<EventRow>('select seq, kind, key, version, type, message_type, storefront_id from events where seq > $1 order by seq limit $2', [
    storefront.cursor,
    FAN_OUT_BATCH,
  ])
  if (events.length === 0) return []
  // Customer and bonus changes go only to storefronts whose scope holds the customer.
  const visible = await visibleTo(tx, storefront.customer_scope, events)
  const wanted = visible
    // An order's messages go to the storefront that placed it.
    .filter((event) => event.storefront_id === null || event.storefront_id === storefront.id)
    .map((event) => ({ seq: event.seq, kind: event.kind, key: event.key, version: event.version, type: event.message_type ?? webhookType(event.kind, event.type) }))
    // A backfill is made of what the storefront subscribes to.
    .filter((event) => event.type === BACKFILL_TYPE || subscribed(storefront.event_types, event.type))
  let created: number[] = []
  if (wanted.length > 0) {
    const rows = await tx.query<{ id: number }>(
      `insert into deliveries (storefront_id, event_seq, msg_id, type, kind, key, version, status, next_attempt_at)
       select $1, r.seq, 'msg_' || $1 || '_' || r.seq, r.type, r.kind, r.key, r.version, 'pending', now()
         from json_to_recordset($2::json) as r(seq bigint, type text, kind text, key text, version integer)
       on conflict (storefront_id, event_seq) do nothing
       returning id`,
      [storefront.id, JSON.stringify(wanted)],
    )
    created = rows.map((row) => row.id)
    // Never stale: older versions still waiting for this endpoint will not be sent.
    await tx.query(
      `update deliveries d set status = 'superseded'
        where d.storefront_id = $1 and d.status = 'pending'
          and exists (select 1 from deliveries n where n.storefront_id = d.storefront_id and n.kind = d.kind and n.key = d.key and n.version > d.version)`,
      [storefront.id],
    )
  }
  await tx.query('update storefronts set cursor = $2 where id = $1', [storefront.id, events.at(-1)?.seq ?? storefront.cursor])
  return created
}

/** Queues a job per delivery in the caller's transaction and keeps its id on the delivery. */
export async function queueDeliveries(ctx: WebhookContext, tx: Queryable, ids: readonly number[], startAfter?: (id: number) => Date | undefined): Promise<void> {
  if (ids.length === 0) return
  const jobIds = await queueInTx(
    ctx.jobs,
    tx,
    DELIVERY_QUEUE,
    ids.map((id) => {
      const after = startAfter?.(id)
      return { data: { deliveryId: id }, ...(after && { startAfter: after }) }
    }),
  )
  await tx.query(`update deliveries d set job_id = r.job::uuid from unnest($1::bigint[], $2::text[]) as r(id, job) where d.id = r.id`, [ids, jobIds])
}

/** Events after each storefront's cursor become deliveries, queued; returns their ids. */
export async function fanOut(ctx: WebhookContext): Promise<number[]> {
  await flushNotices(ctx.db)
  const created = await ctx.db.transaction(async (tx) => {
    const storefronts = await tx.query<StorefrontRow>('select id, event_types, cursor, customer_scope from storefronts where enabled for update')
    const ids: number[] = []
    for (const storefront of storefronts) ids.push(...(await fanOutTo(ctx, tx, storefront)))
    await queueDeliveries(ctx, tx, ids)
    return ids
  })
  if (created.length > 0) crashPoint('after-fan-out-commit')
  if (created.length > 0 && ctx.worker) ctx.jobs.boss.notifyWorker(ctx.worker)
  return created
}
