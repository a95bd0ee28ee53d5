import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DecimalFormatError, formatMinorUnits, parseDecimal, parseDecimalNumber, roundDecimal, toMinorUnits } from '../src/domain/index.ts'

describe('1C decimals to minor units', () => {
  it.each([
    ['231.7400', 23_174],
    ['1 234,50', 123_450],
    ['1\u00a0234,50', 123_450],
    ['1\u202f234\u202f567.8', 123_456_780],
    ['37,5', 3_750],
    ['0', 0],
    ['  12  ', 1_200],
    ['-5', -500],
    ['+5.1', 510],
    ['0.005', 1],
    ['0.0049', 0],
    ['-0.005', -1],
    ['2.675', 268],
    ['100.', 10_000],
  ])('reads %j as %i kopecks', (text, minor) => {
    expect(toMinorUnits(text)).toBe(minor)
  })

  it.each([[''], ['  '], ['abc'], ['1.2.3'], ['1,234.50'], ['12e3'], ['--1'], ['1 2\t3']])('rejects %j with a reason', (text) => {
    expect(() => toMinorUnits(text)).toThrow(DecimalFormatError)
  })

  it('refuses amounts it cannot hold exactly', () => {
    expect(() => toMinorUnits('900719925474099.93')).toThrow(/too large/)
  })

  it('rounds to other exponents', () => {
    expect(toMinorUnits('12.3456', 0)).toBe(12)
    expect(toMinorUnits('12.5', 0)).toBe(13)
    expect(toMinorUnits('12.3456', 3)).toBe(12_346)
  })
})

describe('money properties', () => {
  const minor = fc.integer({ min: -1e13, max: 1e13 })

  it('reads back every amount it formats', () => {
    fc.assert(fc.property(minor, (value) => toMinorUnits(formatMinorUnits(value)) === value))
  })

  it('reads 1C layouts of the same amount alike: 4 decimals, comma, grouped thousands', () => {
    fc.assert(
      fc.property(minor, (value) => {
        const plain = formatMinorUnits(value)
        const fourDecimals = `${plain}00`
        const [whole = '', fraction = ''] = plain.replace('-', '').split('.')
        const grouped = `${value < 0 ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')},${fraction}`
        return toMinorUnits(fourDecimals) === value && toMinorUnits(grouped) === value
      }),
    )
  })

  it('rounds half away from zero, within half a kopeck, symmetric in sign', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), fc.integer({ min: 0, max: 6 }), (units, scale) => {
        const text = parseDecimalText(units, scale)
        const rounded = BigInt(toMinorUnits(text))
        // |rounded * 10^scale - units * 100| <= 10^scale / 2, compared without division
        const exact = units * 100n
        const approx = rounded * 10n ** BigInt(scale)
        const distance = exact > approx ? exact - approx : approx - exact
        const negated = text.startsWith('-') ? text.slice(1) : `-${text}`
        return distance * 2n <= 10n ** BigInt(scale) && toMinorUnits(negated) === -Number(rounded) + 0
      }),
    )
  })

  it('is monotonic', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.double({ min: -1e9, max: 1e9, noNaN: true }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a]
        return toMinorUnits(low.toFixed(6)) <= toMinorUnits(high.toFixed(6))
      }),
    )
  })

  it('keeps the exact value through parse and round', () => {
    expect(roundDecimal(parseDecimal('1234.5678'), 2)).toEqual({ units: 123_457n, scale: 2 })
    expect(parseDecimalNumber('37,5')).toBe(37.5)
    expect(parseDecimalNumber('1 000')).toBe(1000)
    expect(parseDecimalNumber('0.1000')).toBe(0.1)
  })
})

function parseDecimalText(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
  return negative ? `-${text}` : text
}

describe('the fast path for plain CommerceML decimals', () => {
  it('agrees with the exact BigInt path on every plain decimal', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 4 }), (units, scale, digits) => {
        const text = parseDecimalText(units, scale)
        let exact: number | string
        try {
          const rounded = roundDecimal(parseDecimal(text), digits).units
          exact = Number.isSafeInteger(Number(rounded)) && BigInt(Number(rounded)) === rounded ? Number(rounded) : 'too large'
        } catch {
          exact = 'error'
        }
        let fast: number | string
        try {
          fast = toMinorUnits(text, digits)
        } catch {
          fast = 'too large'
        }
        expect(fast).toBe(exact)
      }),
      { numRuns: 2000 },
    )
  })

  it('parses quantities to the same number as the exact path', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.integer({ min: 0, max: 6 }), (units, scale) => {
        const text = parseDecimalText(units, scale)
        const exact = roundDecimal(parseDecimal(text), 6)
        expect(parseDecimalNumber(text)).toBe(Number(`${exact.units}e-${exact.scale}`))
      }),
    )
  })
})
