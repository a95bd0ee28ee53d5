/**
 * The 1C order document from an order, as the profile's `orders.odata` section says: its header
 * and lines from the order's values, lookups in 1C (agreement, warehouse…), and the order's own
 * number as the idempotency anchor. Speaks 1C only; what an order is comes from the caller.
 */
import { formatMinorUnits, priceOrder, type LineAtPrice, type Quote } from '../../domain/index.ts'
import type { ODataOrders, OrderValue } from '../mapping/orders-profile.ts'
import { quote, type ODataClient, type ODataRow } from './client.ts'
import { toNaive } from './time.ts'

export const EMPTY_REF = '00000000-0000-0000-0000-000000000000'

/** What the document is made from: the order as taken, with the quote computed at intake. */
export interface OrderForDocument {
  id: string
  number: string
  externalId: string
  customerId: string
  createdAt: Date
  bonusMinor: number
  lines: readonly LineAtPrice[]
  delivery?: Record<string, unknown> | undefined
  comment?: string | undefined
  paymentMethod?: string | undefined
  quote: Quote
}

/** A misconfigured profile or a value 1C cannot take: fails the order, naming the field. */
export class OrderMappingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OrderMappingError'
  }
}

type Scope = { order: Record<string, unknown>; line?: Record<string, unknown>; lookup: Record<string, ODataRow | null> }

function pick(scope: Scope, path: string): unknown {
  const [root, name, field] = path.split('.')
  if (root === 'order') return scope.order[name ?? '']
  if (root === 'line') return scope.line?.[name ?? '']
  const row = scope.lookup[name ?? '']
  if (row === undefined) throw new OrderMappingError(`${path}: no lookup named ${JSON.stringify(name)} in orders.odata.lookups`)
  return row === null ? undefined : row[field ?? '']
}

/** One field's value for the document body. */
export function orderValue(spec: OrderValue, scope: Scope, minorDigits: number, field: string): unknown {
  if (typeof spec !== 'object') return spec
  const raw = pick(scope, spec.from)
  const value = raw === undefined || raw === null || raw === '' ? spec.default : raw
  switch (spec.transform) {
    case 'money': {
      if (value === undefined) return 0
      const minor = Number(value)
      if (!Number.isSafeInteger(minor)) throw new OrderMappingError(`${field}: ${spec.from} is not whole minor units (${JSON.stringify(value)})`)
      // The exact decimal text as a JSON number: 142502 → 1425.02.
      return Number(formatMinorUnits(minor, minorDigits))
    }
    case 'number':
    case 'int': {
      if (value === undefined) return 0
      const number = Number(value)
      if (!Number.isFinite(number)) throw new OrderMappingError(`${field}: ${spec.from} is not a number (${JSON.stringify(value)})`)
      return spec.transform === 'int' ? Math.trunc(number) : number
    }
    case 'guid':
      return typeof value === 'string' && value !== '' ? value : EMPTY_REF
    case 'boolean':
      return value === true || value === 'true'
    default:
      return value === undefined ? '' : String(value)
  }
}

const fill = (template: string, order: Record<string, unknown>, now: string) =>
  template.replaceAll('{now}', `datetime'${now}'`).replace(/\{order\.([A-Za-z]+)\}/g, (_, name: string) => quote(String(order[name] ?? '')).slice(1, -1))

export const rowsOf = (body: ODataRow): ODataRow[] => (Array.isArray(body.value) ? (body.value as ODataRow[]) : [])

/** The order's values the profile may name (`order.*`, `line.*`). */
export function orderScope(order: OrderForDocument, timeZone: string) {
  const priced = priceOrder(order.lines, order.quote, order.delivery)
  const lineScopes = priced.lines.map((line, index) => {
    const [productId, variantId] = line.offerId.split('#')
    return {
      no: String(index + 1),
      offerId: line.offerId,
      productId,
      variantId: variantId ?? null,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      grossMinor: line.grossMinor,
      discountMinor: line.discountMinor,
      discountPercent: line.autoDiscountPercent ?? 0,
      sumMinor: line.sumMinor,
      bonusMinor: line.bonusMinor,
      bonusMoneyMinor: line.bonusMoneyMinor,
    }
  })
  const values = {
    id: order.id,
    number: order.number,
    externalId: order.externalId,
    customerId: order.customerId,
    comment: order.comment ?? '',
    paymentMethod: order.paymentMethod ?? '',
    date: toNaive(order.createdAt, timeZone),
    totalMinor: priced.totalMinor,
    deliveryMinor: priced.deliveryMinor,
    bonusMinor: order.bonusMinor,
    bonusMoneyMinor: order.quote.appliedMoneyMinor ?? 0,
  }
  return { order: values, lineScopes }
}

/** The document 1C already has for this order number (a retry after a timeout), if any. */
export async function findOrderDocument(client: ODataClient, profile: ODataOrders, number: string): Promise<ODataRow | null> {
  const found = rowsOf(
    await client.get(profile.document, {
      filter: `${profile.numberField} eq ${quote(number)} and DeletionMark eq false`,
      select: ['Ref_Key', 'Number', 'Date', 'Posted'],
      top: 2,
    }),
  )
  return found[0] ?? null
}

/** The body to POST: lookups read from 1C, then the header and lines as the profile maps them. */
export async function buildOrderDocument(client: ODataClient, profile: ODataOrders, order: OrderForDocument, minorDigits: number): Promise<Record<string, unknown>> {
  const { order: values, lineScopes } = orderScope(order, client.timeZone)
  const now = toNaive(new Date(), client.timeZone)
  const lookup: Record<string, ODataRow | null> = {}
  for (const [name, spec] of Object.entries(profile.lookups)) {
    const filter = fill(spec.filter, values, now)
    const [first] = rowsOf(await client.get(spec.set, { filter, select: spec.select, top: 1, ...(spec.orderby && { orderby: spec.orderby }) }))
    if (!first && spec.required) throw new OrderMappingError(`lookup ${name}: ${spec.set} has no row for this order (${filter})`)
    lookup[name] = first ?? null
  }
  const body: Record<string, unknown> = {}
  for (const [field, spec] of Object.entries(profile.header)) body[field] = orderValue(spec, { order: values, lookup }, minorDigits, field)
  body[profile.lines.into] = lineScopes.map((line) =>
    Object.fromEntries(
      Object.entries(profile.lines.fields).map(([field, spec]) => [field, orderValue(spec, { order: values, line, lookup }, minorDigits, `${profile.lines.into}.${field}`)]),
    ),
  )
  // Our idempotency anchor is always written, whatever the header says.
  body[profile.numberField] = order.number
  return body
}

/** What 1C's document says of the order, from the fields the status poll reads. */
export function documentState(document: ODataRow, status: ODataOrders['status']) {
  const value = document[status.field]
  return {
    number: typeof document.Number === 'string' ? document.Number.trim() : null,
    date: typeof document.Date === 'string' ? document.Date : null,
    posted: document.Posted === true,
    deletionMark: document.DeletionMark === true,
    status: typeof value === 'string' ? value : null,
    cancelled: typeof value === 'string' && status.cancelled.includes(value),
  }
}
