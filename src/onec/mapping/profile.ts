/**
 * Mapping profiles: a YAML file per kind of 1C base saying which 1C objects, fields and XML
 * elements feed which field of the normalized model. Data, never code: a closed set of options,
 * validated on load; a bad profile stops start-up naming the file and the field.
 */
import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { ENTITY_KINDS, ENTITY_SCHEMAS, isEntityKind } from '../../domain/index.ts'
import { Duration, ODataProfile, XmlProfile } from './odata-profile.ts'
import { OrdersProfile } from './orders-profile.ts'

export const MAPPINGS_DIR = fileURLToPath(new URL('../../../mappings/', import.meta.url))

/** Where a product field comes from in a CommerceML `Товар`: a property or a requisite, by name or Ид. */
export const CmlFieldSource = z
  .strictObject({
    property: z.string().trim().min(1).optional(),
    propertyId: z.string().trim().min(1).optional(),
    requisite: z.string().trim().min(1).optional(),
  })
  .refine((value) => [value.property, value.propertyId, value.requisite].filter(Boolean).length === 1, {
    message: 'give exactly one of property, propertyId, requisite',
  })
export type CmlFieldSource = z.infer<typeof CmlFieldSource>

const CodeMapping = z
  .strictObject({
    id: z.string().trim().min(1).optional(),
    name: z.string().trim().min(1).optional(),
    code: z.string().trim().min(1),
  })
  .refine((value) => Boolean(value.id) !== Boolean(value.name), { message: 'match by exactly one of id, name' })

const CodeMap = z
  .strictObject({
    /** 1C id or name → the code storefronts use. */
    map: z.array(CodeMapping).default([]),
    /** What to do with one the map does not name: keep it under its 1C Ид, or drop it. */
    unmapped: z.enum(['keep', 'drop']).default('keep'),
  })
  .prefault({})
export type CodeMap = z.infer<typeof CodeMap>

export const CommerceMlProfile = z
  .strictObject({
    currency: z
      .strictObject({
        /** Currency of a price whose `Цена` and `ТипЦены` name none. */
        default: z.string().trim().min(1).default('RUB'),
        /** Digits after the point of minor units (2: kopecks). */
        minorDigits: z.number().int().min(0).max(4).default(2),
      })
      .prefault({}),
    priceTypes: CodeMap,
    warehouses: CodeMap,
    product: z
      .strictObject({
        bonusEligible: CmlFieldSource.nullable().default(null),
        maxBonusPercent: CmlFieldSource.nullable().default(null),
        priceGroup: CmlFieldSource.nullable().default(null),
      })
      .prefault({}),
    /** The orders XML answered to 1C's order exchange (type=sale&mode=query). */
    orders: z
      .strictObject({
        /** ВерсияСхемы written (3.x also wraps documents in Контейнер, as the 1C-Bitrix module ≥ 6.5 expects). */
        schemaVersion: z
          .string()
          .regex(/^[23]\.\d{2}$|^3\.1$/, 'like 2.08 or 3.1')
          .default('2.08'),
        /**
         * How the bonuses spent reach 1C: `requisite` — a document requisite `name` with the money
         * and one per line (the sums stay, bonuses are a means of payment as in УТ 11.5);
         * `discount` — a line discount `name` (УчтеноВСумме=false) for bases without bonus fields.
         */
        bonusPayment: z
          .strictObject({
            as: z.enum(['requisite', 'discount']).default('requisite'),
            name: z.string().trim().min(1).default('Оплачено бонусными баллами'),
          })
          .prefault({}),
        /** Ид of the delivery line (a service), as the standard exchange expects it. */
        deliveryItemId: z.string().trim().min(1).default('ORDER_DELIVERY'),
      })
      .prefault({}),
    removal: z
      .strictObject({
        /**
         * Treat all portions from the first one marked `СодержитТолькоИзменения="false"` until
         * `mode=complete` or `idleSeconds` without exchange as one full exchange, and remove what it
         * did not contain. Off by default: UT 11 marks only the first portion of a full export as
         * full, and a partial export (one group) would remove the rest. `mode=deactivate` always works.
         */
        fullExchangeWindow: z.boolean().default(false),
        idleSeconds: z.number().int().min(30).default(600),
      })
      .prefault({}),
  })
  .prefault({})
export type CommerceMlProfile = z.infer<typeof CommerceMlProfile>

/** The source name the CommerceML exchange («Обмен с сайтом») has in `owners`. */
export const EXCHANGE_SOURCE = 'commerceml'

/**
 * Which source owns a field that several sources feed (`product.priceGroupId: product-price-groups`):
 * only that source writes it; every other source's value is left out ("not sent"), so the routine
 * catalogue exchange never undoes what a pull brought. A field no entry names is written by whichever
 * source carries it, and a keyed record (an offer's prices per price type, its stock per warehouse)
 * is merged key by key.
 */
export const FieldOwners = z.record(z.string().regex(/^[a-z_]+\.[A-Za-z]+$/, 'like product.priceGroupId (entity kind, a dot, a field)'), z.string().trim().min(1))
export type FieldOwners = z.infer<typeof FieldOwners>

export const MappingProfile = z.strictObject({
  name: z.string().trim().min(1),
  description: z.string().optional(),
  commerceml: CommerceMlProfile,
  /** Pulls over 1C's OData interface; absent = none. */
  odata: ODataProfile.optional(),
  /** Custom XML files received through the exchange; absent = none. */
  xml: XmlProfile.optional(),
  /** How orders become 1C documents over OData (orders.forward = odata). */
  orders: OrdersProfile.prefault({}),
  bonus: z
    .strictObject({
      /** A customer with a head company spends from the head's account (caps included). */
      shareAtHead: z.boolean().default(false),
      /** `bonus.expiring` goes this many days before a batch of points expires (once per batch). */
      expiringDays: z.number().int().min(1).max(365).default(14),
    })
    .prefault({}),
  /** `<kind>.<field>: <source>`: the one source that writes a field several sources feed (`commerceml` is the exchange). */
  owners: FieldOwners.default({}),
  loyalty: z
    .strictObject({
      /** How often levels and churn zones are assessed: a duration such as 24h (the default) or 30m. */
      assessEvery: Duration.prefault('24h'),
      /**
       * The silent-churn signal (needs a source of `sale` entities): a customer with at least
       * `minPurchases` purchase days whose quiet spell exceeds its usual cycle by `warningPercent`
       * is in the warning zone, by `redPercent` in the red zone.
       */
      churn: z
        .strictObject({
          minPurchases: z.number().int().min(2).max(1000).default(4),
          warningPercent: z.number().min(0).max(1000).default(10),
          redPercent: z.number().min(0).max(1000).default(30),
        })
        .prefault({})
        .refine((churn) => churn.redPercent > churn.warningPercent, 'redPercent must be above warningPercent'),
      /**
       * Customer levels: `turnover` — from the sales of the last `periodDays`, the highest threshold
       * reached (`min` in currency units); `field` — the `level` the customers source reads from 1C.
       * No thresholds and `turnover`: no levels.
       */
      levels: z
        .strictObject({
          from: z.enum(['turnover', 'field']).default('turnover'),
          periodDays: z.number().int().min(1).max(3650).default(365),
          thresholds: z.array(z.strictObject({ level: z.string().trim().min(1), min: z.number().min(0) })).default([]),
        })
        .prefault({}),
    })
    .prefault({}),
})
export type MappingProfile = z.infer<typeof MappingProfile>

export class ProfileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProfileError'
  }
}

export function profilePath(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml')) {
    return isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath)
  }
  return resolve(MAPPINGS_DIR, `${nameOrPath}.yaml`)
}

/** An owner must be a source of this profile, and its field one of the entity's. */
function checkOwners(file: string, profile: MappingProfile): void {
  const sources = new Map<string, string | null>([[EXCHANGE_SOURCE, null]])
  for (const source of [...(profile.odata?.sources ?? []), ...(profile.xml?.sources ?? [])]) sources.set(source.name, source.entity)
  for (const [ref, owner] of Object.entries(profile.owners)) {
    const [kind = '', field = ''] = ref.split('.')
    if (!isEntityKind(kind)) throw new ProfileError(`${file}: owners.${ref}: no entity kind ${JSON.stringify(kind)} (${ENTITY_KINDS.join(', ')})`)
    const shape = (ENTITY_SCHEMAS[kind] as unknown as { shape: Record<string, unknown> }).shape
    if (!Object.hasOwn(shape, field)) throw new ProfileError(`${file}: owners.${ref}: ${kind} has no field ${JSON.stringify(field)}`)
    if (!sources.has(owner)) throw new ProfileError(`${file}: owners.${ref}: no source ${JSON.stringify(owner)} (sources: ${[...sources.keys()].join(', ')})`)
    const entity = sources.get(owner)
    if (entity !== null && entity !== kind) throw new ProfileError(`${file}: owners.${ref}: source ${owner} feeds ${entity}, not ${kind}`)
  }
}

export function parseProfile(file: string, content: unknown): MappingProfile {
  const parsed = MappingProfile.safeParse(content ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ProfileError(`${file}: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`)
  }
  checkOwners(file, parsed.data)
  return parsed.data
}

export async function loadProfile(nameOrPath: string): Promise<MappingProfile> {
  const file = profilePath(nameOrPath)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ProfileError(`mapping profile ${JSON.stringify(nameOrPath)}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let content: unknown
  try {
    content = parseYaml(text)
  } catch (error) {
    throw new ProfileError(`${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`)
  }
  return parseProfile(file, content)
}
