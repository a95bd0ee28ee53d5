/**
 * Webhooks: every event of the outbox fans out to each subscribed storefront as a delivery
 * (`webhook-id` stable across retries), and deliveries are sent by a durable pg-boss queue with
 * the Standard Webhooks retry schedule. The newest version of an entity wins: an older version
 * waiting for an endpoint is superseded and never sent after a newer one.
 */
import axios from 'axios'
import { Webhook } from 'standardwebhooks'
import type { Logger } from '../logger.ts'
import type { Db, JobEngine, Queryable } from '../store/index.ts'
import { hashApiKey } from '../storefront/api.ts'
import { flushNotices } from './order-lifecycle.ts'
import { assertPublicUrl } from '../storefront/ssrf.ts'
import { classifyStatus, MAX_RESPONSE_BODY, retryAfterMs, retryDelay, subscribed, webhookType } from '../storefront/webhook-rules.ts'

export const FANOUT_QUEUE = 'webhook-fanout'
export const DELIVERY_QUEUE = 'webhook-delivery'

export interface StorefrontConfig {
  id: string
  url: string
  secrets: string[]
  events: string[]
  enabled: boolean
  local: boolean
  apiKeys?: string[]
}

export interface WebhookSettings {
  timeoutMs: number
  retryScheduleMs: readonly number[]
  jitter: number
  disableAfterHours: number
}

export interface WebhookDeps {
  db: Db
  jobs: JobEngine
  logger: Logger
  settings: WebhookSettings
  /** Test seam for DNS. */
  resolve?: (host: string) => Promise<string[]>
  now?: () => number
}

interface StorefrontRow extends Record<string, unknown> {
  id: string
  url: string
  secrets: string[]
  event_types: string[]
  enabled: boolean
  local: boolean
  cursor: number
  failing_since: Date | null
}

/** Writes the configured storefronts (the config file is the source of their settings). */
export async function seedStorefronts(db: Queryable, storefronts: readonly StorefrontConfig[]): Promise<void> {
  for (const storefront of storefronts) {
    await db.query(
      `insert into storefronts (id, url, secrets, event_types, enabled, local, api_key_hashes) values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7::jsonb)
       on conflict (id) do update set url = excluded.url, secrets = excluded.secrets, event_types = excluded.event_types,
         enabled = excluded.enabled, local = excluded.local, updated_at = now(),
         api_key_hashes = (select coalesce(jsonb_agg(distinct value), '[]'::jsonb) from jsonb_array_elements(storefronts.api_key_hashes || excluded.api_key_hashes))`,
      [
        storefront.id,
        storefront.url,
        JSON.stringify(storefront.secrets),
        JSON.stringify(storefront.events),
        storefront.enabled,
        storefront.local,
        JSON.stringify((storefront.apiKeys ?? []).map(hashApiKey)),
      ],
    )
  }
}

export function createWebhookEngine(deps: WebhookDeps) {
  const { db, jobs, logger, settings } = deps
  const now = deps.now ?? Date.now
  let deliveryWorker: string | null = null
  const http = axios.create({ timeout: settings.timeoutMs, maxRedirects: 0, validateStatus: () => true, responseType: 'text', transformResponse: [(data: unknown) => data] })

  /** Events after each storefront's cursor become deliveries; returns the delivery ids to send. */
  async function fanOut(): Promise<number[]> {
    await flushNotices(db)
    const created: number[] = []
    await db.transaction(async (tx) => {
      const storefronts = await tx.query<StorefrontRow>('select * from storefronts where enabled for update')
      for (const storefront of storefronts) {
        const events = await tx.query<{ seq: number; kind: string; key: string; version: number; type: 'created' | 'updated' | 'removed'; message_type: string | null; storefront_id: string | null }>(
          'select seq, kind, key, version, type, message_type, storefront_id from events where seq > $1 order by seq limit 5000',
          [storefront.cursor],
        )
        if (events.length === 0) continue
        const wanted = events
          // An order's messages go to the storefront that placed it.
          .filter((event) => event.storefront_id === null || event.storefront_id === storefront.id)
          .map((event) => ({ seq: event.seq, kind: event.kind, key: event.key, version: event.version, type: event.message_type ?? webhookType(event.kind, event.type) }))
          .filter((event) => subscribed(storefront.event_types, event.type))
        if (wanted.length > 0) {
          const rows = await tx.query<{ id: number }>(
            `insert into deliveries (storefront_id, event_seq, msg_id, type, kind, key, version, status, next_attempt_at)
             select $1, r.seq, 'msg_' || $1 || '_' || r.seq, r.type, r.kind, r.key, r.version, 'pending', now()
               from json_to_recordset($2::json) as r(seq bigint, type text, kind text, key text, version integer)
             on conflict (storefront_id, event_seq) do nothing
             returning id`,
            [storefront.id, JSON.stringify(wanted)],
          )
          created.push(...rows.map((row) => row.id))
          // Never stale: older versions still waiting for this endpoint will not be sent.
          await tx.query(
            `update deliveries d set status = 'superseded'
              where d.storefront_id = $1 and d.status = 'pending'
                and exists (select 1 from deliveries n where n.storefront_id = d.storefront_id and n.kind = d.kind and n.key = d.key and n.version > d.version)`,
            [storefront.id],
          )
        }
        await tx.query('update storefronts set cursor = $2 where id = $1', [storefront.id, events.at(-1)?.seq ?? storefront.cursor])
      }
    })
    for (const id of created) await jobs.boss.send(DELIVERY_QUEUE, { deliveryId: id })
    if (created.length > 0 && deliveryWorker) jobs.boss.notifyWorker(deliveryWorker)
    return created
  }

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

  async function send(delivery: DeliveryRow, manual: boolean): Promise<Result> {
    const sentAt = new Date(now())
    const body = JSON.stringify({
      type: delivery.type,
      timestamp: sentAt.toISOString(),
      data: messageData(delivery),
    })
    const signatures = delivery.secrets.map((secret) => new Webhook(secret).sign(delivery.msg_id, sentAt, body)).join(' ')
    const started = performance.now()
    let status: number | null = null
    let responseBody: string | null = null
    let error: string | null = null
    let retryAfter: string | undefined
    try {
      await assertPublicUrl(delivery.url, delivery.local, deps.resolve)
      const response = await http.post<string>(delivery.url, body, {
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.msg_id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signatures,
          'user-agent': 'onec-bridge-webhooks',
        },
      })
      status = response.status
      responseBody = typeof response.data === 'string' ? response.data.slice(0, MAX_RESPONSE_BODY) : null
      retryAfter = typeof response.headers['retry-after'] === 'string' ? response.headers['retry-after'] : undefined
    } catch (caught) {
      error = (caught as Error).message
    }
    const outcome = status === null ? 'retry' : classifyStatus(status)
    let next: Date | null = null
    let finalStatus: Result['finalStatus'] = 'pending'
    if (outcome === 'delivered') finalStatus = 'delivered'
    else if (outcome === 'disable') finalStatus = 'dead'
    else if (!manual) {
      const fromHeader = status === 429 || status === 503 ? retryAfterMs(retryAfter, now()) : null
      const wait = fromHeader ?? retryDelay(delivery.attempts + 1, settings.retryScheduleMs, settings.jitter)
      if (wait === null) finalStatus = 'dead'
      else next = new Date(now() + wait)
    } else {
      // A manual resend that fails leaves the delivery where it was (its own retries go on).
      finalStatus = delivery.status === 'superseded' ? 'dead' : delivery.status
    }
    return { delivery, at: sentAt, duration: Math.round(performance.now() - started), status, body: responseBody, error, outcome, finalStatus, next }
  }

  /**
   * One attempt of each delivery, read and written in a handful of statements whatever the batch
   * size. `manual` marks operator replays (sent whatever their status, never superseded).
   */
  async function attemptMany(ids: readonly number[], manual = false): Promise<void> {
    if (ids.length === 0) return
    const rows = await db.query<DeliveryRow>(
      `select d.*, s.url, s.secrets, s.enabled, s.local,
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
    if (superseded.length > 0) await db.query(`update deliveries set status = 'superseded' where id = any($1::bigint[])`, [superseded])
    const due = rows.filter((row) => manual || (row.status === 'pending' && row.enabled && !row.superseded))
    if (due.length === 0) return
    const results = await Promise.all(due.map((row) => send(row, manual)))
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into delivery_attempts (delivery_id, at, duration_ms, response_status, response_body, error, next_attempt_at, manual)
         select r.id, r.at, r.duration, r.status, r.body, r.error, r.next, $2
           from json_to_recordset($1::json) as r(id bigint, at timestamptz, duration integer, status integer, body text, error text, next timestamptz)`,
        [JSON.stringify(results.map((result) => ({ id: result.delivery.id, at: result.at, duration: result.duration, status: result.status, body: result.body, error: result.error, next: result.next }))), manual],
      )
      await tx.query(
        `update deliveries d set status = r.final, attempts = d.attempts + 1, next_attempt_at = r.next, last_status = r.status, last_error = r.error,
                delivered_at = case when r.final = 'delivered' then now() else d.delivered_at end
           from json_to_recordset($1::json) as r(id bigint, final text, next timestamptz, status integer, error text)
          where d.id = r.id`,
        [JSON.stringify(results.map((result) => ({ id: result.delivery.id, final: result.finalStatus, next: result.next, status: result.status, error: result.error })))],
      )
      const byStorefront = new Map<string, Result[]>()
      for (const result of results) byStorefront.set(result.delivery.storefront_id, [...(byStorefront.get(result.delivery.storefront_id) ?? []), result])
      for (const [storefrontId, list] of byStorefront) {
        const gone = list.find((result) => result.outcome === 'disable')
        if (list.some((result) => result.outcome === 'delivered')) await tx.query('update storefronts set failing_since = null where id = $1', [storefrontId])
        else await tx.query('update storefronts set failing_since = coalesce(failing_since, now()) where id = $1', [storefrontId])
        if (gone) {
          await tx.query(`update storefronts set enabled = false, disabled_reason = $2 where id = $1`, [storefrontId, `the endpoint answered 410 Gone at ${gone.at.toISOString()}`])
          logger.warn({ storefront: storefrontId }, `storefront ${storefrontId} answered 410 Gone: disabled`)
        } else {
          await tx.query(
            `update storefronts set enabled = false, disabled_reason = 'failing for more than ' || $2 || ' hours without a success'
              where id = $1 and failing_since < now() - make_interval(hours => $2)`,
            [storefrontId, settings.disableAfterHours],
          )
        }
      }
    })
    for (const result of results) {
      if (result.next) await jobs.boss.send(DELIVERY_QUEUE, { deliveryId: result.delivery.id }, { startAfter: result.next })
    }
  }

  return {
    async start(): Promise<void> {
      await jobs.boss.createQueue(FANOUT_QUEUE, { policy: 'stately', retryLimit: 1 })
      await jobs.boss.createQueue(DELIVERY_QUEUE, { retryLimit: 0 })
      // The 250 ms tick fans out on this instance; the queue only carries wakes from other instances.
      await jobs.boss.work(FANOUT_QUEUE, { pollingIntervalSeconds: 2, batchSize: 1 }, async () => {
        await fanOut()
      })
      // pg-boss fetches one batch per poll: large batches, a few local workers and fetching again
      // at once after a full batch make the throughput (measured: 5 a poll every 0.5 s gave 10
      // deliveries/s). Polls are slow (each one blocks the embedded store for a few ms): new
      // deliveries of this instance wake a worker instead.
      deliveryWorker = await jobs.boss.work<{ deliveryId: number }>(
        DELIVERY_QUEUE,
        { pollingIntervalSeconds: 2, batchSize: 100, localConcurrency: 4, burstWhenBatchFull: true },
        async (batch) => {
          await attemptMany(batch.map((job) => job.data.deliveryId))
        },
      )
    },
    /** Wakes the fan-out (after an import or pull committed); a second wake while one waits is dropped. */
    wake: () => jobs.boss.send(FANOUT_QUEUE, {}, { singletonKey: 'fanout' }),
    fanOut,
    attemptMany,
    /** Resends one delivery to its endpoint now, as a manual attempt. */
    async replay(deliveryId: number): Promise<void> {
      await attemptMany([deliveryId], true)
    },
    /** Puts every delivery that failed for `storefrontId` since `since` back into the queue; returns how many. */
    async recover(storefrontId: string, since: Date, dryRun: boolean): Promise<number> {
      const rows = await db.query<{ id: number }>(
        `select id from deliveries where storefront_id = $1 and status = 'dead' and created_at >= $2 order by id`,
        [storefrontId, since],
      )
      if (dryRun) return rows.length
      for (const row of rows) {
        await db.query(`update deliveries set status = 'pending', attempts = 0, next_attempt_at = now() where id = $1`, [row.id])
        await jobs.boss.send(DELIVERY_QUEUE, { deliveryId: row.id })
      }
      return rows.length
    },
  }
}

export type WebhookEngine = ReturnType<typeof createWebhookEngine>
