/**
 * Removal after a full exchange: products and offers that the exchange since `since` did not
 * contain become `removed`. Only kinds the exchange actually sent are touched: an exchange of
 * offers alone never removes products.
 */
import type { Entity } from '../domain/index.ts'
import type { Db } from '../store/index.ts'
import { finishRun, startRun, type Run } from './runs.ts'
import { applyChanges } from './state.ts'

export interface RemovalResult {
  run: Run
  removed: { product: number; offer: number }
  /** Kinds the exchange did not send, so nothing of them was removed. */
  skipped: Array<'product' | 'offer'>
}

export async function removeUnseen(db: Db, since: Date, reason: string): Promise<RemovalResult> {
  const run = await startRun(db, 'commerceml', 'removal', { since: since.toISOString(), reason })
  const removed = { product: 0, offer: 0 }
  const skipped: RemovalResult['skipped'] = []
  let seen = 0
  await db.transaction(async (tx) => {
    for (const kind of ['product', 'offer'] as const) {
      const [sent] = await tx.query<{ n: number }>('select count(*)::int as n from cml_seen where kind = $1 and created_at >= $2', [kind, since])
      if (!sent?.n) {
        skipped.push(kind)
        continue
      }
      const rows = await tx.query<{ data: Record<string, unknown> }>(
        `select data from entity_state
          where kind = $1 and not removed
            and key not in (select jsonb_array_elements_text(keys) from cml_seen where kind = $1 and created_at >= $2)`,
        [kind, since],
      )
      const entities = rows.map((row) => ({ kind, data: { ...row.data, removed: true } }) as Entity)
      const applied = await applyChanges(db, run, entities, { tx })
      removed[kind] = applied.removed
      seen += applied.seen
    }
  })
  return {
    run: await finishRun(db, run.id, { counts: { seen, changed: removed.product + removed.offer, removed: removed.product + removed.offer }, details: { removed, skipped } }),
    removed,
    skipped,
  }
}
