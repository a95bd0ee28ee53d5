import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, contentHash, diffFields } from '../src/domain/index.ts'

describe('canonical JSON', () => {
  it('is valid JSON equal to the value, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value)
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)))
        const reversed = JSON.parse(JSON.stringify(value), (_key, item) =>
          item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).reverse()) : item,
        )
        expect(canonicalJson(reversed)).toBe(text)
      }),
    )
  })

  it('leaves out undefined fields, as JSON does', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [undefined, 'x'] })).toBe('{"b":1,"c":[null,"x"]}')
    expect(contentHash({ a: 1, b: undefined })).toBe(contentHash({ a: 1 }))
  })

  it('gives different hashes for different content', () => {
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }))
    expect(contentHash({ a: '1' })).not.toBe(contentHash({ a: 1 }))
  })
})

describe('field diff', () => {
  it('names nested paths with old and new values, and added or dropped keys', () => {
    expect(
      diffFields({ prices: { p1: { amountMinor: 1 }, p2: { amountMinor: 5 } }, name: 'x' }, { prices: { p1: { amountMinor: 2 }, p3: { amountMinor: 7 } }, name: 'x' }),
    ).toEqual([
      { path: 'prices.p1.amountMinor', from: 1, to: 2 },
      { path: 'prices.p2', from: { amountMinor: 5 } },
      { path: 'prices.p3', to: { amountMinor: 7 } },
    ])
  })

  it('names a large value without copying it', () => {
    const before = { description: 'a'.repeat(500) }
    expect(diffFields(before, { description: 'b'.repeat(500) })).toEqual([{ path: 'description' }])
  })
})
