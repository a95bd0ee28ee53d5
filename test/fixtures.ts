/** Small builders of valid normalized entities; tests override what they are about. */
import type { BonusAccount, Customer, Entity, Offer, Product } from '../src/domain/index.ts'
import type { QuoteRules } from '../src/orders/index.ts'

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

/** A customer whose agreement in force gives the price type `offer()` prices in. */
export function customer(id: string, overrides: Partial<Customer> = {}): Entity {
  return { kind: 'customer', data: { id, name: `ООО «${id}»`, inn: '7701234567', kpp: null, headId: null, priceTypeId: 'retail-price-type', ...overrides } }
}

/** A customer's bonus account of `balanceMinor` points, bonuses up to 50 % of a line. */
export function bonusAccount(customerId: string, balanceMinor: number, overrides: Partial<BonusAccount> = {}): Entity {
  return {
    kind: 'bonus_account',
    data: { customerId, programId: null, balanceMinor, reservedMinor: 0, currency: 'RUB', maxRedeemPercent: 50, priceGroupCaps: {}, ...overrides },
  }
}

/** The profile's quote rules as ut11.yaml has them: no sharing at the head, prices from 1C. */
export function quoteRules(overrides: Partial<QuoteRules> = {}): QuoteRules {
  return { shareAtHead: false, prices: 'strict', fallbackPriceTypeId: null, ...overrides }
}
