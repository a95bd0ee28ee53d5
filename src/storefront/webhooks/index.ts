/**
 * Webhooks to storefronts: fan-out (events → deliveries), delivery (signed POSTs with retries)
 * and storefront settings. `createWebhooks` starts this instance's delivery worker and gives the
 * operations the admin API and the scheduler call.
 */
import { RELIABLE } from '../../store/index.ts'
import { DELIVERY_QUEUE, webhookContext, type WebhookDeps } from './context.ts'
import { attemptMany, recover, requeueWaiting } from './deliver.ts'
import { fanOut } from './fan-out.ts'
import { changeStorefront, type StorefrontChange } from './storefronts.ts'

export { DELIVERY_QUEUE, type WebhookDeps, type WebhookSettings } from './context.ts'
export { seedStorefronts, storefrontOfKeyHash, listStorefronts, issueApiKey, listDeliveries, deliverySummary, type StorefrontConfig, type DeliveryStatus } from './storefronts.ts'
export { DEFAULT_RETRY_SCHEDULE_MS, webhookType } from './rules.ts'

export function createWebhooks(deps: WebhookDeps) {
  const ctx = webhookContext(deps)
  return {
    async start(): Promise<void> {
      // Attempts handle the endpoint's failures themselves; a job fails only when its worker died
      // or the store did, and is then retried (store/job-engine.ts, rule 2).
      await ctx.jobs.boss.createQueue(DELIVERY_QUEUE, { ...RELIABLE, expireInSeconds: 900 })
      // pg-boss fetches one batch per poll: large batches, a few local workers and fetching again
      // at once after a full batch make the throughput (measured: 5 a poll every 0.5 s gave 10
      // deliveries/s). Polls are slow: new deliveries of this instance wake a worker instead.
      ctx.worker = await ctx.jobs.boss.work<{ deliveryId: number }>(
        DELIVERY_QUEUE,
        { pollingIntervalSeconds: 2, batchSize: 100, localConcurrency: 4, burstWhenBatchFull: true },
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
      const changed = await ctx.db.transaction(async (tx) => {
        const row = await changeStorefront(tx, id, change)
        if (row && change.enabled === true) await requeueWaiting(ctx, tx, id)
        return row
      })
      if (changed && change.enabled === true && ctx.worker) ctx.jobs.boss.notifyWorker(ctx.worker)
      return changed
    },
  }
}

export type Webhooks = ReturnType<typeof createWebhooks>
