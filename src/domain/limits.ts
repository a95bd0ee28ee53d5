/**
 * What 1C's fields hold, as bounds on what a storefront may send.
 *
 * УТ 11 keeps a line's quantity in `Количество` — Число(15, 3): 12 digits before the point, 3
 * after; prices and sums in Число(15, 2). Fifteen digits of minor units (999 999 999 999 999)
 * stay below 2^53, so every amount in bounds is a safe integer and so is quantity × price when
 * it is checked against the same bound. A number outside these is refused with the field's
 * name before it reaches a quote, an order or a document for 1C.
 *
 * Text that reaches 1C (the orders XML, an OData document) is refused when it holds a character
 * XML 1.0 cannot carry or a control character: only tab, line feed and carriage return pass, and
 * those only in fields that are several lines in 1C (a comment, an address).
 */
import { z } from 'zod'
import { exactDecimal, lineGrossMinor } from './order-amounts.ts'

/** The largest amount in minor units: 15 digits, as 1C's Число(15, 2) holds in kopecks. */
export const MAX_AMOUNT_MINOR = 999_999_999_999_999
/** The largest quantity: Число(15, 3). */
export const MAX_QUANTITY = 999_999_999_999.999
export const QUANTITY_DECIMALS = 3
/** A percentage (an automatic discount): Число(5, 2) in 1C. */
export const PERCENT_DECIMALS = 2

// Whole numbers (nearly every quantity) without the exact path; quotes parse ten lines each.
const decimalsOf = (value: number) => (Number.isInteger(value) ? 0 : Number.isFinite(value) ? exactDecimal(value).scale : Infinity)

export const LineQuantity = z
  .number()
  .positive()
  .max(MAX_QUANTITY, `at most ${MAX_QUANTITY} (1C's Количество holds 15 digits, 3 after the point)`)
  .refine((value) => decimalsOf(value) <= QUANTITY_DECIMALS, `at most ${QUANTITY_DECIMALS} digits after the point (1C's Количество)`)

export const AmountMinor = z.number().int().min(0).max(MAX_AMOUNT_MINOR, `at most ${MAX_AMOUNT_MINOR} minor units (1C's sums hold 15 digits)`)

export const DiscountPercent = z
  .number()
  .min(0)
  .max(100)
  .refine((value) => decimalsOf(value) <= PERCENT_DECIMALS, `at most ${PERCENT_DECIMALS} digits after the point (1C keeps a discount as Число(5, 2))`)

// What XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates), and the
// C1 controls and DEL, which 1C shows as boxes. Control characters are what this expression is for.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u
const LINE_BREAK_OR_TAB = /[\t\n\r]/
// Printable text without surrogates or controls: most text, checked by one plain test.
const PLAIN_LINE = /^[\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd]*$/

/** Where a text holds a character 1C cannot take, as the message names it; null when clean. */
export function badCharacter(text: string, multiline: boolean): string | null {
  if (PLAIN_LINE.test(text)) return null
  const found = NOT_TEXT.exec(text) ?? (multiline ? null : LINE_BREAK_OR_TAB.exec(text))
  if (!found) return null
  const code = found[0].codePointAt(0) ?? 0
  const what = found[0] === '\t' ? 'a tab' : found[0] === '\n' || found[0] === '\r' ? 'a line break' : `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  return `holds ${what} at position ${found.index + 1}${multiline ? '' : ' (one line only)'}`
}

const text = (max: number, min: number, multiline: boolean) =>
  z
    .string()
    .min(min)
    .max(max)
    .superRefine((value, context) => {
      const bad = badCharacter(value, multiline)
      if (bad) context.addIssue({ code: 'custom', message: bad })
    })

/** One line of text for 1C: no control characters, not even tab or line breaks. */
export const LineText = (max: number, min = 0) => text(max, min, false)

/** Text that may run over several lines in 1C (a comment, an address): tab and line breaks pass. */
export const MultilineText = (max: number) => text(max, 0, true)

/**
 * The exact sum of quantity × price over `lines`, plus `extraMinor`, when it is more than 1C's sums
 * hold; null when it fits, or when a quantity or price is out of bounds itself (its own issue names it).
 */
export function amountBeyondBound(lines: ReadonlyArray<{ quantity: number; unitPriceMinor?: number | undefined }>, extraMinor = 0): bigint | null {
  const inBounds = (line: { quantity: number; unitPriceMinor?: number | undefined }): line is { quantity: number; unitPriceMinor: number } =>
    typeof line.quantity === 'number' && line.quantity > 0 && line.quantity <= MAX_QUANTITY && Number.isSafeInteger(line.unitPriceMinor)
  // Lines without a price yet (priced from 1C later) or out of bounds themselves: checked after pricing, or refused by their own field.
  if (!lines.every(inBounds) || !Number.isSafeInteger(extraMinor) || extraMinor < 0 || extraMinor > MAX_AMOUNT_MINOR) return null
  const priced = lines as ReadonlyArray<{ quantity: number; unitPriceMinor: number }>
  // Far below the bound in floating point (the usual cart): no exact product needed.
  if (priced.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, extraMinor) < MAX_AMOUNT_MINOR / 2) return null
  const total = priced.reduce((sum, line) => sum + lineGrossMinor(line), BigInt(extraMinor))
  return total > MAX_AMOUNT_MINOR ? total : null
}

/** Every string inside a JSON value checked as text of several lines, and every key as one line, its path named. */
export function checkJsonText(value: unknown, context: z.RefinementCtx, path: Array<string | number> = []): void {
  if (typeof value === 'string') {
    const bad = badCharacter(value, true)
    if (bad) context.addIssue({ code: 'custom', message: bad, path })
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkJsonText(item, context, [...path, index]))
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const bad = badCharacter(key, false)
      if (bad) context.addIssue({ code: 'custom', message: `key ${bad}`, path: [...path, key] })
      checkJsonText(item, context, [...path, key])
    }
  }
}

/** Removes what XML 1.0 cannot carry: the writer's last guard for text that came from 1C itself. */
export function xmlSafe(text: string): string {
  return NOT_TEXT.test(text) ? text.replace(new RegExp(NOT_TEXT.source, 'gu'), '') : text
}
