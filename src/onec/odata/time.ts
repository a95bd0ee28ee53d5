/**
 * 1C's OData speaks naive wall-clock times of the 1C server (`2026-05-15T09:27:51`, no offset).
 * These helpers convert between such times and instants, given the server's IANA time zone.
 */

function parts(date: Date, timeZone: string): Record<string, number> {
  const formatted = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date)
  return Object.fromEntries(formatted.filter((part) => part.type !== 'literal').map((part) => [part.type, Number(part.value)]))
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0')

/** An instant as 1C's naive local time in `timeZone`: `yyyy-mm-ddThh:mm:ss`. */
export function toNaive(date: Date, timeZone: string): string {
  const p = parts(date, timeZone)
  return `${pad(p.year ?? 0, 4)}-${pad(p.month ?? 0)}-${pad(p.day ?? 0)}T${pad(p.hour ?? 0)}:${pad(p.minute ?? 0)}:${pad(p.second ?? 0)}`
}

/** The offset of `timeZone` from UTC at `date`, in milliseconds. */
function offsetAt(date: Date, timeZone: string): number {
  const p = parts(date, timeZone)
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0)
  return asUtc - Math.floor(date.getTime() / 1000) * 1000
}

export const EMPTY_DATE = '0001-01-01T00:00:00'
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/

/** 1C's naive time in `timeZone` → an instant; the empty date (0001-01-01) → null. */
export function fromNaive(text: string, timeZone: string): Date | null {
  const match = NAIVE.exec(text.trim())
  if (!match) throw new Error(`not a 1C date: ${JSON.stringify(text)}`)
  if (text.startsWith('0001-01-01')) return null
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[]
  const guess = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0)
  // Two passes settle the offset across a DST change.
  let instant = guess - offsetAt(new Date(guess), timeZone)
  instant = guess - offsetAt(new Date(instant), timeZone)
  return new Date(instant)
}
