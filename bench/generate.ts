/** Input generators for benchmarks: deterministic, UT 11-shaped normalized offers. */
import type { Entity } from '../src/domain/index.ts'

export interface OfferShape {
  offers: number
  priceTypes: number
  warehouses: number
}

const guid = (prefix: number, index: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`

export function generateOffers(shape: OfferShape, revision = 0, changeEvery = 0): Entity[] {
  const priceTypes = Array.from({ length: shape.priceTypes }, (_, index) => guid(0xa, index))
  const warehouses = Array.from({ length: shape.warehouses }, (_, index) => guid(0xb, index))
  return Array.from({ length: shape.offers }, (_, index) => {
    const bump = changeEvery > 0 && index % changeEvery === 0 ? revision : 0
    return {
      kind: 'offer',
      data: {
        id: `${guid(0xc, index)}#${guid(0xd, index)}`,
        productId: guid(0xc, index),
        variantId: guid(0xd, index),
        prices: Object.fromEntries(priceTypes.map((id, p) => [id, { amountMinor: 10_000 + index * 7 + p * 100 + bump, currency: 'RUB' }])),
        stock: {
          total: shape.warehouses * 5,
          warehouses: Object.fromEntries(warehouses.map((id) => [id, 5])),
        },
        removed: false,
      },
    } satisfies Entity
  })
}
