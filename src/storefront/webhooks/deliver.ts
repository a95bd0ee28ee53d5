/**
 * Delivery: one signed POST per delivery (`webhook-id` stable across retries), with the Standard
 * Webhooks retry schedule. The newest version of an entity wins: an older version waiting for an
 * endpoint is superseded and never sent after a newer one. A retry is the next job, queued in the
 * transaction that records the failed attempt.
 */
import { Webhook } from 'standardwebhooks'
import { jobGoneSql, type Queryable } from '../../store/index.ts'
import { DELIVERY_QUEUE, type WebhookContext } from './context.ts'
import { queueDeliveries } from './fan-out.ts'
import { assertAddressAllowed } from './ssrf.ts'
import { classifyStatus, MAX_RESPONSE_BODY, retryAfterMs, retryDelay } from './rules.ts'

interface DeliveryRow extends Record<string, unknown> {
  id: number
  storefront_id: string
  msg_id: string
  type: string
  kind: string
  key: string
  version: number
  status: 'pending' | 'delivered' | 'dead' | 'superseded'
  attempts: number
  url: string
  secrets: string[]
  enabled: boolean
  local: boolean
  superseded: boolean
  state_version: number | null
  state_data: Record<string, unknown> | null
  payload: Record<string, unknown> | null
  held: number | null
}

interface Result {
  delivery: DeliveryRow
  at: Date
  duration: number
  status: number | null
  body: string | null
  error: string | null
  outcome: 'delivered' | 'retry' | 'disable'
  finalStatus: 'pending' | 'delivered' | 'dead'
  next: Date | null
}

/** The message body: the event's own (orders), else the entity as it is now; a bonus account with what our holds take. */
function messageData(delivery: DeliveryRow): Record<string, unknown> {
  if (delivery.payload) return { ...delivery.payload, version: delivery.version }
  const data: Record<string, unknown> = { ...(delivery.state_data ?? {}), version: delivery.state_version ?? delivery.version }
  if (delivery.kind === 'bonus_account' && typeof data.balanceMinor === 'number') {
    const held = Number(delivery.held ?? 0)
    data.heldMinor = held
    data.availableMinor = Math.max(0, data.balanceMinor - held)
  }
  return data
}

type Response = Pick<Result, 'status' | 'body' | 'error'> & { retryAfter: string | undefined }

async function post(ctx: WebhookContext, delivery: DeliveryRow, sentAt: Date): Promise<Response> {
  const body = JSON.stringify({ type: delivery.type, timestamp: sentAt.toISOString(), data: messageData(delivery) })
  const signatures = delivery.secrets.map((secret) => new Webhook(secret).sign(delivery.msg_id, sentAt, body)).join(' ')
  try {
    assertAddressAllowed(delivery.url, delivery.local)
    const response = await ctx.http.post<string>(delivery.url, body, {
      ...ctx.agents(delivery.local),
      headers: {
        'content-type': 'application/json',
        'webhook-id': delivery.msg_id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signatures,
        'user-agent': 'onec-bridge-webhooks',
      },
    })
    return {
      status: response.status,
      body: typeof response.data === 'string' ? response.data.slice(0, MAX_RESPONSE_BODY) : null,
      error: null,
      retryAfter: typeof response.headers['retry-after'] === 'string' ? response.headers['retry-after'] : undefined,
    }
  } catch (caught) {
    return { status: null, body: null, error: (caught as Error).message, retryAfter: undefined }
  }
}

async function send(ctx: WebhookContext, delivery: DeliveryRow, manual: boolean): Promise<Result> {
  const sentAt = new Date(ctx.now())
  const started = performance.now()
  const response = await post(ctx, delivery, sentAt)
  const outcome = response.status === null ? 'retry' : classifyStatus(response.status)
  let next: Date | null = null
  let finalStatus: Result['finalStatus'] = 'pending'
  if (outcome === 'delivered') finalStatus = 'delivered'
  else if (outcome === 'disable') finalStatus = 'dead'
  else if (!manual) {
    const fromHeader = response.status === 429 || response.status === 503 ? retryAfterMs(response.retryAfter, ctx.now()) : null
    const wait = fromHeader ?? retryDelay(delivery.attempts + 1, ctx.settings.retryScheduleMs, ctx.settings.jitter)
    if (wait === null) finalStatus = 'dead'
    else next = new Date(ctx.now() + wait)
  } else {
    // A manual resend that fails leaves the delivery where it was (its own retries go on).
    finalStatus = delivery.status === 'superseded' ? 'dead' : delivery.status
  }
  const { status, body, error } = response
  return { delivery, at: sentAt, duration: Math.round(performance.now() - started), status, body, error, outcome, finalStatus, next }
}

/** Success clears a storefront's failing clock; 410 or failing for too long pauses it. */
async function judgeStorefronts(ctx: WebhookContext, tx: Queryable, results: readonly Result[]): Promise<void> {
  const byStorefront = Map.groupBy(results, (result) => result.delivery.storefront_id)
  for (const [storefrontId, list] of byStorefront) {
    const gone = list.find((result) => result.outcome === 'disable')
    if (list.some((result) => result.outcome === 'delivered')) await tx.query('update storefronts set failing_since = null where id = $1', [storefrontId])
    else await tx.query('update storefronts set failing_since = coalesce(failing_since, now()) where id = $1', [storefrontId])
    if (gone) {
      await tx.query(`update storefronts set enabled = false, disabled_reason = $2 where id = $1`, [storefrontId, `the endpoint answered 410 Gone at ${gone.at.toISOString()}`])
      ctx.logger.warn({ storefront: storefrontId }, `storefront ${storefrontId} answered 410 Gone: disabled`)
    } else {
      await tx.query(
        `update storefronts set enabled = false, disabled_reason = 'failing for more than ' || $2 || ' hours without a success'
          where id = $1 and failing_since < now() - make_interval(hours => $2)`,
        [storefrontId, ctx.settings.disableAfterHours],
      )
    }
  }
}

/** The attempts, the deliveries' new state, the storefronts' and the retries' jobs, in one transaction. */
async function record(ctx: WebhookContext, results: readonly Result[], manual: boolean): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `insert into delivery_attempts (delivery_id, at, duration_ms, response_status, response_body, error, next_attempt_at, manual)
       select r.id, r.at, r.duration, r.status, r.body, r.error, r.next, $2
         from json_to_recordset($1::json) as r(id bigint, at timestamptz, duration integer, status integer, body text, error text, next timestamptz)`,
      [
        JSON.stringify(
          results.map((result) => ({
            id: result.delivery.id,
            at: result.at,
            duration: result.duration,
            status: result.status,
            body: result.body,
            error: result.error,
            next: result.next,
          })),
        ),
        manual,
      ],
    )
    await tx.query(
      `update deliveries d set status = r.final, attempts = d.attempts + 1, next_attempt_at = r.next, last_status = r.status, last_error = r.error,
              delivered_at = case when r.final = 'delivered' then now() else d.delivered_at end
         from json_to_recordset($1::json) as r(id bigint, final text, next timestamptz, status integer, error text)
        where d.id = r.id`,
      [JSON.stringify(results.map((result) => ({ id: result.delivery.id, final: result.finalStatus, next: result.next, status: result.status, error: result.error })))],
    )
    await judgeStorefronts(ctx, tx, results)
    const retries = new Map(results.flatMap((result) => (result.next ? [[result.delivery.id, result.next] as const] : [])))
    await queueDeliveries(ctx, tx, [...retries.keys()], (id) => retries.get(id))
  })
}

/**
 * One attempt of each delivery, read and written in a handful of statements whatever the batch
 * size. `manual` marks operator replays (sent whatever their status, never superseded). A
 * paused storefront's deliveries are left pending, to go out when it is resumed.
 */
export async function attemptMany(ctx: WebhookContext, ids: readonly number[], manual = false): Promise<void> {
  if (ids.length === 0) return
  const rows = await ctx.db.query<DeliveryRow>(
    `select d.*, s.url, s.enabled, s.local,
            -- Secrets a rotation replaced sign too until their overlap ends.
            s.secrets || coalesce((select jsonb_agg(r->'secret') from jsonb_array_elements(s.retiring_secrets) r where (r->>'until')::timestamptz > now()), '[]'::jsonb) as secrets,
            exists (select 1 from deliveries n where n.storefront_id = d.storefront_id and n.kind = d.kind and n.key = d.key
                      and n.version > d.version and n.status in ('pending', 'delivered')) as superseded,
            e.version as state_version, e.data as state_data, ev.payload,
            case when d.kind = 'bonus_account' then
              (select coalesce(sum(h.amount_minor), 0)::bigint from bonus_holds h where h.account_id = d.key and h.status = 'active') end as held
       from deliveries d
       join storefronts s on s.id = d.storefront_id
       left join entity_state e on e.kind = d.kind and e.key = d.key
       left join events ev on ev.seq = d.event_seq
      where d.id = any($1::bigint[])`,
    [ids],
  )
  const superseded = rows.filter((row) => !manual && row.status === 'pending' && row.superseded).map((row) => row.id)
  if (superseded.length > 0) await ctx.db.query(`update deliveries set status = 'superseded' where id = any($1::bigint[])`, [superseded])
  const due = rows.filter((row) => manual || (row.status === 'pending' && row.enabled && !row.superseded))
  if (due.length === 0) return
  const results = await Promise.all(due.map((row) => send(ctx, row, manual)))
  await record(ctx, results, manual)
}

/** Puts every delivery that failed for `storefrontId` since `since` back into the queue; returns how many. */
export async function recover(ctx: WebhookContext, storefrontId: string, since: Date, dryRun: boolean): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number }>(`select id from deliveries where storefront_id = $1 and status = 'dead' and created_at >= $2 order by id for update`, [
      storefrontId,
      since,
    ])
    if (dryRun || rows.length === 0) return rows.length
    const ids = rows.map((row) => row.id)
    await tx.query(`update deliveries set status = 'pending', attempts = 0, next_attempt_at = now() where id = any($1::bigint[])`, [ids])
    await queueDeliveries(ctx, tx, ids)
    return rows.length
  })
}

/**
 * Pending deliveries of enabled storefronts whose job is gone, failed or finished (rule 3 of
 * store/job-engine.ts): a resumed storefront's waiting messages, and any a lost job stranded, are
 * queued again. `storefrontId` limits it to one storefront (its resume).
 */
export async function requeueWaiting(ctx: WebhookContext, tx: Queryable, storefrontId: string | null): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `select d.id from deliveries d join storefronts s on s.id = d.storefront_id
      where d.status = 'pending' and s.enabled and ($1::text is null or d.storefront_id = $1)
        and ${jobGoneSql(ctx.jobs, 'd.job_id', '$2')}
      order by d.id for update of d skip locked`,
    [storefrontId, DELIVERY_QUEUE],
  )
  await queueDeliveries(
    ctx,
    tx,
    rows.map((row) => row.id),
  )
  return rows.length
}
