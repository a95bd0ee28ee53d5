/**
 * The OData part of a mapping profile: which entity sets, virtual tables and fields of a 1C
 * base feed which normalized entities. Data, never code: paths into 1C's JSON, a closed set of
 * named transforms, and joins by reference key.
 */
import { z } from 'zod'
import { EntityKindSchema } from '../../domain/index.ts'

/** A dotted path into a row: `Description`, `programme.МаксимальныйПроцентОплатыБонусами`. */
const Path = z.string().trim().min(1)

export const TRANSFORMS = [
  'text', // trimmed string (1C pads fixed-length strings); '' → null
  'id', // trimmed reference key; '' and the all-zero GUID → null
  'money', // decimal → integer minor units
  'available', // [accrued, toWriteOff] → accrued − max(0, toWriteOff), never below 0, minor units
  'percent', // decimal → number 0..100
  'number', // decimal → number
  'boolean', // true/false as 1C sends it
  'currency', // ISO code, numeric code (643) or Russian name (руб.) → ISO code
  'constant', // `value`
  'caps', // array of rows → { [row[key]]: percent(row[value]) }, rows with a zero key left out
  'ids', // array of rows → [row[key]], empty keys left out
  'offerId', // [product, characteristic] → `product#characteristic`, or `product` when it has none
  'decimal', // exact decimal text ("1", "0.5"), for rates that must not pass through a float
  'datetime', // 1C's naive server time → ISO instant (UTC) in the profile's time zone; 0001-01-01 → null
  'legalForm', // ЮрФизЛицо / ЮридическоеФизическоеЛицо → company | entrepreneur | person; '' → null
  'first', // [paths] → the first that is not empty (a reference to one of several document types)
  'documentType', // Recorder_Type `StandardODATA.Document_ЗаказКлиента` → `ЗаказКлиента`
  'movementAmount', // [RecordType, accrued, toWriteOff] → the movement's effect on the spendable balance, signed minor units
  'movementKind', // [RecordType, accrued, toWriteOff, reserved?, reversal?] → accrual | write_off | expiry | reservation | reversal
] as const
export type TransformName = (typeof TRANSFORMS)[number]

export const FieldSpec = z
  .strictObject({
    from: z.union([Path, z.array(Path).min(1)]).optional(),
    transform: z.enum(TRANSFORMS).default('text'),
    /** For `constant`. */
    value: z.unknown().optional(),
    /** For `caps` and `ids`: the field of each row to take. */
    key: z.string().optional(),
    /** For `caps`: the field holding the percent. */
    valueField: z.string().optional(),
    /** Used when the source value is missing or empty. */
    default: z.unknown().optional(),
  })
  .superRefine((spec, context) => {
    if (spec.transform === 'constant' ? spec.value === undefined : spec.from === undefined) {
      context.addIssue({ code: 'custom', message: spec.transform === 'constant' ? 'constant needs value' : `${spec.transform} needs from` })
    }
    if (spec.transform === 'available' && (!Array.isArray(spec.from) || spec.from.length !== 2)) {
      context.addIssue({ code: 'custom', message: 'available needs from: [accrued, toWriteOff]' })
    }
    if (spec.transform === 'movementAmount' && (!Array.isArray(spec.from) || spec.from.length !== 3)) {
      context.addIssue({ code: 'custom', message: 'movementAmount needs from: [RecordType, accrued, toWriteOff]' })
    }
    if (spec.transform === 'movementKind' && (!Array.isArray(spec.from) || spec.from.length < 3 || spec.from.length > 5)) {
      context.addIssue({ code: 'custom', message: 'movementKind needs from: [RecordType, accrued, toWriteOff] and, where the register has them, reserved and reversal' })
    }
    if ((spec.transform === 'caps' || spec.transform === 'ids') && !spec.key) context.addIssue({ code: 'custom', message: `${spec.transform} needs key` })
    if (spec.transform === 'caps' && !spec.valueField) context.addIssue({ code: 'custom', message: 'caps needs valueField' })
  })
export type FieldSpec = z.infer<typeof FieldSpec>

/** `30s`, `15m`, `24h` → milliseconds (pull intervals, the loyalty assessment). */
export const Duration = z
  .string()
  .regex(/^\d+(s|m|h)$/, 'a duration like 30s, 15m or 1h')
  .transform((text) => Number(text.slice(0, -1)) * { s: 1, m: 60, h: 3600 }[text.slice(-1) as 's' | 'm' | 'h'] * 1000)

export const ReadSpec = z.strictObject({
  /** Entity set: `Catalog_Партнеры`, `AccumulationRegister_БонусныеБаллы`, `InformationRegister_ЦеныНоменклатуры_RecordType`. */
  set: z.string().trim().min(1),
  /** A virtual table of a register, read at "now" on the 1C server clock; never paged. */
  virtualTable: z.enum(['Balance', 'SliceLast', 'SliceFirst']).optional(),
  /** `{now}` in `condition` or `filter` is replaced by now on the 1C server clock. */
  condition: z.string().optional(),
  select: z.array(z.string()).optional(),
  filter: z.string().optional(),
  /** Paged reads need a stable order; add a tie-breaker where keys repeat. */
  orderby: z.string().default('Ref_Key'),
  /**
   * Read by period (a register's records): `{from}` and `{to}` in `filter` become datetime literals.
   * The first pull reaches `days` back; each later one starts where the last one's "now" was, less
   * `overlapDays` (1C posts back-dated documents), and every pull reaches `aheadDays` into the future
   * (accruals that activate later, scheduled write-offs). Records the window held that 1C no longer
   * returns are removed; re-reading a window changes nothing.
   */
  window: z
    .strictObject({
      days: z.number().int().min(1).max(36_500).default(3650),
      overlapDays: z.number().int().min(0).max(3650).default(7),
      aheadDays: z.number().int().min(0).max(3650).default(400),
    })
    .optional(),
  pageSize: z.number().int().min(1).max(5000).default(1000),
})

export const JoinSpec = z.strictObject({
  set: z.string().trim().min(1),
  /** The field of the joined set matched against `on`. */
  key: z.string().default('Ref_Key'),
  /** Path in the row (or an earlier join) holding the reference. */
  on: Path,
  select: z.array(z.string()).optional(),
  filter: z.string().optional(),
  /** Several joined rows per reference (an agreement per partner…): the first by `orderby` is kept unless many. */
  many: z.boolean().default(false),
  orderby: z.string().optional(),
})

/**
 * Several rows make one entity (prices: a row per price type; stock: a row per warehouse):
 * rows with the same `by` are one entity, `fields` come from its first row, and `into` collects
 * `key → value` over all its rows (values with the same key are added up when numbers).
 */
export const GroupSpec = z.strictObject({
  by: FieldSpec,
  /** Dotted target path of the collected record: `prices`, `stock.warehouses`. */
  into: z.string().regex(/^[A-Za-z]+(\.[A-Za-z]+)?$/),
  key: FieldSpec,
  value: z.union([FieldSpec, z.record(z.string(), FieldSpec)]),
  /** Dotted target path that receives the sum of the collected numbers: `stock.total`. */
  totalInto: z
    .string()
    .regex(/^[A-Za-z]+(\.[A-Za-z]+)?$/)
    .optional(),
  /**
   * The read is complete (a register's Balance without Condition): a stored entity it did not
   * return gets an empty record and a zero total. Balance has no rows for zero balances, so
   * without this a sold-out item would keep its last stock.
   */
  zeroAbsent: z.boolean().default(false),
})
export type GroupSpec = z.infer<typeof GroupSpec>

/** What every source (OData or XML) says of the entities it makes. */
const MappedRecords = {
  name: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes'),
  entity: EntityKindSchema,
  group: GroupSpec.optional(),
  fields: z.record(z.string(), FieldSpec),
  /**
   * Lay the read fields over the stored entity instead of replacing it (prices over an offer
   * that CommerceML brought, keeping its stock). `defaults` fill an entity nothing stored yet.
   */
  merge: z.boolean().default(false),
  defaults: z.record(z.string(), z.unknown()).default({}),
}

export const ODataSource = z.strictObject({
  ...MappedRecords,
  every: Duration.default(900_000),
  read: ReadSpec,
  joins: z.record(z.string(), JoinSpec).default({}),
})
export type ODataSource = z.infer<typeof ODataSource>

/**
 * The integrator's own XML (bonus balances exported by a custom 1C processing) delivered through
 * the CommerceML exchange like any file: a file whose name matches is read as records at `record`
 * (element names joined by `/`); field paths inside a record use `.` and `@attribute`.
 */
export const XmlSource = z.strictObject({
  ...MappedRecords,
  /** File name pattern, `*` as a wildcard: `bonus*.xml`. */
  match: z.string().min(1),
  record: z.string().min(1),
})
export type XmlSource = z.infer<typeof XmlSource>

export const XmlProfile = z.strictObject({
  minorDigits: z.number().int().min(0).max(4).default(2),
  /** The time zone of dates in the files (1C writes naive wall-clock times). */
  timeZone: z.string().default('Europe/Moscow'),
  sources: z.array(XmlSource).min(1),
})
export type XmlProfile = z.infer<typeof XmlProfile>

export const ODataProfile = z.strictObject({
  /** Digits of minor units of the base's money (2: kopecks). */
  minorDigits: z.number().int().min(0).max(4).default(2),
  sources: z.array(ODataSource).min(1),
})
export type ODataProfile = z.infer<typeof ODataProfile>
