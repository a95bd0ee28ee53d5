/**
 * One CommerceML file → the store: stream-parse, normalize through the profile, merge partial
 * offers with what is stored, and apply through change detection, all of one file in ONE
 * transaction. A file that fails anywhere leaves the previous state as it was; its run records
 * the file, element path, line and reason.
 */
import {
  entityData,
  InvalidEntityError,
  layOver,
  ownedElsewhere,
  type Entity,
  type EntityKind,
  type Offer,
  type Owners,
  type PreparedEntity,
  type Product,
} from '../domain/index.ts'
// The parser's own modules, not the folder's index: this file also runs on the import thread,
// which should not load the exchange routes, zip reader and order XML that the index brings.
import { parseCmlFile, type CmlBatch, type CmlFileSummary } from '../onec/commerceml/parse-file.ts'
import {
  freshProduct,
  mergeOffer,
  offerScope,
  type CmlReferences,
  type OfferScope,
  type OfferUpdate,
  type PackageKind,
  type PriceTypeRef,
  type ProductUpdate,
  type PropertyDefinition,
  type WarehouseRef,
} from '../onec/commerceml/read-cml.ts'
import { XmlInputError } from '../onec/commerceml/xml-stream.ts'
import { said, type Said } from '../onec/texts.ts'
import { EXCHANGE_SOURCE, type CommerceMlProfile } from '../onec/mapping/profile.ts'
import { stat } from 'node:fs/promises'
import { Worker } from 'node:worker_threads'
import type { Db, Queryable } from '../store/db.ts'
import { LOCKS } from '../store/locks.ts'
import { applyChanges, type ApplyResult } from '../state/apply.ts'
import { DryRunRollback } from '../state/dry-run.ts'
import { createPictureResolver, type PictureCounts } from './media.ts'
import { dirname } from 'node:path'
import { listEvents, type StoredEvent } from '../state/read.ts'
import { finishRun, recordFailure, startRun, type Run } from '../state/runs.ts'

export interface CmlImportOptions {
  profile: CommerceMlProfile
  /** The profile's `owners`: fields of products and offers the exchange leaves to other sources. */
  owners?: Owners
  /** The name 1C uploaded the file under (errors and the run log use it). */
  fileName: string
  source?: string
  details?: Record<string, unknown>
  /** Compute and report the changes, then roll everything back. */
  dryRun?: boolean
  /** How many of the changes a dry run lists. */
  sampleSize?: number
  onProgress?: (message: string) => void
  /**
   * Large files (default: over a few MB) import on a thread of their own, with the parser on
   * another beneath it; `false` keeps everything on this thread (small files, tests).
   */
  worker?: boolean | 'auto'
  /** Told the run's id as soon as it is started (the import thread tells the service). */
  onRun?: (id: number) => void
  /** The exchange's upload folder, where `Картинка` paths (`import_files/…`) are found; the file's own folder is tried too. */
  mediaRoot?: string
}

export interface CmlImportResult {
  run: Run | null
  kind: string
  totals: ApplyResult
  byKind: Partial<Record<EntityKind, ApplyResult>>
  bytes: number
  encoding: string
  /** Whether the products / offers of the file were declared a full list. */
  full: { catalog: boolean; offers: boolean }
  /** Dry run: the first changes it would make. */
  sample: StoredEvent[]
  /** Pictures products named: stored, and missing (named, never uploaded). */
  pictures: PictureCounts
}

const emptyResult = (): ApplyResult => ({ seen: 0, changed: 0, unchanged: 0, removed: 0, created: 0, updated: 0 })

function add(target: ApplyResult, more: ApplyResult): void {
  for (const key of Object.keys(target) as Array<keyof ApplyResult>) target[key] += more[key]
}

export async function loadCmlReferences(db: Queryable): Promise<CmlReferences> {
  const rows = await db.query<{ kind: string; id: string; data: PriceTypeRef & PropertyDefinition & WarehouseRef }>('select kind, id, data from cml_refs')
  const refs: CmlReferences = { priceTypes: new Map(), properties: new Map(), warehouses: new Map() }
  for (const row of rows) {
    if (row.kind === 'price_type') refs.priceTypes.set(row.id, row.data)
    else if (row.kind === 'warehouse') refs.warehouses.set(row.id, row.data)
    else refs.properties.set(row.id, row.data)
  }
  return refs
}

async function saveRefs(tx: Queryable, kind: 'price_type' | 'property' | 'warehouse', items: Array<{ id: string }>): Promise<void> {
  if (items.length === 0) return
  await tx.query(
    `insert into cml_refs (kind, id, data)
     select $1, r.id, r.data from jsonb_to_recordset($2::jsonb) as r(id text, data jsonb)
     on conflict (kind, id) do update set data = excluded.data, updated_at = now()
       where cml_refs.data is distinct from excluded.data`,
    [kind, JSON.stringify(items.map((item) => ({ id: item.id, data: item })))],
  )
}

async function storedOffers(tx: Queryable, ids: string[]): Promise<Map<string, Offer>> {
  if (ids.length === 0) return new Map()
  const rows = await tx.query<{ key: string; data: Offer }>(`select key, data from entity_state where kind = 'offer' and key in (select jsonb_array_elements_text($1::jsonb))`, [
    JSON.stringify(ids),
  ])
  return new Map(rows.map((row) => [row.key, row.data]))
}

function runKind(packages: readonly PackageKind[]): string {
  const kinds = packages.filter((kind) => kind !== 'classifier' || packages.length === 1)
  return kinds.length > 0 ? [...kinds].sort().join('+') : 'empty'
}

function isFull(summary: CmlFileSummary, kind: 'catalog' | 'offers'): boolean {
  return summary.packages.includes(kind) && summary.onlyChanges[kind] === false
}

const THREAD_THRESHOLD_BYTES = 4 * 1024 * 1024
// Ceilings of the import thread's heap: its garbage is collected early instead of growing the
// process (measured: the same import on the service's own thread peaked at 1.5 GB RSS).
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 }

export interface ImportThreadInput {
  connectionString: string
  schema: string | undefined
  settings: Readonly<Record<string, string>>
  path: string
  options: Omit<CmlImportOptions, 'onProgress' | 'onRun'>
}

export type ImportThreadMessage =
  | { type: 'progress'; message: string }
  | { type: 'run'; id: number }
  | { type: 'done'; result: CmlImportResult }
  | {
      type: 'error'
      error:
        | { kind: 'xml'; message: string; file: string; said: Said; path: string | undefined; line: number | undefined }
        | { kind: 'entity'; message: string; entityKind: string; key: string }
        | { kind: 'other'; message: string }
    }

function errorFrom(error: Extract<ImportThreadMessage, { type: 'error' }>['error']): Error {
  if (error.kind === 'xml') return new XmlInputError(error.file, error.said, { path: error.path, line: error.line })
  if (error.kind === 'entity') {
    const prefix = `${error.entityKind} ${JSON.stringify(error.key)} is invalid: `
    return new InvalidEntityError(error.entityKind, error.key, error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message)
  }
  return new Error(error.message)
}

function importOnThread(db: Db, path: string, options: CmlImportOptions): Promise<CmlImportResult> {
  const { onProgress, onRun, ...rest } = options
  const input: ImportThreadInput = { connectionString: db.connectionString, schema: db.schema, settings: db.settings, path, options: rest }
  const thread = new Worker(new URL('./import-thread.ts', import.meta.url), { workerData: input, resourceLimits: THREAD_LIMITS })
  let runId: number | undefined
  return new Promise<CmlImportResult>((resolve, reject) => {
    let settled = false
    const settle = (error: Error | null, result?: CmlImportResult) => {
      if (settled) return
      settled = true
      if (error) reject(error)
      else resolve(result as CmlImportResult)
    }
    thread.on('message', (message: ImportThreadMessage) => {
      if (message.type === 'progress') onProgress?.(message.message)
      else if (message.type === 'run') {
        runId = message.id
        onRun?.(message.id)
      } else if (message.type === 'done') settle(null, message.result)
      else settle(errorFrom(message.error))
    })
    // The thread died without an answer (out of its heap, an uncaught error): its transaction rolled
    // back with its connection, and its run, which this process's instance keeps "alive", is failed here.
    let dying = false
    const died = (reason: string) => {
      if (settled || dying) return
      dying = true
      const error = new Error(`the import thread of ${options.fileName} stopped (${reason}) before it finished; nothing of the file was applied`)
      const failed = runId === undefined ? Promise.resolve() : recordFailure(db, runId, error, { file: options.fileName }).then(() => {})
      void failed.finally(() => settle(error))
    }
    thread.on('error', (error) => died((error as Error).message))
    thread.on('exit', (code) => died(`exit code ${code}`))
  })
}

/** Imports one CommerceML file: on a thread of its own when it is large (see `worker`). */
export async function importCommerceMlFile(db: Db, path: string, options: CmlImportOptions): Promise<CmlImportResult> {
  const worker = options.worker ?? 'auto'
  const threaded = worker === true || (worker === 'auto' && (await stat(path)).size > THREAD_THRESHOLD_BYTES)
  return threaded ? importOnThread(db, path, options) : importHere(db, path, { ...options, worker: false })
}

/** One file's writes inside its transaction, and what they added up to so far. */
interface FileWrite {
  db: Db
  tx: Queryable
  run: { id: number }
  options: CmlImportOptions
  totals: ApplyResult
  byKind: Partial<Record<EntityKind, ApplyResult>>
  records: number
  /** The references as of this batch (the parser adds a file's classifier as it reads it). */
  refs: CmlReferences
  /** Product and offer fields the profile's `owners` gives to another source. */
  keep: { product: ReadonlySet<string>; offer: ReadonlySet<string> }
  pictures: ReturnType<typeof createPictureResolver>
}

async function applyEntities(write: FileWrite, entities: Array<Entity | PreparedEntity>): Promise<void> {
  if (entities.length === 0) return
  // What the file sent, for removal after a full exchange: written batch by batch (a row
  // each), so a file of a million offers holds none of its keys in memory.
  for (const kind of ['product', 'offer'] as const) {
    const keys = entities.flatMap((entity) => (entity.kind === kind ? ['hash' in entity ? entity.key : String(entity.data.id)] : []))
    if (keys.length > 0) await write.tx.query('insert into cml_seen (run_id, kind, keys) values ($1, $2, $3::jsonb)', [write.run.id, kind, JSON.stringify(keys)])
  }
  for (const kind of new Set(entities.map((entity) => entity.kind))) {
    const applied = await applyChanges(
      write.db,
      write.run,
      entities.filter((entity) => entity.kind === kind),
      { tx: write.tx },
    )
    add(write.totals, applied)
    add((write.byKind[kind] ??= emptyResult()), applied)
  }
}

/** The update a complete offer was made of (it crossed from the parser as its JSON alone). */
function sentOffer(offer: Offer): OfferUpdate {
  const { stock, ...rest } = offer
  return { ...rest, merge: false, warehouses: stock.warehouses, ...(stock.totalFrom === 'sent' ? { total: stock.total } : {}) }
}

/**
 * Stored offers another source fed (a pull of prices or stock): only these can hold prices or
 * stock the exchange does not send, so a complete offer of the file is laid over these instead of
 * replacing them. One indexed look-up per batch; none found on a base without such pulls.
 */
async function offersFedElsewhere(tx: Queryable, ids: string[]): Promise<Map<string, Offer>> {
  if (ids.length === 0) return new Map()
  const rows = await tx.query<{ key: string; data: Offer }>(
    `select s.key, s.data from offers_fed_elsewhere f join entity_state s on s.kind = 'offer' and s.key = f.key
      where f.key = any($1::text[])`,
    [ids],
  )
  return new Map(rows.map((row) => [row.key, row.data]))
}

/** Offers laid over the stored offer (partial lines, and complete ones where another source added to it), or over the same offer earlier in the batch. */
async function mergedOffers(tx: Queryable, offers: CmlBatch['offers'], scope: OfferScope): Promise<Array<Entity | PreparedEntity>> {
  const stored = await storedOffers(
    tx,
    offers.flatMap((line) => ('update' in line ? [line.update.id] : [])),
  )
  const foreign = await offersFedElsewhere(
    tx,
    offers.flatMap((line) => ('prepared' in line ? [line.prepared.key] : [])),
  )
  const latest = new Map<string, Entity | PreparedEntity>()
  for (const line of offers) {
    let update: OfferUpdate
    if ('update' in line) update = line.update
    else if (foreign.has(line.prepared.key)) update = sentOffer(entityData(line.prepared) as Offer)
    else {
      latest.set(line.prepared.key, line.prepared)
      continue
    }
    const before = latest.get(update.id)
    const base = before ? ('hash' in before ? (entityData(before) as Offer) : (before.data as Offer)) : (stored.get(update.id) ?? foreign.get(update.id))
    latest.set(update.id, { kind: 'offer', data: mergeOffer(update, base, scope) })
  }
  return [...latest.values()]
}

/** Products laid over the stored ones: what the file does not send, and what another source owns, stays. */
async function mergedProducts(write: FileWrite, updates: ProductUpdate[], keep: ReadonlySet<string>): Promise<Entity[]> {
  if (updates.length === 0) return []
  const rows = await write.tx.query<{ key: string; data: Product }>(`select key, data from entity_state where kind = 'product' and key = any($1::text[])`, [
    [...new Set(updates.map((update) => update.id))],
  ])
  const latest = new Map<string, Product>(rows.map((row) => [row.key, row.data]))
  const out = new Map<string, Entity>()
  for (const update of updates) {
    const stored = latest.get(update.id)
    const sent = { ...update.sent, images: await write.pictures.images(update.pictures, stored?.images) }
    const product = layOver(stored, freshProduct(update.id), sent, keep)
    latest.set(update.id, product)
    out.set(update.id, { kind: 'product', data: product })
  }
  return [...out.values()]
}

async function writeBatch(write: FileWrite, batch: CmlBatch): Promise<void> {
  write.records += batch.records
  await saveRefs(write.tx, 'price_type', batch.priceTypes)
  await saveRefs(write.tx, 'property', batch.properties)
  await saveRefs(write.tx, 'warehouse', batch.warehouses)
  // Reference entities first: an offer's price type should exist before the offer.
  await applyEntities(write, batch.entities)
  await applyEntities(write, await mergedProducts(write, batch.products, write.keep.product))
  await applyEntities(write, await mergedOffers(write.tx, batch.offers, offerScope(write.options.profile, write.refs, write.keep.offer)))
  const percent = batch.totalBytes > 0 ? Math.floor((batch.bytesRead / batch.totalBytes) * 100) : 100
  write.options.onProgress?.(`${write.options.fileName}: ${percent}% read, ${write.records} elements, ${write.totals.changed} changes so far`)
}

/** What a failed import had read, for its run. */
interface ReadSoFar {
  bytes: number
  packages: PackageKind[]
  schemaVersion: string | null
}

/** Parses the file and applies it in `tx`; a dry run ends by rolling back with what it would have done. */
async function importInTransaction(db: Db, tx: Queryable, run: { id: number }, path: string, options: CmlImportOptions, read: ReadSoFar): Promise<CmlImportResult> {
  const refs = await loadCmlReferences(tx)
  const roots = [...new Set([options.mediaRoot, dirname(path)].filter((root): root is string => root !== undefined))]
  const owners = options.owners ?? {}
  const keep = { product: ownedElsewhere(owners, 'product', EXCHANGE_SOURCE), offer: ownedElsewhere(owners, 'offer', EXCHANGE_SOURCE) }
  const write: FileWrite = { db, tx, run, options, totals: emptyResult(), byKind: {}, records: 0, refs, keep, pictures: createPictureResolver(tx, roots) }
  // One batch is written while the next is parsed: the server works on batch N while this
  // thread parses N+1. Batches are still applied one after another, in document order.
  let writing: Promise<void> = Promise.resolve()
  const summary = await parseCmlFile(
    path,
    { fileName: options.fileName, profile: options.profile, refs, offerKeep: [...keep.offer], worker: options.worker ?? 'auto' },
    async (batch) => {
      await writing
      read.bytes = batch.bytesRead
      writing = writeBatch(write, batch)
      // Its failure is reported by the next batch's wait or the wait below, not as unhandled.
      writing.catch(() => {})
    },
  )
  await writing
  Object.assign(read, { packages: summary.packages, schemaVersion: summary.schemaVersion, bytes: summary.bytes })
  if (summary.root !== 'КоммерческаяИнформация') {
    throw new XmlInputError(
      options.fileName,
      said(
        `это не документ CommerceML: корневой элемент <${summary.root}>, ожидался <КоммерческаяИнформация>`,
        `not a CommerceML document: the root element is <${summary.root}>, expected <КоммерческаяИнформация>`,
      ),
      { path: summary.root ?? '' },
    )
  }
  const outcome: CmlImportResult = {
    run: null,
    kind: runKind(summary.packages),
    totals: write.totals,
    byKind: write.byKind,
    bytes: summary.bytes,
    encoding: summary.encoding,
    full: { catalog: isFull(summary, 'catalog'), offers: isFull(summary, 'offers') },
    sample: [],
    pictures: write.pictures.counts,
  }
  if (options.dryRun) {
    outcome.sample = await listEvents(tx, 0, options.sampleSize ?? 20, run.id)
    throw new DryRunRollback(outcome)
  }
  return outcome
}

/** The import itself, on this thread: one transaction, one run (none for a dry run, which rolls back). */
export async function importHere(db: Db, path: string, options: CmlImportOptions): Promise<CmlImportResult> {
  const source = options.source ?? 'commerceml'
  const details = { file: options.fileName, ...options.details }
  const run = options.dryRun ? null : await startRun(db, source, 'commerceml', details)
  if (run) options.onRun?.(run.id)
  const read: ReadSoFar = { bytes: 0, packages: [], schemaVersion: null }
  try {
    const result = await db.transaction(async (tx) => {
      const txRun = run ?? (await startRun(tx, source, 'commerceml', { ...details, dryRun: true }))
      // Before reading stored offers and products to merge into: see apply-source.ts (a pull on another instance).
      await tx.query('select pg_advisory_xact_lock($1)', [LOCKS.events])
      return importInTransaction(db, tx, txRun, path, options, read)
    })
    if (!run) return result
    result.run = await finishRun(db, run.id, {
      kind: result.kind,
      counts: result.totals,
      bytes: result.bytes,
      details: { encoding: result.encoding, schemaVersion: read.schemaVersion, full: result.full, byKind: result.byKind, pictures: result.pictures },
    })
    return result
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as CmlImportResult
    if (run)
      throw await recordFailure(db, run.id, error, {
        file: options.fileName,
        outcome: { bytes: read.bytes, kind: runKind(read.packages), details: { schemaVersion: read.schemaVersion } },
      })
    throw error
  }
}
