/**
 * One OData source of a mapping profile → normalized entities: read the entity set or virtual
 * table, fetch the joined sets by reference, and map every field through its transform.
 * Errors name the source, the row and the field.
 */
import { formatDecimal, parseDecimal, parseDecimalNumber, toMinorUnits, type Entity } from '../../domain/index.ts'
import { normalizeCurrency } from '../commerceml/currency.ts'
import type { FieldSpec, GroupSpec } from '../mapping/odata-profile.ts'

/** What mapRows needs of a source: OData and XML sources share it. */
export interface MappedSource {
  name: string
  entity: Entity['kind']
  fields: Record<string, FieldSpec>
  group?: GroupSpec | undefined
}
import type { ODataSource } from '../mapping/odata-profile.ts'
import { datetimeLiteral, guidLiteral, quote, type ODataClient, type ODataRow } from './client.ts'
import { fromNaive, toNaive } from './time.ts'

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000'
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class SourceRowError extends Error {
  readonly source: string
  readonly row: string
  readonly field: string
  constructor(source: string, row: string, field: string, reason: string) {
    super(`source ${source}, row ${row}, field ${field}: ${reason}`)
    this.name = 'SourceRowError'
    this.source = source
    this.row = row
    this.field = field
  }
}

function at(context: ODataRow, path: string): unknown {
  let value: unknown = context
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '')

function text(value: unknown): string | null {
  if (blank(value)) return null
  return String(value).trim()
}

function id(value: unknown): string | null {
  const result = text(value)
  return result === null || result === EMPTY_GUID ? null : result
}

function decimalText(value: unknown): string | null {
  if (blank(value)) return null
  return String(value).trim()
}

function percent(value: unknown): number | null {
  const raw = decimalText(value)
  if (raw === null) return null
  const number = parseDecimalNumber(raw)
  if (number < 0 || number > 100) throw new Error(`${number} is outside 0..100`)
  return number
}

/**
 * The enum values of 1C's ЮрФизЛицо (УТ 11, КА 2, ERP: ЮрЛицо, ЮрЛицоНеРезидент,
 * ИндивидуальныйПредприниматель, ФизЛицо, ОбособленноеПодразделение) and of БП's
 * ЮридическоеФизическоеЛицо (ЮридическоеЛицо, ФизическоеЛицо).
 */
function legalForm(value: string): 'company' | 'entrepreneur' | 'person' {
  if (value === 'ИндивидуальныйПредприниматель') return 'entrepreneur'
  if (/^(ЮрЛицо|ЮридическоеЛицо|ОбособленноеПодразделение|ГосударственныйОрган)/.test(value)) return 'company'
  if (/^(ФизЛицо|ФизическоеЛицо)/.test(value)) return 'person'
  throw new Error(`${JSON.stringify(value)} is not a value of ЮрФизЛицо (ЮрЛицо, ЮрЛицоНеРезидент, ИндивидуальныйПредприниматель, ФизЛицо, ОбособленноеПодразделение)`)
}

const expense = (recordType: unknown) => {
  const raw = text(recordType)
  if (raw !== 'Receipt' && raw !== 'Expense') throw new Error(`${JSON.stringify(recordType)} is not a RecordType (Receipt, Expense)`)
  return raw === 'Expense'
}

/**
 * What a record of БонусныеБаллы did: a reversal (Сторно) first; then by its effect on what can be
 * spent — more accrued: an accrual, less accrued: a write-off, more to write off (a scheduled
 * write-off of expiring points): an expiry; only reserved moved: a reservation.
 */
function movementKind([recordType, accrued, toWriteOff, _reserved, reversal]: unknown[], minorDigits: number): string {
  if (reversal === true || reversal === 'true') return 'reversal'
  const sign = expense(recordType) ? -1 : 1
  const minor = (item: unknown) => sign * toMinorUnits(decimalText(item) ?? '0', minorDigits)
  const accruedMinor = minor(accrued)
  if (accruedMinor > 0) return 'accrual'
  if (accruedMinor < 0) return 'write_off'
  if (minor(toWriteOff) !== 0) return 'expiry'
  return 'reservation'
}

/** The transforms of register records and their recorders (the bonus ledger); null: empty. */
function registerTransform(name: 'first' | 'documentType' | 'movementAmount' | 'movementKind', value: unknown, minorDigits: number): unknown {
  switch (name) {
    case 'first':
      return (Array.isArray(value) ? value : [value]).map(text).find((item) => item !== null && item !== EMPTY_GUID) ?? null
    case 'documentType': {
      const raw = text(value)
      return raw === null || raw === 'StandardODATA.Undefined' ? null : raw.replace(/^StandardODATA\./, '').replace(/^Document_/, '')
    }
    case 'movementAmount': {
      const [recordType, accrued, toWriteOff] = value as unknown[]
      const sign = expense(recordType) ? -1 : 1
      return sign * (toMinorUnits(decimalText(accrued) ?? '0', minorDigits) - toMinorUnits(decimalText(toWriteOff) ?? '0', minorDigits))
    }
    default:
      return movementKind(value as unknown[], minorDigits)
  }
}

export interface TransformOptions {
  minorDigits: number
  /** The 1C server's time zone, for `datetime`. */
  timeZone: string
}

export function applyTransform(spec: FieldSpec, context: ODataRow, options: TransformOptions): unknown {
  const { minorDigits } = options
  const from = spec.from
  const value = Array.isArray(from) ? from.map((path) => at(context, path)) : from === undefined ? undefined : at(context, from)
  const fallback = () => (spec.default === undefined ? null : spec.default)
  switch (spec.transform) {
    case 'constant':
      return spec.value
    case 'text':
      return text(value) ?? fallback()
    case 'id':
      return id(value) ?? fallback()
    case 'money': {
      const raw = decimalText(value)
      return raw === null ? fallback() : toMinorUnits(raw, minorDigits)
    }
    case 'available': {
      const [accrued, toWriteOff] = (value as unknown[]).map((item) => toMinorUnits(decimalText(item) ?? '0', minorDigits)) as [number, number]
      return Math.max(0, accrued - Math.max(0, toWriteOff))
    }
    case 'percent':
      return percent(value) ?? fallback()
    case 'number': {
      const raw = decimalText(value)
      return raw === null ? fallback() : parseDecimalNumber(raw)
    }
    case 'boolean':
      if (value === true || value === 'true') return true
      if (value === false || value === 'false') return false
      if (blank(value)) return fallback()
      throw new Error(`${JSON.stringify(value)} is not a boolean`)
    case 'currency': {
      const raw = text(value)
      return raw === null ? fallback() : normalizeCurrency(raw)
    }
    case 'caps': {
      const out: Record<string, number> = {}
      for (const row of Array.isArray(value) ? (value as ODataRow[]) : []) {
        const key = id(row[spec.key ?? ''])
        const cap = percent(row[spec.valueField ?? ''])
        if (key !== null && cap !== null) out[key] = cap
      }
      return out
    }
    case 'ids':
      return (Array.isArray(value) ? (value as ODataRow[]) : []).map((row) => id(row[spec.key ?? ''])).filter((item): item is string => item !== null)
    case 'datetime': {
      const raw = text(value)
      return raw === null ? fallback() : (fromNaive(raw, options.timeZone)?.toISOString() ?? fallback())
    }
    case 'decimal': {
      const raw = decimalText(value)
      if (raw === null) return fallback()
      const exact = parseDecimal(raw)
      return formatDecimal(exact).replace(/^(-?\d+)\.?0*$|(\.\d*?)0+$/, (_match, whole: string | undefined, fraction: string | undefined) => whole ?? fraction ?? '')
    }
    case 'legalForm': {
      const raw = text(value)
      return raw === null ? fallback() : legalForm(raw)
    }
    case 'first':
    case 'documentType':
    case 'movementAmount':
    case 'movementKind':
      return registerTransform(spec.transform, value, minorDigits) ?? fallback()
    case 'offerId': {
      const [product, characteristic] = (Array.isArray(value) ? value : [value]).map(id)
      if (!product) return fallback()
      return characteristic ? `${product}#${characteristic}` : product
    }
  }
}

/** Sets `a` or `a.b` in `target`, creating the inner object. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head = '', tail] = path.split('.') as [string, string?]
  if (tail === undefined) {
    target[head] = value
    return
  }
  const inner = (target[head] ??= {}) as Record<string, unknown>
  inner[tail] = value
}

function literalFor(value: string): string {
  return GUID.test(value) ? guidLiteral(value) : quote(value)
}

/** Reads a source's rows with their joins; returns the rows as contexts for the field map. */
/** `{now}` (and a window's `{from}`, `{to}`) in a filter or condition: on the 1C server clock, as datetime literals. */
function withNow(text: string | undefined, now: string, window?: { from: string; to: string }): string | undefined {
  const out = text?.replaceAll('{now}', now)
  return window ? out?.replaceAll('{from}', window.from).replaceAll('{to}', window.to) : out
}

/** A window of a register's records, as instants; `{from}` ≤ Period < `{to}` on the 1C server clock. */
export interface ReadWindow {
  from: Date
  to: Date
}

export async function readRows(client: ODataClient, source: ODataSource, window?: ReadWindow): Promise<ODataRow[]> {
  const now = datetimeLiteral(toNaive(new Date(), client.timeZone))
  const literal = window && { from: datetimeLiteral(toNaive(window.from, client.timeZone)), to: datetimeLiteral(toNaive(window.to, client.timeZone)) }
  const read = { ...source.read, filter: withNow(source.read.filter, now, literal), condition: withNow(source.read.condition, now, literal) }
  const rows = read.virtualTable
    ? await client.virtualTable(read.set, read.virtualTable, {
        ...(read.condition ? { condition: read.condition } : {}),
        query: { ...(read.select ? { select: read.select } : {}), ...(read.filter ? { filter: read.filter } : {}) },
      })
    : await client.list(
        read.set,
        { ...(read.select ? { select: read.select } : {}), ...(read.filter ? { filter: read.filter } : {}), orderby: read.orderby },
        { pageSize: read.pageSize },
      )
  const contexts = rows.map((row) => ({ ...row }))
  for (const [alias, join] of Object.entries(source.joins)) {
    const keys = [...new Set(contexts.map((context) => id(at(context, join.on))).filter((key): key is string => key !== null))]
    const joined =
      keys.length === 0
        ? []
        : await client.listWhereIn(join.set, join.key, keys, literalFor, {
            ...(join.select ? { select: join.select } : {}),
            ...(join.filter ? { filter: withNow(join.filter, now) } : {}),
            ...(join.orderby ? { orderby: join.orderby } : { orderby: join.key }),
          })
    const byKey = new Map<string, ODataRow[]>()
    for (const row of joined) {
      const key = id(row[join.key])
      if (key === null) continue
      const list = byKey.get(key) ?? []
      list.push(row)
      byKey.set(key, list)
    }
    for (const context of contexts) {
      const key = id(at(context, join.on))
      const matches = key === null ? [] : (byKey.get(key) ?? [])
      context[alias] = join.many ? matches : (matches[0] ?? null)
    }
  }
  return contexts
}

function field(source: MappedSource, rowName: string, name: string, spec: FieldSpec, context: ODataRow, options: TransformOptions): unknown {
  try {
    return applyTransform(spec, context, options)
  } catch (error) {
    throw new SourceRowError(source.name, rowName, name, (error as Error).message)
  }
}

function rowNameOf(context: ODataRow, index: number): string {
  return String(context.Ref_Key ?? context.Партнер_Key ?? context.Номенклатура_Key ?? `#${index + 1}`)
}

/** Pulled data for each entity: whole entities, or (with `merge`) the fields to lay over stored ones. */
export function mapRows(source: MappedSource, contexts: ODataRow[], options: TransformOptions): Array<{ kind: Entity['kind']; data: Record<string, unknown> }> {
  const one = (context: ODataRow, index: number) => {
    const data: Record<string, unknown> = {}
    // A dotted name fills a nested field (`document.number`).
    for (const [name, spec] of Object.entries(source.fields)) setPath(data, name, field(source, rowNameOf(context, index), name, spec, context, options))
    return data
  }
  const { group } = source
  if (!group) return contexts.map((context, index) => ({ kind: source.entity, data: one(context, index) }))

  const groups = new Map<string, { data: Record<string, unknown>; collected: Record<string, unknown>; total: number }>()
  contexts.forEach((context, index) => {
    const rowName = rowNameOf(context, index)
    const key = field(source, rowName, 'group.by', group.by, context, options)
    if (key === null || key === undefined) return
    let entry = groups.get(String(key))
    if (!entry) groups.set(String(key), (entry = { data: one(context, index), collected: {}, total: 0 }))
    const itemKey = field(source, rowName, 'group.key', group.key, context, options)
    if (itemKey === null || itemKey === undefined) return
    let value: unknown
    if ('transform' in group.value && typeof group.value.transform === 'string') {
      value = field(source, rowName, 'group.value', group.value as FieldSpec, context, options)
    } else {
      value = Object.fromEntries(
        Object.entries(group.value as Record<string, FieldSpec>).map(([name, spec]) => [name, field(source, rowName, `group.value.${name}`, spec, context, options)]),
      )
    }
    const previous = entry.collected[String(itemKey)]
    entry.collected[String(itemKey)] = typeof value === 'number' && typeof previous === 'number' ? previous + value : value
    if (typeof value === 'number') entry.total += value
  })
  return [...groups.values()].map(({ data, collected, total }) => {
    setPath(data, group.into, collected)
    if (group.totalInto) setPath(data, group.totalInto, total)
    return { kind: source.entity, data }
  })
}
