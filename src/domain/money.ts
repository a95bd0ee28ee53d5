/**
 * Money and 1C decimals.
 *
 * 1C writes numbers as decimal text: `231.7400` in CommerceML, `1 234,50` or `37,5` when a
 * human-facing format (or a custom export) leaks through, `-5` for returns. Money is stored as
 * integer minor units (kopecks) and never passes through a float: text is parsed into an exact
 * decimal (a bigint of units and a scale) and rounded in integer arithmetic.
 *
 * Rounding is half away from zero, which is what 1C's `Окр(x, 2)` does by default
 * (`РежимОкругления.Окр15как20`).
 */

/** An exact decimal: value = units / 10^scale. */
export interface Decimal {
  readonly units: bigint
  readonly scale: number
}

export class DecimalFormatError extends Error {
  readonly input: string
  constructor(input: string, reason: string) {
    super(`not a decimal number: ${JSON.stringify(input)} (${reason})`)
    this.name = 'DecimalFormatError'
    this.input = input
  }
}

// Spaces 1C and spreadsheets put between digit groups: space, no-break space, thin and narrow no-break space.
const GROUP_SEPARATORS = /[\u0020\u00a0\u2009\u202f]/g
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:[.,](\d*))?$/

export function parseDecimal(text: string): Decimal {
  const trimmed = text.trim()
  if (trimmed === '') throw new DecimalFormatError(text, 'empty')
  const compact = trimmed.replace(GROUP_SEPARATORS, '')
  if (/\s/.test(compact)) throw new DecimalFormatError(text, 'unexpected whitespace')
  const match = DECIMAL_TEXT.exec(compact)
  if (!match) {
    const reason = /[.,].*[.,]/.test(compact) ? 'more than one decimal separator' : 'unexpected characters'
    throw new DecimalFormatError(text, reason)
  }
  const sign = match[1] === '-' ? -1n : 1n
  const whole = match[2] ?? '0'
  const fraction = match[3] ?? ''
  return { units: sign * BigInt(whole + fraction), scale: fraction.length }
}

/** Round an exact decimal to `scale` digits after the point, half away from zero. */
export function roundDecimal(value: Decimal, scale: number): Decimal {
  if (value.scale <= scale) {
    return { units: value.units * 10n ** BigInt(scale - value.scale), scale }
  }
  const divisor = 10n ** BigInt(value.scale - scale)
  const negative = value.units < 0n
  const magnitude = negative ? -value.units : value.units
  let quotient = magnitude / divisor
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n
  return { units: negative ? -quotient : quotient, scale }
}

function toSafeNumber(units: bigint, input: string): number {
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DecimalFormatError(input, 'too large to hold exactly')
  }
  return Number(units)
}

/**
 * Parse a 1C money amount into integer minor units.
 * `minorDigits` is the currency's exponent: 2 for RUB, KZT, BYN, UAH.
 */
export function toMinorUnits(text: string, minorDigits = 2): number {
  return fastMinorUnits(text, minorDigits) ?? toSafeNumber(roundDecimal(parseDecimal(text), minorDigits).units, text)
}

const PLAIN_QUANTITY = /^-?\d{1,9}(?:\.\d{0,6})?$/

// The shape CommerceML uses (`231.7400`): small enough that integer arithmetic on numbers is exact.
const PLAIN_DECIMAL = /^(-?)(\d{1,13})(?:\.(\d{0,9}))?$/

/**
 * The same result as the exact path for plain decimals, without BigInt: an import parses
 * millions of these. Rounding half away from zero looks only at the first dropped digit.
 */
function fastMinorUnits(text: string, minorDigits: number): number | undefined {
  const match = PLAIN_DECIMAL.exec(text)
  if (!match || minorDigits > 4) return undefined
  const fraction = match[3] ?? ''
  const kept = fraction.slice(0, minorDigits).padEnd(minorDigits, '0')
  let units = Number(match[2]) * 10 ** minorDigits + (kept === '' ? 0 : Number(kept))
  if ((fraction.charCodeAt(minorDigits) || 0) >= 53 /* '5' */) units += 1
  if (!Number.isSafeInteger(units)) return undefined
  return match[1] === '-' && units !== 0 ? -units : units
}

/** Format minor units as 1C/CommerceML expects them: dot separator, no grouping, fixed digits. */
export function formatMinorUnits(minor: number, minorDigits = 2): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be a safe integer, got ${minor}`)
  return formatDecimal({ units: BigInt(minor), scale: minorDigits })
}

/**
 * A quantity or percentage as a JavaScript number. Quantities (stock, 1.5 kg) and percentages
 * are not money; they are kept as numbers but parsed through the same exact path so that
 * `37,5` and `1 000` read the way 1C meant them. Rounded to `maxScale` digits.
 */
export function parseDecimalNumber(text: string, maxScale = 6): number {
  // Up to 15 significant digits, JavaScript's own parse is the correctly rounded double of the
  // same decimal, exactly what the exact path computes.
  if (maxScale >= 6 && PLAIN_QUANTITY.test(text)) return Number(text)
  const value = roundDecimal(parseDecimal(text), maxScale)
  const stripped = stripTrailingZeros(value)
  return Number(`${stripped.units}e-${stripped.scale}`)
}

function stripTrailingZeros(value: Decimal): Decimal {
  let { units, scale } = value
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n
    scale -= 1
  }
  return { units, scale }
}

/** Exact text of a decimal, for logs and golden files. */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0')
  const whole = digits.slice(0, digits.length - value.scale)
  const fraction = digits.slice(digits.length - value.scale)
  return `${negative ? '-' : ''}${whole}${value.scale > 0 ? `.${fraction}` : ''}`
}
