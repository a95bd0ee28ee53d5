/**
 * Reference ids of the emulated base. 1C makes a random UUID for every object; the emulator
 * derives them from names, so that a reset base has the same ids and a test can name them.
 */
import { createHash } from 'node:crypto'
import { toNaive } from '../src/onec/odata/time.ts'

export const EMPTY_REF = '00000000-0000-0000-0000-000000000000'
/** 1C's empty date: what an unset date field holds. */
export { EMPTY_DATE } from '../src/onec/odata/time.ts'

export function refOf(...parts: Array<string | number>): string {
  const hex = createHash('sha1').update(parts.join('/')).digest('hex')
  // Version-1 layout, as 1C's ids look (…-11ee-…): time-based UUIDs with the base's node.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-11ee-${(0x80 | (parseInt(hex.slice(16, 18), 16) & 0x3f)).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`
}

/** A 1C number field as 1C prints it: JSON number from minor units, never a float sum. */
export function amountOf(minor: number): number {
  return minor / 100
}

/** A decimal as 1C sent it (JSON number or text) → minor units, exactly. */
export function minorOf(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!match) return 0
  const [, sign = '', whole = '0', fraction = ''] = match
  const minor = Number(whole) * 100 + Number((fraction + '00').slice(0, 2))
  return sign === '-' ? -minor : minor
}

/** Wall-clock time of the 1C server (its dates carry no zone): `yyyy-mm-ddThh:mm:ss`. */
export function naiveNow(timeZone: string, at: Date = new Date()): string {
  return toNaive(at, timeZone)
}

export function naiveDaysFrom(timeZone: string, days: number, at: Date = new Date()): string {
  return naiveNow(timeZone, new Date(at.getTime() + days * 86_400_000))
}
