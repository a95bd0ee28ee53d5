/**
 * Removal after a full exchange: products and offers that the exchange since `since` did not
 * contain become `removed`. Only kinds the exchange actually sent are touched: an exchange of
 * offers alone never removes products. Pictures no product refers to any more go with it.
 */
import type { Entity } from '../domain/index.ts'
import { applyChanges, withRun, type Run } from '../state/index.ts'
import type { Db, Queryable } from '../store/index.ts'
import { removeUnreferencedMedia } from './media.ts'

export interface RemovalResult {
  run: Run
  removed: { product: number; offer: number }
  /** Kinds the exchange did not send, so nothing of them was removed. */
  skipped: Array<'product' | 'offer'>
}

/** Entities of `kind` the exchange since `since` did not send, marked removed; null when it sent none of that kind. */
async function unseen(tx: Queryable, kind: 'product' | 'offer', since: Date): Promise<Entity[] | null> {
  const [sent] = await tx.query<{ n: number }>('select count(*)::int as n from cml_seen where kind = $1 and created_at >= $2', [kind, since])
  if (!sent?.n) return null
  const rows = await tx.query<{ data: Record<string, unknown> }>(
    `select data from entity_state
      where kind = $1 and not removed
        and key not in (select jsonb_array_elements_text(keys) from cml_seen where kind = $1 and created_at >= $2)`,
    [kind, since],
  )
  return rows.map((row) => ({ kind, data: { ...row.data, removed: true } }) as Entity)
}

/** One run; a failure fails it (nothing of it applied) and is thrown on. */
export async function removeUnseen(db: Db, since: Date, reason: string): Promise<RemovalResult> {
  const { run, value } = await withRun(db, { source: 'commerceml', kind: 'removal', details: { since: since.toISOString(), reason } }, async (started) => {
    const removed = { product: 0, offer: 0 }
    const skipped: RemovalResult['skipped'] = []
    let seen = 0
    let media = 0
    await db.transaction(async (tx) => {
      for (const kind of ['product', 'offer'] as const) {
        const entities = await unseen(tx, kind, since)
        if (!entities) {
          skipped.push(kind)
          continue
        }
        const applied = await applyChanges(db, started, entities, { tx })
        removed[kind] = applied.removed
        seen += applied.seen
      }
      media = await removeUnreferencedMedia(tx)
    })
    const changed = removed.product + removed.offer
    return { value: { removed, skipped }, outcome: { counts: { seen, changed, removed: changed }, details: { removed, skipped, picturesRemoved: media } } }
  })
  return { run, ...value }
}
