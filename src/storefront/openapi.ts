/**
 * The OpenAPI document as client generators need it: named component schemas for what requests
 * and answers carry, the webhook messages as schemas, and a security scheme per audience
 * (storefront key, admin token). Unions are kept out of request and answer bodies (PHP
 * generators cannot read `oneOf`/`anyOf`); a nullable field is `nullable: true`.
 */
import type { FastifyInstance, RouteOptions } from 'fastify'
import { z } from 'zod'
import { BonusAccount, BonusMovement, BonusProgramme, Customer, Group, Offer, PriceType, ProductSegment, Property, Warehouse } from '../domain/index.ts'
import { OrderInput, QuoteAnswer, QuoteRequest } from '../orders/index.ts'
import {
  BonusConditions,
  BonusOffersAnswer,
  CancelRequest,
  CustomerView,
  ErrorBody,
  FeedAnswer,
  GroupView,
  OfferView,
  OrderView,
  PriceTypeView,
  ProductDetail,
  ProductShape,
  ProductView,
  PropertyView,
  SpendableBonus,
  WarehouseView,
} from './schemas.ts'

export const SECURITY_SCHEMES = {
  storefrontKey: { type: 'http', scheme: 'bearer', description: 'A storefront’s REST API key (`sk_…`): issued by the admin API, or listed in the config file.' },
  adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN: support staff and operators.' },
} as const

/**
 * Every route registered inside `app` is documented as needing this scheme, and as answering
 * the shared Error for a bad request, a missing or wrong credential and what is not there.
 */
export function securedBy(app: FastifyInstance, scheme: keyof typeof SECURITY_SCHEMES): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = (route.schema ??= {}) as Record<string, unknown>
    schema.security ??= [{ [scheme]: [] }]
    const response = (schema.response ??= {}) as Record<string, unknown>
    for (const status of [400, 401, 404]) response[status] ??= ErrorBody
  })
}

/** A message body as it is posted: `{ type, timestamp, data }`. */
const message = <T extends z.ZodType>(types: [string, ...string[]], data: T, description: string) =>
  z.object({ type: z.enum(types), timestamp: z.string().describe('When the message was sent (ISO 8601).'), data }).describe(description)

const Entity = <T extends z.ZodObject>(schema: T) => schema.extend({ version: z.number().int().describe('Drop a message whose version is lower than one you have.') })

export const WEBHOOK_MESSAGES = {
  OfferMessage: message(['offer.updated', 'offer.removed'], Entity(Offer), 'An offer changed (prices, stock) or was removed.'),
  ProductMessage: message(['product.updated', 'product.removed'], Entity(ProductShape), 'A product changed or was removed.'),
  GroupMessage: message(['group.updated', 'group.removed'], Entity(Group), 'A group of the catalogue tree changed (name, parent, order) or was removed.'),
  PropertyMessage: message(['property.updated', 'property.removed'], Entity(Property), 'A property changed (name, value type, its reference values) or was removed.'),
  PriceTypeMessage: message(['price_type.updated', 'price_type.removed'], Entity(PriceType), 'A price type changed.'),
  WarehouseMessage: message(['warehouse.updated', 'warehouse.removed'], Entity(Warehouse), 'A warehouse changed.'),
  CustomerMessage: message(['customer.updated', 'customer.removed'], Entity(Customer), 'A customer in the storefront’s scope changed.'),
  BonusMessage: message(
    ['bonus.updated', 'bonus.removed'],
    Entity(BonusAccount.extend({ heldMinor: z.number().int(), availableMinor: z.number().int() })),
    'A bonus account changed in 1C, or a hold was taken or ended: `availableMinor` is what the customer can spend now.',
  ),
  BonusProgrammeMessage: message(['bonus_programme.updated', 'bonus_programme.removed'], Entity(BonusProgramme), 'A bonus programme’s rules changed.'),
  ProductSegmentMessage: message(['product_segment.updated', 'product_segment.removed'], Entity(ProductSegment), 'A product segment’s members changed.'),
  CustomerSignalMessage: message(
    ['customer.level_changed', 'customer.churn_risk'],
    Entity(
      z.object({
        customerId: z.string(),
        level: z.string().nullable().optional().describe('customer.level_changed: the new level (null: none now)'),
        previous: z.string().nullable().optional().describe('customer.level_changed: the level before'),
        turnoverMinor: z.number().int().optional().describe('customer.level_changed: the turnover of the period the level was read from'),
        periodDays: z.number().int().optional(),
        zone: z.enum(['none', 'warning', 'red']).optional().describe('customer.churn_risk: the zone entered (none: the customer bought again)'),
        daysOverdue: z.number().int().optional().describe('customer.churn_risk: days past the usual cycle'),
        cycleDays: z.number().nullable().optional().describe('customer.churn_risk: the usual gap between purchases, days'),
        gapDays: z.number().int().nullable().optional(),
        lastPurchaseAt: z.string().nullable().optional(),
      }),
    ),
    '`customer.level_changed`: the customer’s level changed (by turnover, or as 1C gives it). `customer.churn_risk`: a regular customer went quiet — the warning zone (+10 % over its usual cycle) or the red zone (+30 %) — or bought again (`zone: none`); sent once per change.',
  ),
  BonusMovementMessage: message(
    ['bonus_movement.updated', 'bonus_movement.removed'],
    Entity(BonusMovement),
    'A movement of a bonus account as 1C keeps it (the ledger): new or changed, or gone because 1C unposted its document.',
  ),
  BonusLedgerMessage: message(
    ['bonus.accrued', 'bonus.written_off', 'bonus.expiring'],
    Entity(
      z.object({
        customerId: z.string(),
        movementId: z.string(),
        kind: BonusMovement.shape.kind,
        deltaMinor: z.number().int().describe('The change of what the customer can spend, minor units; negative for a write-off or an expiry.'),
        reason: z.string().describe('In words, Russian: «Начисление: начисление и списание бонусных баллов № ОП00-000101».'),
        document: BonusMovement.shape.document,
        at: z.string(),
        activatesAt: z.string().nullable(),
        expiresAt: z.string().nullable(),
        order: z.object({ id: z.string(), number: z.string() }).nullable().describe('The order of this service the write-off paid for, when it came from one.'),
      }),
    ),
    '`bonus.accrued`: 1C accrued points (or reversed a write-off); `bonus.written_off`: 1C wrote points off (an order paid with them, a correction); `bonus.expiring`: a batch of points will expire at `at` (sent once, `expiringDays` before).',
  ),
  OrderMessage: message(
    ['order.accepted', 'order.exported', 'order.status_changed', 'order.failed'],
    Entity(
      z.object({
        id: z.string(),
        externalId: z.string(),
        number: z.string(),
        customerId: z.string(),
        status: z.string(),
        bonusMinor: z.number().int(),
        oneC: z.record(z.string(), z.unknown()).describe('What 1C says of the order: its number, date, posted, cancelled, payment, shipment, status.'),
        error: z.string().nullable(),
        exportedAt: z.string().nullable(),
        createdAt: z.string(),
        updatedAt: z.string(),
      }),
    ),
    'One of this storefront’s orders moved on (only the storefront that placed it gets it).',
  ),
} as const

const registered = new WeakSet<z.ZodType>()
function register(id: string, schema: z.ZodType, example?: unknown): void {
  if (registered.has(schema)) return
  registered.add(schema)
  // A description given with .describe() is kept.
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id, ...(example !== undefined && { example }) })
}

const CUSTOMER = 'b9a7d2f0-3c1e-11ee-8000-00155d0a1b01'
const OFFER = 'c1f4e8a2-3c1e-11ee-8000-00155d0a1b02#d2e5f9b3-3c1e-11ee-8000-00155d0a1b03'
const EXAMPLES: Record<string, unknown> = {
  QuoteRequest: { customerId: CUSTOMER, lines: [{ offerId: OFFER, quantity: 2 }], requestedPoints: 50_000 },
  NewOrder: {
    externalId: 's1-100045',
    number: 'S1-100045',
    customerId: CUSTOMER,
    lines: [{ offerId: OFFER, quantity: 2, autoDiscountPercent: 5 }],
    bonusMinor: 50_000,
    delivery: { method: 'Курьер', address: 'Москва, ул. Тверская, 1', priceMinor: 50_000 },
    paymentMethod: 'Счёт',
    comment: 'Позвонить за час',
  },
  Error: {
    error: {
      code: 'UNPROCESSABLE',
      message: 'this order may take at most 42000 bonus points (minor units)',
      requestId: 'f5202f59-8ded-4db0-9522-a135815a8e8e',
      details: { maxRedeemableMinor: 42_000 },
    },
  },
}

/** Names the schemas once per process (the registry is global). */
export function registerComponents(): void {
  const named: Record<string, z.ZodType> = {
    Error: ErrorBody,
    PriceType: PriceTypeView,
    Warehouse: WarehouseView,
    Offer: OfferView,
    Product: ProductView,
    ProductDetail,
    Group: GroupView,
    Property: PropertyView,
    Customer: CustomerView,
    SpendableBonus,
    BonusConditions,
    BonusOffersPage: BonusOffersAnswer,
    QuoteRequest,
    Quote: QuoteAnswer,
    NewOrder: OrderInput,
    CancelRequest,
    Order: OrderView,
    ChangeFeedPage: FeedAnswer,
    ...WEBHOOK_MESSAGES,
  }
  for (const [id, schema] of Object.entries(named)) register(id, schema, EXAMPLES[id])
}
