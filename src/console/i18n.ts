/**
 * The console's words, Russian first and English second, and how numbers, points, money and
 * dates read in each: plurals through CLDR's rules (1 доставка, 2 доставки, 5 доставок), dates in
 * the reader's zone with 1C's beside them where 1C is the source.
 */
import { fromNaive } from '../onec/odata/time.ts'

export type Lang = 'ru' | 'en'

/** Picks the language: the switch's cookie, else the browser's Accept-Language, else Russian. */
export function chooseLang(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (cookie === 'ru' || cookie === 'en') return cookie
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((param) => /^q=([\d.]+)$/.exec(param.trim())?.[1]).find(Boolean)
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) }
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const { tag } of ranked) {
    if (tag.startsWith('ru')) return 'ru'
    if (tag.startsWith('en')) return 'en'
  }
  return 'ru'
}

type Forms = { one: string; few?: string; many?: string; other: string }

/** "5 доставок": the number and the word in the form CLDR's rules give for it. */
export function plural(lang: Lang, count: number, forms: Record<Lang, Forms>, shown = formatNumber(lang, count)): string {
  const category = new Intl.PluralRules(lang === 'ru' ? 'ru-RU' : 'en-US').select(count) as keyof Forms
  const set = forms[lang]
  return `${shown} ${set[category] ?? set.other}`
}

export const formatNumber = (lang: Lang, value: number, digits = 0) =>
  new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)

/** Kopecks as roubles: «1 234,50 ₽». */
export const formatMoney = (lang: Lang, minor: number, currency = 'RUB') =>
  new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-US', { style: 'currency', currency }).format(minor / 100)

const POINTS: Record<Lang, Forms> = { ru: { one: 'балл', few: 'балла', many: 'баллов', other: 'балла' }, en: { one: 'point', other: 'points' } }

/** Bonus points (kept in hundredths, as 1C's sums): «1 234,56 балла», «1 250 баллов». Points are not money. */
export function formatPoints(lang: Lang, minor: number): string {
  const shown = new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(minor / 100)
  return plural(lang, minor / 100, POINTS, shown)
}

export function formatDate(lang: Lang, value: Date | string, timeZone: string): string {
  const date = typeof value === 'string' ? new Date(value) : value
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).format(date)
}

/** «5 минут назад», "in 3 hours". */
export function formatRelative(lang: Lang, value: Date | string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(value).getTime() - now.getTime()) / 1000)
  const format = new Intl.RelativeTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-US', { numeric: 'auto' })
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ]
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit)
  return format.format(seconds, 'second')
}

export function formatDuration(lang: Lang, ms: number): string {
  if (ms < 1000) return lang === 'ru' ? `${ms} мс` : `${ms} ms`
  const seconds = ms / 1000
  if (seconds < 120) return lang === 'ru' ? `${formatNumber(lang, seconds, 1)} с` : `${formatNumber(lang, seconds, 1)} s`
  return lang === 'ru' ? `${formatNumber(lang, seconds / 60, 1)} мин` : `${formatNumber(lang, seconds / 60, 1)} min`
}

/** A zone name that Intl accepts, else the fallback (a cookie can hold anything). */
export function checkedZone(zone: string | undefined, fallback: string): string {
  if (!zone) return fallback
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return zone
  } catch {
    return fallback
  }
}

/** Words in both languages: `w(lang, 'Здоровье', 'Health')` keeps each text beside its translation. */
export const w = (lang: Lang, ru: string, en: string) => (lang === 'ru' ? ru : en)

/** A wall-clock time as a form's date or datetime-local field gives it ("2026-12-02T10:00"), read in `zone`; null when it is no such time. */
export function zonedInstant(local: string, zone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(local)
  if (!match) return null
  // The same wall-clock reading as 1C's naive dates (onec/odata/time.ts), seconds optional.
  const instant = fromNaive(`${match[1]}${match[2] ?? ':00'}`, zone)
  return instant && !Number.isNaN(instant.getTime()) ? instant : null
}
