/**
 * A backfill: the current state of everything a storefront subscribes to and sees, sent as
 * `backfill.batch` messages of up to BACKFILL_BATCH entities of one kind each, addressed to that
 * storefront alone, instead of one message per entity of the whole history. Asked for when a
 * storefront is created (`backfill: true`) or later; a new storefront otherwise starts at the
 * current end of the change feed.
 */
import { ENTITY_KINDS } from '../../domain/index.ts'
import { AppError } from '../../http/errors.ts'
import { notice } from '../../state/index.ts'
import type { Queryable } from '../../store/index.ts'
import { visibleTo, type CustomerScope } from '../scope.ts'
import { subscribed, webhookType } from './rules.ts'

export const BACKFILL_BATCH = 200
export const BACKFILL_TYPE = 'backfill.batch'

/** Queues the batches in the caller's transaction; returns how many entities of each kind. */
export async function queueBackfill(tx: Queryable, storefrontId: string): Promise<Record<string, number>> {
  const [storefront] = await tx.query<{ event_types: string[]; customer_scope: CustomerScope | null }>('select event_types, customer_scope from storefronts where id = $1', [
    storefrontId,
  ])
  if (!storefront) throw new AppError('NOT_FOUND', `no storefront ${JSON.stringify(storefrontId)}`)
  const counts: Record<string, number> = {}
  const startedAt = new Date().toISOString()
  for (const kind of ENTITY_KINDS) {
    if (!subscribed(storefront.event_types, webhookType(kind, 'updated'))) continue
    let after = ''
    let batch = 0
    for (;;) {
      const rows = await tx.query<{ key: string; version: number; data: Record<string, unknown> }>(
        `select key, version, data from entity_state where kind = $1 and not removed and key > $2 order by key limit $3`,
        [kind, after, BACKFILL_BATCH],
      )
      if (rows.length === 0) break
      after = rows.at(-1)?.key ?? after
      const entities = await visibleTo(
        tx,
        storefront.customer_scope,
        rows.map((row) => ({ ...row, kind })),
      )
      if (entities.length > 0) {
        batch += 1
        counts[kind] = (counts[kind] ?? 0) + entities.length
        await notice(tx, {
          kind: 'backfill',
          key: `${startedAt}:${kind}:${batch}`,
          messageType: BACKFILL_TYPE,
          storefrontId,
          version: 1,
          payload: { kind, batch, startedAt, entities: entities.map((row) => ({ ...row.data, version: row.version })) },
        })
      }
      if (rows.length < BACKFILL_BATCH) break
    }
  }
  return counts
}
