import { describe, expect, it } from 'vitest'
import { loadProfile, parseProfile, ProfileError } from '../src/onec/mapping/profile.ts'

describe('mapping profiles', () => {
  it('loads the shipped commerceml profile by name', async () => {
    const profile = await loadProfile('commerceml')
    expect(profile.name).toBe('commerceml')
    expect(profile.commerceml.product.bonusEligible).toEqual({ property: 'Оплата бонусами' })
    expect(profile.commerceml.removal).toEqual({ fullExchangeWindow: false, idleSeconds: 600 })
  })

  it.each([
    [{ commerceml: {} }, 'mine.yaml: name: Invalid input: expected string, received undefined'],
    [{ name: 'x', commerceml: { priceTypes: { map: [{ id: 'a', name: 'b', code: 'c' }] } } }, 'mine.yaml: commerceml.priceTypes.map.0: match by exactly one of id, name'],
    [
      { name: 'x', commerceml: { product: { bonusEligible: { property: 'a', requisite: 'b' } } } },
      'mine.yaml: commerceml.product.bonusEligible: give exactly one of property, propertyId, requisite',
    ],
    [{ name: 'x', commerceml: { warehouses: { unmapped: 'ignore' } } }, 'mine.yaml: commerceml.warehouses.unmapped: Invalid option: expected one of "keep"|"drop"'],
    [{ name: 'x', commerceml: { currency: { minorDigits: 7 } } }, 'mine.yaml: commerceml.currency.minorDigits: Too big: expected number to be <=4'],
    [{ name: 'x', commerceml: { pricetypes: {} } }, 'mine.yaml: commerceml: Unrecognized key: "pricetypes"'],
  ])('refuses %j naming the field', (content, message) => {
    expect(() => parseProfile('mine.yaml', content)).toThrow(new ProfileError(message))
  })

  it('says which file it could not read', async () => {
    await expect(loadProfile('no-such-profile')).rejects.toThrow(/mapping profile "no-such-profile": cannot read .*no-such-profile\.yaml \(ENOENT\)/)
  })
})

describe('the JSON Schema for editors', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing it)', async () => {
    const { readFile } = await import('node:fs/promises')
    const { profileJsonSchema } = await import('../src/onec/mapping/json-schema.ts')
    const committed = JSON.parse(await readFile(new URL('../mappings/profile.schema.json', import.meta.url), 'utf8'))
    expect(committed).toEqual(JSON.parse(JSON.stringify(profileJsonSchema())))
  })
})
