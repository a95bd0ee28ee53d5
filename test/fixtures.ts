/** Small builders of valid normalized entities; tests override what they are about. */
import type { Entity, Offer, Product } from '../src/domain/index.ts'

export function offer(id: string, overrides: Partial<Offer> = {}): Entity {
  return {
    kind: 'offer',
    data: {
      id,
      productId: id.split('#')[0] ?? id,
      variantId: id.includes('#') ? (id.split('#')[1] ?? null) : null,
      prices: { 'retail-price-type': { amountMinor: 12_345, currency: 'RUB' } },
      stock: { total: 10, warehouses: { 'main-warehouse': 10 } },
      removed: false,
      ...overrides,
    },
  }
}

export function product(id: string, overrides: Partial<Product> = {}): Entity {
  return {
    kind: 'product',
    data: {
      id,
      sku: `SKU-${id}`,
      name: `Product ${id}`,
      groupIds: ['group-1'],
      priceGroupId: null,
      barcode: null,
      properties: {},
      bonusEligible: null,
      maxBonusPercent: null,
      removed: false,
      ...overrides,
    },
  }
}
