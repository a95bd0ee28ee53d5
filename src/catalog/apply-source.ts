/**
 * Applying a source's rows (an OData pull, a custom XML file): laid over what is stored where the
 * source merges, applied through change detection in one transaction, one run. A failure
 * anywhere, reading or writing, fails the run and writes nothing.
 */
import { entityKey, type BonusMovement, type Entity } from '../domain/index.ts'
import type { Logger } from '../logger.ts'
import { setPath } from '../onec/odata/index.ts'
import { announceMovements, mismatchWarning, reconcile } from '../loyalty/ledger.ts'
import { settleConfirmedHolds } from '../orders/holds.ts'
import { applyChanges, DryRunRollback, finishRun, listEvents, recordFailure, startRun, type ApplyResult, type Run, type StoredEvent } from '../state/index.ts'
import { LOCKS, type Db, type Queryable } from '../store/index.ts'

export interface PullResult {
  run: Run | null
  rows: number
  counts: ApplyResult
  /** Dry run: the first changes it would make. */
  sample: StoredEvent[]
  /** What the run noticed and stored: a bonus ledger that does not add up to 1C's balance. */
  warnings?: string[]
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * Lays pulled fields over the stored entity: a pulled object field is merged one level deep
 * (`stock: { warehouses, total }` keeps nothing else of the stored stock to keep), except the
 * record the source collects, which replaces the stored one whole (prices: 1C's full list).
 */
function overlay(base: Record<string, unknown>, top: Record<string, unknown>, collected: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(top)) {
    out[key] = isPlainObject(value) && isPlainObject(base[key]) && key !== collected ? { ...base[key], ...value } : value
  }
  return out
}

/** A pulled value without the fields another source owns. */
function withoutKept(data: Record<string, unknown>, keep: ReadonlySet<string>): Record<string, unknown> {
  if (keep.size === 0) return data
  return Object.fromEntries(Object.entries(data).filter(([field]) => !keep.has(field)))
}

/** A stock total the source adds up from its per-warehouse rows says so (the exchange may send 1C's own). */
function markSummedStock(source: AppliedSource, data: Record<string, unknown>): Record<string, unknown> {
  if (source.entity !== 'offer' || source.group?.totalInto !== 'stock.total' || !isPlainObject(data.stock)) return data
  return { ...data, stock: { ...data.stock, totalFrom: 'warehouses' } }
}

async function mergeWithStored(tx: Queryable, source: AppliedSource, pulled: Array<{ data: Record<string, unknown> }>): Promise<Entity[]> {
  const keyOf = (data: Record<string, unknown>) => entityKey({ kind: source.entity, data } as Entity)
  const rows = await tx.query<{ key: string; data: Record<string, unknown> }>('select key, data from entity_state where kind = $1 and key = any($2::text[])', [
    source.entity,
    pulled.map((item) => keyOf(item.data)),
  ])
  const stored = new Map(rows.map((row) => [row.key, row.data]))
  const keep = source.keep ?? new Set<string>()
  if (!source.merge) {
    // A whole entity per row; a field another source owns keeps its stored value.
    return pulled.map((item) => {
      const before = stored.get(keyOf(item.data))
      const kept = before ? Object.fromEntries([...keep].filter((field) => field in before).map((field) => [field, before[field]])) : {}
      return { kind: source.entity, data: { ...item.data, ...kept } } as Entity
    })
  }
  const group = source.group
  const collected = group?.into.includes('.') ? undefined : group?.into
  const entities = pulled.map(
    (item) => ({ kind: source.entity, data: markSummedStock(source, overlay(stored.get(keyOf(item.data)) ?? source.defaults, withoutKept(item.data, keep), collected)) }) as Entity,
  )
  if (group?.zeroAbsent && !keep.has(group.into.split('.')[0] ?? '')) {
    const absent = await tx.query<{ key: string; data: Record<string, unknown> }>('select key, data from entity_state where kind = $1 and not (key = any($2::text[]))', [
      source.entity,
      pulled.map((item) => keyOf(item.data)),
    ])
    for (const row of absent) {
      const zero: Record<string, unknown> = {}
      setPath(zero, group.into, {})
      if (group.totalInto) setPath(zero, group.totalInto, 0)
      const next = markSummedStock(source, overlay(row.data, zero, collected))
      if (JSON.stringify(next) !== JSON.stringify(row.data)) entities.push({ kind: source.entity, data: next } as Entity)
    }
  }
  return entities
}

/** What applying a source's data needs to know of the source (OData and XML alike). */
export interface AppliedSource {
  name: string
  entity: Entity['kind']
  merge: boolean
  defaults: Record<string, unknown>
  group?: { into: string; totalInto?: string | undefined; zeroAbsent: boolean } | undefined
  /** Fields of its entity the profile's `owners` gives to another source: left as stored. */
  keep?: ReadonlySet<string>
  /**
   * A read by period (`at` from ≤ … < to): what the window held before and 1C no longer returns is
   * removed. `initial`: the first read of the history (its movements are not announced).
   */
  window?: { from: string; to: string; initial: boolean }
}

/** Stored entities inside the window the read did not return: removed (1C unposted their document). */
async function goneFromWindow(tx: Queryable, source: AppliedSource, entities: readonly Entity[]): Promise<Entity[]> {
  if (!source.window) return []
  const rows = await tx.query<{ data: Record<string, unknown> }>(
    `select data from entity_state where kind = $1 and not removed and data->>'at' >= $2 and data->>'at' < $3 and not (key = any($4::text[]))`,
    [source.entity, source.window.from, source.window.to, entities.map(entityKey)],
  )
  return rows.map((row) => ({ kind: source.entity, data: { ...row.data, removed: true } }) as Entity)
}

/** Of a movements pull, the movements the store has not had yet (announced after applying); other sources need none. */
async function newMovements(tx: Queryable, source: AppliedSource, entities: readonly Entity[]): Promise<ReadonlySet<string>> {
  if (source.entity !== 'bonus_movement' || source.window?.initial) return new Set()
  const keys = entities.map(entityKey)
  const known = new Set((await tx.query<{ key: string }>('select key from entity_state where kind = $1 and key = any($2::text[])', [source.entity, keys])).map((row) => row.key))
  return new Set(keys.filter((key) => !known.has(key)))
}

/** The ledger's part of a movements pull (the named arrow catalog → loyalty): messages, then the check that it adds up. */
async function afterLedger(tx: Queryable, source: AppliedSource, entities: readonly Entity[], created: ReadonlySet<string>): Promise<string[]> {
  if (created.size > 0) {
    await announceMovements(
      tx,
      entities.map((entity) => entity.data as BonusMovement),
      created,
    )
  }
  if (source.entity !== 'bonus_movement' && source.entity !== 'bonus_account') return []
  return (await reconcile(tx)).map(mismatchWarning)
}

/**
 * Reads (`produce`, outside any transaction: network or file), then applies in one transaction,
 * recording the run as `runSource`. Any failure, reading or writing, fails the run and writes nothing.
 */
export async function applySource(
  db: Db,
  source: AppliedSource,
  produce: () => Promise<{ rows: number; pulled: Array<{ data: Record<string, unknown> }> }>,
  options: { runSource: string; details?: Record<string, unknown>; dryRun?: boolean; logger?: Logger | undefined },
): Promise<PullResult> {
  const run = options.dryRun ? null : await startRun(db, options.runSource, source.entity, options.details ?? {})
  try {
    const { rows, pulled } = await produce()
    const result = await db
      .transaction(async (tx) => {
        const txRun = run ?? (await startRun(tx, options.runSource, source.entity, { dryRun: true }))
        // The outbox's lock before reading what is stored: two sources merging into the same
        // entities (prices and stock into offers, the exchange too), on two instances or two
        // workers, would each lay its fields over what the other had not yet written, and the later
        // commit would undo the earlier one. The write below takes the same lock anyway.
        await tx.query('select pg_advisory_xact_lock($1)', [LOCKS.events])
        const read = source.merge || (source.keep?.size ?? 0) > 0 ? await mergeWithStored(tx, source, pulled) : (pulled as unknown as Entity[])
        const entities = [...read, ...(await goneFromWindow(tx, source, read))]
        const created = await newMovements(tx, source, entities)
        const counts = await applyChanges(db, txRun, entities, { tx })
        // The offers a pull fed: the exchange lays its full offers over these (their prices and stock may not all be its own).
        if (source.entity === 'offer' && entities.length > 0) {
          await tx.query('insert into offers_fed_elsewhere (key) select unnest($1::text[]) on conflict do nothing', [entities.map(entityKey)])
        }
        // The named cross-feature arrow (catalog → orders): balances read after 1C confirmed an
        // order include its write-off, so its hold has done its job.
        if (source.entity === 'bonus_account' && run) await settleConfirmedHolds(tx, run.id)
        const warnings = await afterLedger(tx, source, entities, created)
        const outcome: PullResult = { run: null, rows, counts, sample: [], warnings }
        if (options.dryRun) {
          outcome.sample = await listEvents(tx, 0, 20, txRun.id)
          throw new DryRunRollback(outcome)
        }
        return outcome
      })
      .catch((error: unknown) => {
        if (error instanceof DryRunRollback) return error.result as PullResult
        throw error
      })
    if (run) {
      result.run = await finishRun(db, run.id, { counts: result.counts, details: { rows: result.rows, ...(result.warnings?.length && { warnings: result.warnings }) } })
      for (const warning of result.warnings ?? []) options.logger?.warn({ run: run.id, source: source.name }, warning)
      options.logger?.info({ run: run.id, source: source.name, counts: result.counts }, `${options.runSource}: ${result.rows} rows, ${result.counts.changed} changed`)
    }
    return result
  } catch (error) {
    options.logger?.warn({ err: error, source: source.name }, `${options.runSource} failed`)
    if (run) throw await recordFailure(db, run.id, error, { file: options.details?.file ? String(options.details.file) : undefined, outcome: { details: { source: source.name } } })
    throw error
  }
}
