/**
 * A CommerceML file → batches of normalized records, in document order.
 *
 * Large files are parsed on a worker thread: parsing, validation and hashing are CPU work, and
 * on two cores they overlap with the SQL of the import and the server's own work. The worker stays
 * at most a few batches ahead of the consumer, so memory stays bounded whatever the file size, and
 * posts each entity as its canonical JSON (cheap to copy between threads), not as an object graph.
 */
import { stat } from 'node:fs/promises'
import { Worker } from 'node:worker_threads'
import { prepareEntity, type Entity, type PreparedEntity } from '../../domain/index.ts'
import type { CommerceMlProfile } from '../mapping/profile.ts'
import {
  CmlHeader,
  CML_SKIPPED,
  cmlRecordType,
  groupEntities,
  isCompleteOffer,
  mergeOffer,
  priceTypeEntity,
  productUpdate,
  propertyEntity,
  readOffer,
  readPriceType,
  readProperty,
  readWarehouse,
  warehouseEntity,
  type CmlReferences,
  type FileContext,
  type OfferUpdate,
  type PackageKind,
  type PriceTypeRef,
  type ProductUpdate,
  type PropertyDefinition,
  type RecordType,
  type WarehouseRef,
} from './read-cml.ts'
import { said, type Said } from '../texts.ts'
import { streamXmlFile, XmlInputError, type XmlNode } from './xml-stream.ts'

/** An offer line: complete (validated and hashed here), or partial (to merge with what is stored). */
export type OfferLine = { prepared: PreparedEntity } | { update: OfferUpdate }

export interface CmlBatch {
  /** Price types, warehouses, groups and properties, validated and hashed, ready for change detection. */
  entities: PreparedEntity[]
  /** Products as the file tells them, to lay over what is stored. */
  products: ProductUpdate[]
  /** Offers in document order. */
  offers: OfferLine[]
  /** Reference data to keep for later files. */
  priceTypes: PriceTypeRef[]
  properties: PropertyDefinition[]
  warehouses: WarehouseRef[]
  bytesRead: number
  totalBytes: number
  records: number
}

export interface CmlFileSummary {
  root: string | null
  schemaVersion: string | null
  packages: PackageKind[]
  onlyChanges: Partial<Record<PackageKind, boolean>>
  bytes: number
  encoding: string
  records: number
}

export interface ParseOptions {
  fileName: string
  profile: CommerceMlProfile
  refs: CmlReferences
  /** Offer fields the profile gives to another source: no offer is complete without the stored one then. */
  offerKeep: readonly string[]
  /** Parse on a worker thread: 'auto' does so for files over 4 MB. */
  worker?: boolean | 'auto'
}

const WORKER_THRESHOLD_BYTES = 4 * 1024 * 1024
/** How many batches the worker may run ahead of the consumer. */
const AHEAD = 3
const BATCH_RECORDS = 500
const PARSER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 }

/** Turns built records into a batch; keeps `refs` current as classifier records pass by. */
export function convertRecords(
  records: Array<{ type: string; node: XmlNode }>,
  ctx: FileContext,
  offerKeep: readonly string[],
  lean = false,
): Omit<CmlBatch, 'bytesRead' | 'totalBytes'> {
  const batch: Omit<CmlBatch, 'bytesRead' | 'totalBytes'> = { entities: [], products: [], offers: [], priceTypes: [], properties: [], warehouses: [], records: records.length }
  // A complete offer is the file's alone here; one a pull fed is merged with its stored row on the
  // store's side (commerceml-import.ts).
  const fresh = { priceTypes: new Set<string>(), warehouses: new Set<string>(), keep: new Set<string>() }
  // Bound for another thread: the JSON alone, without the object it was made of.
  const prepare = (entity: Entity): PreparedEntity => {
    const prepared = prepareEntity(entity)
    if (lean) delete prepared.data
    return prepared
  }
  const add = (entity: Entity | null) => {
    if (entity) batch.entities.push(prepare(entity))
  }
  for (const { type, node } of records) {
    switch (type as RecordType) {
      case 'priceType': {
        const ref = readPriceType(node)
        if (!ref.id) throw new XmlInputError(ctx.file, said('тип цен без Ид', 'a price type without Ид'), { path: 'ТипыЦен/ТипЦены', line: node.line })
        ctx.refs.priceTypes.set(ref.id, ref)
        batch.priceTypes.push(ref)
        add(priceTypeEntity(ref, ctx))
        break
      }
      case 'warehouse': {
        const ref = readWarehouse(node, ctx)
        ctx.refs.warehouses.set(ref.id, ref)
        batch.warehouses.push(ref)
        add(warehouseEntity(ref, ctx))
        break
      }
      case 'property': {
        const definition = readProperty(node)
        if (definition.id) {
          ctx.refs.properties.set(definition.id, definition)
          batch.properties.push(definition)
          add(propertyEntity(node, definition))
        }
        break
      }
      case 'group':
        for (const group of groupEntities(node, ctx, (ctx.topGroups = (ctx.topGroups ?? -1) + 1))) add(group)
        break
      case 'product':
        batch.products.push(productUpdate(node, ctx))
        break
      case 'offer':
      case 'offerChange': {
        const update = readOffer(node, ctx, type === 'offerChange')
        const complete = isCompleteOffer(update) && offerKeep.length === 0
        batch.offers.push(complete ? { prepared: prepare({ kind: 'offer', data: mergeOffer(update, undefined, fresh) }) } : { update })
        break
      }
    }
  }
  return batch
}

function summaryOf(header: CmlHeader, result: { bytes: number; encoding: string; records: number }): CmlFileSummary {
  return {
    root: header.root,
    schemaVersion: header.schemaVersion,
    packages: [...header.packages],
    onlyChanges: Object.fromEntries(header.onlyChanges),
    ...result,
  }
}

/** Parses in this thread (small files, and the worker's own body). */
export async function parseInline(path: string, options: ParseOptions & { lean?: boolean }, onBatch: (batch: CmlBatch) => Promise<void>): Promise<CmlFileSummary> {
  const header = new CmlHeader()
  const ctx: FileContext = { file: options.fileName, profile: options.profile, refs: options.refs }
  let bytesRead = 0
  let totalBytes = 0
  const result = await streamXmlFile(path, {
    fileName: options.fileName,
    recordType: cmlRecordType,
    skip: CML_SKIPPED,
    batchSize: BATCH_RECORDS,
    onElement: (elementPath, attrs) => header.onElement(elementPath, attrs),
    onText: (elementPath, value) => header.onText(elementPath, value),
    onProgress: (read, total) => {
      bytesRead = read
      totalBytes = total
    },
    onRecords: (records) => onBatch({ ...convertRecords(records, ctx, options.offerKeep, options.lean === true), bytesRead, totalBytes }),
  })
  return summaryOf(header, result)
}

export type WorkerMessage =
  | { type: 'batch'; batch: CmlBatch }
  | { type: 'end'; summary: CmlFileSummary }
  | { type: 'error'; error: { message: string; file?: string; path?: string | undefined; line?: number | undefined; said?: Said; xml: boolean } }

export interface WorkerInput {
  path: string
  fileName: string
  profile: CommerceMlProfile
  priceTypes: PriceTypeRef[]
  properties: PropertyDefinition[]
  warehouses: WarehouseRef[]
  offerKeep: readonly string[]
}

function parseOnWorker(path: string, options: ParseOptions, onBatch: (batch: CmlBatch) => Promise<void>): Promise<CmlFileSummary> {
  const input: WorkerInput = {
    path,
    fileName: options.fileName,
    profile: options.profile,
    priceTypes: [...options.refs.priceTypes.values()],
    properties: [...options.refs.properties.values()],
    warehouses: [...options.refs.warehouses.values()],
    offerKeep: options.offerKeep,
  }
  // A small young generation keeps the parser's garbage from inflating memory (measured: a
  // 43 MB file peaked at ~400 MB RSS with V8's default, ~260 MB with this), at no cost in speed;
  // the old generation's ceiling makes V8 collect it early (the parser keeps little: the header
  // and the price types): 400 MB file, whole process 410 MB peak without it, 290–310 MB with 96 MB.
  const worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { workerData: input, resourceLimits: PARSER_LIMITS })
  return new Promise<CmlFileSummary>((resolve, reject) => {
    let settled = false
    let chain = Promise.resolve()
    const finish = (error: Error | null, summary?: CmlFileSummary) => {
      if (settled) return
      settled = true
      void worker.terminate()
      if (error) reject(error)
      else resolve(summary as CmlFileSummary)
    }
    worker.on('message', (message: WorkerMessage) => {
      // Batches are handled strictly one after another, in document order.
      chain = chain
        .then(async () => {
          if (settled) return
          if (message.type === 'batch') {
            for (const ref of message.batch.priceTypes) options.refs.priceTypes.set(ref.id, ref)
            for (const definition of message.batch.properties) options.refs.properties.set(definition.id, definition)
            for (const ref of message.batch.warehouses) options.refs.warehouses.set(ref.id, ref)
            await onBatch(message.batch)
            worker.postMessage('ack')
          } else if (message.type === 'end') {
            finish(null, message.summary)
          } else {
            const { error } = message
            finish(error.xml ? new XmlInputError(error.file ?? options.fileName, error.said ?? error.message, { path: error.path, line: error.line }) : new Error(error.message))
          }
        })
        .catch((error: unknown) => finish(error as Error))
    })
    worker.on('error', (error) => finish(error as Error))
    worker.on('exit', (code) => finish(new Error(`the parser thread stopped (exit code ${code}) before the end of ${options.fileName}`)))
  })
}

export async function parseCmlFile(path: string, options: ParseOptions, onBatch: (batch: CmlBatch) => Promise<void>): Promise<CmlFileSummary> {
  const useWorker = options.worker === 'auto' || options.worker === undefined ? (await stat(path)).size > WORKER_THRESHOLD_BYTES : options.worker
  return useWorker ? parseOnWorker(path, options, onBatch) : parseInline(path, options, onBatch)
}

export const PARSE_AHEAD = AHEAD
