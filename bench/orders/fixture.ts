/**
 * The orders bench's data (also loaded by the import bench for its quotes): 20,000 products in 40
 * price groups with their offers, a programme with caps for 20 price groups and a 10,000-product
 * segment, 1,000 customers with accounts; carts of 10 lines. Deterministic.
 */
import type { Entity } from '../../src/domain/index.ts'

export const PRODUCTS = 20_000
export const CUSTOMERS = 1_000

export const product = (index: number) => `p${index}`
/** A deterministic pseudo-random sequence (the same carts every run). */
export function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

export function seed(): Entity[] {
  const entities: Entity[] = []
  for (let index = 0; index < PRODUCTS; index += 1) {
    entities.push({
      kind: 'product',
      data: {
        id: product(index),
        sku: null,
        name: `Товар ${index}`,
        groupIds: [],
        priceGroupId: `g${index % 40}`,
        barcode: null,
        properties: {},
        bonusEligible: null,
        maxBonusPercent: null,
        removed: false,
      },
    })
    entities.push({
      kind: 'offer',
      data: {
        id: product(index),
        productId: product(index),
        variantId: null,
        prices: { retail: { amountMinor: 10_000 + index, currency: 'RUB' } },
        stock: { total: 10, warehouses: {} },
        removed: false,
      },
    })
  }
  entities.push({
    kind: 'product_segment',
    data: { id: 'segment', members: Object.fromEntries(Array.from({ length: PRODUCTS / 2 }, (_, index) => [product(index * 2), true as const])) },
  })
  entities.push({
    kind: 'bonus_programme',
    data: {
      id: 'programme',
      name: 'Бонусы',
      maxRedeemPercent: 30,
      priceGroupCaps: Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`g${index}`, 10 + index])),
      segmentId: 'segment',
      pointValue: '1',
      currency: 'RUB',
      capsIgnoreDiscounts: false,
    },
  })
  for (let index = 0; index < CUSTOMERS; index += 1) {
    entities.push({ kind: 'customer', data: { id: `c${index}`, name: `Покупатель ${index}`, inn: null, kpp: null, headId: null, priceTypeId: 'retail' } })
    entities.push({
      kind: 'bonus_account',
      data: { customerId: `c${index}`, programId: 'programme', balanceMinor: 1_000_000_000, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 30, priceGroupCaps: {} },
    })
  }
  return entities
}

export function carts(count: number, next: () => number) {
  return Array.from({ length: count }, () =>
    Array.from({ length: 10 }, (_, line) => {
      // The first line is always in the segment and a capped price group: every cart can take bonuses.
      const index = line === 0 ? 2 * Math.floor(next() * 10) : Math.floor(next() * PRODUCTS)
      return { offerId: product(index), quantity: 1 + Math.floor(next() * 5), unitPriceMinor: 10_000 + index, ...(next() < 0.3 && { autoDiscountPercent: 5 }) }
    }),
  )
}
