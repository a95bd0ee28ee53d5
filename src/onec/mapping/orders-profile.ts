/**
 * How an order becomes a 1C document over OData (`orders.odata` of a profile): which document,
 * which field carries the storefront's order number (1C has no idempotency: we search by it
 * before creating), values read from 1C first (the customer's counterparty and agreement), and
 * the header and line fields, each a constant or a value of the order. Data, never code.
 */
import { z } from 'zod'

export const ORDER_VALUE_TRANSFORMS = [
  'text', // as text ('' when missing)
  'money', // integer minor units → a JSON number in currency units (exact: 1425.02)
  'number', // a number as it is (quantities, percents)
  'int', // an integer
  'guid', // a reference key; missing → the empty reference 00000000-0000-0000-0000-000000000000
  'boolean',
] as const

/**
 * Where a document field comes from. A plain value is a constant; `{ from }` names a value:
 * `order.number|id|externalId|customerId|comment|paymentMethod|date|totalMinor|bonusMinor|bonusMoneyMinor|deliveryMinor`,
 * `lookup.<name>.<field>`, and in lines `line.no|offerId|productId|variantId|quantity|unitPriceMinor|grossMinor|discountMinor|discountPercent|sumMinor|bonusMinor|bonusMoneyMinor`.
 */
export const OrderValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({
    from: z.string().regex(/^(order|line|lookup)\.[^.\s]+(\.[^.\s]+)?$/, 'order.<field>, line.<field> or lookup.<name>.<field>'),
    transform: z.enum(ORDER_VALUE_TRANSFORMS).default('text'),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  }),
])
export type OrderValue = z.infer<typeof OrderValue>

export const OrderLookup = z.strictObject({
  /** Entity set read: `Catalog_Контрагенты`. */
  set: z.string().trim().min(1),
  /** OData filter; `{order.customerId}` and other `{order.<field>}` are replaced (quotes doubled), `{now}` is now on the 1C clock. */
  filter: z.string().trim().min(1),
  select: z.array(z.string()).min(1),
  orderby: z.string().optional(),
  /** No row found fails the order naming the lookup; else its fields are empty. */
  required: z.boolean().default(true),
})

export const ODataOrders = z.strictObject({
  /** The document's entity set. */
  document: z.string().trim().min(1).default('Document_ЗаказКлиента'),
  /** The document field holding the storefront's order number: searched before every create. */
  numberField: z.string().trim().min(1).default('НомерПоДаннымКлиента'),
  /** Post the document after creating it (УТ 11.5 writes the bonus write-off when posting). */
  post: z.boolean().default(true),
  lookups: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain name'), OrderLookup).default({}),
  header: z.record(z.string(), OrderValue),
  lines: z.strictObject({
    /** The tabular part: `Товары`. */
    into: z.string().trim().min(1).default('Товары'),
    fields: z.record(z.string(), OrderValue),
  }),
  status: z
    .strictObject({
      /** The document field with 1C's status (an enum value name). */
      field: z.string().default('Статус'),
      /** Status values that mean the order is cancelled. */
      cancelled: z.array(z.string()).default([]),
    })
    .prefault({}),
})
export type ODataOrders = z.infer<typeof ODataOrders>

export const OrdersProfile = z.strictObject({
  /**
   * The longest storefront order number 1C keeps: УТ 11 holds the site's number in a string of
   * 11 characters and cuts a longer one, after which 1C no longer finds the order by it. A longer
   * number is refused at intake (422 naming `number`); raise it for a configuration that holds more.
   */
  numberMaxLength: z.number().int().min(1).max(100).default(11),
  /**
   * Whose prices an order carries. `strict` (default): each line is priced from the stored offer
   * price of the customer's price type (the agreement in force), a `unitPriceMinor` the storefront
   * sends must equal it (else 422 naming the line), and the document sent to 1C carries that
   * price. `storefront`: the storefront's `unitPriceMinor` is taken as sent (shops whose prices
   * do not come from 1C); a line without one is priced as in `strict`.
   */
  prices: z.enum(['strict', 'storefront'], { error: 'must be strict or storefront' }).default('strict'),
  /** The price type of customers no agreement gives one (a 1C `ВидЦен` Ref_Key / CommerceML `ИдТипаЦены`). */
  fallbackPriceType: z.string().trim().min(1).max(200).optional(),
  odata: ODataOrders.optional(),
})
export type OrdersProfile = z.infer<typeof OrdersProfile>
