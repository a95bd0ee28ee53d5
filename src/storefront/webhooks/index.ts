/**
 * Webhooks to storefronts: fan-out (events → deliveries), delivery (signed POSTs with retries)
 * and storefront settings. `createWebhooks` starts this instance's delivery worker and gives the
 * operations the admin API and the scheduler call.
 */
import { RELIABLE, ensureQueue } from '../../store/index.ts'
import { DELIVERY_QUEUE, webhookContext, type WebhookDeps } from './context.ts'
import { attemptMany, recover, requeueWaiting } from './deliver.ts'
import { fanOut } from './fan-out.ts'
import { queueBackfill } from './backfill.ts'
import { changeStorefront, createStorefront, originOf, retireSecrets, revokeKey, rotateSecret, type NewStorefront, type StorefrontChange } from './storefronts.ts'
import { AppError } from '../../http/errors.ts'

export { DELIVERY_QUEUE, type WebhookDeps, type WebhookSettings } from './context.ts'
export {
  seedStorefronts,
  storefrontOfKeyHash,
  listStorefronts,
  issueApiKey,
  listDeliveries,
  deliverySummary,
  keyIdOf,
  type StorefrontConfig,
  type DeliveryStatus,
} from './storefronts.ts'
export { BACKFILL_BATCH, BACKFILL_TYPE } from './backfill.ts'
export { DEFAULT_RETRY_SCHEDULE_MS, webhookType, subscribed } from './rules.ts'

export function createWebhooks(deps: WebhookDeps) {
  const ctx = webhookContext(deps)
  return {
    async start(): Promise<void> {
      // Attempts handle the endpoint's failures themselves; a job fails only when its worker died
      // or the store did, and is then retried (store/job-engine.ts, rule 2).
      await ensureQueue(ctx.jobs.boss, DELIVERY_QUEUE, { ...RELIABLE, expireInSeconds: 900 })
      // pg-boss fetches one batch per poll: large batches, a few local workers and fetching again
      // at once after a full batch make the throughput (measured: 5 a poll every 0.5 s gave 10
      // deliveries/s). Polls are slow: new deliveries of this instance wake a worker instead.
      ctx.worker = await ctx.jobs.boss.work<{ deliveryId: number }>(
        DELIVERY_QUEUE,
        { pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2, batchSize: 100, localConcurrency: 4, burstWhenBatchFull: true },
        async (batch) =>
          attemptMany(
            ctx,
            batch.map((job) => job.data.deliveryId),
          ),
      )
    },
    fanOut: () => fanOut(ctx),
    /** Resends one delivery to its endpoint now, as a manual attempt. */
    replay: (deliveryId: number) => attemptMany(ctx, [deliveryId], true),
    /** Puts every delivery that failed for `storefrontId` since `since` back into the queue; returns how many. */
    recover: (storefrontId: string, since: Date, dryRun: boolean) => recover(ctx, storefrontId, since, dryRun),
    /** Queues again waiting deliveries whose job is gone (the scheduled sweep). */
    sweep: () => ctx.db.transaction((tx) => requeueWaiting(ctx, tx, null)),
    /**
     * Changes a storefront's settings; resuming it sends what waited for it (its pending retries
     * now, its new events with the next fan-out). Null when there is no such storefront.
     */
    async change(id: string, change: StorefrontChange) {
      const owned = change.url !== undefined || change.events !== undefined || change.customers !== undefined
      if (owned && (await originOf(ctx.db, id)) === 'config') throw declaredInFile(id, 'url, events and customers')
      const changed = await ctx.db.transaction(async (tx) => {
        const row = await changeStorefront(tx, id, change)
        if (row && change.enabled === true) await requeueWaiting(ctx, tx, id)
        return row
      })
      if (changed && change.enabled === true && ctx.worker) ctx.jobs.boss.notifyWorker(ctx.worker)
      return changed
    },
    /** A storefront owned by the admin API; with `backfill`, the current state follows in batches. Null: the id is taken. */
    async create(input: NewStorefront, backfill: boolean) {
      const made = await ctx.db.transaction(async (tx) => {
        const created = await createStorefront(tx, input)
        if (!created) return null
        return { ...created, backfill: backfill ? await queueBackfill(tx, input.id) : null }
      })
      if (made?.backfill) await fanOut(ctx)
      return made
    },
    /** The current state of everything the storefront subscribes to and sees, in batches; entities per kind. */
    async backfill(id: string) {
      const counts = await ctx.db.transaction((tx) => queueBackfill(tx, id))
      await fanOut(ctx)
      return counts
    },
    async rotateSecret(id: string, overlapHours: number) {
      const origin = await originOf(ctx.db, id)
      if (origin === 'config') throw declaredInFile(id, 'secrets (list the new secret with the old one, remove the old after the overlap)')
      return origin === null ? null : ctx.db.transaction((tx) => rotateSecret(tx, id, overlapHours))
    },
    retireSecrets: (id: string) => ctx.db.transaction((tx) => retireSecrets(tx, id)),
    revokeKey: (id: string, keyId: string) => ctx.db.transaction((tx) => revokeKey(tx, id, keyId)),
  }
}

export type Webhooks = ReturnType<typeof createWebhooks>

/** The config file owns these settings of a storefront it declares: a change here would be undone by the next start. */
function declaredInFile(id: string, what: string): AppError {
  return new AppError('CONFLICT', `storefront ${JSON.stringify(id)} is declared in the config file, which owns its ${what}: change them there (the next start applies them)`)
}
